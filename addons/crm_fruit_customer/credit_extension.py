# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field, set_employee
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import CreditExtensionError
from .scope import (
    CustomerRecordNameMixin, check_created_state, check_customer_scope,
    check_system_fields)

STATES = [
    ('draft', "Draft"),
    ('requested', "Requested"),
    ('approved', "Approved"),
    ('refused', "Refused"),
    ]


class Extension(
        CustomerRecordNameMixin, Workflow, ModelSQL, ModelView):
    """A customer's written request to pay an amount later for a cause he
    could not help (seed 004: typhoons, floods on the way): approved, the
    due date of the receivable moves and the ladder counts from it"""
    __name__ = 'crm.credit.extension'
    __string__ = "Payment Extension"

    _draft = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    party = fields.Many2One(
        'party.party', "Customer", required=True, states=_draft,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    invoice = fields.Many2One(
        'account.invoice', "Invoice", required=True, states=_draft,
        domain=[
            ('party', '=', Eval('party', -1)),
            ('company', '=', Eval('company', -1)),
            ('type', '=', 'out'),
            ('state', '=', 'posted'),
            ],
        help="The invoice the customer asks to pay later.")
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    amount = fields.Function(Monetary(
            "Amount", currency='currency', digits='currency'),
        'on_change_with_amount')
    current_due_date = fields.Function(fields.Date(
            "Current Due Date",
            help="The day the receivable falls due now."),
        'on_change_with_current_due_date')
    due_date = fields.Date(
        "Due Date", readonly=True,
        states={
            'invisible': Eval('state') == 'draft',
            },
        help="The due date of the receivable when the extension was asked.")
    new_due_date = fields.Date(
        "New Due Date", required=True, states=_draft,
        help="The day the customer undertakes to pay.")
    reason = fields.Text(
        "Reason", required=True, states=_draft,
        help="The cause the customer gives in his written request (attach "
        "it): the weather, a closed road, a disaster.")
    approved_by = employee_field("Approved By", states=['approved'])
    refused_by = employee_field("Refused By", states=['refused'])
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')

    del _draft

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'requested'),
            ('requested', 'approved'),
            ('requested', 'refused'),
            ('refused', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': Eval('state') != 'refused',
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'request': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'requested',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'refuse': {
                    'invisible': Eval('state') != 'requested',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('invoice')
    def on_change_with_amount(self, name=None):
        if self.invoice:
            return self.invoice.amount_to_pay

    @fields.depends('invoice')
    def on_change_with_current_due_date(self, name=None):
        return self._open_due_date()

    def _open_lines(self):
        "The receivable lines of the invoice not paid yet"
        if not self.invoice:
            return []
        return [line for line in self.invoice.lines_to_pay
            if not line.reconciliation and line.maturity_date]

    def _open_due_date(self):
        return min((line.maturity_date for line in self._open_lines()),
            default=None)

    def _rec_name_detail(self):
        return '%s → %s' % (self.due_date, self.new_due_date)

    @classmethod
    def check_modification(
            cls, mode, extensions, values=None, external=False):
        super().check_modification(
            mode, extensions, values=values, external=external)
        if external:
            check_customer_scope(cls, mode, extensions, values)
        if external and mode == 'create':
            check_created_state(cls, extensions, 'draft')
        if external:
            check_system_fields(cls, mode, extensions, values, {
                    'due_date', 'approved_by', 'refused_by'}
                | ({'state'} if mode == 'write' else set()))
        if mode in {'write', 'delete'} and external:
            for extension in extensions:
                if extension.state != 'draft':
                    raise CreditExtensionError(gettext(
                            'crm_fruit_customer.msg_credit_extension_draft',
                            extension=extension.rec_name,
                            state=extension.state_string))

    @classmethod
    def validate_fields(cls, extensions, field_names):
        super().validate_fields(extensions, field_names)
        cls.check_line(extensions)

    @classmethod
    def check_line(cls, extensions):
        "The receivable is the customer's and the new date after its own"
        for extension in extensions:
            due_date = extension.due_date or extension._open_due_date()
            if (extension.invoice.party != extension.party
                    or (due_date and extension.new_due_date <= due_date)):
                raise CreditExtensionError(gettext(
                        'crm_fruit_customer.msg_credit_extension_date',
                        extension=extension.rec_name))

    @classmethod
    def copy(cls, extensions, default=None):
        default = default.copy() if default is not None else {}
        for name in ['due_date', 'approved_by', 'refused_by']:
            default.setdefault(name)
        return super().copy(extensions, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, extensions):
        cls.write(extensions, {'refused_by': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('requested')
    def request(cls, extensions):
        "The due date it moves from is the one of the request"
        for extension in extensions:
            extension.due_date = extension._open_due_date()
            if not extension.due_date:
                raise CreditExtensionError(gettext(
                        'crm_fruit_customer.msg_credit_extension_paid',
                        extension=extension.rec_name))
        cls.save(extensions)

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    @set_employee('approved_by')
    def approve(cls, extensions):
        """The invoice falls due on the new day: each amount still open
        moves by as many days as the first"""
        pool = Pool()
        MoveLine = pool.get('account.move.line')
        for extension in extensions:
            lines = extension._open_lines()
            if not lines:
                raise CreditExtensionError(gettext(
                        'crm_fruit_customer.msg_credit_extension_paid',
                        extension=extension.rec_name))
            delay = extension.new_due_date - extension.due_date
            for line in lines:
                MoveLine.write([line], {
                        'maturity_date': line.maturity_date + delay,
                        })

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    @set_employee('refused_by')
    def refuse(cls, extensions):
        pass
