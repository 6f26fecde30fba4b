# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from sql import Null, Table
from sql.aggregate import Max

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.modules.company.model import employee_field, set_employee
from trytond.modules.crm_fruit_customer.holiday import FESTIVALS
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .access import check_created_defaults, check_workflow_fields
from .exceptions import CareError
from .sla import CARE_HOLIDAY_TABLE, merge_into_holidays

SALE_STATES = ['confirmed', 'processing', 'done']
GOODS_SATISFACTION = [
    (None, ""),
    ('5', "Very Satisfied"),
    ('4', "Satisfied"),
    ('3', "Neutral"),
    ('2', "Unsatisfied"),
    ('1', "Very Unsatisfied"),
    ]


class Rule(DeactivableMixin, ModelSQL, ModelView):
    "A reason to contact customers before they ask"
    __name__ = 'service.care.rule'

    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection([
            ('after_delivery', "After Delivery"),
            ('season_start', "Season Start"),
            ('holiday', "Before Holiday"),
            ('quiet_customer', "Quiet Good Customer"),
            ], "Kind", required=True)
    days = fields.Integer(
        "Days", required=True, domain=[('days', '>=', 0)],
        help="After delivery: days after the delivery.\n"
        "Season start and holiday: days before the date.\n"
        "Quiet customer: days without an order.")
    holiday_kind = fields.Selection(
        FESTIVALS, "Holiday",
        states={
            'invisible': Eval('kind') != 'holiday',
            'required': Eval('kind') == 'holiday',
            })
    season_month = fields.Integer(
        "Season Month", domain=['OR',
            ('season_month', '=', None),
            [('season_month', '>=', 1), ('season_month', '<=', 12)],
            ],
        states={
            'invisible': Eval('kind') != 'season_start',
            'required': Eval('kind') == 'season_start',
            })
    season_day = fields.Integer(
        "Season Day", domain=['OR',
            ('season_day', '=', None),
            [('season_day', '>=', 1), ('season_day', '<=', 28)],
            ],
        states={
            'invisible': Eval('kind') != 'season_start',
            'required': Eval('kind') == 'season_start',
            })
    product_categories = fields.Many2Many(
        'service.care.rule-product.category', 'rule', 'category',
        "Product Categories",
        states={
            'invisible': Eval('kind') != 'season_start',
            },
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="The customers who bought these products in the last year.")
    value_classes = fields.Char(
        "Value Classes",
        states={
            'invisible': Eval('kind') != 'quiet_customer',
            },
        help="The value classes of a good customer, e.g. \"A B\"; "
        "a customer not classified yet counts as good.")
    department = fields.Many2One(
        'crm.department', "Department",
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ],
        help="Limit the rule to the customers of the department.")
    employee = fields.Many2One(
        'company.employee', "Service Employee",
        domain=[
            ('company', '=', Eval('company', -1)),
            ],
        help="Takes the task when the customer has no sales rep.")
    description = fields.Text(
        "Description", translate=True,
        help="What the employee should do, copied on each task.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'generate_tasks': {
                    'icon': 'tryton-launch',
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_days(cls):
        return 7

    @classmethod
    def default_value_classes(cls):
        return 'A B'

    @classmethod
    def cron_generate(cls):
        pool = Pool()
        Company = pool.get('company.company')
        for company in Company.search([]):
            with Transaction().set_context(company=company.id):
                cls.generate(cls.search([('company', '=', company.id)]))

    @classmethod
    @ModelView.button
    def generate_tasks(cls, rules):
        cls.generate(rules)

    @classmethod
    def generate(cls, rules, date=None):
        """Create the care tasks due at date that do not exist yet;
        running it twice creates nothing new"""
        pool = Pool()
        Date = pool.get('ir.date')
        Task = pool.get('service.care.task')
        if date is None:
            date = Date.today()
        tasks = []
        for rule in rules:
            occasions = getattr(rule, f'_occasions_{rule.kind}')(date)
            tasks.extend(rule._new_tasks(occasions, date))
        Task.save(tasks)
        return tasks

    def _new_tasks(self, occasions, date):
        "Return tasks for the (party id, key) occasions not yet planned"
        pool = Pool()
        Task = pool.get('service.care.task')
        Party = pool.get('party.party')
        occasions = self._filter_parties(occasions)
        if not occasions:
            return []
        task = Task.__table__()
        cursor = Transaction().connection.cursor()
        existing = set()
        for sub_ids in grouped_slice({p for p, _ in occasions},
                backend.MAX_QUERY_PARAMS):
            cursor.execute(*task.select(task.party, task.key,
                    where=(task.rule == self.id)
                    & reduce_ids(task.party, sub_ids)))
            existing.update(cursor)
        parties = {p.id: p for p in Party.browse({p for p, _ in occasions})}
        return [Task(
                company=self.company, rule=self, party=parties[party],
                key=key, date=date, employee=self._employee(parties[party]),
                description=self.description,
                shipment=self._occasion_shipment(key))
            for party, key in sorted(set(occasions) - existing)]

    @staticmethod
    def _occasion_shipment(key):
        "The shipment an after-delivery task is about, from its occasion"
        if key.startswith('shipment:'):
            return int(key.split(':', 1)[1])

    def _filter_parties(self, occasions):
        pool = Pool()
        Party = pool.get('party.party')
        if not occasions:
            return occasions
        domain = [('id', 'in', list({p for p, _ in occasions}))]
        if self.department and 'departments' in Party._fields:
            domain.append(('departments', '=', self.department.id))
        if (self.kind == 'quiet_customer' and self.value_classes
                and 'value_class' in Party._fields):
            # A customer not classified yet counts as good
            domain.append(['OR',
                    ('value_class', 'in', self.value_classes.split()),
                    ('value_class', '=', None),
                    ])
        allowed = {p.id for p in Party.search(domain)}
        return [(p, k) for p, k in occasions if p in allowed]

    def _employee(self, party):
        return getattr(party, 'sales_rep', None) or self.employee

    def _occasions_after_delivery(self, date):
        "Shipments delivered days ago; a week of margin for missed runs"
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        delivered = date - dt.timedelta(days=self.days)
        shipments = Shipment.search([
                ('company', '=', self.company.id),
                ('state', '=', 'done'),
                ('effective_date', '<=', delivered),
                ('effective_date', '>', delivered - dt.timedelta(days=7)),
                ])
        return [(s.customer.id, f'shipment:{s.id}') for s in shipments]

    def _occasions_season_start(self, date):
        pool = Pool()
        Line = pool.get('sale.line')
        for year in [date.year, date.year + 1]:
            start = dt.date(year, self.season_month, self.season_day)
            if start - dt.timedelta(days=self.days) <= date <= start:
                break
        else:
            return []
        categories = [c.id for c in self.product_categories]
        lines = Line.search([
                ('sale.company', '=', self.company.id),
                ('sale.state', 'in', SALE_STATES),
                ('sale.sale_date', '>', date - dt.timedelta(days=365)),
                ('product.categories', 'in', categories),
                ])
        return list({(l.sale.party.id, f'season:{year}') for l in lines})

    def _occasions_holiday(self, date):
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        holidays = Holiday.search([
                ('kind', '=', 'holiday'),
                ('festival', '=', self.holiday_kind),
                ('date', '>=', date),
                ('date', '<=', date + dt.timedelta(days=self.days)),
                ])
        if not holidays:
            return []
        customers = self._recent_customers(date - dt.timedelta(days=365))
        return [(p, f'holiday:{h.id}') for h in holidays for p in customers]

    def _occasions_quiet_customer(self, date):
        "Customers whose last order is days old; one task per silence"
        pool = Pool()
        Sale = pool.get('sale.sale')
        sale = Sale.__table__()
        cursor = Transaction().connection.cursor()
        last = Max(sale.sale_date)
        cursor.execute(*sale.select(sale.party, last,
                where=(sale.company == self.company.id)
                & sale.state.in_(SALE_STATES) & (sale.sale_date != Null),
                group_by=[sale.party],
                having=last <= date - dt.timedelta(days=self.days)))
        return [(party, f'quiet:{last}') for party, last in cursor]

    def _recent_customers(self, since):
        pool = Pool()
        Sale = pool.get('sale.sale')
        sale = Sale.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*sale.select(sale.party,
                where=(sale.company == self.company.id)
                & sale.state.in_(SALE_STATES) & (sale.sale_date > since),
                group_by=[sale.party]))
        return [p for p, in cursor]


