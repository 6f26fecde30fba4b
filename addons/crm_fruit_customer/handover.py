# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
from collections import defaultdict
from email.message import EmailMessage

from sql import Literal, Null
from sql.aggregate import Count, Sum
from sql.conditionals import Case, Coalesce

import trytond.config as config
from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import (
    ModelSingleton, ModelSQL, ModelView, Workflow, fields)
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval, If
from trytond.sendmail import send_message_transactional
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .exceptions import (
    DelegationConfirmedError, DelegationDateError, DelegationDurationError,
    DelegationScopeError, EmployeeOwnerError, EmployeeOwnerWarning,
    HandoverScopeError, HandoverSuccessorError)
from .scope import (
    CheckedSingleton, check_created_state, check_system_fields, in_group)

KINDS = [
    ('transfer', "Transfer"),
    ('delegation', "Delegation"),
    ]


class Configuration(
        CheckedSingleton, ModelSingleton, ModelSQL, ModelView):
    __name__ = 'crm.handover.configuration'
    __string__ = "Handover Configuration"

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


class Delegation(Workflow, ModelSQL, ModelView):
    __name__ = 'crm.delegation'
    __string__ = "Delegation"

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    employee = fields.Many2One(
        'company.employee', "Delegator", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))],
        help="The absent employee whose customers are delegated.")
    delegate = fields.Many2One(
        'company.employee', "Delegate", required=True, states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('id', '!=', Eval('employee', -1)),
            ],
        help="The employee who looks after the customers meanwhile.")
    start_date = fields.Date(
        "Start Date", required=True, states=_states,
        domain=[
            If(Eval('end_date'),
                ('start_date', '<=', Eval('end_date')),
                ()),
            ])
    end_date = fields.Date(
        "End Date", required=True,
        states={
            'readonly': ~Eval('state').in_(['draft', 'confirmed']),
            },
        domain=[
            If(Eval('start_date'),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ],
        help="The last day of the delegation; access ends after it.")
    state = fields.Selection([
            ('draft', "Draft"),
            ('confirmed', "Confirmed"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states
    _delegators_cache = Cache('crm.delegation.delegators', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('start_date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'confirmed'),
            ('draft', 'cancelled'),
            ('confirmed', 'cancelled'),
            ('confirmed', 'done'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'depends': ['state'],
                    },
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'confirmed']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    def get_rec_name(self, name):
        return '%s → %s (%s – %s)' % (
            self.employee.rec_name, self.delegate.rec_name,
            self.start_date, self.end_date)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('employee.rec_name', operator, operand, *extra),
            ('delegate.rec_name', operator, operand, *extra),
            ]

    @classmethod
    def default_start_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def validate_fields(cls, delegations, field_names):
        super().validate_fields(delegations, field_names)
        cls.check_dates(delegations, field_names)
        cls.check_duration(delegations, field_names)
        cls.check_scope(delegations, field_names)

    @classmethod
    def check_duration(cls, delegations, field_names=None):
        pool = Pool()
        Configuration = pool.get('crm.handover.configuration')
        if field_names and not (field_names & {'start_date', 'end_date'}):
            return
        maximum = Configuration(1).delegation_max_days
        for delegation in delegations:
            days = (delegation.end_date - delegation.start_date).days + 1
            if days > maximum:
                raise DelegationDurationError(gettext(
                        'crm_fruit_customer.msg_delegation_too_long',
                        delegation=delegation.rec_name, days=days,
                        maximum=maximum))

    @classmethod
    def check_scope(cls, delegations, field_names=None):
        """A department manager delegates only the members of his departments
        who are not managers themselves; nobody delegates to himself"""
        pool = Pool()
        Department = pool.get('crm.department')
        User = pool.get('res.user')
        if field_names and not (field_names & {'employee', 'delegate'}):
            return
        for delegation in delegations:
            if delegation.employee == delegation.delegate:
                raise DelegationScopeError(gettext(
                        'crm_fruit_customer.msg_delegation_same_employee',
                        delegation=delegation.rec_name))
        if in_group('group_crm_manager'):
            return
        members = Department.managed_members(User.get_employees())
        managers = Department.managers()
        for delegation in delegations:
            employee = delegation.employee
            if employee.id not in members or employee.id in managers:
                raise DelegationScopeError(gettext(
                        'crm_fruit_customer.msg_delegation_scope',
                        employee=employee.rec_name))

    @classmethod
    def check_modification(cls, mode, delegations, values=None, external=False):
        super().check_modification(
            mode, delegations, values=values, external=external)
        if external and mode == 'create':
            check_created_state(cls, delegations, 'draft')
        elif external and mode == 'write':
            check_system_fields(cls, mode, delegations, values, {'state'})
        if mode == 'write':
            cls.check_confirmed_change(delegations, values)
        elif mode == 'delete':
            for delegation in delegations:
                if delegation.state not in {'draft', 'cancelled'}:
                    raise DelegationConfirmedError(gettext(
                            'crm_fruit_customer.msg_delegation_delete',
                            delegation=delegation.rec_name))

    @classmethod
    def check_confirmed_change(cls, delegations, values):
        "After confirmation the end date may only be brought forward"
        frozen = {'company', 'employee', 'delegate', 'start_date'}
        for delegation in delegations:
            if delegation.state == 'draft':
                continue
            end_date = values.get('end_date', delegation.end_date)
            if (frozen & values.keys()
                    or end_date > delegation.end_date):
                raise DelegationConfirmedError(gettext(
                        'crm_fruit_customer.msg_delegation_confirmed_change',
                        delegation=delegation.rec_name))

    @classmethod
    def check_dates(cls, delegations, field_names=None):
        if field_names and not (field_names & {'start_date', 'end_date'}):
            return
        for delegation in delegations:
            if delegation.end_date < delegation.start_date:
                raise DelegationDateError(gettext(
                        'crm_fruit_customer.msg_delegation_dates',
                        delegation=delegation.rec_name))

    @classmethod
    def on_modification(cls, mode, delegations, field_names=None):
        super().on_modification(mode, delegations, field_names=field_names)
        cls._delegators_cache.clear()

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, delegations):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    def confirm(cls, delegations):
        cls.check_scope(delegations)
        cls.check_duration(delegations)
        cls.log_confirmed(delegations)

    @classmethod
    def log_confirmed(cls, delegations):
        "Record the confirmed delegations in the handover log"
        pool = Pool()
        Log = pool.get('crm.handover.log')
        Date = pool.get('ir.date')
        today = Date.today()
        Log.save([Log(
                    company=d.company, date=today, kind='delegation',
                    employee=d.employee, successor=d.delegate,
                    delegation=d, notified=0)
                for d in delegations])

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, delegations):
        pass

    @classmethod
    @Workflow.transition('done')
    def do(cls, delegations):
        pass

    @classmethod
    def close_expired(cls):
        "Mark as done the confirmed delegations whose end date has passed"
        today = Pool().get('ir.date').today()
        cls.do(cls.search([
                    ('state', '=', 'confirmed'),
                    ('end_date', '<', today),
                    ]))

    @classmethod
    def delegators(cls, employees, date=None):
        """Return the ids of the employees who delegate to employees on date

        The date is part of the key, so a delegation stops granting access the
        day after its end date without anything having to close it."""
        if not employees:
            return ()
        if date is None:
            date = Pool().get('ir.date').today()
        key = (tuple(sorted(employees)), date.isoformat())
        delegators = cls._delegators_cache.get(key)
        if delegators is not None:
            return delegators
        # SQL, not search: the rule context is computed inside domain_get
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.employee,
                where=table.delegate.in_(list(employees))
                & (table.state == 'confirmed')
                & (table.start_date <= date)
                & (table.end_date >= date),
                group_by=[table.employee]))
        delegators = tuple(sorted(e for e, in cursor))
        return cls._delegators_cache.set(key, delegators)


