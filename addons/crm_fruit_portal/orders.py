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


def line_timelines(sale):
    "(line, steps) of the product lines of sale"
    return [(line, line_steps(sale, line))
        for line in sale.lines if line.type == 'line']


def line_steps(sale, line):
    "ordered → confirmed → shipped → delivered → received → invoiced → paid"
    moves = [m for m in line.moves if m.state != 'cancelled']
    shipments = [m.shipment for m in moves if m.shipment
        and m.shipment.__name__ == 'stock.shipment.out']
    invoices = [il.invoice for il in line.invoice_lines
        if il.invoice and il.invoice.state in {'posted', 'paid'}]
    confirmed = sale.state in {'confirmed', 'processing', 'done'}
    shipped = [shipped_date(s) for s in shipments
        if s.state in {'shipped', 'done'}]
    delivered = [m.effective_date for m in moves if m.state == 'done']
    received = [s.received.date() for s in shipments if s.received]
    paid = [i.reconciled for i in invoices if i.state == 'paid']
    complete = bool(moves)
    return [
        Step('ordered', sale.quotation_date or sale.create_date.date(), True),
        Step('confirmed', sale.sale_date if confirmed else None, confirmed),
        _step('shipped', shipped, complete and len(shipped) == len(shipments)),
        _step('delivered', delivered, complete and len(delivered) == len(
                moves)),
        _step('received', received, bool(shipments) and len(received) == len(
                shipments)),
        _step('invoiced', [i.invoice_date for i in invoices],
            bool(invoices)),
        _step('paid', paid, bool(invoices) and len(paid) == len(invoices)),
        ]


def _step(name, dates, done):
    dates = [d for d in dates if d]
    return Step(name, max(dates) if dates else None, done)


def shipped_date(shipment):
    "When the goods left the cold store: the last of the inventory moves"
    dates = [m.effective_date for m in shipment.inventory_moves
        if m.effective_date]
    return max(dates) if dates else shipment.effective_date


def shipments(sale):
    "The customer shipments of sale with their lots"
    result = []
    for shipment in sale.shipments:
        if shipment.state == 'cancelled':
            continue
        lots = sorted({m.lot.number for m in shipment.outgoing_moves
                if getattr(m, 'lot', None)})
        result.append((shipment, lots))
    return result
