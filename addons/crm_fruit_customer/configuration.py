# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from decimal import Decimal

from sql import Column, Table
from sql.functions import CurrentTimestamp

from trytond import backend
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .scope import CheckedSingleton
from .visit import MAX_PLAN_WEEKS

# Columns of every table that are no value of a configuration
LOG_COLUMNS = {'id', 'create_uid', 'create_date', 'write_uid', 'write_date'}


class MergedSingletonsMixin:
    """A singleton that takes over the row of the singletons merged into it
    (the models listed in _merged_singletons) and drops their tables"""
    __slots__ = ()
    _merged_singletons = ()

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        cls._merge_singletons()

    @classmethod
    def _merge_singletons(cls):
        for name in cls._merged_singletons:
            cls._merge_singleton(name)

    @classmethod
    def _merge_singleton(cls, name):
        table_name = name.replace('.', '_')
        TableHandler = backend.TableHandler
        if not TableHandler.table_exist(table_name):
            return
        values = cls._singleton_values(Table(table_name))
        if values:
            cls._save_singleton_values(values)
        TableHandler.drop_table(name, table_name)

    @classmethod
    def _value_columns(cls):
        return {
            n for n, f in cls._fields.items()
            if f.sql_type() and not isinstance(f, fields.Function)
            } - LOG_COLUMNS

    @classmethod
    def _singleton_values(cls, table):
        "The values of the first row of table that are columns of cls"
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(order_by=[table.id.asc], limit=1))
        names = [c[0] for c in cursor.description]
        row = cursor.fetchone()
        if not row:
            return {}
        columns = cls._value_columns()
        return {n: v for n, v in zip(names, row) if n in columns}

    @classmethod
    def _save_singleton_values(cls, values):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(
                table.id, order_by=[table.id.asc], limit=1))
        row = cursor.fetchone()
        if row:
            cursor.execute(*table.update(
                    [Column(table, n) for n in values], list(values.values()),
                    where=table.id == row[0]))
        else:
            # the other columns take their default as if the form was saved
            values = {**cls._singleton_defaults(), **values}
            cursor.execute(*table.insert(
                    [Column(table, n) for n in values]
                    + [table.create_uid, table.create_date],
                    [list(values.values()) + [0, CurrentTimestamp()]]))

    @classmethod
    def _singleton_defaults(cls):
        return {
            n: cls._fields[n].sql_format(cls._defaults[n]())
            for n in cls._value_columns() if n in cls._defaults}


class Configuration(
        MergedSingletonsMixin, CheckedSingleton, ModelSingleton, ModelSQL,
        ModelView):
    __name__ = 'crm.configuration'
    __string__ = "CRM Configuration"
    _merged_singletons = (
        'crm.classification.configuration',
        'crm.visit.configuration',
        'crm.handover.configuration',
        )

    # Classification
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

    # Visits
    plan_weeks = fields.Integer(
        "Plan Weeks", required=True,
        domain=[('plan_weeks', '>', 0), ('plan_weeks', '<=', MAX_PLAN_WEEKS)],
        help="How many weeks ahead the scheduler plans visits.")
    visits_per_rep_year = fields.Integer(
        "Visits per Rep and Year", required=True,
        domain=[('visits_per_rep_year', '>', 0)],
        help="How many visits one sales rep makes in a year; "
        "the workload method divides the visits needed by it.")
    visits_per_day = fields.Integer(
        "Visits per Day", required=True,
        domain=[('visits_per_day', '>', 0)],
        help="How many face-to-face visits the plan gives a sales rep "
        "on one working day, all in one city.")
    calls_per_day = fields.Integer(
        "Calls per Day", required=True,
        domain=[('calls_per_day', '>', 0)],
        help="How many phone or video calls the plan gives a sales rep "
        "on one working day.")

    # Handover
    watch_days = fields.Integer(
        "Watch Days", required=True,
        domain=[('watch_days', '>', 0)],
        help="How many days the orders of transferred customers are "
        "compared with the same number of days before the transfer.")
    watch_drop = fields.Float(
        "Watch Drop", digits=(1, 4), required=True,
        domain=[('watch_drop', '>=', 0), ('watch_drop', '<=', 1)],
        help="The share by which the orders must fall to list the customer.")
    notify_customers = fields.Boolean(
        "Notify Customers",
        help="The default to e-mail customers about their new contact.")
    delegation_max_days = fields.Integer(
        "Maximum Delegation Days", required=True,
        domain=[('delegation_max_days', '>', 0)],
        help="The longest a delegation may last, in days.")

    # Credit
    key_customer_sales = fields.Numeric(
        "Key Customer Sales", digits=(16, 2),
        domain=['OR',
            ('key_customer_sales', '=', None),
            ('key_customer_sales', '>', 0),
            ],
        help="The sales of last year, in the company's currency, from which "
        "a customer is a key customer of the credit control, whose credit "
        "data is kept first. Empty: no customer is.")

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
    def default_plan_weeks(cls):
        return 4

    @classmethod
    def default_visits_per_day(cls):
        return 4

    @classmethod
    def default_calls_per_day(cls):
        return 12

    @classmethod
    def default_visits_per_rep_year(cls):
        # 4 visits a day on 220 working days
        return 880

    @classmethod
    def default_watch_days(cls):
        return 90

    @classmethod
    def default_watch_drop(cls):
        return 0.2

    @classmethod
    def default_notify_customers(cls):
        return True

    @classmethod
    def default_delegation_max_days(cls):
        return 90

    @classmethod
    def default_key_customer_sales(cls):
        return Decimal(1000000)

    @classmethod
    @ModelView.button
    def recompute(cls, configurations):
        pool = Pool()
        Party = pool.get('party.party')
        Party.classify_customers()
