# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from dateutil.relativedelta import relativedelta
from sql import Column, Literal, Null, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Extract, Rank, Round
from sql.operators import IsDistinct, Or

from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .direct_write import (
    execute_delete, execute_insert, execute_update, written)

VALUE_CLASSES = [
    (None, ""),
    ('A', "A"),
    ('B', "B"),
    ('C', "C"),
    ]
LIFECYCLE_STAGES = [
    (None, ""),
    ('exploration', "Exploration"),
    ('formation', "Formation"),
    ('stability', "Stability"),
    ('decline', "Decline"),
    ]
PIPELINE_CLASSES = [
    (None, ""),
    ('to_identify', "To Identify"),
    ('potential', "Potential"),
    ('opportunity', "Opportunity"),
    ('order_customer', "Order Customer"),
    ('user', "User"),
    ]
# The party columns a recompute writes, in the order of the query.
CLASSIFICATION_FIELDS = [
    'value_class', 'profit_class', 'core_customer',
    'rfm_recency', 'rfm_frequency', 'rfm_monetary',
    'lifecycle_stage', 'pipeline_class',
    'classification_revenue', 'classification_orders',
    ]


class PartyClassificationMixin:
    """How party.party computes its classification from the sales: value
    (ABC, core customer, profit quintile), relationship stage and pipeline
    class, once a month (its fields are in party.py)"""
    __slots__ = ()

    @classmethod
    def classify_customers(cls, date=None):
        "Recompute the classification of every party and take the snapshot"
        pool = Pool()
        Date = pool.get('ir.date')
        Snapshot = pool.get('crm.classification.snapshot')
        Company = pool.get('company.company')
        transaction = Transaction()
        company = transaction.context.get('company')
        if not company:
            # A cron without companies runs once without company context.
            for company in Company.search([]):
                with transaction.set_context(company=company.id):
                    cls.classify_customers(date=date)
            return
        if date is None:
            date = Date.today()
            if not Snapshot.search([('company', '=', company)], limit=1):
                # A first snapshot, of a month ago, to compare with
                cls.classify_customers(date=date - relativedelta(months=1))
        cls._classify_parties(date, company)
        Snapshot.take(date, company)

    @classmethod
    def _classify_parties(cls, date, company):
        party = cls.__table__()
        query = cls._classification_query(date, company)
        columns = [Column(party, n) for n in CLASSIFICATION_FIELDS]
        values = [Column(query, n) for n in CLASSIFICATION_FIELDS]
        changed = Or([IsDistinct(c, v) for c, v in zip(columns, values)])
        ids = execute_update(party,
            party.update(columns, values, from_=[query],
                where=(party.id == query.party) & changed),
            party.join(query, condition=party.id == query.party).select(
                party.id, where=changed))
        written(cls, 'write', ids, CLASSIFICATION_FIELDS)

    @classmethod
    def _classification_sale_states(cls):
        return ['confirmed', 'processing', 'done']

    @classmethod
    def _classification_window(cls, date):
        "Return the start of the window and of the previous window"
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        months = Configuration(1).window_months
        start = (date - relativedelta(months=months)
            + dt.timedelta(days=1))
        return start, start - relativedelta(months=months)

    @classmethod
    def _value_thresholds(cls):
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        config = Configuration(1)
        return {
            'a': config.a_share,
            'b': config.b_share,
            'growth': config.core_growth,
            }

    @classmethod
    def _lifecycle_thresholds(cls):
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        config = Configuration(1)
        return {
            'drop': config.decline_drop,
            'gap': config.gap_factor,
            'exploration_months': config.exploration_months,
            'formation_orders': config.formation_orders,
            'stability_months': config.stability_months,
            'stability_orders': config.stability_orders,
            }

    @classmethod
    def _pipeline_thresholds(cls):
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        return {
            'user_orders': Configuration(1).user_orders,
            }

    @classmethod
    def _classification_query(cls, date, company):
        party = cls.__table__()
        orders = cls._classification_orders(date, company)
        values = cls._classification_values(date, company)
        opportunities = cls._classification_opportunities(company)
        return (party
            .join(orders, 'LEFT', condition=orders.party == party.id)
            .join(values, 'LEFT', condition=values.party == party.id)
            .join(opportunities, 'LEFT',
                condition=opportunities.party == party.id)
            .select(
                party.id.as_('party'),
                values.value_class.as_('value_class'),
                values.profit_class.as_('profit_class'),
                Coalesce(values.core_customer, False).as_('core_customer'),
                values.rfm_recency.as_('rfm_recency'),
                values.rfm_frequency.as_('rfm_frequency'),
                values.rfm_monetary.as_('rfm_monetary'),
                cls._lifecycle_stage_column(
                    date, orders, values, opportunities).as_(
                    'lifecycle_stage'),
                cls._pipeline_class_column(orders, opportunities).as_(
                    'pipeline_class'),
                values.revenue.as_('classification_revenue'),
                values.orders.as_('classification_orders'),
                ))

    @classmethod
    def _classification_orders(cls, date, company):
        "Per party: first and last order date, order days and orders"
        pool = Pool()
        Sale = pool.get('sale.sale')
        sale = Sale.__table__()
        return sale.select(
            sale.party.as_('party'),
            Min(sale.sale_date).as_('first_date'),
            Max(sale.sale_date).as_('last_date'),
            Count(sale.sale_date, distinct=True).as_('order_days'),
            Count(sale.id).as_('orders'),
            where=sale.state.in_(cls._classification_sale_states())
            & (sale.company == company)
            & (sale.sale_date <= date),
            group_by=[sale.party])

    @classmethod
    def _classification_lines(cls, date, company):
        "Per party: revenue and cost of the window and the previous one"
        pool = Pool()
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        CostPrice = pool.get('product.cost_price')
        sale = Sale.__table__()
        line = Line.__table__()
        cost_price = CostPrice.__table__()
        start, previous = cls._classification_window(date)

        quantity = cls.classification_revenue.sql_cast(
            cls._classification_quantity(sale, line))
        amount = quantity * line.unit_price
        cost = quantity * cost_price.cost_price
        current = sale.sale_date >= start

        def total(expression):
            return Round(Sum(expression), 2)
        return (line
            .join(sale, condition=line.sale == sale.id)
            .join(cost_price, 'LEFT',
                condition=(cost_price.product == line.product)
                & (cost_price.company == sale.company))
            .select(
                sale.party.as_('party'),
                total(Case((current, amount), else_=0)).as_('revenue'),
                total(Case((~current, amount), else_=0)).as_('previous'),
                total(Case((current, Coalesce(cost, 0)), else_=0)).as_('cost'),
                Count(Case((current, sale.id), else_=Null), distinct=True
                    ).as_('orders'),
                Max(Case((current, sale.sale_date), else_=Null)).as_(
                    'last_date'),
                where=sale.state.in_(cls._classification_sale_states())
                & (sale.company == company)
                & (line.type == 'line')
                & (sale.sale_date >= previous)
                & (sale.sale_date <= date),
                group_by=[sale.party]))

    @classmethod
    def _classification_quantity(cls, sale, line):
        # Until a sale is done its actual quantity only counts what is
        # already shipped or invoiced: the customer ordered the quantity.
        return Case(
            (sale.state == 'done',
                Coalesce(line.actual_quantity, line.quantity)),
            else_=line.quantity)

    @classmethod
    def _classification_values(cls, date, company):
        "Per party active in the window: ABC, core and RFM"
        lines = cls._classification_lines(date, company)
        thresholds = cls._value_thresholds()
        profit = lines.revenue - lines.cost
        positive = Case((profit > 0, profit), else_=0)
        value_class = cls._abc_column(lines.revenue, lines.party, thresholds)
        profit_class = Case(
            (Sum(lines.cost, window=Window([])) == 0, Null),
            (positive <= 0, 'C'),
            else_=cls._abc_column(positive, lines.party, thresholds))
        growth = lines.previous * (1 + thresholds['growth'])
        core = Case(
            ((value_class == 'A') & (lines.revenue >= growth), True),
            else_=False)
        return lines.select(
            lines.party.as_('party'),
            value_class.as_('value_class'),
            profit_class.as_('profit_class'),
            core.as_('core_customer'),
            cls._quintile_column(lines.last_date).as_('rfm_recency'),
            cls._quintile_column(lines.orders).as_('rfm_frequency'),
            cls._quintile_column(lines.revenue).as_('rfm_monetary'),
            lines.revenue.as_('revenue'),
            lines.previous.as_('previous'),
            lines.orders.as_('orders'),
            where=lines.revenue > 0)

    @classmethod
    def _abc_column(cls, value, party, thresholds):
        cumulative = Sum(value, window=Window([],
                order_by=[value.desc, party.asc],
                frame='ROWS', start=None, end=0))
        total = Sum(value, window=Window([]))
        before = cumulative - value
        return Case(
            (before < total * thresholds['a'], 'A'),
            (before < total * thresholds['b'], 'B'),
            else_='C')

    @classmethod
    def _quintile_column(cls, value):
        # By rank and not NTILE so that equal values get equal scores.
        rank = Rank(window=Window([], order_by=[value.asc]))
        return (rank - 1) * 5 / Count(Literal(1), window=Window([])) + 1

    @classmethod
    def _classification_opportunities(cls, company):
        pool = Pool()
        Opportunity = pool.get('sale.opportunity')
        opportunity = Opportunity.__table__()
        return opportunity.select(
            opportunity.party.as_('party'),
            Max(Case((opportunity.state.in_(
                            ['opportunity', 'converted', 'won']), 1),
                    else_=0)).as_('opportunity'),
            where=(opportunity.party != Null)
            & (opportunity.company == company),
            group_by=[opportunity.party])

    @classmethod
    def _lifecycle_stage_column(cls, date, orders, values, opportunities):
        t = cls._lifecycle_thresholds()
        start, _ = cls._classification_window(date)
        today, first, last = (
            Extract('EPOCH', d) for d in [
                Literal(date), orders.first_date, orders.last_date])
        revenue = Coalesce(values.revenue, 0)
        decline = ((orders.last_date < start)
            | ((values.previous > 0)
                & (revenue <= values.previous * (1 - t['drop'])))
            | ((orders.order_days >= 2)
                & ((orders.order_days - 1) * (today - last)
                    > (last - first) * t['gap'])))
        return Case(
            ((orders.party == Null) & (opportunities.party != Null),
                'exploration'),
            (orders.party == Null, Null),
            (decline, 'decline'),
            ((orders.order_days < t['formation_orders'])
                | (orders.first_date > date - relativedelta(
                        months=t['exploration_months'])),
                'exploration'),
            ((orders.order_days < t['stability_orders'])
                | (orders.first_date > date - relativedelta(
                        months=t['stability_months'])),
                'formation'),
            else_='stability')

    @classmethod
    def _pipeline_class_column(cls, orders, opportunities):
        t = cls._pipeline_thresholds()
        return Case(
            (orders.orders >= t['user_orders'], 'user'),
            (orders.orders >= 1, 'order_customer'),
            (opportunities.opportunity == 1, 'opportunity'),
            (opportunities.party != Null, 'potential'),
            else_='to_identify')


