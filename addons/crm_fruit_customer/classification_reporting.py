# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from dateutil.relativedelta import relativedelta
from sql import Column, Literal, Null, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Rank, Round
from sql.operators import IsDistinct, Or

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .classification import LIFECYCLE_STAGES, PIPELINE_CLASSES, VALUE_CLASSES
from .reporting_context import DepartmentContextMixin, PeriodContextMixin
from .scope import rule_query


class _Context(DepartmentContextMixin, ModelView):
    "Company and department of the classification analyses"
    __slots__ = ()


class _SnapshotContext(_Context):
    __slots__ = ()

    period = fields.Date(
        "Period", required=True,
        help="The month of the snapshot to analyse.")

    @classmethod
    def default_period(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        context = Transaction().context
        if context.get('period'):
            return context['period']
        return _snapshot_period() or Date.today().replace(day=1)


def _snapshot_period(before=None):
    "The month of the latest snapshot of the company (before a month)"
    pool = Pool()
    Snapshot = pool.get('crm.classification.snapshot')
    snapshot = Snapshot.__table__()
    cursor = Transaction().connection.cursor()
    where = snapshot.company == Transaction().context.get('company', -1)
    if before:
        where &= snapshot.period < before
    cursor.execute(*snapshot.select(Max(snapshot.period), where=where))
    period, = cursor.fetchone()
    if isinstance(period, str):  # SQLite returns the aggregate as text
        period = dt.date.fromisoformat(period)
    return period


class Context(_SnapshotContext):
    __name__ = 'crm.classification.context'
    __string__ = "Classification Analysis Context"


class MovementContext(_SnapshotContext):
    __name__ = 'crm.classification.movement.context'
    __string__ = "Classification Movement Context"

    compare_period = fields.Date(
        "Compare With", required=True,
        domain=[
            If(Eval('period') & Eval('compare_period'),
                ('compare_period', '<', Eval('period')),
                ()),
            ],
        help="The month of the earlier snapshot for the movement.\n"
        "Without an earlier snapshot every customer shows as new.")

    @classmethod
    def default_compare_period(cls):
        context = Transaction().context
        if context.get('compare_period'):
            return context['compare_period']
        period = cls.default_period()
        return (_snapshot_period(before=period)
            or period - relativedelta(months=1))


class RankingContext(PeriodContextMixin, _Context):
    __name__ = 'crm.classification.ranking.context'
    __string__ = "Customer Ranking Context"

    limit = fields.Integer(
        "Top", domain=['OR', ('limit', '=', None), ('limit', '>', 0)],
        help="The number of customers ranked first to show.\n"
        "Leave empty for every customer.")

    @classmethod
    def default_limit(cls):
        return Transaction().context.get('limit', 20)


class _ReportingMixin:
    __slots__ = ()

    @classmethod
    def _period(cls, name):
        period = Transaction().context.get(name)
        if isinstance(period, dt.date):
            return period.replace(day=1)

    @classmethod
    def _department_where(cls, party):
        "Restrict party to the customers of the department of the context"
        pool = Pool()
        PartyDepartment = pool.get('party.party-crm.department')
        department = Transaction().context.get('department')
        if not department:
            return Literal(True)
        relation = PartyDepartment.__table__()
        return party.in_(relation.select(
                relation.party,
                where=relation.department == department))

    def get_selection_label(self, name):
        "The translated label of the selection field name without _label"
        return getattr(self, name[:-len('_label')] + '_string')

    @classmethod
    def _readable_where(cls, party):
        "Restrict party to the customers the user can read"
        if (readable := rule_query('party.party')) is None:
            return Literal(True)
        return party.in_(readable)


class Stage(_ReportingMixin, ModelSQL, ModelView):
    __name__ = 'crm.classification.stage'
    __string__ = "Customers per Lifecycle Stage"

    company = fields.Many2One('company.company', "Company")
    lifecycle_stage = fields.Selection(LIFECYCLE_STAGES, "Lifecycle Stage")
    lifecycle_stage_string = lifecycle_stage.translated('lifecycle_stage')
    lifecycle_stage_label = fields.Function(
        fields.Char("Lifecycle Stage"), 'get_selection_label')
    value_class = fields.Selection(VALUE_CLASSES, "Value Class")
    customers = fields.Integer("Customers")
    core_customers = fields.Integer("Core Customers")
    revenue = fields.Numeric("Revenue", digits=(16, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('lifecycle_stage', 'ASC'),
            ('value_class', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Snapshot = pool.get('crm.classification.snapshot')
        snapshot = Snapshot.__table__()
        context = Transaction().context
        return snapshot.select(
            Min(snapshot.id).as_('id'),
            snapshot.company.as_('company'),
            snapshot.lifecycle_stage.as_('lifecycle_stage'),
            snapshot.value_class.as_('value_class'),
            Count(snapshot.id).as_('customers'),
            Sum(Case((snapshot.core_customer, 1), else_=0)).as_(
                'core_customers'),
            Sum(Coalesce(snapshot.revenue, 0)).as_('revenue'),
            where=(snapshot.company == context.get('company'))
            & (snapshot.period == cls._period('period'))
            & (snapshot.lifecycle_stage != Null)
            & cls._department_where(snapshot.party)
            & cls._readable_where(snapshot.party),
            group_by=[snapshot.company,
                snapshot.lifecycle_stage, snapshot.value_class])


class Movement(_ReportingMixin, ModelSQL, ModelView):
    __name__ = 'crm.classification.movement'
    __string__ = "Classification Movement"

    company = fields.Many2One('company.company', "Company")
    party = fields.Many2One('party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    previous_value_class = fields.Selection(
        VALUE_CLASSES, "Previous Value Class")
    value_class = fields.Selection(VALUE_CLASSES, "Value Class")
    previous_lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES, "Previous Lifecycle Stage")
    lifecycle_stage = fields.Selection(LIFECYCLE_STAGES, "Lifecycle Stage")
    lifecycle_stage_string = lifecycle_stage.translated('lifecycle_stage')
    lifecycle_stage_label = fields.Function(
        fields.Char("Lifecycle Stage"), 'get_selection_label')
    previous_pipeline_class = fields.Selection(
        PIPELINE_CLASSES, "Previous Pipeline Class")
    pipeline_class = fields.Selection(PIPELINE_CLASSES, "Pipeline Class")
    previous_revenue = fields.Numeric("Previous Revenue", digits=(16, 2))
    revenue = fields.Numeric("Revenue", digits=(16, 2))
    fell_from_a = fields.Boolean("Fell from A")
    entered_decline = fields.Boolean("Entered Decline")
    customers = fields.Integer("Customers")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('revenue', 'DESC NULLS LAST'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Snapshot = pool.get('crm.classification.snapshot')
        current = Snapshot.__table__()
        previous = Snapshot.__table__()
        context = Transaction().context
        fell_from_a = ((previous.value_class == 'A')
            & IsDistinct(current.value_class, 'A'))
        entered_decline = ((current.lifecycle_stage == 'decline')
            & IsDistinct(previous.lifecycle_stage, 'decline'))
        changed = Or([
                IsDistinct(current.value_class, previous.value_class),
                IsDistinct(current.lifecycle_stage, previous.lifecycle_stage),
                IsDistinct(current.pipeline_class, previous.pipeline_class),
                ])
        return (current
            .join(previous, 'LEFT',
                condition=(previous.party == current.party)
                & (previous.company == current.company)
                & (previous.period == cls._period('compare_period')))
            .select(
                current.id.as_('id'),
                current.company.as_('company'),
                current.party.as_('party'),
                previous.value_class.as_('previous_value_class'),
                current.value_class.as_('value_class'),
                previous.lifecycle_stage.as_('previous_lifecycle_stage'),
                current.lifecycle_stage.as_('lifecycle_stage'),
                previous.pipeline_class.as_('previous_pipeline_class'),
                current.pipeline_class.as_('pipeline_class'),
                previous.revenue.as_('previous_revenue'),
                current.revenue.as_('revenue'),
                Case((fell_from_a, True), else_=False).as_('fell_from_a'),
                Case((entered_decline, True), else_=False).as_(
                    'entered_decline'),
                Literal(1).as_('customers'),
                where=(current.company == context.get('company'))
                & (current.period == cls._period('period'))
                & changed
                & cls._department_where(current.party)
                & cls._readable_where(current.party)))


class Ranking(_ReportingMixin, ModelSQL, ModelView):
    __name__ = 'crm.classification.ranking'
    __string__ = "Customer Ranking"

    company = fields.Many2One('company.company', "Company")
    customer = fields.Many2One('party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    rank = fields.Integer("Rank", help="The rank by amount.")
    transactions = fields.Integer(
        "Transactions", help="The number of sales.")
    amount = fields.Numeric("Amount", digits=(16, 2))
    receipts = fields.Numeric(
        "Receipts", digits=(16, 2),
        help="The total of the paid customer invoices of the period.")
    cost = fields.Numeric(
        "Cost", digits=(16, 2),
        help="The quantities sold at the current cost price of the products.")
    profit = fields.Numeric("Gross Profit", digits=(16, 2))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('rank', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        ranking = cls._ranking()
        limit = Transaction().context.get('limit')
        return ranking.select(*[Column(ranking, n) for n in [
                    'id', 'company', 'customer', 'rank', 'transactions',
                    'amount', 'receipts', 'cost', 'profit']],
            where=(ranking.rank <= limit) if isinstance(limit, int)
            else Literal(True))

    @classmethod
    def _ranking(cls):
        sales = cls._sales()
        receipts = cls._receipts()
        amount = Coalesce(sales.amount, 0)
        return (sales
            .join(receipts, 'LEFT', condition=receipts.party == sales.party)
            .select(
                sales.party.as_('id'),
                sales.company.as_('company'),
                sales.party.as_('customer'),
                Rank(window=Window([], order_by=[amount.desc])).as_('rank'),
                sales.transactions.as_('transactions'),
                amount.as_('amount'),
                Coalesce(receipts.amount, 0).as_('receipts'),
                sales.cost.as_('cost'),
                (amount - sales.cost).as_('profit'),
                ))

    @classmethod
    def _where_dates(cls, column):
        context = Transaction().context
        where = Literal(True)
        if context.get('from_date'):
            where &= column >= context['from_date']
        if context.get('to_date'):
            where &= column <= context['to_date']
        return where

    @classmethod
    def _sales(cls):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        CostPrice = pool.get('product.cost_price')
        Party = pool.get('party.party')
        sale = Sale.__table__()
        line = Line.__table__()
        cost_price = CostPrice.__table__()
        company = Transaction().context.get('company')
        quantity = cls.amount.sql_cast(
            Party._classification_quantity(sale, line))
        return (line
            .join(sale, condition=line.sale == sale.id)
            .join(cost_price, 'LEFT',
                condition=(cost_price.product == line.product)
                & (cost_price.company == sale.company))
            .select(
                sale.party.as_('party'),
                sale.company.as_('company'),
                Count(sale.id, distinct=True).as_('transactions'),
                Round(Sum(quantity * line.unit_price), 2).as_('amount'),
                Round(Sum(Coalesce(quantity * cost_price.cost_price, 0)),
                    2).as_('cost'),
                where=sale.state.in_(Party._classification_sale_states())
                & (sale.company == company)
                & (line.type == 'line')
                & cls._where_dates(sale.sale_date)
                & cls._department_where(sale.party)
                & cls._readable_where(sale.party),
                group_by=[sale.party, sale.company]))

    @classmethod
    def _receipts(cls):
        pool = Pool()
        Invoice = pool.get('account.invoice')
        invoice = Invoice.__table__()
        company = Transaction().context.get('company')
        return invoice.select(
            invoice.party.as_('party'),
            Sum(invoice.total_amount_cache).as_('amount'),
            where=(invoice.type == 'out')
            & (invoice.state == 'paid')
            & (invoice.company == company)
            & cls._where_dates(invoice.invoice_date),
            group_by=[invoice.party])
