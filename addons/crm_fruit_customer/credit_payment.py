# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The payment record (seed 004): how each amount of a customer's invoices
was paid against its due date. The ladder reminds the customer a week
before the due date of the credit reward for paying early or on time; the
record is what the reward rests on: the evaluation scores the customer's
punctuality and longest delay from it."""
import datetime as dt

from sql import Null
from sql.conditionals import Case

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval

from .receivable_ageing import _CurrencyMixin

PUNCTUALITY = [
    ('early', "Early"),
    ('on_time', "On Time"),
    ('late', "Late"),
    ('overdue', "Overdue"),
    ('open', "Not Due"),
    ]
GOOD = {'early', 'on_time'}
# the amounts that fell due within the year before the evaluation
RECORD_DAYS = 365


class PaymentRecord(_CurrencyMixin, ModelSQL, ModelView):
    "How an amount of a customer's invoice was paid, against its due date"
    __name__ = 'crm.credit.payment'
    __string__ = "Payment Record"

    customer = fields.Many2One('party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    invoice = fields.Many2One('account.invoice', "Invoice")
    due_date = fields.Date("Due Date")
    paid_date = fields.Date(
        "Paid Date",
        help="The day the amount was paid in full: the date of its "
        "reconciliation.")
    amount = Monetary("Amount", currency='currency', digits='currency')
    punctuality = fields.Selection(PUNCTUALITY, "Punctuality", sort=False)
    days_late = fields.Function(fields.Integer(
            "Days Late",
            help="The days the amount was paid after its due date, "
            "negative when paid early; for an amount still overdue, the "
            "days past its due date today."),
        'get_days_late')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('due_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        "The receivable amounts of the customers' posted invoices"
        pool = Pool()
        Line = pool.get('account.move.line')
        Invoice = pool.get('account.invoice')
        Reconciliation = pool.get('account.move.reconciliation')
        line = Line.__table__()
        invoice = Invoice.__table__()
        reconciliation = Reconciliation.__table__()
        from_, account, receivable = cls._receivable_from(line, line)
        return (from_
            .join(invoice, condition=invoice.move == line.move)
            .join(reconciliation, 'LEFT',
                condition=reconciliation.id == line.reconciliation)
            .select(
                line.id.as_('id'),
                account.company.as_('company'),
                line.party.as_('customer'),
                invoice.id.as_('invoice'),
                line.maturity_date.as_('due_date'),
                reconciliation.date.as_('paid_date'),
                (line.debit - line.credit).as_('amount'),
                cls._punctuality(line, reconciliation).as_('punctuality'),
                where=receivable
                & (invoice.type == 'out')
                & (line.maturity_date != Null)
                & (line.debit > 0)))

    @classmethod
    def _punctuality(cls, line, reconciliation):
        today = Pool().get('ir.date').today()
        due, paid = line.maturity_date, reconciliation.date
        return Case(
            ((reconciliation.id != Null) & (paid < due), 'early'),
            ((reconciliation.id != Null) & (paid == due), 'on_time'),
            (reconciliation.id != Null, 'late'),
            (due < today, 'overdue'),
            else_='open')

    def get_days_late(self, name):
        if self.paid_date:
            return (self.paid_date - self.due_date).days
        if self.punctuality == 'overdue':
            today = Pool().get('ir.date').today()
            return (today - self.due_date).days

    @classmethod
    def summary(cls, parties, date=None):
        """{party id: (amounts fallen due, paid early or on time, longest
        delay in days)} over the year before date, in the context's
        company"""
        if date is None:
            date = Pool().get('ir.date').today()
        since = date - dt.timedelta(days=RECORD_DAYS)
        result = {p.id: (0, 0, 0) for p in parties}
        records = cls.search([
                ('customer', 'in', [p.id for p in parties]),
                ('due_date', '>', since),
                ('due_date', '<=', date),
                ('punctuality', '!=', 'open'),
                ])
        for record in records:
            due, good, longest = result[record.customer.id]
            result[record.customer.id] = (
                due + 1,
                good + (record.punctuality in GOOD),
                max(record.days_late or 0, longest))
        return result
