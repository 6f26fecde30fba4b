# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A customer's orders as the portal shows them: searched and read as the
portal user (the record rules keep them his), the progress of each line"""
import datetime as dt
from collections import namedtuple

from trytond.pool import Pool

from .page import own_record

STATES = ['quotation', 'confirmed', 'processing', 'done', 'cancelled']
PERIODS = {'30': 30, '90': 90, '365': 365}
Step = namedtuple('Step', ['name', 'date', 'done'])


class Filters(namedtuple('Filters', ['text', 'state', 'period'])):
    "The filters of the order list, from the query string"

    @classmethod
    def from_args(cls, args):
        state = args.get('state', '')
        period = args.get('period', '')
        return cls(
            text=args.get('q', '').strip()[:64],
            state=state if state in STATES else '',
            period=period if period in PERIODS else '')

    def domain(self, today):
        domain = [('state', '!=', 'draft')]
        if self.text:
            domain.append(['OR',
                    ('number', 'ilike', f'%{self.text}%'),
                    ('reference', 'ilike', f'%{self.text}%'),
                    ('lines.product.name', 'ilike', f'%{self.text}%'),
                    ])
        if self.state:
            domain.append(('state', '=', self.state))
        if self.period:
            domain.append(('sale_date', '>=',
                    today - dt.timedelta(days=PERIODS[self.period])))
        return domain

    def params(self, **changes):
        values = {'q': self.text, 'state': self.state, 'period': self.period}
        values.update(changes)
        return values


def search(user, filters, offset=0, limit=20):
    "Return the page of sales and the count of all that match filters"
    pool = Pool()
    Sale = pool.get('sale.sale')
    Date = pool.get('ir.date')
    domain = filters.domain(Date.today())
    sales = Sale.search(domain, offset=offset, limit=limit,
        order=[('sale_date', 'DESC NULLS FIRST'), ('id', 'DESC')])
    return sales, Sale.search_count(domain)


def get(sale_id):
    "The sale of the customer; NotFound when not his or not there"
    return own_record('sale.sale', sale_id, [('state', '!=', 'draft')])


def get_shipment(shipment_id):
    return own_record('stock.shipment.out', shipment_id)


def next_step(sale):
    "The name of what comes next for the sale, None when all is done"
    if sale.state == 'quotation':
        return 'next_confirmation'
    if sale.state == 'cancelled':
        return None
    shipments = [s for s in sale.shipments if s.state != 'cancelled']
    if sale.shipment_state != 'sent' or any(
            s.state != 'done' for s in shipments):
        return 'next_delivery'
    if any(s.receivable for s in shipments):
        return 'next_receipt'
    if sale.invoice_state != 'paid':
        return 'next_payment'
    return None


def home(user):
    "What the home page shows: open orders with their next step"
    pool = Pool()
    Sale = pool.get('sale.sale')
    open_sales = Sale.search([
            ('state', 'in', ['quotation', 'confirmed', 'processing']),
            ], order=[('sale_date', 'DESC NULLS FIRST'), ('id', 'DESC')],
        limit=10)
    return {
        'open_orders': [(s, next_step(s)) for s in open_sales],
        'open_count': Sale.search_count([
                ('state', 'in', ['quotation', 'confirmed', 'processing']),
                ]),
        }


class Detail(namedtuple('Detail', ['lines', 'shipments'])):
    """The lines of a sale with their progress and its customer shipments
    with their lots, read set by set: a query per kind of record, not per
    line"""

    @classmethod
    def of(cls, sale):
        pool = Pool()
        Move = pool.get('stock.move')
        lines = [line for line in sale.lines if line.type == 'line']
        # the One2Many of the first line reads those of all lines at once
        outgoing = [m for line in lines for m in line.moves]
        inventory = Move.search(
            [('origin', 'in', [str(m) for m in outgoing])],
            order=[('id', 'ASC')]) if outgoing else []
        # one list of records: their shipments are read in one query
        moves = Move.browse([m.id for m in outgoing + inventory])
        shipments = _customer_shipments(moves, {m.id for m in outgoing})
        return cls(
            lines=[(line, line_steps(sale, line, moves)) for line in lines],
            shipments=[(s, lots) for s, lots in shipments.values()
                if s.state != 'cancelled'])


def _customer_shipments(moves, outgoing):
    "{id: (customer shipment, lots of its outgoing moves)} of moves"
    shipments = {}
    for move in moves:
        shipment = move.shipment
        if not shipment or shipment.__name__ != 'stock.shipment.out':
            continue
        _, lots = shipments.setdefault(shipment.id, (shipment, set()))
        if move.id in outgoing and move.lot:
            lots.add(move.lot.number)
    return {i: (s, sorted(lots)) for i, (s, lots) in shipments.items()}


def line_steps(sale, line, moves):
    """ordered → confirmed → shipped → delivered → received → invoiced →
    paid of a line; moves: those of the sale's shipments, each read once"""
    by_id = {m.id: m for m in moves}
    line_moves = [by_id[m.id] for m in line.moves
        if m.id in by_id and m.state != 'cancelled']
    shipments = list({m.shipment for m in line_moves if m.shipment
            and m.shipment.__name__ == 'stock.shipment.out'})
    invoices = list({il.invoice for il in line.invoice_lines
            if il.invoice and il.invoice.state in {'posted', 'paid'}})
    confirmed = sale.state in {'confirmed', 'processing', 'done'}
    shipped = [shipped_date(s, moves) for s in shipments
        if s.state in {'shipped', 'done'}]
    delivered = [m.effective_date for m in line_moves if m.state == 'done']
    received = [s.received.date() for s in shipments if s.received]
    paid = [i.reconciled for i in invoices if i.state == 'paid']
    complete = bool(line_moves)
    return [
        Step('ordered', sale.quotation_date or sale.create_date.date(), True),
        Step('confirmed', sale.sale_date if confirmed else None, confirmed),
        _step('shipped', shipped, complete and len(shipped) == len(shipments)),
        _step('delivered', delivered, complete and len(delivered) == len(
                line_moves)),
        _step('received', received, bool(shipments) and len(received) == len(
                shipments)),
        _step('invoiced', [i.invoice_date for i in invoices],
            bool(invoices)),
        _step('paid', paid, bool(invoices) and len(paid) == len(invoices)),
        ]


def _step(name, dates, done):
    dates = [d for d in dates if d]
    return Step(name, max(dates) if dates else None, done)


def shipped_date(shipment, moves):
    """When the goods left the cold store: the last of its inventory moves
    (from the storage zone; the outgoing moves leave the output zone)"""
    dates = [m.effective_date for m in moves
        if m.shipment == shipment and m.effective_date
        and m.from_location == shipment.warehouse_storage]
    return max(dates) if dates else shipment.effective_date
