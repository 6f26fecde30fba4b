# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval
from trytond.transaction import Transaction

from .archive_input import InputCheckMixin
from .classification import (
    CLASSIFICATION_FIELDS, LIFECYCLE_STAGES, PIPELINE_CLASSES, VALUE_CLASSES,
    PartyClassificationMixin)
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

# The fewest digits of a phone number the customer search matches
PHONE_DIGITS = 4


class Party(
        PartyClassificationMixin, EmbeddedListsMixin, InputCheckMixin,
        metaclass=PoolMeta):
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
    def search_rec_name(cls, name, clause):
        domain = super().search_rec_name(name, clause)
        _, operator, operand, *extra = clause
        digits = ''.join(filter(str.isdigit, operand)) if isinstance(
            operand, str) else ''
        if operator in {'like', 'ilike'} and len(digits) >= PHONE_DIGITS:
            # A caller gives his number with spaces or dashes, or its end
            domain = ['OR', domain, ('contact_mechanisms.value_compact',
                    'like', '%' + digits + '%')]
        return domain

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
