# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import hmac
import re
import secrets
from collections import defaultdict
from email import message_from_string, policy

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, Index, ModelSQL, ModelView, Unique, Workflow, fields,
    sequence_ordered)
from trytond.modules.crm_fruit_customer import mail
from trytond.modules.crm_fruit_customer.embedded_view import (
    EmbeddedListsMixin)
from trytond.modules.crm_fruit_customer.mail import (
    clean_header, normalize_address)
from trytond.modules.crm_fruit_customer.upload import validate_upload
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.report import html_to_text
from trytond.tools import escape_wildcard
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateView, Wizard

from .access import check_created_defaults, check_workflow_fields
from .analysis_cache import ClearAnalysisRows
from .exceptions import ServiceAccessError, TicketError
from .sla import PRIORITIES, compute_deadline

KINDS = [
    ('complaint', "Complaint"),
    ('suggestion', "Suggestion"),
    ('inquiry', "Inquiry"),
    ('quality', "Quality Problem / Return"),
    ('praise', "Praise"),
    ]
COMPLAINT_KINDS = ['complaint', 'quality']
CHANNELS = [
    ('hotline', "Hotline"),
    ('email', "E-Mail"),
    ('fax', "Fax"),
    ('portal', "Portal"),
    ('visit', "Visit"),
    ('message_board', "Message Board"),
    ]
STATES = [
    ('new', "New"),
    ('assigned', "Assigned"),
    ('in_progress', "In Progress"),
    ('waiting', "Waiting on Customer"),
    ('resolved', "Resolved"),
    ('closed', "Closed"),
    ]
OPEN_STATES = ['new', 'assigned', 'in_progress', 'waiting']
ESCALATIONS = [
    (None, ""),
    ('at_risk', "At Risk"),
    ('breached', "Breached"),
    ]
TARGETS = ['response', 'resolution']
EMAIL_ATTEMPTS = 3
REPLY_TOKEN = re.compile(r'\[#([^\s:\]]+):([A-Za-z0-9_-]+)\]')
# Set by the buttons, the SLA and the escalation only
WORKFLOW_FIELDS = {
    'number', 'state', 'sla', 'reopened', 'history', 'reply_token',
    'response_date', 'response_risk_date', 'response_deadline',
    'response_escalation',
    'resolution_date', 'resolution_risk_date', 'resolution_deadline',
    'resolution_escalation',
    }


class TicketType(
        ClearAnalysisRows, DeactivableMixin, sequence_ordered(), ModelSQL,
        ModelView):
    __name__ = 'service.ticket.type'

    name = fields.Char("Name", required=True, translate=True)
    kind = fields.Selection(
        KINDS, "Kind", required=True,
        help="How the feedback counts in the complaint and praise rates.")
    default_priority = fields.Selection(
        PRIORITIES, "Default Priority", required=True)
    team = fields.Many2One(
        'service.team', "Default Team",
        help="The team when no dispatch rule matches.")

    @classmethod
    def default_default_priority(cls):
        return '1'


