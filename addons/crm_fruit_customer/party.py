# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Column, Literal, Null, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Extract, Rank, Round
from sql.operators import IsDistinct, Or

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .archive_input import InputCheckMixin
from .classification import (
    CLASSIFICATION_FIELDS, LIFECYCLE_STAGES, PIPELINE_CLASSES, VALUE_CLASSES)
from .email_dns import apply_dns_setting
from .embedded_view import EmbeddedListsMixin
from .exceptions import (
    ArchiveInputError, KeyAccountContactError, RegisteredCapitalError)
from .scope import CustomerScopeMixin, check_system_fields

apply_dns_setting()

CUSTOMER_TYPES = [
    (None, ""),
    ('wholesaler', "Wholesaler"),
    ('supermarket', "Supermarket Chain"),
    ('importer', "Importer"),
    ('processor', "Processor"),
    ('distributor', "Distributor"),
    ('catering', "Catering"),
    ('individual', "Individual"),
    ]
CUSTOMER_SOURCES = [
    (None, ""),
    ('hotline', "Hotline"),
    ('website', "Website / Portal"),
    ('exhibition', "Exhibition / Event"),
    ('referral', "Referral"),
    ('rep', "Rep Development"),
    ('media', "Media"),
    ]
FINANCIAL_STATUSES = [
    (None, ""),
    ('sound', "Sound"),
    ('stable', "Stable"),
    ('tight', "Tight"),
    ('distressed', "Distressed"),
    ]
# Larger than any company's capital or yearly figure, small enough to show
AMOUNT_MAX = Decimal('1E15')


