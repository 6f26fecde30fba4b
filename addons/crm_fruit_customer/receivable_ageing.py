# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Receivable ageing: what each customer owes and how late, on a day.

The open receivable lines are those of Tryton's aged balance (not
reconciled on that day, posted or not, of the company), each dated by its
maturity; a payment line not yet reconciled takes the maturity of the
invoice it pays, so that a partial payment lowers the band its invoice is
in instead of the band of the day it came. Days past that date fall in the
credit paper's bands: 1-30, 31-60, 61-90, over 90."""
import datetime as dt

from sql import Column, Literal, Null, Union, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Rank

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .classification_reporting import _ReportingMixin
from .reporting_context import DepartmentContextMixin

# (column, the day after its oldest due date, days before its newest one)
BANDS = [
    ('overdue_30', 30, 1),
    ('overdue_60', 60, 31),
    ('overdue_90', 90, 61),
    ]
AMOUNTS = ['balance', 'not_due'] + [b for b, _, _ in BANDS] + [
    'overdue_more', 'overdue']
GROUPED_COLUMNS = ['id', 'company', 'customers', 'over_limit'] + AMOUNTS
DOUBLE_TEN = 10


def _as_of():
    context = Transaction().context
    return context.get('date') or Pool().get('ir.date').today()


class Context(DepartmentContextMixin, ModelView):
    "The day and the department of the receivable ageing"
    __name__ = 'crm.receivable.ageing.context'
    __string__ = "Receivable Ageing Context"

    date = fields.Date(
        "As of", required=True,
        help="The day the receivables are aged on, e.g. the last day of a "
        "month.")

    @classmethod
    def default_date(cls):
        return Transaction().context.get('date') or (
            Pool().get('ir.date').today())


class _CurrencyMixin(_ReportingMixin):
    "The company of a row and its currency, that of the amounts"
    __slots__ = ()

    company = fields.Many2One('company.company', "Company")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def _receivable_from(cls, from_, line):
        """(from_ joined to the account of line, the account, the condition
        of a customer's receivable line of the context's company whose
        customer the user may read)"""
        pool = Pool()
        Account = pool.get('account.account')
        Type = pool.get('account.account.type')
        account = Account.__table__()
        type_ = Type.__table__()
        company = Transaction().context.get('company')
        joined = (from_
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id))
        return joined, account, ((line.party != Null)
            & (type_.receivable == Literal(True))
            & (account.company == company)
            & cls._readable_where(line.party))


class _DaysOverdueMixin:
    __slots__ = ()

    def get_days_overdue(self, name):
        if self.oldest_due_date:
            return (_as_of() - self.oldest_due_date).days


class _AmountsMixin(_CurrencyMixin):
    "The amounts of an ageing row and what is computed from them"
    __slots__ = ()

    balance = Monetary(
        "Receivable", currency='currency', digits='currency',
        help="What is owed on the day, due or not.")
    not_due = Monetary("Not Due", currency='currency', digits='currency')
    overdue_30 = Monetary(
        "1-30 Days", currency='currency', digits='currency')
    overdue_60 = Monetary(
        "31-60 Days", currency='currency', digits='currency')
    overdue_90 = Monetary(
        "61-90 Days", currency='currency', digits='currency')
    overdue_more = Monetary(
        "Over 90 Days", currency='currency', digits='currency')
    overdue = Monetary(
        "Overdue", currency='currency', digits='currency',
        help="What is past its due date.")
    overdue_ratio = fields.Float(
        "Overdue %", digits=(16, 1),
        help="The share of the receivable that is overdue.")

    @classmethod
    def _amount_columns(cls, table):
        "The amounts of table summed, as their names"
        return [Sum(Column(table, n)).as_(n) for n in AMOUNTS]

    @classmethod
    def _ratio(cls, field, part, whole):
        return Case((whole > 0,
                field.sql_cast(part) * 100 / field.sql_cast(whole)),
            else_=Null)