class Tag(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'service.ticket.tag'

    name = fields.Char("Name", required=True, translate=True)


class Cause(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    "Root cause of a complaint or quality problem"
    __name__ = 'service.ticket.cause'

    name = fields.Char("Name", required=True, translate=True)


class Ticket(
        ClearAnalysisRows, EmbeddedListsMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'service.ticket'
    _rec_name = 'number'

    _states = {
        'readonly': Eval('state').in_(['resolved', 'closed']),
        }

    company = fields.Many2One(
        'company.company', "Company", required=True,
        states={
            'readonly': Eval('state') != 'new',
            })
    number = fields.Char("Number", readonly=True)
    date = fields.DateTime(
        "Received", required=True,
        states={
            'readonly': Eval('state') != 'new',
            },
        help="When the customer got in touch; the SLA clock starts here.")
    type = fields.Many2One(
        'service.ticket.type', "Type", required=True, states=_states)
    kind = fields.Function(
        fields.Selection(KINDS, "Kind"), 'on_change_with_kind',
        searcher='search_kind')
    channel = fields.Selection(
        CHANNELS, "Channel", required=True, states=_states)
    subject = fields.Char("Subject", required=True, states=_states)
    description = fields.Text("Description", states=_states)
    party = fields.Many2One(
        'party.party', "Customer", required=True,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        states={
            'readonly': Eval('state') != 'new',
            })
    contact = fields.Many2One(
        'party.contact_mechanism', "Contact", states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        domain=[('party', '=', Eval('party', -1))],
        help="Where to answer the customer.")
    department = fields.Many2One(
        'crm.department', "Department", states=_states)
    team = fields.Many2One(
        'service.team', "Team", states=_states,
        domain=[('company', 'in', [None, Eval('company', -1)])])
    assignee = fields.Many2One(
        'company.employee', "Assignee", states=_states,
        domain=[('company', '=', Eval('company', -1))])
    priority = fields.Selection(
        PRIORITIES, "Priority", required=True, states=_states, sort=False)
    tags = fields.Many2Many(
        'service.ticket-service.ticket.tag', 'ticket', 'tag', "Tags")
    sale = fields.Many2One(
        'sale.sale', "Sale", states=_states,
        domain=[
            ('party', '=', Eval('party', -1)),
            ('company', '=', Eval('company', -1)),
            ])
    sale_line = fields.Many2One(
        'sale.line', "Sale Line", states=_states,
        domain=[
            ('type', '=', 'line'),
            If(Eval('sale'), ('sale', '=', Eval('sale', -1)), ()),
            ('sale.party', '=', Eval('party', -1)),
            ])
    product = fields.Many2One(
        'product.product', "Product", states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    invoice = fields.Many2One(
        'account.invoice', "Invoice", states=_states,
        domain=[
            ('party', '=', Eval('party', -1)),
            ('company', '=', Eval('company', -1)),
            ])
    lot = fields.Many2One(
        'stock.lot', "Lot", states=_states,
        domain=[
            If(Eval('product'), ('product', '=', Eval('product', -1)), ()),
            ])
    location = fields.Many2One(
        'stock.location', "Storage / Purchase Station", states=_states,
        domain=[('type', 'in', ['storage', 'warehouse', 'supplier'])],
        help="The cold-storage room or the purchase station "
        "the goods came from.")
    lot_customers = fields.Function(fields.Many2Many(
            'party.party', None, None, "Other Customers of the Lot",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'},
            help="The other customers who received goods of the lot."),
        'get_lot_customers')
    resolution = fields.Text(
        "Resolution",
        states={
            'readonly': Eval('state') == 'closed',
            })
    cause = fields.Many2One(
        'service.ticket.cause', "Cause", ondelete='RESTRICT',
        states={
            'invisible': ~Eval('kind').in_(COMPLAINT_KINDS),
            'readonly': Eval('state') == 'closed',
            },
        help="Why the problem happened, for the complaint rankings.")
    confirmed = fields.Boolean(
        "Confirmed by Customer",
        states={
            'readonly': Eval('state') == 'closed',
            },
        help="The customer agreed that the ticket is resolved.")
    messages = fields.One2Many('service.ticket.message', 'ticket', "Messages")
    compensations = fields.One2Many(
        'service.ticket.compensation', 'ticket', "Compensations",
        states={
            'invisible': Eval('kind') != 'quality',
            })
    history = fields.One2Many(
        'service.ticket.history', 'ticket', "History", readonly=True)
    suggested_articles = fields.Function(fields.Many2Many(
            'service.knowledge.article', None, None, "Suggested Articles",
            context={
                'ticket': Eval('id', -1),
                },
            help="Published articles that match the subject and description "
            "of the ticket."),
        'get_suggested_articles')
    knowledge_uses = fields.One2Many(
        'service.knowledge.article.use', 'ticket', "Solved By Articles",
        readonly=True)
    surveys = fields.One2Many(
        'service.survey', 'ticket', "Surveys", readonly=True)
    sla = fields.Many2One('service.sla', "SLA", readonly=True)
    response_date = fields.DateTime("First Response", readonly=True)
    response_risk_date = fields.DateTime(
        "First Response At Risk", readonly=True)
    response_deadline = fields.DateTime(
        "First Response Deadline", readonly=True,
        help="Empty while the clock is paused.")
    response_escalation = fields.Selection(
        ESCALATIONS, "First Response Escalation", readonly=True)
    resolution_date = fields.DateTime("Resolved", readonly=True)
    resolution_risk_date = fields.DateTime(
        "Resolution At Risk", readonly=True)
    resolution_deadline = fields.DateTime(
        "Resolution Deadline", readonly=True,
        help="Empty while the clock is paused.")
    resolution_escalation = fields.Selection(
        ESCALATIONS, "Resolution Escalation", readonly=True)
    reopened = fields.Integer("Reopened", readonly=True)
    reply_token = fields.Char(
        "Reply Token", readonly=True, strip=False,
        help="The secret in the subject of the e-mails to the customer: "
        "a reply carrying it is added to this ticket.")
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        cls.number.search_unaccented = False
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('number_unique', Unique(t, t.company, t.number),
                'crm_fruit_service.msg_ticket_number_unique'),
            ]
        cls._sql_indexes.update({
                Index(t, (t.state, Index.Equality(cardinality='low')),
                    where=t.state.in_(OPEN_STATES)),
                Index(t, (t.date, Index.Range())),
                Index(t, (t.party, Index.Range())),
                Index(t, (t.lot, Index.Range())),
                })
        cls._order = [('date', 'DESC NULLS FIRST'), ('id', 'DESC')]
        cls._transitions |= {
            ('new', 'assigned'),
            ('new', 'in_progress'),
            ('assigned', 'in_progress'),
            ('in_progress', 'waiting'),
            ('waiting', 'in_progress'),
            ('new', 'resolved'),
            ('assigned', 'resolved'),
            ('in_progress', 'resolved'),
            ('waiting', 'resolved'),
            ('resolved', 'closed'),
            ('resolved', 'in_progress'),
            ('closed', 'in_progress'),
            }
        cls._buttons.update({
                'dispatch': {
                    'invisible': Eval('state') != 'new',
                    'depends': ['state'],
                    },
                'assign': {
                    'invisible': Eval('state') != 'new',
                    'readonly': ~Eval('assignee'),
                    'depends': ['state', 'assignee'],
                    },
                'start': {
                    'invisible': ~Eval('state').in_(['new', 'assigned']),
                    'depends': ['state'],
                    },
                'wait': {
                    'invisible': Eval('state') != 'in_progress',
                    'depends': ['state'],
                    },
                'resume': {
                    'invisible': Eval('state') != 'waiting',
                    'depends': ['state'],
                    },
                'resolve': {
                    'invisible': ~Eval('state').in_(OPEN_STATES),
                    'readonly': ~Eval('resolution'),
                    'depends': ['state', 'resolution'],
                    },
                'close': {
                    'invisible': Eval('state') != 'resolved',
                    'depends': ['state'],
                    },
                'reopen': {
                    'invisible': ~Eval('state').in_(['resolved', 'closed']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return dt.datetime.now()

    @classmethod
    def default_channel(cls):
        return 'hotline'

    @classmethod
    def default_priority(cls):
        return '1'

    @classmethod
    def default_state(cls):
        return 'new'

    @classmethod
    def default_reopened(cls):
        return 0

    @fields.depends('type')
    def on_change_with_kind(self, name=None):
        return self.type.kind if self.type else None

    @classmethod
    def search_kind(cls, name, clause):
        return [('type.kind',) + tuple(clause[1:])]

    @fields.depends('type', 'priority')
    def on_change_type(self):
        if self.type:
            self.priority = self.type.default_priority

    @fields.depends('party', 'department', 'contact')
    def on_change_party(self):
        if self.party:
            departments = getattr(self.party, 'departments', [])
            if not self.department and len(departments) == 1:
                self.department, = departments
            if not self.contact:
                self.contact = self.party.contact_mechanism_get(
                    {'email', 'phone', 'mobile'})

    @fields.depends('sale_line', 'sale', 'product')
    def on_change_sale_line(self):
        if self.sale_line:
            self.sale = self.sale_line.sale
            self.product = self.sale_line.product

    def get_suggested_articles(self, name):
        pool = Pool()
        Article = pool.get('service.knowledge.article')
        domain = [('company', '=', self.company.id)]
        if self.department:
            domain.append(('department', 'in', [None, self.department.id]))
        text = '\n'.join(filter(None, [self.subject, self.description]))
        return [a.id for a in Article.suggest(text, domain=domain)]

    @classmethod
    def get_lot_customers(cls, tickets, name):
        "Return the customers, but the ticket's, who received the lots"
        lots = {t.lot for t in tickets if t.lot}
        customers = cls._lot_customers(lots)
        return {
            t.id: [p.id for p in customers.get(t.lot, []) if p != t.party]
            for t in tickets}

    @classmethod
    def _lot_customers(cls, lots):
        "Return {lot: parties} from the done moves to customer locations"
        pool = Pool()
        Move = pool.get('stock.move')
        result = defaultdict(set)
        if not lots:
            return result
        with without_check_access():
            moves = Move.search([
                    ('lot', 'in', [l.id for l in lots]),
                    ('to_location.type', '=', 'customer'),
                    ('state', '=', 'done'),
                    ], order=[])
            for move in moves:
                party = cls._move_customer(move)
                if party:
                    result[move.lot].add(party)
        return {l: sorted(p, key=lambda p: p.rec_name)
            for l, p in result.items()}

    @classmethod
    def _move_customer(cls, move):
        customer = getattr(move.shipment, 'customer', None)
        if customer:
            return customer
        sale = getattr(move.origin, 'sale', None)
        return sale.party if sale else None

    def get_pauses(self):
        "Return the (begin, end) when the ticket waited on the customer"
        pauses, begin = [], None
        for entry in sorted(self.history, key=lambda h: (h.date, h.id)):
            if entry.to_state == 'waiting' and begin is None:
                begin = entry.date
            elif entry.to_state != 'waiting' and begin is not None:
                if entry.from_state == 'waiting':
                    pauses.append((begin, entry.date))
                    begin = None
        if begin is not None:
            pauses.append((begin, None))
        return pauses

    def get_sla_start(self):
        "Return when the SLA clock started: the last reopen or the receipt"
        start = self.date
        for entry in self.history:
            if (entry.from_state in {'resolved', 'closed'}
                    and entry.to_state in OPEN_STATES):
                start = max(start, entry.date)
        return start

    def get_sla_values(self):
        "Return the deadlines of the SLA that matches the ticket"
        pool = Pool()
        SLA = pool.get('service.sla')
        sla = SLA.find(self)
        values = {'sla': sla.id if sla else None}
        for target in TARGETS:
            values[f'{target}_deadline'] = None
            values[f'{target}_risk_date'] = None
        if not sla:
            return values
        calendar = sla.calendar.get_working_calendar()
        start = self.get_sla_start()
        pauses = self.get_pauses()
        for target, duration in [
                ('response', sla.first_response_time),
                ('resolution', sla.resolution_time)]:
            values[f'{target}_deadline'] = compute_deadline(
                start, duration, calendar, pauses)
            values[f'{target}_risk_date'] = compute_deadline(
                start, duration * sla.at_risk, calendar, pauses)
        return values

    @classmethod
    def update_sla(cls, tickets):
        to_write = []
        for ticket in tickets:
            values = ticket.get_sla_values()
            if any(getattr(ticket, f) != v for f, v in values.items()):
                to_write.extend(([ticket], values))
        if to_write:
            with without_check_access():
                cls.write(*to_write)

    @classmethod
    def check_modification(cls, mode, tickets, values=None, external=False):
        super().check_modification(
            mode, tickets, values=values, external=external)
        if external and mode == 'write':
            check_workflow_fields(cls, tickets, values, WORKFLOW_FIELDS)
        elif external and mode == 'create':
            check_created_defaults(cls, tickets, {
                    'state': ('new',),
                    'reopened': (0, None),
                    'response_date': (None,),
                    'resolution_date': (None,),
                    'response_escalation': (None,),
                    'resolution_escalation': (None,),
                    })

    @classmethod
    def create(cls, vlist):
        if Transaction().check_access:
            # The number and the reply token are the desk's, never the
            # client's: a chosen token would let its author read replies.
            # Only here is it known that the values come from a client.
            vlist = [{k: v for k, v in values.items()
                    if k not in {'number', 'reply_token'}}
                for values in vlist]
        return super().create(vlist)

    @classmethod
    def preprocess_values(cls, mode, values):
        pool = Pool()
        Configuration = pool.get('service.configuration')
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('number'):
            company = values.get('company') or cls.default_company()
            values['number'] = Configuration(1).get_multivalue(
                'ticket_sequence', company=company).get()
        return values

    @classmethod
    def on_modification(cls, mode, tickets, field_names=None):
        super().on_modification(mode, tickets, field_names=field_names)
        if mode == 'create':
            cls.update_sla(tickets)
            cls.notify_customer(tickets, 'acknowledgement')
        elif mode == 'write' and field_names & {
                'type', 'priority', 'date', 'company'}:
            cls.update_sla(tickets)

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('number')
        default.setdefault('messages')
        default.setdefault('history')
        default.setdefault('response_date')
        default.setdefault('resolution_date')
        default.setdefault('response_escalation')
        default.setdefault('resolution_escalation')
        default.setdefault('reopened', 0)
        default.setdefault('knowledge_uses')
        default.setdefault('surveys')
        return super().copy(tickets, default=default)

    @classmethod
    def _add_history(cls, tickets, state, note=None):
        pool = Pool()
        History = pool.get('service.ticket.history')
        User = pool.get('res.user')
        user = User(Transaction().user)
        now = dt.datetime.now()
        History.save([History(
                    ticket=t, date=now, user=user, employee=user.employee,
                    from_state=t.state, to_state=state, note=note)
                for t in tickets])
        # Reload the history cached on the instances
        return cls.browse([t.id for t in tickets])

    @classmethod
    def set_response(cls, tickets, date=None):
        tickets = [t for t in tickets if not t.response_date]
        if tickets:
            # Also on a reply written by the agent through the API
            with without_check_access():
                cls.write(tickets, {
                        'response_date': date or dt.datetime.now(),
                        })

    @classmethod
    @ModelView.button
    def dispatch(cls, tickets):
        "Dispatch the tickets; refuse when no rule or member fits one"
        left = cls.auto_dispatch(tickets)
        if left:
            raise TicketError(gettext(
                    'crm_fruit_service.msg_ticket_dispatch_none',
                    ticket=left[0].rec_name))

    @classmethod
    def auto_dispatch(cls, tickets):
        """Choose team and assignee by the dispatch rules and return the
        tickets left without assignee"""
        pool = Pool()
        Rule = pool.get('service.dispatch.rule')
        Team = pool.get('service.team')
        for ticket in tickets:
            if not ticket.team:
                ticket.team = Rule.find_team(ticket) or ticket.type.team
        cls.save(tickets)
        by_team = defaultdict(list)
        for ticket in tickets:
            if ticket.team and not ticket.assignee:
                by_team[ticket.team].append(ticket)
        for team, team_tickets in by_team.items():
            for ticket, employee in zip(
                    team_tickets, Team.next_members(team, len(team_tickets))):
                ticket.assignee = employee
        cls.save(tickets)
        cls.assign([t for t in tickets if t.assignee])
        return [t for t in tickets if not t.assignee]

    @classmethod
    @ModelView.button
    @Workflow.transition('assigned')
    def assign(cls, tickets):
        for ticket in tickets:
            if not ticket.assignee:
                raise TicketError(gettext(
                        'crm_fruit_service.msg_ticket_assign_no_assignee',
                        ticket=ticket.rec_name))
        cls._add_history(tickets, 'assigned')
        cls.notify_assignee(tickets)

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def start(cls, tickets):
        pool = Pool()
        User = pool.get('res.user')
        employee = User(Transaction().user).employee
        unassigned = [t for t in tickets if not t.assignee]
        if unassigned and employee:
            cls.write(unassigned, {'assignee': employee.id})
        cls._add_history(tickets, 'in_progress')

    @classmethod
    @ModelView.button
    @Workflow.transition('waiting')
    def wait(cls, tickets):
        # Asking the customer for information answers him
        cls.set_response(tickets)
        tickets = cls._add_history(tickets, 'waiting')
        cls.update_sla(tickets)

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def resume(cls, tickets):
        tickets = cls._add_history(tickets, 'in_progress')
        cls.update_sla(tickets)

    @classmethod
    @ModelView.button
    @Workflow.transition('resolved')
    def resolve(cls, tickets):
        pool = Pool()
        Survey = pool.get('service.survey')
        for ticket in tickets:
            if not ticket.resolution:
                raise TicketError(gettext(
                        'crm_fruit_service.msg_ticket_resolve_no_resolution',
                        ticket=ticket.rec_name))
        now = dt.datetime.now()
        cls.set_response(tickets, now)
        tickets = cls._add_history(tickets, 'resolved')
        cls.update_sla(tickets)
        cls.write(tickets, {'resolution_date': now})
        cls.notify_customer(tickets, 'resolution')
        Survey.create_for_tickets(tickets)

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, tickets):
        cls._add_history(tickets, 'closed')

    @classmethod
    @ModelView.button
    @Workflow.transition('in_progress')
    def reopen(cls, tickets):
        for ticket in tickets:
            ticket.reopened = (ticket.reopened or 0) + 1
            ticket.response_date = ticket.resolution_date = None
            ticket.confirmed = False
            # The new deadlines lie ahead: nothing is late yet and the
            # escalation must be able to warn again.
            ticket.response_escalation = ticket.resolution_escalation = None
        cls.save(tickets)
        tickets = cls._add_history(tickets, 'in_progress',
            note=gettext('crm_fruit_service.msg_ticket_reopened'))
        cls.update_sla(tickets)

    @classmethod
    def escalate(cls):
        "Escalate the open tickets at risk or late; run it as often as wished"
        now = dt.datetime.now()
        for target in TARGETS:
            domain = [
                ('state', 'in', ['new', 'assigned', 'in_progress']),
                ]
            if target == 'response':
                domain.append(('response_date', '=', None))
            breached = cls.search(domain + [
                    (f'{target}_deadline', '<=', now),
                    (f'{target}_escalation', 'in', [None, 'at_risk']),
                    ], order=[('id', 'ASC')])
            at_risk = cls.search(domain + [
                    (f'{target}_risk_date', '<=', now),
                    (f'{target}_escalation', '=', None),
                    ('id', 'not in', [t.id for t in breached]),
                    ], order=[('id', 'ASC')])
            cls._escalate(at_risk, target, 'at_risk')
            cls._escalate(breached, target, 'breached')

    @classmethod
    def _escalate(cls, tickets, target, level):
        if not tickets:
            return
        cls.write(tickets, {f'{target}_escalation': level})
        target_string = cls.fields_get([f'{target}_deadline'])[
            f'{target}_deadline']['string']
        note = gettext(
            f'crm_fruit_service.msg_ticket_escalation_{level}',
            target=target_string)
        by_state = defaultdict(list)
        for ticket in tickets:
            by_state[ticket.state].append(ticket)
        for state, state_tickets in by_state.items():
            cls._add_history(state_tickets, state, note=note)
        for ticket in tickets:
            cls.notify_staff(
                [ticket], f'escalation_{level}',
                ticket.escalation_employees(level), target=target_string)

    def escalation_employees(self, level):
        "Return the managers to warn: team first, department when breached"
        employees = []
        if self.team and self.team.manager:
            employees.append(self.team.manager)
        if (level == 'breached' and self.department
                and self.department.manager):
            employees.append(self.department.manager)
        return employees

    @classmethod
    def default_reply_token(cls):
        return secrets.token_urlsafe(16)

    @classmethod
    def from_inbound_email(cls, email_, rule):
        "Add the e-mail to the ticket of its reply token or open a ticket"
        data = email_.as_dict()
        sender = normalize_address(data.get('from'))
        subject = clean_header(data.get('subject'))
        body = data.get('text') or html_to_text(data.get('html') or '')
        attachments = cls._inbound_attachments(data.get('attachments') or [])
        ticket = cls._inbound_ticket(subject)
        if ticket:
            cls._inbound_reply(ticket, body, attachments)
            return ticket
        party = cls._inbound_party(sender)
        if party:
            subject = clean_header(REPLY_TOKEN.sub('', subject))
            return cls._inbound_create(party, subject, body, attachments)

    @classmethod
    def _inbound_attachments(cls, attachments):
        "Return the create action of the attachments of an allowed type"
        values = []
        for attachment in attachments:
            data = attachment.get('data') or b''
            try:
                name = validate_upload(
                    attachment.get('filename') or 'attachment', data)
            except UserError:
                continue
            values.append({'name': name, 'data': data})
        return [('create', values)]

    @classmethod
    def _inbound_reply(cls, ticket, body, attachments):
        pool = Pool()
        Message = pool.get('service.ticket.message')
        if ticket.state == 'resolved':
            cls.reopen([ticket])
        Message.create([{
                    'ticket': ticket.id, 'kind': 'customer',
                    'body': body or '-', 'attachments': attachments,
                    }])

    @classmethod
    def _inbound_ticket(cls, subject):
        "Return the open or resolved ticket whose reply token is in subject"
        for number, token in REPLY_TOKEN.findall(subject):
            for ticket in cls.search([
                        ('number', '=', number),
                        ('state', '!=', 'closed'),
                        ]):
                if (ticket.reply_token
                        and hmac.compare_digest(ticket.reply_token, token)):
                    return ticket

    @classmethod
    def _inbound_party(cls, sender):
        "Return the only customer with the sender's address"
        pool = Pool()
        Mechanism = pool.get('party.contact_mechanism')
        if not sender:
            return
        mechanisms = Mechanism.search([
                ('type', '=', 'email'),
                ('value', 'ilike', escape_wildcard(sender)),
                ])
        parties = {
            m.party for m in mechanisms
            if normalize_address(m.value) == sender}
        if len(parties) == 1:
            return parties.pop()

    @classmethod
    def _inbound_create(cls, party, subject, body, attachments):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Company = pool.get('company.company')
        Message = pool.get('service.ticket.message')
        company = Transaction().context.get('company')
        if company is None:
            company, = Company.search([], limit=1)
        ticket = cls(
            company=company, party=party, channel='email',
            type=ModelData.get_id('crm_fruit_service', 'ticket_type_inquiry'),
            subject=subject or '-', description=body)
        ticket.on_change_type()
        ticket.on_change_party()
        ticket.save()
        if attachments[0][1]:
            Message.create([{
                        'ticket': ticket.id, 'kind': 'customer',
                        'body': body or '-', 'attachments': attachments,
                        }])
        cls.auto_dispatch([ticket])
        return ticket

    @property
    def customer_email(self):
        if self.contact and self.contact.type == 'email':
            return self.contact.value
        return self.party.email

    @property
    def customer_language(self):
        return mail.recipient_language(self.party.lang)

    @classmethod
    def notify_customer(cls, tickets, template, **variables):
        "Send the template to the customers, their replies come back by token"
        for ticket in tickets:
            if ticket.customer_email:
                if not ticket.reply_token:
                    # Tickets created before the tokens existed
                    with without_check_access():
                        cls.write([ticket], {
                                'reply_token': cls.default_reply_token(),
                                })
                ticket._send_email(
                    ticket.customer_email, ticket.customer_language,
                    template, reply_token=ticket.reply_token, **variables)

    @classmethod
    def notify_assignee(cls, tickets):
        for ticket in tickets:
            cls.notify_staff([ticket], 'assignment', [ticket.assignee])

    @classmethod
    def notify_staff(cls, tickets, template, employees, **variables):
        for ticket in tickets:
            for employee in employees:
                email = employee.party.email
                if email:
                    ticket._send_email(
                        email, mail.recipient_language(employee.party.lang),
                        template, **variables)

    @classmethod
    def _email_message(cls, template):
        "The ir.message (without _subject, _body) of the e-mail template"
        return f'crm_fruit_service.msg_email_{template}'

    def _send_email(
            self, to, language, template, reply_token=None, **variables):
        "Queue the e-mail, sent after commit; a bad address is noted"
        variables = {
            'number': self.number,
            'subject': clean_header(self.subject),
            'customer': clean_header(self.party.rec_name),
            **variables,
            }
        subject, text = mail.render(
            language, self._email_message(template), **variables)
        address = normalize_address(to)
        if not address:
            with without_check_access():
                self._add_history([self], self.state, note=gettext(
                        'crm_fruit_service.msg_ticket_email_invalid',
                        subject=clean_header(subject),
                        email=clean_header(to)))
            return
        if reply_token:
            subject = f'{clean_header(subject)} [#{self.number}:{reply_token}]'
        mail.send(self, address, subject, text)

    @classmethod
    def email_failed(cls, failures):
        "Note on the tickets the e-mails not sent and send them again later"
        with without_check_access():
            tickets = {t.id: t for t in cls.search([
                        ('id', 'in', [f[0] for f in failures if f[0]]),
                        ])}
            for ticket_id, attempt, msg, error in failures:
                ticket = tickets.get(ticket_id)
                if not ticket:
                    continue
                cls._add_history([ticket], ticket.state, note=gettext(
                        'crm_fruit_service.msg_ticket_email_failed',
                        subject=clean_header(
                            REPLY_TOKEN.sub('', msg['Subject'])),
                        email=msg['To'], error=clean_header(error)))
                if attempt < EMAIL_ATTEMPTS and mail.retry_later():
                    with Transaction().set_context(
                            queue_scheduled_at=dt.timedelta(
                                minutes=5 * attempt)):
                        cls.__queue__.resend_email(
                            [ticket], msg.as_string(), attempt + 1)

    @classmethod
    def resend_email(cls, tickets, message, attempt):
        "Send again an e-mail that could not be sent"
        msg = message_from_string(message, policy=policy.default)
        for ticket in tickets:
            mail.queue_message(msg, ticket, attempt)


class TicketTag(ModelSQL):
    __name__ = 'service.ticket-service.ticket.tag'

    ticket = fields.Many2One(
        'service.ticket', "Ticket", required=True, ondelete='CASCADE')
    tag = fields.Many2One(
        'service.ticket.tag', "Tag", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')


class TicketHistory(ModelSQL, ModelView):
    __name__ = 'service.ticket.history'

    ticket = fields.Many2One(
        'service.ticket', "Ticket", required=True, ondelete='CASCADE',
        readonly=True)
    date = fields.DateTime("Date", required=True, readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True)
    employee = fields.Many2One('company.employee', "Employee", readonly=True)
    from_state = fields.Selection(STATES, "From", readonly=True)
    to_state = fields.Selection(STATES, "To", readonly=True)
    note = fields.Char("Note", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def check_modification(cls, mode, history, values=None, external=False):
        super().check_modification(
            mode, history, values=values, external=external)
        # The SLA pauses are computed from the history
        if external and history:
            raise ServiceAccessError(gettext(
                    'crm_fruit_service.msg_ticket_history_code_only',
                    ticket=history[0].ticket.rec_name))


class TicketMessage(ModelSQL, ModelView):
    __name__ = 'service.ticket.message'

    ticket = fields.Many2One(
        'service.ticket', "Ticket", required=True, ondelete='CASCADE')
    date = fields.DateTime("Date", required=True, readonly=True)
    author = fields.Many2One('res.user', "Author", readonly=True)
    kind = fields.Selection([
            ('note', "Internal Note"),
            ('reply', "Reply to Customer"),
            ('customer', "From Customer"),
            ], "Kind", required=True,
        help="Only replies and customer messages are shown to the customer.")
    body = fields.Text("Message", required=True)
    attachments = fields.One2Many(
        'ir.attachment', 'resource', "Attachments")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def default_date(cls):
        return dt.datetime.now()

    @classmethod
    def default_author(cls):
        return Transaction().user

    @classmethod
    def default_kind(cls):
        return 'note'

    @property
    def customer_visible(self):
        return self.kind in {'reply', 'customer'}

    @classmethod
    def on_modification(cls, mode, messages, field_names=None):
        pool = Pool()
        Ticket = pool.get('service.ticket')
        super().on_modification(mode, messages, field_names=field_names)
        if mode != 'create':
            return
        for message in messages:
            if message.kind == 'reply':
                # When it was written, not the date sent by the client
                Ticket.set_response([message.ticket], message.create_date)
                Ticket.notify_customer(
                    [message.ticket], 'reply', body=message.body)
        # An answer of the customer restarts the clock
        Ticket.resume(list({
                    m.ticket for m in messages
                    if m.kind == 'customer' and m.ticket.state == 'waiting'}))

    @classmethod
    def check_modification(cls, mode, messages, values=None, external=False):
        super().check_modification(
            mode, messages, values=values, external=external)
        if mode in {'write', 'delete'} and external:
            for message in messages:
                if message.kind != 'note':
                    raise TicketError(gettext(
                            'crm_fruit_service.msg_ticket_message_sent',
                            ticket=message.ticket.rec_name))
        if mode == 'write' and external:
            check_workflow_fields(
                cls, messages, values, {'ticket', 'kind', 'date', 'author'})
        elif mode == 'create' and external:
            check_created_defaults(cls, messages, {
                    'author': (None, Transaction().user)})


class FastEntry(Wizard):
    __name__ = 'service.ticket.fast_entry'

    start = StateView('service.ticket',
        'crm_fruit_service.ticket_fast_entry_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Save", 'save', 'tryton-ok', default=True),
            ])
    save = StateAction('crm_fruit_service.act_ticket_form')

    def default_start(self, fields):
        pool = Pool()
        Ticket = pool.get('service.ticket')
        return Ticket.default_get(fields, with_rec_name=False)

    def do_save(self, action):
        ticket = self.create_ticket()
        action['res_id'] = [ticket.id]
        action['views'].sort(key=lambda v: v[1] != 'form')
        return action, {}

    def create_ticket(self):
        pool = Pool()
        Ticket = pool.get('service.ticket')
        ticket = self.start
        ticket.on_change_party()
        ticket.save()
        Ticket.auto_dispatch([ticket])
        return ticket
