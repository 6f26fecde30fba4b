# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
from decimal import Decimal

from sql import Column, Literal, Null

from trytond.model import ModelSingleton, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .scope import CheckedSingleton

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


class Configuration(
        CheckedSingleton, ModelSingleton, ModelSQL, ModelView):
    __name__ = 'crm.classification.configuration'
    __string__ = "Classification Configuration"

    window_months = fields.Integer(
        "Window", required=True,
        domain=[('window_months', '>', 0)],
        help="The number of months of sales that the classification "
        "looks at (the previous window of the same length is the base "
        "for growth and decline).")
    a_share = fields.Numeric(
        "A Share", digits=(1, 4), required=True,
        domain=[('a_share', '>', 0), ('a_share', '<=', 1)],
        help="The share of the value made by the A customers.")
    b_share = fields.Numeric(
        "B Share", digits=(1, 4), required=True,
        domain=[('b_share', '>=', Eval('a_share', 0)), ('b_share', '<=', 1)],
        help="The share of the value made by the A and B customers.")
    core_growth = fields.Numeric(
        "Core Growth", digits=(2, 4), required=True,
        help="The minimal growth of an A customer against the previous "
        "window to be a core customer.")
    decline_drop = fields.Numeric(
        "Decline Drop", digits=(1, 4), required=True,
        domain=[('decline_drop', '>', 0), ('decline_drop', '<=', 1)],
        help="A customer whose revenue drops by this share against the "
        "previous window enters decline.")
    gap_factor = fields.Numeric(
        "Gap Factor", digits=(3, 2), required=True,
        domain=[('gap_factor', '>', 0)],
        help="A customer without order for longer than this factor times "
        "his usual ordering interval enters decline.")
    exploration_months = fields.Integer(
        "Exploration Months", required=True,
        domain=[('exploration_months', '>=', 0)],
        help="A customer stays in exploration for this number of months "
        "after his first order.")
    formation_orders = fields.Integer(
        "Formation Orders", required=True,
        domain=[('formation_orders', '>=', 1)],
        help="The number of order days that ends exploration.")
    stability_months = fields.Integer(
        "Stability Months", required=True,
        domain=[('stability_months', '>=', 0)],
        help="The age of the relationship in months that reaches stability.")
    stability_orders = fields.Integer(
        "Stability Orders", required=True,
        domain=[('stability_orders', '>=', Eval('formation_orders', 1))],
        help="The number of order days that reaches stability.")
    user_orders = fields.Integer(
        "User Orders", required=True,
        domain=[('user_orders', '>=', 1)],
        help="The number of orders that makes an order customer a user.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'recompute': {
                    'icon': 'tryton-refresh',
                    },
                })

    @classmethod
    def default_window_months(cls):
        return 12

    @classmethod
    def default_a_share(cls):
        return Decimal('0.80')

    @classmethod
    def default_b_share(cls):
        return Decimal('0.95')

    @classmethod
    def default_core_growth(cls):
        return Decimal('0.10')

    @classmethod
    def default_decline_drop(cls):
        return Decimal('0.30')

    @classmethod
    def default_gap_factor(cls):
        return Decimal('2')

    @classmethod
    def default_exploration_months(cls):
        return 3

    @classmethod
    def default_formation_orders(cls):
        return 2

    @classmethod
    def default_stability_months(cls):
        return 12

    @classmethod
    def default_stability_orders(cls):
        return 6

    @classmethod
    def default_user_orders(cls):
        return 2

    @classmethod
    @ModelView.button
    def recompute(cls, configurations):
        pool = Pool()
        Party = pool.get('party.party')
        Party.classify_customers()


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
        cursor = transaction.connection.cursor()
        snapshot = cls.__table__()
        party = Party.__table__()
        period = date.replace(day=1)
        cursor.execute(*snapshot.delete(
                where=(snapshot.company == company)
                & (snapshot.period == period)))
        names = [n for n in CLASSIFICATION_FIELDS if n not in {
                'classification_revenue', 'classification_orders'}]
        columns = [Column(snapshot, n) for n in names]
        values = [Column(party, n) for n in names]
        cursor.execute(*snapshot.insert(
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