class Snapshot(ModelSQL, ModelView):
    __name__ = 'crm.classification.snapshot'
    __string__ = "Classification Snapshot"

    period = fields.Date("Period", required=True, readonly=True,
        help="The first day of the month of the snapshot.")
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    party = fields.Many2One(
        'party.party', "Customer", required=True, readonly=True,
        ondelete='CASCADE',
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    value_class = fields.Selection(
        VALUE_CLASSES, "Value Class", readonly=True)
    profit_class = fields.Selection(
        VALUE_CLASSES, "Profit Class", readonly=True)
    core_customer = fields.Boolean("Core Customer", readonly=True)
    rfm_recency = fields.Integer("Recency Score", readonly=True)
    rfm_frequency = fields.Integer("Frequency Score", readonly=True)
    rfm_monetary = fields.Integer("Monetary Score", readonly=True)
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES, "Lifecycle Stage", readonly=True)
    pipeline_class = fields.Selection(
        PIPELINE_CLASSES, "Pipeline Class", readonly=True)
    revenue = fields.Numeric("Revenue", digits=(16, 2), readonly=True)
    orders = fields.Integer("Orders", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('period_party_unique',
                Unique(t, t.company, t.period, t.party),
                'crm_fruit_customer.msg_classification_snapshot_unique'),
            ]
        cls._order = [('period', 'DESC'), ('party', 'ASC'), ('id', 'ASC')]

    @classmethod
    def take(cls, date, company):
        "Replace the snapshot of the month of date by the current classes"
        pool = Pool()
        Party = pool.get('party.party')
        transaction = Transaction()
        snapshot = cls.__table__()
        party = Party.__table__()
        period = date.replace(day=1)
        execute_delete(cls, snapshot,
            (snapshot.company == company) & (snapshot.period == period))
        names = [n for n in CLASSIFICATION_FIELDS if n not in {
                'classification_revenue', 'classification_orders'}]
        columns = [Column(snapshot, n) for n in names]
        values = [Column(party, n) for n in names]
        ids = execute_insert(snapshot, snapshot.insert(
                columns=[snapshot.create_uid, snapshot.create_date,
                    snapshot.company, snapshot.period, snapshot.party,
                    snapshot.revenue, snapshot.orders, *columns],
                values=party.select(
                    Literal(transaction.user),
                    Literal(dt.datetime.now()),
                    Literal(company), Literal(period), party.id,
                    party.classification_revenue,
                    party.classification_orders, *values,
                    where=party.active
                    & (party.pipeline_class != Null))))
        written(cls, 'create', ids)