class RuleProductCategory(ModelSQL):
    __name__ = 'service.care.rule-product.category'

    rule = fields.Many2One(
        'service.care.rule', "Rule", required=True, ondelete='CASCADE')
    category = fields.Many2One(
        'product.category', "Category", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('rule')


class Task(Workflow, ModelSQL, ModelView):
    "A planned contact with a customer"
    __name__ = 'service.care.task'

    _states = {
        'readonly': Eval('state') != 'open',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    rule = fields.Many2One(
        'service.care.rule', "Rule", readonly=True, ondelete='RESTRICT',
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    key = fields.Char(
        "Occasion", readonly=True,
        help="What the task is for; a rule plans one task per customer "
        "and occasion.")
    party = fields.Many2One(
        'party.party', "Customer", required=True, states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    date = fields.Date("Date", required=True, states=_states)
    employee = fields.Many2One(
        'company.employee', "Employee", states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    description = fields.Text("Description", states=_states)
    shipment = fields.Many2One(
        'stock.shipment.out', "Shipment", readonly=True,
        ondelete='RESTRICT',
        help="The delivery an after-delivery call is about.")
    receipt_confirmed = fields.Boolean(
        "Receipt Confirmed",
        states={
            'invisible': ~Eval('shipment'),
            'readonly': Eval('state') != 'open',
            },
        help="The customer confirmed on the call that he received the "
        "goods as the contract says.")
    goods_satisfaction = fields.Selection(
        GOODS_SATISFACTION, "Satisfaction with the Goods", sort=False,
        states={
            'invisible': ~Eval('shipment'),
            'readonly': Eval('state') != 'open',
            },
        help="What the customer answered when asked how satisfied he is "
        "with the goods delivered.")
    result = fields.Text("Result",
        states={
            'readonly': Eval('state') == 'cancelled',
            })
    done_by = employee_field("Done By", states=['done', 'cancelled'])
    state = fields.Selection([
            ('open', "Open"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('rule_party_key_unique', Unique(t, t.rule, t.party, t.key),
                'crm_fruit_service.msg_care_task_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    (t.date, Index.Range())),
                Index(t, (t.employee, Index.Equality())),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'done'),
            ('open', 'cancelled'),
            ('done', 'open'),
            ('cancelled', 'open'),
            }
        cls._buttons.update({
                'open': {
                    'invisible': Eval('state') == 'open',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'do': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'open',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//group[@id="after_delivery"]', 'states', {
                    'invisible': ~Eval('shipment'),
                    }),
            ]

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        if backend.TableHandler.table_exist(CARE_HOLIDAY_TABLE):
            cls._migrate_care_holidays()

    @classmethod
    def _migrate_care_holidays(cls):
        "Move the festival days into crm.holiday, the keys of tasks follow"
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        ModelData = pool.get('ir.model.data')
        cursor = Transaction().connection.cursor()
        old = Table(CARE_HOLIDAY_TABLE)
        cursor.execute(*old.select(
                old.id, old.date, old.name, old.kind,
                order_by=[old.date, old.kind]))
        rows = cursor.fetchall()
        merge_into_holidays(
            (d, n, 'holiday', k) for _, d, n, k in rows)
        holiday = Holiday.__table__()
        cursor.execute(*holiday.select(holiday.date, holiday.id))
        new_ids = {str(d): i for d, i in cursor.fetchall()}
        task = cls.__table__()
        for old_id, date, _, _ in rows:
            cursor.execute(*task.update([task.key],
                    [f'holiday:{new_ids[str(date)]}'],
                    where=task.key == f'holiday:{old_id}'))
        model_data = ModelData.__table__()
        cursor.execute(*model_data.delete(
                where=model_data.model == 'service.care.holiday'))
        backend.TableHandler.drop_table(
            'service.care.holiday', CARE_HOLIDAY_TABLE)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'open'

    @classmethod
    def copy(cls, tasks, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('rule')
        default.setdefault('key')
        default.setdefault('done_by')
        default.setdefault('shipment')
        default.setdefault('receipt_confirmed')
        default.setdefault('goods_satisfaction')
        return super().copy(tasks, default=default)

    @classmethod
    def check_modification(cls, mode, tasks, values=None, external=False):
        super().check_modification(
            mode, tasks, values=values, external=external)
        if external and mode == 'create':
            check_created_defaults(cls, tasks, {
                    'state': ('open',), 'done_by': (None,),
                    'shipment': (None,)})
        elif external and mode == 'write':
            check_workflow_fields(cls, tasks, values,
                {'state', 'done_by', 'rule', 'key', 'shipment'})

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, tasks):
        cls.write(tasks, {'done_by': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    @set_employee('done_by')
    def do(cls, tasks):
        for task in tasks:
            task.check_after_delivery_answers()

    def check_after_delivery_answers(self):
        "The call after a delivery asks for the receipt and satisfaction"
        if self.shipment and self.goods_satisfaction is None:
            raise CareError(gettext(
                    'crm_fruit_service.msg_care_task_goods_satisfaction',
                    customer=self.party.rec_name,
                    shipment=self.shipment.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, tasks):
        pass