class Ageing(_DaysOverdueMixin, _AmountsMixin, ModelSQL, ModelView):
    "What a customer owes on the day, by days overdue"
    __name__ = 'crm.receivable.ageing'
    __string__ = "Receivable Ageing"

    customer = fields.Many2One('party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    sales_rep = fields.Many2One('company.employee', "Sales Rep")
    oldest_due_date = fields.Date(
        "Oldest Due Date",
        help="The due date of the oldest overdue amount.")
    days_overdue = fields.Function(fields.Integer(
            "Days Overdue",
            help="How long the oldest overdue amount is past its due date."),
        'get_days_overdue')
    credit_limit = Monetary(
        "Credit Limit", currency='currency', digits='currency')
    limit_usage = fields.Float(
        "Limit Usage %", digits=(16, 1),
        help="The receivable as a share of the credit limit.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('overdue', 'DESC'), ('balance', 'DESC'), ('id', 'ASC')]
        # a search computes what it selects for every customer who owes:
        # only what the page is sorted on; the rest is read for its rows
        for name in (set(AMOUNTS) | {'sales_rep', 'oldest_due_date',
                    'overdue_ratio', 'credit_limit', 'limit_usage'}) - {
                    'overdue', 'balance'}:
            getattr(cls, name).loading = 'lazy'

    @classmethod
    def table_query(cls):
        customers = cls._customer_query()
        return customers.select(*[Column(customers, n) for n in [
                    'id', 'company', 'customer', 'sales_rep'] + AMOUNTS + [
                    'overdue_ratio', 'oldest_due_date', 'credit_limit',
                    'limit_usage']])

    @classmethod
    def _customers_per_department(cls):
        "The customers' rows, each joined to each of his departments"
        relation = Pool().get('party.party-crm.department').__table__()
        customers = cls._customer_query()
        return customers, relation, customers.join(
            relation, condition=relation.party == customers.customer)

    @classmethod
    def _customer_query(cls):
        "One row per customer who owes something on the day"
        pool = Pool()
        Party = pool.get('party.party')
        Limit = pool.get('party.party.credit_limit_amount')
        party = Party.__table__()
        limit = Limit.__table__()
        lines = cls._dated_lines()
        date = _as_of()
        amount, due = lines.amount, lines.due_date
        columns = [
            Sum(amount).as_('balance'),
            Sum(Case((due >= date, amount), else_=0)).as_('not_due'),
            ]
        for name, oldest, newest in BANDS:
            columns.append(Sum(Case((
                            (due <= date - dt.timedelta(days=newest))
                            & (due >= date - dt.timedelta(days=oldest)),
                            amount), else_=0)).as_(name))
        older = due < date - dt.timedelta(days=BANDS[-1][1])
        columns.append(
            Sum(Case((older, amount), else_=0)).as_('overdue_more'))
        columns.append(Sum(Case((due < date, amount), else_=0)).as_('overdue'))
        columns.append(Min(Case(((due < date) & (amount > 0), due),
                    else_=Null)).as_('oldest_due_date'))
        owed = lines.select(lines.party, lines.company, *columns,
            group_by=[lines.party, lines.company],
            having=Sum(amount) != 0)
        # the customer and his limit are joined so that a query not
        # reading them leaves them out: the first page is sorted on two
        # sums alone, for every customer who owes
        limit_amount = limit.select(Max(limit.credit_limit_amount),
            where=(limit.party == owed.party)
            & (limit.company == owed.company))
        credit_limit = Coalesce(limit_amount, 0)
        return (owed
            .join(party, 'LEFT', condition=party.id == owed.party)
            .select(
                owed.party.as_('id'),
                owed.company.as_('company'),
                owed.party.as_('customer'),
                party.sales_rep.as_('sales_rep'),
                *[Column(owed, n).as_(n)
                    for n in AMOUNTS + ['oldest_due_date']],
                cls._ratio(cls.overdue_ratio, owed.overdue, owed.balance
                    ).as_('overdue_ratio'),
                limit_amount.as_('credit_limit'),
                cls._ratio(cls.limit_usage, owed.balance, credit_limit
                    ).as_('limit_usage')))

    @classmethod
    def _dated_lines(cls):
        "The open receivable lines on the day with the date they fall due"
        lines = cls._open_lines()
        columns = [lines.party, lines.company, lines.amount]
        due = lines.select(*columns, lines.maturity_date.as_('due_date'),
            where=lines.maturity_date != Null)
        # a union's part gives its columns once: in one select with the
        # maturity, the undated lines' subqueries ran again in every band
        undated = lines.select(*columns,
            Coalesce(cls._paid_invoice_due(lines.id),
                cls._move_date(lines.move)).as_('due_date'),
            where=lines.maturity_date == Null)
        return Union(due, undated, all_=True)

    @classmethod
    def _paid_invoice_due(cls, line_id):
        """The earliest due date of the invoice the line pays: a payment not
        reconciled yet lowers the band of its invoice"""
        pool = Pool()
        PaymentLine = pool.get('account.invoice-account.move.line')
        Invoice = pool.get('account.invoice')
        MoveLine = pool.get('account.move.line')
        payment = PaymentLine.__table__()
        invoice = Invoice.__table__()
        invoice_line = MoveLine.__table__()
        return (payment
            .join(invoice, condition=invoice.id == payment.invoice)
            .join(invoice_line,
                condition=(invoice_line.move == invoice.move)
                & (invoice_line.account == invoice.account)
                & (invoice_line.maturity_date != Null))
            .select(Min(invoice_line.maturity_date),
                where=payment.line == line_id))

    @classmethod
    def _move_date(cls, move_id):
        move = Pool().get('account.move').__table__()
        return move.select(move.date, where=move.id == move_id)

    @classmethod
    def _open_lines(cls):
        """The receivable lines not reconciled on the day, as the aged
        balance finds them, in two parts: the lines not reconciled (the
        receivable balance's index) and those reconciled after the day"""
        pool = Pool()
        MoveLine = pool.get('account.move.line')
        Reconciliation = pool.get('account.move.reconciliation')
        line = MoveLine.__table__()
        reconciliation = Reconciliation.__table__()
        date = _as_of()
        # on a day no move is dated after, as on most days the ageing is
        # read, every move is of the day or before: not joined
        dated_after = cls._moves_after(date)
        unreconciled = cls._receivable_lines(
            line, line, line.reconciliation == Null, date, dated_after)
        reconciled_after = cls._receivable_lines(
            line.join(reconciliation,
                condition=reconciliation.id == line.reconciliation),
            line, reconciliation.date > date, date, dated_after)
        return Union(unreconciled, reconciled_after, all_=True)

    @classmethod
    def _receivable_lines(cls, from_, line, where, date, dated_after):
        """The lines of from_ on where, of the moves of date or before
        (joined only when moves are dated_after)"""
        from_, account, receivable = cls._receivable_from(from_, line)
        if dated_after:
            move = Pool().get('account.move').__table__()
            from_ = from_.join(move, condition=line.move == move.id)
            where &= move.date <= date
        return from_.select(
            line.id, line.party, account.company.as_('company'),
            (line.debit - line.credit).as_('amount'),
            line.maturity_date, line.move,
            where=where & receivable & cls._department_where(line.party))

    @classmethod
    def _moves_after(cls, date):
        "Whether a move of the context's company is dated after date"
        move = Pool().get('account.move').__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*move.select(Literal(1),
                where=(move.date > date)
                & (move.company == Transaction().context.get('company')),
                limit=1))
        return cursor.fetchone() is not None


class _GroupedAgeing(_AmountsMixin):
    "The customers' ageing summed per one of their attributes"
    __slots__ = ()

    customers = fields.Integer(
        "Customers", help="The customers who owe something.")
    over_limit = fields.Integer(
        "Over Limit",
        help="The customers whose receivable exceeds their credit limit.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('overdue', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _grouped(cls, from_, customers, key):
        "The customers' rows of from_ summed per key"
        over = Case((customers.limit_usage > 100, 1), else_=0)
        summed = from_.select(
            key.as_('id'),
            customers.company.as_('company'),
            Count(customers.id).as_('customers'),
            Sum(over).as_('over_limit'),
            *cls._amount_columns(customers),
            where=key != Null,
            group_by=[key, customers.company])
        return summed.select(
            *[Column(summed, n) for n in GROUPED_COLUMNS],
            cls._ratio(cls.overdue_ratio, summed.overdue, summed.balance
                ).as_('overdue_ratio'))


class AgeingRep(_GroupedAgeing, ModelSQL, ModelView):
    "The receivables of the customers of each sales rep"
    __name__ = 'crm.receivable.ageing.rep'
    __string__ = "Receivable Ageing per Sales Rep"

    sales_rep = fields.Many2One('company.employee', "Sales Rep")

    @classmethod
    def table_query(cls):
        Ageing = Pool().get('crm.receivable.ageing')
        customers = Ageing._customer_query()
        grouped = cls._grouped(customers, customers, customers.sales_rep)
        return grouped.select(
            *[Column(grouped, n) for n in GROUPED_COLUMNS + ['overdue_ratio']],
            grouped.id.as_('sales_rep'))


class AgeingDepartment(_GroupedAgeing, ModelSQL, ModelView):
    """The receivables of the customers of each department: a customer of
    both departments counts in each"""
    __name__ = 'crm.receivable.ageing.department'
    __string__ = "Receivable Ageing per Department"

    department = fields.Many2One('crm.department', "Department")

    @classmethod
    def table_query(cls):
        Ageing = Pool().get('crm.receivable.ageing')
        customers, relation, joined = Ageing._customers_per_department()
        department = Transaction().context.get('department')
        grouped = cls._grouped(joined, customers, relation.department)
        return grouped.select(
            *[Column(grouped, n) for n in GROUPED_COLUMNS + ['overdue_ratio']],
            grouped.id.as_('department'),
            where=(grouped.id == department) if department
            else Literal(True))


class DoubleTen(_DaysOverdueMixin, _CurrencyMixin, ModelSQL, ModelView):
    """The "double ten" of the credit paper: in each department (each main
    sales unit), the ten largest and the ten oldest receivables on the day"""
    __name__ = 'crm.receivable.double_ten'
    __string__ = "Double Ten"

    department = fields.Many2One('crm.department', "Department")
    kind = fields.Selection([
            ('largest', "Largest"),
            ('oldest', "Oldest"),
            ], "Kind", sort=False,
        help="Among the ten largest receivables of the department, or its "
        "ten oldest overdue ones.")
    rank = fields.Integer("Rank")
    customer = fields.Many2One('party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    sales_rep = fields.Many2One('company.employee', "Sales Rep")
    balance = Monetary(
        "Receivable", currency='currency', digits='currency')
    overdue = Monetary("Overdue", currency='currency', digits='currency')
    oldest_due_date = fields.Date("Oldest Due Date")
    days_overdue = fields.Function(
        fields.Integer("Days Overdue"), 'get_days_overdue')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('department', 'ASC'), ('kind', 'ASC'), ('rank', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        Ageing = Pool().get('crm.receivable.ageing')
        customers, relation, joined = Ageing._customers_per_department()
        department = Transaction().context.get('department')
        where = (relation.department == department) if department else (
            Literal(True))
        ranked = Union(
            cls._ranked(joined, customers, relation, 'largest', 0,
                [customers.balance.desc], where & (customers.balance > 0)),
            cls._ranked(joined, customers, relation, 'oldest', 1,
                [customers.oldest_due_date.asc, customers.overdue.desc],
                where & (customers.oldest_due_date != Null)),
            all_=True)
        return ranked.select(
            *[Column(ranked, n) for n in [
                    'id', 'company', 'department', 'kind', 'rank',
                    'customer', 'sales_rep', 'balance', 'overdue',
                    'oldest_due_date']],
            where=ranked.rank <= DOUBLE_TEN)

    @classmethod
    def _ranked(
            cls, joined, customers, relation, kind, offset, order_by, where):
        # a customer of both departments is in the ten of each: the row is
        # his department's, whoever reads it
        return joined.select(
            (relation.id * 2 + offset).as_('id'),
            customers.company.as_('company'),
            relation.department.as_('department'),
            Literal(kind).as_('kind'),
            Rank(window=Window([relation.department], order_by=order_by)
                ).as_('rank'),
            customers.customer.as_('customer'),
            customers.sales_rep.as_('sales_rep'),
            customers.balance.as_('balance'),
            customers.overdue.as_('overdue'),
            customers.oldest_due_date.as_('oldest_due_date'),
            where=where)
