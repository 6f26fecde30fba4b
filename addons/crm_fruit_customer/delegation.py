# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.cache import Cache
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .exceptions import (
    DelegationConfirmedError, DelegationDateError, DelegationDurationError,
    DelegationScopeError)
from .rec_name import SearchRecNameMixin
from .scope import check_created_state, check_system_fields, in_group


class Delegation(SearchRecNameMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'crm.delegation'
    __string__ = "Delegation"
    _rec_name_fields = ('employee.rec_name', 'delegate.rec_name')

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
        Configuration = pool.get('crm.configuration')
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