class Log(ModelSQL, ModelView):
    __name__ = 'crm.handover.log'
    __string__ = "Handover Log"

    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    date = fields.Date("Date", required=True, readonly=True)
    kind = fields.Selection(KINDS, "Kind", required=True, readonly=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, readonly=True)
    successor = fields.Many2One(
        'company.employee', "Successor", required=True, readonly=True)
    delegation = fields.Many2One(
        'crm.delegation', "Delegation", readonly=True,
        states={
            'invisible': Eval('kind') != 'delegation',
            })
    lines = fields.One2Many(
        'crm.handover.log.line', 'log', "Lines", readonly=True)
    parties = fields.One2Many(
        'crm.handover.log.party', 'log', "Customers", readonly=True)
    notified = fields.Integer(
        "Notified", readonly=True,
        help="The number of customers informed by e-mail.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('date', 'DESC'))

    def get_rec_name(self, name):
        return '%s → %s (%s)' % (
            self.employee.rec_name, self.successor.rec_name, self.date)


class LogLine(ModelSQL, ModelView):
    __name__ = 'crm.handover.log.line'
    __string__ = "Handover Log Line"

    log = fields.Many2One(
        'crm.handover.log', "Log", required=True, ondelete='CASCADE')
    model = fields.Selection('get_models', "Document", readonly=True)
    field = fields.Char("Field Name", readonly=True)
    field_label = fields.Function(
        fields.Char("Field"), 'get_field_label')
    count = fields.Integer("Count", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('log')

    @classmethod
    def get_models(cls):
        return Pool().get('ir.model').get_name_items()

    def get_field_label(self, name):
        "Return the label of the field in the user's language"
        try:
            Model = Pool().get(self.model)
        except KeyError:
            return self.field
        definition = Model.fields_get([self.field]).get(self.field)
        return definition['string'] if definition else self.field


class LogParty(ModelSQL, ModelView):
    __name__ = 'crm.handover.log.party'
    __string__ = "Handover Log Customer"

    log = fields.Many2One(
        'crm.handover.log', "Log", required=True, ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE')
    watch_start = fields.Date(
        "Watch Start", required=True,
        help="The first day of the period before the handover.")
    handover_date = fields.Date("Handover Date", required=True)
    watch_end = fields.Date(
        "Watch End", required=True,
        help="The last day the customer is watched.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('log')


class WatchContext(ModelView):
    __name__ = 'crm.handover.watch.context'
    __string__ = "Handover Watch Context"

    company = fields.Many2One('company.company', "Company", required=True)
    date = fields.Date(
        "Date", required=True,
        help="Show the customers watched on this day.")
    all_ = fields.Boolean(
        "All", help="Show also the customers whose orders did not drop.")

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()


class Watch(ModelSQL, ModelView):
    __name__ = 'crm.handover.watch'
    __string__ = "Handed-over Customer Watch"

    company = fields.Many2One('company.company', "Company")
    party = fields.Many2One(
        'party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    employee = fields.Many2One('company.employee', "Previous Employee")
    successor = fields.Many2One('company.employee', "Successor")
    handover_date = fields.Date("Handover Date")
    watch_end = fields.Date("Watch End")
    orders_before = fields.Integer("Orders Before")
    orders_after = fields.Integer("Orders After")
    amount_before = fields.Numeric("Amount Before", digits=(16, 2))
    amount_after = fields.Numeric("Amount After", digits=(16, 2))
    drop = fields.Function(
        fields.Float("Drop", digits=(1, 4)), 'get_drop')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('handover_date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Configuration = pool.get('crm.handover.configuration')
        tables = cls._tables()
        columns = cls._columns(tables)
        keys = [
            'id', 'company', 'party', 'employee', 'successor',
            'handover_date', 'watch_end']
        query = cls._from_item(tables).select(
            *(c.as_(n) for n, c in columns.items()),
            where=cls._where(tables),
            group_by=[columns[k] for k in keys])
        if not Transaction().context.get('all_'):
            drop = Literal(1 - Configuration(1).watch_drop)
            query.having = (
                columns['amount_after'] < columns['amount_before'] * drop)
        return query

    @classmethod
    def _tables(cls):
        pool = Pool()
        return {
            'log_party': pool.get('crm.handover.log.party').__table__(),
            'log': pool.get('crm.handover.log').__table__(),
            'sale': pool.get('sale.sale').__table__(),
            'line': pool.get('sale.line').__table__(),
            }

    @classmethod
    def _from_item(cls, tables):
        log_party, log = tables['log_party'], tables['log']
        sale, line = tables['sale'], tables['line']
        before, after = cls._periods(tables)
        return (log_party
            .join(log, condition=log_party.log == log.id)
            .join(sale, 'LEFT', condition=(sale.party == log_party.party)
                & (sale.company == log.company)
                & sale.state.in_(cls._sale_states())
                & (before | after))
            .join(line, 'LEFT', condition=(line.sale == sale.id)
                & (line.type == 'line')))

    @classmethod
    def _periods(cls, tables):
        """Return the conditions of a sale before and after the handover

        Both periods are as long as the time elapsed since the handover up to
        the watch date, so that early in the watch a customer is not compared
        with more days of orders than he has had since."""
        log_party, sale = tables['log_party'], tables['sale']
        date = cls._watch_date()
        before = ((sale.sale_date >= cls._before_start(tables, date))
            & (sale.sale_date < log_party.handover_date))
        after = ((sale.sale_date >= log_party.handover_date)
            & (sale.sale_date <= date))
        return before, after

    @classmethod
    def _before_start(cls, tables, date):
        "Return the start of the period before, per handover date"
        log_party = tables['log_party']
        cursor = Transaction().connection.cursor()
        cursor.execute(*log_party.select(log_party.handover_date,
                where=(log_party.handover_date <= date)
                & (log_party.watch_end >= date),
                group_by=[log_party.handover_date]))
        whens = [
            (log_party.handover_date == h, h - (date - h) - dt.timedelta(1))
            for h, in cursor]
        if not whens:
            return log_party.watch_start
        return Case(*whens, else_=log_party.watch_start)

    @classmethod
    def _columns(cls, tables):
        log_party, log = tables['log_party'], tables['log']
        sale, line = tables['sale'], tables['line']
        before, after = cls._periods(tables)
        amount = Coalesce(line.quantity, 0) * Coalesce(line.unit_price, 0)
        return {
            'id': log_party.id,
            'company': log.company,
            'party': log_party.party,
            'employee': log.employee,
            'successor': log.successor,
            'handover_date': log_party.handover_date,
            'watch_end': log_party.watch_end,
            'orders_before': Count(
                Case((before, sale.id), else_=Null), distinct=True),
            'orders_after': Count(
                Case((after, sale.id), else_=Null), distinct=True),
            'amount_before': Sum(Case((before, amount), else_=0)),
            'amount_after': Sum(Case((after, amount), else_=0)),
            }

    @classmethod
    def _where(cls, tables):
        "Select the customers watched on the watch date"
        log_party, log = tables['log_party'], tables['log']
        date = cls._watch_date()
        return ((log.company == Transaction().context.get('company', -1))
            & (log_party.handover_date <= date)
            & (log_party.watch_end >= date))

    @classmethod
    def _watch_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        return Transaction().context.get('date') or Date.today()

    @classmethod
    def _sale_states(cls):
        return ['confirmed', 'processing', 'done']

    def get_drop(self, name):
        if self.amount_before:
            return float(
                (self.amount_before - (self.amount_after or 0))
                / self.amount_before)


class HandoverStart(ModelView):
    __name__ = 'crm.handover.start'
    __string__ = "Handover Start"

    company = fields.Many2One('company.company', "Company", required=True)
    employee = fields.Many2One(
        'company.employee', "Employee", required=True,
        domain=[('company', '=', Eval('company', -1))],
        help="The employee who leaves or is absent.")
    kind = fields.Selection(KINDS, "Kind", required=True,
        help="Transfer moves everything for good; delegation gives access "
        "for a period.")
    successor = fields.Many2One(
        'company.employee', "Successor", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('id', '!=', Eval('employee', -1)),
            ])
    start_date = fields.Date(
        "Start Date",
        domain=[
            If(Eval('start_date') & Eval('end_date'),
                ('start_date', '<=', Eval('end_date')),
                ()),
            ],
        states={
            'required': Eval('kind') == 'delegation',
            'invisible': Eval('kind') != 'delegation',
            })
    end_date = fields.Date(
        "End Date",
        domain=[
            If(Eval('start_date') & Eval('end_date'),
                ('end_date', '>=', Eval('start_date')),
                ()),
            ],
        states={
            'required': Eval('kind') == 'delegation',
            'invisible': Eval('kind') != 'delegation',
            })
    notify = fields.Boolean(
        "Notify Customers",
        help="Send each customer with an e-mail address a notice.")
    summary = fields.Text("Summary", readonly=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_kind(cls):
        return 'transfer'

    @classmethod
    def default_start_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_notify(cls):
        Configuration = Pool().get('crm.handover.configuration')
        return Configuration(1).notify_customers

    @fields.depends('employee')
    def on_change_with_summary(self):
        pool = Pool()
        Handover = pool.get('crm.handover', type='wizard')
        if self.employee:
            return '\n'.join(
                Handover.describe(Handover.owned(self.employee)))


class Handover(Wizard):
    __name__ = 'crm.handover'

    start = StateView('crm.handover.start',
        'crm_fruit_customer.handover_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            # One button per kind, labelled for what it confirms
            Button("Confirm Transfer", 'confirm_transfer', 'tryton-ok',
                default=True, states={
                    'invisible': Eval('kind') != 'transfer',
                    }),
            Button("Confirm Delegation", 'confirm_delegation', 'tryton-ok',
                states={
                    'invisible': Eval('kind') != 'delegation',
                    }),
            ])
    confirm_transfer = StateTransition()
    confirm_delegation = StateTransition()
    handover = StateAction('crm_fruit_customer.act_handover_log_form')

    @classmethod
    def _handover_models(cls):
        """Return (model, field, domain) of the records an employee owns

        The field points to company.employee; the domain selects the records
        that are still open. Extend it to hand over other modules' records.
        """
        return [
            ('party.party', 'sales_rep', []),
            ('party.party', 'second_contact', []),
            ('sale.opportunity', 'employee',
                [('state', 'in', ['lead', 'opportunity'])]),
            ('crm.visit', 'employee', [('state', '=', 'planned')]),
            ]

    @classmethod
    def owned(cls, employee):
        "Return [(model, field, records)] that employee owns"
        pool = Pool()
        result = []
        with without_check_access(), \
                Transaction().set_context(active_test=False):
            for model, field, domain in cls._handover_models():
                Model = pool.get(model)
                records = Model.search(
                    [(field, '=', employee.id)] + list(domain), order=[])
                result.append((model, field, records))
        return result

    @classmethod
    def owners(cls, employees):
        "Return {employee: [(model, count)]} for those who own anything"
        pool = Pool()
        owners = defaultdict(list)
        ids = [e.id for e in employees]
        with without_check_access(), \
                Transaction().set_context(active_test=False):
            for model, field, domain in cls._handover_models():
                Model = pool.get(model)
                counts = defaultdict(int)
                for record in Model.search(
                        [(field, 'in', ids)] + list(domain), order=[]):
                    counts[getattr(record, field).id] += 1
                for employee in employees:
                    if counts[employee.id]:
                        owners[employee].append((model, counts[employee.id]))
        return owners

    @classmethod
    def describe(cls, owned):
        "Return a line of text per model and field with records"
        pool = Pool()
        names = pool.get('ir.model').get_names()
        lines = []
        for model, field, records in owned:
            if records:
                Model = pool.get(model)
                field_string = Model.fields_get([field])[field]['string']
                lines.append(gettext(
                        'crm_fruit_customer.msg_handover_summary_line',
                        model=names.get(model, model), field=field_string,
                        count=len(records)))
        return lines

    def default_start(self, fields):
        values = {}
        if self.model and self.model.__name__ == 'company.employee':
            if self.record:
                values['employee'] = self.record.id
                values['company'] = self.record.company.id
        return values

    def transition_confirm_transfer(self):
        return 'handover'

    def transition_confirm_delegation(self):
        return 'handover'

    def do_handover(self, action):
        self.check_scope(self.start.employee)
        owned = self.owned(self.start.employee)
        if self.start.kind == 'transfer':
            self.check_successor(self.start.employee, self.start.successor)
            self.transfer(owned, self.start.successor)
            delegation = None
        else:
            delegation = self.delegate()
        log = self.create_log(owned, delegation)
        if self.start.notify:
            log.notified = self.notify(log)
            log.save()
        action['res_id'] = [log.id]
        action['views'].reverse()
        return action, {}

    @classmethod
    def check_scope(cls, employee):
        "Department managers hand over only the members of their departments"
        pool = Pool()
        Department = pool.get('crm.department')
        User = pool.get('res.user')
        if in_group('group_crm_manager'):
            return
        with without_check_access():
            departments = Department.search([
                    ('manager', 'in', list(User.get_employees())),
                    ('members', '=', employee.id),
                    ], limit=1)
        if not departments:
            raise HandoverScopeError(gettext(
                    'crm_fruit_customer.msg_handover_scope',
                    employee=employee.rec_name))

    @classmethod
    def check_successor(cls, employee, successor):
        "Refuse a successor who would become both contacts of a customer"
        pool = Pool()
        Party = pool.get('party.party')
        with without_check_access(), \
                Transaction().set_context(active_test=False):
            parties = Party.search(['OR',
                    [('sales_rep', '=', employee.id),
                        ('second_contact', '=', successor.id)],
                    [('second_contact', '=', employee.id),
                        ('sales_rep', '=', successor.id)],
                    ], limit=5)
        if parties:
            raise HandoverSuccessorError(gettext(
                    'crm_fruit_customer.msg_handover_successor_both_contacts',
                    successor=successor.rec_name,
                    parties=', '.join(p.rec_name for p in parties)))

    @classmethod
    def transfer(cls, owned, successor):
        "Write successor on the owned records, one write per model and field"
        pool = Pool()
        with without_check_access(), \
                Transaction().set_context(active_test=False):
            for model, field, records in owned:
                if records:
                    pool.get(model).write(records, {field: successor.id})

    def delegate(self):
        pool = Pool()
        Delegation = pool.get('crm.delegation')
        delegation = Delegation(
            company=self.start.company,
            employee=self.start.employee,
            delegate=self.start.successor,
            start_date=self.start.start_date,
            end_date=self.start.end_date)
        delegation.save()
        Delegation.confirm([delegation])
        return delegation

    def create_log(self, owned, delegation):
        pool = Pool()
        Log = pool.get('crm.handover.log')
        Date = pool.get('ir.date')
        today = Date.today()
        # a confirmed delegation has its log already
        logs = Log.search([('delegation', '=', delegation.id)], limit=1) \
            if delegation else []
        log = logs[0] if logs else Log(
            company=self.start.company,
            date=today,
            kind=self.start.kind,
            employee=self.start.employee,
            successor=self.start.successor,
            delegation=delegation,
            notified=0)
        log.lines = [
            {'model': m, 'field': f, 'count': len(r)} for m, f, r in owned]
        if self.start.kind == 'transfer':
            log.parties = self._log_parties(owned, today)
        log.save()
        return log

    @classmethod
    def _log_parties(cls, owned, date):
        pool = Pool()
        Configuration = pool.get('crm.handover.configuration')
        days = dt.timedelta(days=Configuration(1).watch_days)
        parties = {p for m, _, r in owned if m == 'party.party' for p in r}
        return [{
                'party': p.id,
                'watch_start': date - days,
                'handover_date': date,
                'watch_end': date + days,
                } for p in sorted(parties, key=lambda p: p.id)]

    def notify(self, log):
        "E-mail the customers of the log and return how many were"
        pool = Pool()
        Email = pool.get('ir.email')
        parties = self._notified_parties(log)
        emails = []
        for party in parties:
            if party.email:
                msg, body = self._notice(party, log)
                send_message_transactional(msg)
                emails.append(Email.from_message(
                        msg, body=body, resource=party))
        with without_check_access():
            Email.save(emails)
        return len(emails)

    def _notified_parties(self, log):
        pool = Pool()
        Party = pool.get('party.party')
        if log.kind == 'transfer':
            return [p.party for p in log.parties]
        with without_check_access():
            return Party.search([
                    ('sales_rep', '=', log.employee.id),
                    ])

    def _notice(self, party, log):
        "Return the e-mail message and its body for party in its language"
        language = party.lang.code if party.lang else Transaction().language
        values = self._notice_values(party, log, language)
        prefix = 'crm_fruit_customer.msg_handover_email_%s' % log.kind
        body = gettext(prefix + '_body', language, **values)
        msg = EmailMessage()
        msg['From'] = config.get('email', 'from')
        msg['To'] = party.email
        msg['Subject'] = gettext(prefix + '_subject', language, **values)
        msg.set_content(body)
        return msg, body

    def _notice_values(self, party, log, language):
        "Return the values of the notice templates"
        lang = Pool().get('ir.lang').get(language)
        successor = log.successor
        values = {
            'customer': party.rec_name,
            'employee': log.employee.rec_name,
            'successor': successor.rec_name,
            'company': log.company.rec_name,
            'reach': '',
            }
        for name in ['start', 'end']:
            date = getattr(self.start, name + '_date')
            values[name] = lang.strftime(date) if date else ''
        if means := ' / '.join(filter(None, [
                        successor.party.phone, successor.party.email])):
            values['reach'] = gettext(
                'crm_fruit_customer.msg_handover_email_reach', language,
                successor=successor.rec_name, means=means)
        return values


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    @classmethod
    def check_modification(cls, mode, employees, values=None, external=False):
        super().check_modification(
            mode, employees, values=values, external=external)
        if mode == 'write' and (values or {}).get('end_date'):
            cls.check_end_date(employees, values['end_date'])

    @classmethod
    def check_end_date(cls, employees, end_date):
        "Refuse to end the employment of employees who still own records"
        pool = Pool()
        Date = pool.get('ir.date')
        Warning = pool.get('res.user.warning')
        if not (owners := cls._owners(employees)):
            return
        employee, owned = next(iter(owners.items()))
        message = dict(
            employee=employee.rec_name, records=cls._describe_owned(owned))
        if end_date <= Date.today():
            raise EmployeeOwnerError(gettext(
                    'crm_fruit_customer.msg_employee_end_date_owner',
                    **message))
        key = Warning.format('employee_end_date_owner', list(owners))
        if Warning.check(key):
            raise EmployeeOwnerWarning(key, gettext(
                    'crm_fruit_customer.msg_employee_end_date_owner_future',
                    **message))

    @classmethod
    def _owners(cls, employees):
        Handover = Pool().get('crm.handover', type='wizard')
        return Handover.owners(employees)

    @classmethod
    def _describe_owned(cls, owned):
        names = Pool().get('ir.model').get_names()
        counts = defaultdict(int)
        for model, count in owned:
            counts[model] += count
        return ', '.join(
            '%s × %s' % (c, names.get(m, m)) for m, c in counts.items())
