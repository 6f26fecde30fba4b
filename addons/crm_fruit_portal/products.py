# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""What the company sells and when: its salable goods grouped by the
categories of the produce calendar (crm.season of the customer module: the
months of harvest and of storage sales) with the customer's own price where
his sale price list gives one, the list price otherwise"""
import datetime as dt
import threading
from collections import namedtuple

from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

MONTHS = range(1, 13)
Month = namedtuple('Month', ['number', 'season', 'note', 'current'])
Group = namedtuple('Group', ['category', 'months', 'in_season', 'offers'])
Offer = namedtuple('Offer', ['product', 'price', 'unit', 'own_price'])
# Tryton computes a price product by product (its list and cost prices are
# per company values, a few queries each): the prices of a customer are
# kept a few minutes in the process, a changed price shows after that at
# the latest. (A trytond Cache would be declared twice: this module is also
# imported under the name of its folder by the tests.)
PRICE_DURATION = dt.timedelta(minutes=5)
PRICE_ENTRIES = 1000
_prices = {}
_prices_lock = threading.Lock()


def _cached_prices(key, compute):
    now = dt.datetime.now()
    key = (Transaction().database.name, *key)
    with _prices_lock:
        expire, prices = _prices.get(key, (None, None))
    if expire is None or expire < now:
        prices = compute()
        with _prices_lock:
            if len(_prices) >= PRICE_ENTRIES:
                _prices.clear()
            _prices[key] = (now + PRICE_DURATION, prices)
    return prices


def catalogue(user, today):
    """The groups of the produce calendar, those in season first, then the
    products of no calendar category (category None)"""
    pool = Pool()
    Product = pool.get('product.product')
    Season = pool.get('crm.season')
    notes = {}
    for season in Season.search([]):
        notes.setdefault(season.category, {})[int(season.month)] = season.note
    products = Product.search([
            ('salable', '=', True),
            ('type', '=', 'goods'),
            ], order=[('rec_name', 'ASC'), ('id', 'ASC')])
    prices = customer_prices(user, products)
    offers = {}
    for product in products:
        category = next((c for c in product.categories_all if c in notes),
            None)
        offers.setdefault(category, []).append(
            Offer(product, *prices[product.id]))
    groups = [_group(c, notes[c], offers.get(c, []), today)
        for c in notes if offers.get(c)]
    groups.sort(key=lambda g: (not g.in_season, g.category.rec_name))
    if offers.get(None):
        groups.append(Group(None, [], False, offers[None]))
    return groups


def _group(category, notes, offers, today):
    months = [Month(m, m in notes, notes.get(m), m == today.month)
        for m in MONTHS]
    return Group(category, months, today.month in notes, offers)


def customer_prices(user, products):
    """{product id: (price, unit, own price)} per the default unit of each
    product; own price is true where the customer's sale price list set it.
    The price list is read without access checks: the portal user sees the
    prices it gives his own party, never the list."""
    pool = Pool()
    Date = pool.get('ir.date')
    Party = pool.get('party.party')
    with without_check_access():
        party = Party(user.party.id)
        price_list = party.get_multivalue(
            'sale_price_list', company=user.company.id)
        key = (user.company.id, price_list.id if price_list else None,
            Date.today().isoformat(), tuple(p.id for p in products))
        prices = _cached_prices(key, lambda: {
                product.id: _price(product, price_list)
                for product in products})
    return {p.id: (prices[p.id][0], p.default_uom, prices[p.id][1])
        for p in products}


def _price(product, price_list):
    "(price, own price) of product by price_list"
    list_price = product.list_price_used
    price = price_list.compute(product, 0, product.default_uom) if (
        price_list) else None
    if price is None:
        return list_price, False
    return price, price != list_price
