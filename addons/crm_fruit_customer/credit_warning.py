# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The bad-customer warning list (不良客户警示): published to every sales
unit so that each guards against the customers another has suffered from.

It names the customer and why, for every employee of the CRM whatever
customers he may open: the list is the company's circular, not the
customer's file (only his name, code and the amounts of the warning)."""
import datetime as dt

from dateutil.relativedelta import relativedelta

from sql import Literal, Null, Union
from sql.aggregate import Max

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.transaction import Transaction

from .receivable_ageing import _as_of, _CurrencyMixin

REASONS = [
    ('blacklisted', "Blacklisted"),
    ('credit_overdue', "Credit Sale a Month Overdue"),
    ('cash_arrears', "Non-Credit Arrears over Six Months"),
    ('sued', "Newly Sued"),
    ('open_case', "Open Case"),
    ]
CREDIT_OVERDUE_DAYS = 30
CASH_ARREARS_MONTHS = 6
# a lawsuit is new for three months, an open case after that
NEWLY_SUED_MONTHS = 3


class CreditWarning(_CurrencyMixin, ModelSQL, ModelView):
    "A customer every sales unit is warned of, and why"
    __name__ = 'crm.credit.warning'
    __string__ = "Bad-Customer Warning"

    customer_code = fields.Char("Customer Code")
    customer_name = fields.Char("Customer")
    reason = fields.Selection(REASONS, "Reason", sort=False)
    since = fields.Date(
        "Since", help="The day the block was made, the due date of the "
        "oldest amount overdue or the day of the latest lawsuit.")
    overdue = Monetary(
        "Overdue", currency='currency', digits='currency',
        help="What the customer owes overdue on the day.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('since', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        transaction = Transaction()
        # the circular covers every customer, not those the reader opens
        with transaction.set_user(0), transaction.set_context(
                department=None):
            customers = Pool().get('crm.receivable.ageing')._customer_query()
            return Union(
                cls._blacklisted(customers),
                cls._credit_overdue(customers),
                cls._cash_arrears(customers),
                cls._litigation(customers, 'sued'),
                cls._litigation(customers, 'open_case'),
                all_=True)

    @classmethod
    def _columns(cls, party, company, reason, since, overdue):
        index = [r for r, _ in REASONS].index(reason)
        return [
                (party.id * len(REASONS) + index).as_('id'),
                company.as_('company'),
                party.code.as_('customer_code'),
                party.name.as_('customer_name'),
                Literal(reason).as_('reason'),
                since.as_('since'),
                overdue.as_('overdue'),
                ]

    @classmethod
    def _blacklisted(cls, customers):
        pool = Pool()
        Block = pool.get('crm.credit.block')
        Party = pool.get('party.party')
        block = Block.__table__()
        party = Party.__table__()
        company = Transaction().context.get('company')
        columns = cls._columns(party, block.company, 'blacklisted',
            Max(block.date), Max(customers.overdue))
        return (block
            .join(party, condition=party.id == block.party)
            .join(customers, 'LEFT', condition=customers.customer == party.id)
            .select(*columns,
                where=(block.kind == 'blacklist') & (block.state == 'active')
                & (block.company == company),
                group_by=[party.id, party.code, party.name, block.company]))

    @classmethod
    def _litigation(cls, customers, reason):
        "The customers with an open lawsuit, new or older"
        pool = Pool()
        Incident = pool.get('crm.credit.incident')
        Party = pool.get('party.party')
        incident = Incident.__table__()
        party = Party.__table__()
        company = Transaction().context.get('company')
        new = _as_of() - relativedelta(months=NEWLY_SUED_MONTHS)
        columns = cls._columns(party, incident.company, reason,
            Max(incident.date), Max(customers.overdue))
        latest = Max(incident.date)
        return (incident
            .join(party, condition=party.id == incident.party)
            .join(customers, 'LEFT', condition=customers.customer == party.id)
            .select(*columns,
                where=(incident.kind == 'litigation')
                & (incident.case_state == 'open')
                & (incident.company == company)
                & (incident.date <= _as_of()),
                group_by=[party.id, party.code, party.name, incident.company],
                having=(latest > new) if reason == 'sued'
                else (latest <= new)))

    @classmethod
    def _credit_overdue(cls, customers):
        Party = Pool().get('party.party')
        party = Party.__table__()
        columns = cls._columns(party, customers.company, 'credit_overdue',
            customers.oldest_due_date, customers.overdue)
        return (customers
            .join(party, condition=party.id == customers.customer)
            .select(*columns,
                where=(customers.credit_limit > 0)
                & (customers.oldest_due_date <= _as_of() - dt.timedelta(
                        days=CREDIT_OVERDUE_DAYS))))

    @classmethod
    def _cash_arrears(cls, customers):
        Party = Pool().get('party.party')
        party = Party.__table__()
        columns = cls._columns(party, customers.company, 'cash_arrears',
            customers.oldest_due_date, customers.overdue)
        limit = _as_of() - relativedelta(months=CASH_ARREARS_MONTHS)
        return (customers
            .join(party, condition=party.id == customers.customer)
            .select(*columns,
                where=((customers.credit_limit == Null)
                    | (customers.credit_limit <= 0))
                & (customers.oldest_due_date <= limit)))