class Party(EmbeddedListsMixin, InputCheckMixin, metaclass=PoolMeta):
    __name__ = 'party.party'

    departments = fields.Many2Many(
        'party.party-crm.department', 'party', 'department', "Departments",
        help="The fruit and/or vegetable departments serving the customer.")
    customer_type = fields.Selection(
        CUSTOMER_TYPES, "Customer Type", sort=False)
    legal_representative = fields.Char("Legal Representative")
    registered_capital = fields.Numeric(
        "Registered Capital", digits='registered_capital_currency')
    registered_capital_currency = fields.Many2One(
        'currency.currency', "Registered Capital Currency",
        states={
            'required': Bool(Eval('registered_capital')),
            })
    business_scope = fields.Text("Business Scope")
    customer_source = fields.Selection(
        CUSTOMER_SOURCES, "Source", sort=False,
        help="How the customer first came to the company.")
    export_markets = fields.Many2Many(
        'party.party.export_market', 'party', 'country', "Export Markets",
        help="The countries the customer sells our products to.")
    sales_rep = fields.Many2One(
        'company.employee', "Sales Rep",
        help="The employee responsible for the customer.")
    second_contact = fields.Many2One(
        'company.employee', "Second Contact",
        help="A second employee in contact, required for key accounts.")
    key_account = fields.Boolean(
        "Key Account",
        help="Chosen by hand: the customer keeps two employees in contact, "
        "the sales rep and a second contact. "
        "Not the Core Customer, which the classification computes.")
    yearly_results = fields.One2Many(
        'party.yearly_result', 'party', "Yearly Results")
    archive_changes = fields.One2Many(
        'party.archive_change', 'party', "Major Changes")
    crm_contacts = fields.One2Many('crm.contact', 'party', "Contact Log")
    last_contact_date = fields.Date(
        "Last Contact", readonly=True,
        help="The date of the latest entry of the contact log.")

    # Classification: computed from sales by classify_customers
    value_class = fields.Selection(
        VALUE_CLASSES, "Value Class", readonly=True,
        help="Computed from sales: A for the customers that make the first "
        "80 % of the revenue of the window, B for the next 15 %, C for the "
        "rest. Not the Intent Grade, which the sales rep sets.")
    profit_class = fields.Selection(
        VALUE_CLASSES, "Profit Class", readonly=True,
        help="The same split by gross profit, when product costs exist.")
    core_customer = fields.Boolean(
        "Core Customer", readonly=True,
        help="Computed from sales: an A customer whose revenue grows. "
        "Not the Key Account, which is chosen by hand.")
    rfm_recency = fields.Integer(
        "Recency Score", readonly=True,
        help="1 to 5 by quintile, 5 for the most recent orders.")
    rfm_frequency = fields.Integer(
        "Frequency Score", readonly=True,
        help="1 to 5 by quintile, 5 for the most orders in the window.")
    rfm_monetary = fields.Integer(
        "Monetary Score", readonly=True,
        help="1 to 5 by quintile, 5 for the highest revenue in the window.")
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES, "Lifecycle Stage", readonly=True,
        help="The stage of the relationship derived from the order history.")
    pipeline_class = fields.Selection(
        PIPELINE_CLASSES, "Pipeline Class", readonly=True,
        help="How far the customer went: lead, opportunity, order, "
        "repeated orders.")
    classification_revenue = fields.Numeric(
        "Window Revenue", digits=(16, 2), readonly=True,
        help="The revenue of the classification window.")
    classification_orders = fields.Integer(
        "Window Orders", readonly=True,
        help="The number of sales of the classification window.")

    # Visit schedules
    grade = fields.Many2One(
        'crm.customer.grade', "Intent Grade", ondelete='RESTRICT',
        help="Set by the sales rep: how strong the customer's intent to buy "
        "is, which sets how often he is visited. "
        "Not the Value Class, which the classification computes from sales.")
    main_product_categories = fields.Many2Many(
        'party.party-main-product.category', 'party', 'category',
        "Main Products",
        help="The product categories the customer mainly buys; "
        "their season raises his visit frequency.")
    visits = fields.One2Many(
        'crm.visit', 'party', "Visits", readonly=True,
        order=[('date', 'DESC'), ('time', 'DESC'), ('id', 'DESC')])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.grade, Index.Equality())))

    @classmethod
    def default_key_account(cls):
        return False

    @classmethod
    def default_core_customer(cls):
        return False

    @classmethod
    def default_departments(cls):
        pool = Pool()
        Department = pool.get('crm.department')
        if employee := cls._default_crm_employee():
            return [d.id for d in Department.search([
                        ('members', '=', employee),
                        ])]
        return []

    @classmethod
    def default_sales_rep(cls):
        return cls._default_crm_employee()

    @classmethod
    def default_registered_capital_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        if company := Transaction().context.get('company'):
            return Company(company).currency.id

    @classmethod
    def _default_crm_employee(cls):
        "Return the employee of a CRM user to fill in new customers"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        employee = Transaction().context.get('employee')
        if not employee:
            return
        crm_groups = {
            ModelData.get_id('crm_fruit_customer', 'group_crm_sales_rep'),
            ModelData.get_id(
                'crm_fruit_customer', 'group_crm_department_manager'),
            }
        if crm_groups & set(User.get_groups()):
            return employee

    @classmethod
    def view_attributes(cls):
        # A link button costs the web client a blocking call at the first
        # display of the form in a session (and one count per tab of its
        # action): the documents of a customer open from the relate menu.
        return super().view_attributes() + [
            ("/form/group[@id='links']/link", 'states', {'invisible': True}),
            ]

    @classmethod
    def _system_fields(cls):
        "Return the names of the fields that only the system writes"
        return {'last_contact_date'} | set(CLASSIFICATION_FIELDS)

    @classmethod
    def check_modification(cls, mode, parties, values=None, external=False):
        super().check_modification(
            mode, parties, values=values, external=external)
        if external:
            check_system_fields(
                cls, mode, parties, values, cls._system_fields())

    @classmethod
    def _input_sizes(cls):
        return super()._input_sizes() | {
            'name': 200,
            'legal_representative': 100,
            'business_scope': 4000,
            }

    @classmethod
    def _input_bounds(cls):
        return super()._input_bounds() | {
            'registered_capital': (None, AMOUNT_MAX),
            }

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        name = values.get('name')
        if isinstance(name, str) and not name.strip():
            raise ArchiveInputError(gettext(
                    'crm_fruit_customer.msg_party_name_required'))
        return values

    @classmethod
    def validate_fields(cls, parties, field_names):
        super().validate_fields(parties, field_names)
        cls.check_customer_name(parties, field_names)
        cls.check_key_account(parties, field_names)
        cls.check_registered_capital(parties, field_names)

    @classmethod
    def check_customer_name(cls, parties, field_names=None):
        "Other parties may go without a name as in core, customers not"
        if field_names and not (
                field_names & {'name', 'sales_rep', 'departments'}):
            return
        for party in parties:
            if ((party.sales_rep or party.departments)
                    and not (party.name or '').strip()):
                raise ArchiveInputError(gettext(
                        'crm_fruit_customer.msg_party_name_required'))

    @classmethod
    def check_key_account(cls, parties, field_names=None):
        if field_names and not (
                field_names & {'key_account', 'sales_rep', 'second_contact'}):
            return
        for party in parties:
            if (party.key_account
                    and (not party.sales_rep
                        or not party.second_contact
                        or party.sales_rep == party.second_contact)):
                raise KeyAccountContactError(gettext(
                        'crm_fruit_customer'
                        '.msg_party_key_account_two_contacts',
                        party=party.rec_name))

    @classmethod
    def check_registered_capital(cls, parties, field_names=None):
        if field_names and 'registered_capital' not in field_names:
            return
        for party in parties:
            if party.registered_capital and party.registered_capital < 0:
                raise RegisteredCapitalError(gettext(
                        'crm_fruit_customer'
                        '.msg_party_registered_capital_positive',
                        party=party.rec_name))

    @classmethod
    def _archive_change_fields(cls):
        "Return the names of the fields whose change is a major change"
        return {
            'name', 'legal_representative', 'registered_capital',
            'sales_rep', 'second_contact',
            }

    def _archive_values(self, names):
        values = {}
        for name in names:
            value = getattr(self, name)
            if isinstance(value, ModelSQL):
                value = value.rec_name
            values[name] = value
        return values

    @classmethod
    def on_write(cls, parties, values):
        callbacks = super().on_write(parties, values)
        names = cls._archive_change_fields() & values.keys()
        if not names:
            return callbacks
        before = {p.id: p._archive_values(names) for p in parties}

        def record_changes():
            pool = Pool()
            ArchiveChange = pool.get('party.archive_change')
            changes = []
            for party in cls.browse(list(before)):
                changes.extend(ArchiveChange.from_values(
                        party, before[party.id],
                        party._archive_values(names)))
            ArchiveChange.save(changes)
        return callbacks + [record_changes]

    @classmethod
    def copy(cls, parties, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('crm_contacts')
        default.setdefault('archive_changes')
        default.setdefault('last_contact_date')
        default.setdefault('visits')
        for name in CLASSIFICATION_FIELDS:
            default.setdefault(name, None)
        default['core_customer'] = False
        return super().copy(parties, default=default)

    @classmethod
    def read(cls, ids, fields_names):
        result = super().read(ids, fields_names)
        Pool().get('crm.archive.access').record_read(ids, fields_names)
        return result

    @classmethod
    def export_data(cls, records, fields_names, header=False):
        data = super().export_data(records, fields_names, header=header)
        Pool().get('crm.archive.access').record('exports', records)
        return data

    # Classification (its configuration, snapshots and analyses are in
    # classification.py and classification_reporting.py)
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
        transaction = Transaction()
        party = cls.__table__()
        query = cls._classification_query(date, company)
        columns = [Column(party, n) for n in CLASSIFICATION_FIELDS]
        values = [Column(query, n) for n in CLASSIFICATION_FIELDS]
        changed = Or([IsDistinct(c, v) for c, v in zip(columns, values)])
        transaction.connection.cursor().execute(*party.update(
                columns, values, from_=[query],
                where=(party.id == query.party) & changed))
        transaction.counter += 1
        for cache in transaction.cache.values():
            if cls.__name__ in cache:
                cache[cls.__name__].clear()

    @classmethod
    def _classification_sale_states(cls):
        return ['confirmed', 'processing', 'done']

    @classmethod
    def _classification_window(cls, date):
        "Return the start of the window and of the previous window"
        pool = Pool()
        Configuration = pool.get('crm.classification.configuration')
        months = Configuration(1).window_months
        start = (date - relativedelta(months=months)
            + datetime.timedelta(days=1))
        return start, start - relativedelta(months=months)

    @classmethod
    def _value_thresholds(cls):
        pool = Pool()
        Configuration = pool.get('crm.classification.configuration')
        config = Configuration(1)
        return {
            'a': config.a_share,
            'b': config.b_share,
            'growth': config.core_growth,
            }

    @classmethod
    def _lifecycle_thresholds(cls):
        pool = Pool()
        Configuration = pool.get('crm.classification.configuration')
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
        Configuration = pool.get('crm.classification.configuration')
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


class PartyDepartment(CustomerScopeMixin, ModelSQL):
    __name__ = 'party.party-crm.department'
    __string__ = "Party - CRM Department"

    party = fields.Many2One(
        'party.party', "Party", ondelete='CASCADE', required=True)
    department = fields.Many2One(
        'crm.department', "Department", ondelete='CASCADE', required=True)


class PartyExportMarket(CustomerScopeMixin, ModelSQL):
    __name__ = 'party.party.export_market'
    __string__ = "Party Export Market"

    party = fields.Many2One(
        'party.party', "Party", ondelete='CASCADE', required=True)
    country = fields.Many2One(
        'country.country', "Country", ondelete='CASCADE', required=True)


class YearlyResult(
        InputCheckMixin, CustomerScopeMixin, ModelSQL, ModelView):
    __name__ = 'party.yearly_result'
    __string__ = "Party Yearly Result"

    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE')
    year = fields.Integer("Year", required=True)
    currency = fields.Many2One('currency.currency', "Currency", required=True)
    revenue = fields.Numeric("Revenue", digits='currency')
    profit = fields.Numeric("Profit", digits='currency')
    financial_status = fields.Selection(
        FINANCIAL_STATUSES, "Financial Status", sort=False)
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')
        t = cls.__table__()
        cls._sql_constraints = [
            ('party_year_unique', Unique(t, t.party, t.year),
                'crm_fruit_customer.msg_yearly_result_unique'),
            ]
        cls._order.insert(0, ('year', 'DESC'))

    @classmethod
    def _input_sizes(cls):
        return super()._input_sizes() | {'notes': 4000}

    @classmethod
    def _input_bounds(cls):
        return super()._input_bounds() | {
            'year': (1900, 9999),
            'revenue': (-AMOUNT_MAX, AMOUNT_MAX),
            'profit': (-AMOUNT_MAX, AMOUNT_MAX),
            }

    @classmethod
    def default_currency(cls):
        pool = Pool()
        Company = pool.get('company.company')
        if company := Transaction().context.get('company'):
            return Company(company).currency.id


class ArchiveChange(CustomerScopeMixin, ModelSQL, ModelView):
    __name__ = 'party.archive_change'
    __string__ = "Party Major Change"

    party = fields.Many2One(
        'party.party', "Party", required=True, ondelete='CASCADE')
    date = fields.DateTime("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)
    description = fields.Text(
        "Description", required=True,
        states={
            'readonly': Eval('id', -1) >= 0,
            })

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('party')
        cls._order.insert(0, ('date', 'DESC'))

    @classmethod
    def default_date(cls):
        return datetime.datetime.now()

    @classmethod
    def default_user(cls):
        return Transaction().user

    @classmethod
    def from_values(cls, party, before, after):
        "Yield a change for each value that differs between before and after"
        field_strings = party.fields_get(list(after))
        for name in sorted(after):
            if before.get(name) != after[name]:
                yield cls(
                    party=party,
                    description=gettext(
                        'crm_fruit_customer.msg_archive_change_description',
                        field=field_strings[name]['string'],
                        old=_format(before.get(name)),
                        new=_format(after[name])))


def _format(value):
    return '-' if value is None or value == '' else str(value)


class Replace(metaclass=PoolMeta):
    __name__ = 'party.replace'

    @classmethod
    def fields_to_replace(cls):
        return super().fields_to_replace() + [
            ('crm.contact', 'party'),
            ('party.archive_change', 'party'),
            ]


class Erase(metaclass=PoolMeta):
    __name__ = 'party.erase'

    def to_erase(self, party_id):
        pool = Pool()
        Party = pool.get('party.party')
        Contact = pool.get('crm.contact')
        ArchiveChange = pool.get('party.archive_change')
        return super().to_erase(party_id) + [
            (Party, [('id', '=', party_id)], True,
                ['legal_representative', 'business_scope'],
                [None, None]),
            (Contact, [('party', '=', party_id)], True,
                ['contact_person', 'notes'],
                [None, None]),
            (ArchiveChange, [('party', '=', party_id)], True,
                ['description'],
                ['****']),
            ]
