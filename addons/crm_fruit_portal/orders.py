# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A customer's orders as the portal shows them: searched and read as the
portal user (the record rules keep them his), the progress of each line"""
import datetime as dt
from collections import namedtuple

from trytond import backend
from trytond.pool import Pool
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from .page import own_record, own_rows

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


OrderRow = namedtuple('OrderRow', [
        'id', 'number', 'reference', 'sale_date', 'state', 'total_amount',
        'currency'])


def search(user, filters, offset=0, limit=20):
    """Return the page of sales as OrderRow and the count of all that match
    filters"""
    pool = Pool()
    Sale = pool.get('sale.sale')
    Currency = pool.get('currency.currency')
    Date = pool.get('ir.date')
    domain = filters.domain(Date.today())
    rows = [OrderRow(*r) for r in own_rows('sale.sale', domain,
            ['id', 'number', 'reference', 'sale_date', 'state',
                'total_amount_cache', 'currency'],
            offset, limit,
            [('sale_date', 'DESC NULLS FIRST'), ('id', 'DESC')])]
    # sales quoted before their amounts were stored
    totals = {r['id']: r['total_amount'] for r in Sale.read(
            [r.id for r in rows if r.total_amount is None], ['total_amount'])}
    currencies = {c.id: c for c in Currency.browse(
            list({r.currency for r in rows}))}
    sales = [r._replace(total_amount=totals.get(r.id, r.total_amount),
            currency=currencies[r.currency]) for r in rows]
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


LineMove = namedtuple('LineMove', [
        'id', 'line', 'state', 'effective_date', 'shipment', 'lot'])


class Detail(namedtuple('Detail', ['lines', 'shipments'])):
    """The lines of a sale with their progress and its customer shipments
    with their lots.

    The moves and invoice lines are found by their origin in a few SQL
    queries, not through the ORM: reading a Reference field checks that
    each record it points to still exists, a query per model and per read
    (the page cost 27 queries), the date an invoice was paid is a getter
    per invoice. The sale is the customer's (searched under his rules),
    these rows are its lines'."""

    @classmethod
    def of(cls, sale):
        pool = Pool()
        Line = pool.get('sale.line')
        Shipment = pool.get('stock.shipment.out')
        lines = Line.search([('sale', '=', sale.id), ('type', '=', 'line')])
        # the lines by the origin their moves and invoice lines refer to
        origins = {str(line): line.id for line in lines}
        moves = _outgoing_moves(origins)
        shipments = Shipment.browse(
            sorted({m.shipment for m in moves if m.shipment}))
        left = _left_storage(moves)
        invoices = _line_invoices(origins)
        lots = {}
        for move in moves:
            if move.lot:
                lots.setdefault(move.shipment, set()).add(move.lot)
        by_id = {s.id: s for s in shipments}
        return cls(
            lines=[(line, line_steps(sale,
                        [m for m in moves if m.line == line.id], by_id,
                        left, invoices.get(line.id, [])))
                for line in lines],
            shipments=[(s, sorted(lots.get(s.id, [])))
                for s in shipments if s.state != 'cancelled'])


def _outgoing_moves(origins):
    """The moves of the lines (origins: {reference: line id}) that are not
    cancelled, with their lot numbers"""
    pool = Pool()
    Move = pool.get('stock.move')
    Lot = pool.get('stock.lot')
    move, lot = Move.__table__(), Lot.__table__()
    cursor = Transaction().connection.cursor()
    result = []
    for sub in grouped_slice(list(origins), backend.MAX_QUERY_PARAMS):
        cursor.execute(*move.join(lot, 'LEFT', condition=move.lot == lot.id
                ).select(move.id, move.origin, move.state,
                move.effective_date, move.shipment, lot.number,
                where=move.origin.in_(list(sub))
                & (move.state != 'cancelled'),
                order_by=[move.id]))
        for id_, origin, state, date, shipment, number in cursor:
            result.append(LineMove(id_, origins[origin], state, date,
                    _customer_shipment_id(shipment), number))
    return result


def _customer_shipment_id(reference):
    model, _, id_ = (reference or '').partition(',')
    return int(id_) if model == 'stock.shipment.out' and id_ else None


