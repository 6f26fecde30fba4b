# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from . import mail
from .exceptions import HandoverScopeError, HandoverSuccessorError
from .scope import in_group

KINDS = [
    ('transfer', "Transfer"),
    ('delegation', "Delegation"),
    ]


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
        Configuration = Pool().get('crm.configuration')
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
        Configuration = pool.get('crm.configuration')
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
        sent = 0
        for party in self._notified_parties(log):
            address = mail.normalize_address(party.email)
            if address:
                mail.send(party, address, *self._notice(party, log))
                sent += 1
        return sent

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
        "Return the subject and the text of the notice in party's language"
        language = mail.recipient_language(party.lang)
        values = self._notice_values(party, log, language)
        return mail.render(
            language, 'crm_fruit_customer.msg_handover_email_%s' % log.kind,
            **values)

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
