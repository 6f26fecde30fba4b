# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""What the company sells and when: its salable goods grouped by the
categories of the produce calendar (crm.season of the customer module: the
months of harvest and of storage sales) with the customer's own price where
his sale price list gives one, the list price otherwise"""
from collections import namedtuple

from trytond.pool import Pool
from trytond.transaction import without_check_access

MONTHS = range(1, 13)
Month = namedtuple('Month', ['number', 'season', 'note', 'current'])
Group = namedtuple('Group', ['category', 'months', 'in_season', 'offers'])
Offer = namedtuple('Offer', ['product', 'price', 'unit', 'own_price'])


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
    Party = pool.get('party.party')
    with without_check_access():
        party = Party(user.party.id)
        price_list = party.get_multivalue(
            'sale_price_list', company=user.company.id)
        result = {}
        for product in products:
            list_price = product.list_price_used
            price = None
            if price_list:
                price = price_list.compute(
                    product, 0, product.default_uom)
            own = price is not None and price != list_price
            if price is None:
                price = list_price
            result[product.id] = (price, product.default_uom, own)
    return result
