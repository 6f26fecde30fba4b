# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field, set_employee
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import without_check_access

from .access import check_created_defaults, check_workflow_fields, in_group
from .exceptions import (
    CompensationError, CompensationValidationError, ServiceAccessError)

KINDS = [
    ('replacement', "Replacement"),
    ('credit_note', "Credit Note"),
    ('return', "Return"),
    ]


class Compensation(Workflow, ModelSQL, ModelView):
    "Compensation of a quality problem, carried out by a sale complaint"
    __name__ = 'service.ticket.compensation'

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    ticket = fields.Many2One(
        'service.ticket', "Ticket", required=True, ondelete='CASCADE',
        states=_states)
    company = fields.Function(
        fields.Many2One('company.company', "Company"),
        'on_change_with_company')
    party = fields.Function(
        fields.Many2One(
            'party.party', "Customer",
            context={
                'company': Eval('company', -1),
                },
            depends={'company'}),
        'on_change_with_party')
    kind = fields.Selection(KINDS, "Kind", required=True, states=_states)
    kind_string = kind.translated('kind')
    sale_line = fields.Many2One(
        'sale.line', "Sale Line",
        domain=[
            ('type', '=', 'line'),
            ('sale.party', '=', Eval('party', -1)),
            ],
        states={
            'readonly': _states['readonly'],
            'required': Eval('kind').in_(['replacement', 'return']),
            'invisible': Eval('kind') == 'credit_note',
            })
    invoice = fields.Many2One(
        'account.invoice', "Invoice",
        domain=[('party', '=', Eval('party', -1))],
        states={
            'readonly': _states['readonly'],
            'required': Eval('kind') == 'credit_note',
            'invisible': Eval('kind') != 'credit_note',
            })
    quantity = fields.Float(
        "Quantity",
        domain=[If(Eval('quantity'), ('quantity', '>', 0), ())],
        states={
            'readonly': _states['readonly'],
            'invisible': Eval('kind') == 'credit_note',
            },
        help="Leave empty for the whole line.")
    reason = fields.Text("Reason", required=True, states=_states)
    complaint = fields.Many2One(
        'sale.complaint', "Sale Complaint", readonly=True)
    replacement_sale = fields.Many2One(
        'sale.sale', "Replacement Sale", readonly=True,
        states={
            'invisible': Eval('kind') != 'replacement',
            })
    requested_by = employee_field(
        "Requested By", states=['requested', 'approved', 'rejected'])
    approved_by = employee_field("Approved By", states=['approved'])
    rejected_by = employee_field("Rejected By", states=['rejected'])
    state = fields.Selection([
            ('draft', "Draft"),
            ('requested', "Requested"),
            ('approved', "Approved"),
            ('rejected', "Rejected"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('ticket')
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'draft'),
            ('requested', 'approved'),
            ('requested', 'rejected'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                'reject': {
                    'invisible': Eval('state') != 'requested',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('ticket', '_parent_ticket.company')
    def on_change_with_company(self, name=None):
        return self.ticket.company if self.ticket else None

    @fields.depends('ticket', '_parent_ticket.party')
    def on_change_with_party(self, name=None):
        return self.ticket.party if self.ticket else None

    @fields.depends(
        'ticket', 'kind', '_parent_ticket.sale_line', '_parent_ticket.invoice')
    def on_change_ticket(self):
        if self.ticket:
            self.sale_line = self.ticket.sale_line
            self.invoice = self.ticket.invoice

    @classmethod
    def check_modification(
            cls, mode, compensations, values=None, external=False):
        super().check_modification(
            mode, compensations, values=values, external=external)
        if mode == 'delete':
            for compensation in compensations:
                if compensation.state == 'approved':
                    raise CompensationError(gettext(
                            'crm_fruit_service'
                            '.msg_compensation_delete_approved',
                            compensation=compensation.rec_name))
        if not external:
            return
        if mode == 'create':
            check_created_defaults(cls, compensations, {
                    f: (None,) for f in cls._workflow_fields - {'state'}}
                | {'state': ('draft',)})
        elif mode == 'write':
            check_workflow_fields(
                cls, compensations, values, cls._workflow_fields)
            # The approval carries out what was requested
            for compensation in compensations:
                if compensation.state != 'draft':
                    raise ServiceAccessError(gettext(
                            'crm_fruit_service.msg_compensation_frozen',
                            compensation=compensation.rec_name))

    _workflow_fields = {
        'state', 'complaint', 'replacement_sale',
        'requested_by', 'approved_by', 'rejected_by'}

    @classmethod
    def validate_fields(cls, compensations, field_names):
        super().validate_fields(compensations, field_names)
        cls.check_quantity(compensations, field_names)

    @classmethod
    def check_quantity(cls, compensations, field_names=None):
        if field_names and not (
                field_names & {'quantity', 'sale_line', 'kind'}):
            return
        for compensation in compensations:
            line = compensation.sale_line
            if (compensation.kind in {'replacement', 'return'}
                    and line and compensation.quantity
                    and compensation.quantity > line.quantity):
                raise CompensationValidationError(gettext(
                        'crm_fruit_service.msg_compensation_quantity_exceeds',
                        compensation=compensation.rec_name,
                        quantity=line.quantity))

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, compensations):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('requested')
    @set_employee('requested_by')
    def request(cls, compensations):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    @set_employee('approved_by')
    def approve(cls, compensations):
        pool = Pool()
        Complaint = pool.get('sale.complaint')
        if compensations and not in_group('group_service_manager', 'crm_fruit_service'):
            raise ServiceAccessError(gettext(
                    'crm_fruit_service'
                    '.msg_compensation_approve_service_manager',
                    compensation=compensations[0].rec_name))
        for compensation in compensations:
            compensation.complaint = compensation.get_complaint()
        complaints = [c.complaint for c in compensations]
        with without_check_access():
            Complaint.save(complaints)
            for compensation in compensations:
                if compensation.kind == 'replacement':
                    compensation.replacement_sale = (
                        compensation.get_replacement_sale())
            cls.save(compensations)
            Complaint.wait(complaints)
            Complaint.approve(complaints)
            # Carry it out now: the service manager answers the customer
            # with the result, not with a queued promise
            Complaint.process(complaints)

    @classmethod
    @ModelView.button
    @Workflow.transition('rejected')
    @set_employee('rejected_by')
    def reject(cls, compensations):
        pass

    def get_complaint(self):
        "Return the (unsaved) sale complaint that carries it out"
        pool = Pool()
        Complaint = pool.get('sale.complaint')
        Action = pool.get('sale.complaint.action')
        ModelData = pool.get('ir.model.data')
        if self.kind == 'credit_note':
            type_ = ModelData.get_id(
                'crm_fruit_service', 'complaint_type_invoice')
            origin, action = self.invoice, 'credit_note'
        else:
            type_ = ModelData.get_id(
                'crm_fruit_service', 'complaint_type_sale_line')
            origin, action = self.sale_line, 'sale_return'
        complaint = Complaint(
            company=self.ticket.company, customer=self.ticket.party,
            type=type_, origin=origin, reference=self.ticket.number,
            date=pool.get('ir.date').today(),
            description=self.reason,
            actions=[Action(action=action, quantity=self.quantity)])
        return complaint

    def get_replacement_sale(self):
        "Return a free sale of the complained goods to send them again"
        pool = Pool()
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        line = self.sale_line
        with without_check_access():
            sale, = Sale.copy([line.sale], default={
                    'lines': None,
                    'origin': str(self.complaint),
                    'reference': self.ticket.number,
                    })
            Line.copy([line], default={
                    'sale': sale.id,
                    'quantity': self.quantity or line.quantity,
                    'unit_price': Decimal(0),
                    })
        return sale

    def get_rec_name(self, name):
        return '%s (%s)' % (self.ticket.rec_name, self.kind_string)