def _left_storage(moves):
    """{shipment id: the dates its inventory moves (from the storage zone
    to the output) were done} of the outgoing moves"""
    pool = Pool()
    Move = pool.get('stock.move')
    move = Move.__table__()
    cursor = Transaction().connection.cursor()
    result = {}
    origins = [f'stock.move,{m.id}' for m in moves]
    for sub in grouped_slice(origins, backend.MAX_QUERY_PARAMS):
        cursor.execute(*move.select(move.shipment, move.effective_date,
                where=move.origin.in_(list(sub)) & (move.state == 'done')))
        for shipment, date in cursor:
            shipment_id = _customer_shipment_id(shipment)
            if shipment_id and date:
                result.setdefault(shipment_id, []).append(date)
    return result


InvoiceState = namedtuple('InvoiceState', [
        'id', 'state', 'invoice_date', 'reconciled'])


def _line_invoices(origins):
    """{line id: the states of its posted or paid invoices} of the lines
    (origins: {reference: line id})"""
    pool = Pool()
    InvoiceLine = pool.get('account.invoice.line')
    Invoice = pool.get('account.invoice')
    invoice_line, invoice = InvoiceLine.__table__(), Invoice.__table__()
    cursor = Transaction().connection.cursor()
    rows = []
    for sub in grouped_slice(list(origins), backend.MAX_QUERY_PARAMS):
        cursor.execute(*invoice_line.join(invoice,
                condition=invoice_line.invoice == invoice.id).select(
                invoice_line.origin, invoice.id, invoice.state,
                invoice.invoice_date,
                where=invoice_line.origin.in_(list(sub))
                & invoice.state.in_(['posted', 'paid'])))
        rows.extend(cursor)
    paid = _paid_dates({i for _, i, state, _ in rows if state == 'paid'})
    result = {}
    for origin, id_, state, date in rows:
        result.setdefault(origins[origin], {})[id_] = InvoiceState(
            id_, state, date, paid.get(id_))
    return {k: [v[i] for i in sorted(v)] for k, v in result.items()}


def _paid_dates(invoice_ids):
    """{invoice id: when it was paid}: Invoice.reconciled (the last
    reconciliation of its lines to pay) in one query"""
    pool = Pool()
    Invoice = pool.get('account.invoice')
    Reconciliation = pool.get('account.move.reconciliation')
    if not invoice_ids:
        return {}
    to_pay = Invoice._query_lines_to_pay(sorted(invoice_ids))
    reconciliation = Reconciliation.__table__()
    cursor = Transaction().connection.cursor()
    cursor.execute(*to_pay.join(reconciliation, 'LEFT',
            condition=to_pay.reconciliation == reconciliation.id).select(
            to_pay.invoice, reconciliation.date, reconciliation.delegate_to))
    dates, delegated = {}, set()
    for invoice_id, date, delegate_to in cursor:
        if delegate_to:
            delegated.add(invoice_id)
        dates.setdefault(invoice_id, []).append(date)
    result = {i: max(d) for i, d in dates.items() if all(d)}
    # a reconciliation delegated to another: Tryton follows the chain
    for invoice in Invoice.browse(sorted(delegated)):
        result[invoice.id] = invoice.reconciled
    return result


def line_steps(sale, moves, shipments, left_storage, invoices):
    """ordered → confirmed → shipped → delivered → received → invoiced →
    paid of a line from its moves (not cancelled), the customer shipments
    by id, the dates their goods left the storage zone and its invoices"""
    line_shipments = [shipments[i] for i in sorted(
            {m.shipment for m in moves if m.shipment})]
    confirmed = sale.state in {'confirmed', 'processing', 'done'}
    shipped = [max(left_storage.get(s.id, []), default=s.effective_date)
        for s in line_shipments if s.state in {'shipped', 'done'}]
    delivered = [m.effective_date for m in moves if m.state == 'done']
    received = [s.received.date() for s in line_shipments if s.received]
    paid = [i.reconciled for i in invoices if i.state == 'paid']
    complete = bool(moves)
    return [
        Step('ordered', sale.quotation_date or sale.create_date.date(), True),
        Step('confirmed', sale.sale_date if confirmed else None, confirmed),
        _step('shipped', shipped,
            complete and len(shipped) == len(line_shipments)),
        _step('delivered', delivered, complete and len(delivered) == len(
                moves)),
        _step('received', received, bool(line_shipments)
            and len(received) == len(line_shipments)),
        _step('invoiced', [i.invoice_date for i in invoices],
            bool(invoices)),
        _step('paid', paid, bool(invoices) and len(paid) == len(invoices)),
        ]


def _step(name, dates, done):
    dates = [d for d in dates if d]
    return Step(name, max(dates) if dates else None, done)
