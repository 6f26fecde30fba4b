# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field, set_employee
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access

from .exceptions import CreditAgreementError
from .scope import (
    CustomerRecordNameMixin, check_created_state, check_customer_scope,
    check_system_fields)

# the validity of an agreement unless the credit control sets another
DEFAULT_VALIDITY = relativedelta(years=1, days=-1)


class Agreement(
        CustomerRecordNameMixin, Workflow, ModelSQL, ModelView):
    """The credit agreement signed with the customer: while it is active its
    amount is the customer's credit limit (account_credit_limit, checked when
    a sale is confirmed) and its payment term his term"""
    __name__ = 'crm.credit.agreement'
    __string__ = "Credit Agreement"

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    party = fields.Many2One(
        'party.party', "Customer", required=True, states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    application = fields.Many2One(
        'crm.credit.application', "Application", readonly=True,
        domain=[('party', '=', Eval('party', -1))])
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    amount = Monetary(
        "Credit Limit", currency='currency', digits='currency',
        required=True, states=_states, domain=[('amount', '>', 0)])
    credit_class = fields.Function(fields.Many2One(
            'crm.credit.class', "Credit Class"),
        'on_change_with_credit_class')
    payment_term = fields.Many2One(
        'account.invoice.payment_term', "Payment Term", required=True,
        states=_states)
    valid_from = fields.Date(
        "Valid From", required=True, states=_states,
        domain=[
            If(Eval('valid_to'),
                ('valid_from', '<=', Eval('valid_to')),
                ()),
            ])
    valid_to = fields.Date(
        "Valid To", required=True, states=_states,
        domain=[
            If(Eval('valid_from'),
                ('valid_to', '>=', Eval('valid_from')),
                ()),
            ],
        help="The last day of the agreement: the limit ends after it.")
    guarantees = fields.One2Many(
        'crm.credit.guarantee', 'agreement', "Guarantees", states=_states)
    signed_by = employee_field(
        "Signed By", states=['active', 'expired', 'terminated'])
    signed_date = fields.Date("Signed On", readonly=True)
    terminated_by = employee_field(
        "Terminated By", states=['active', 'expired', 'terminated'])
    state = fields.Selection([
            ('draft', "Draft"),
            ('active', "Active"),
            ('expired', "Expired"),
            ('terminated', "Terminated"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('valid_from', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'active'),
            ('active', 'expired'),
            ('active', 'terminated'),
            }
        cls._buttons.update({
                'sign': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'terminate': {
                    'invisible': Eval('state') != 'active',
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_valid_from(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_valid_to(cls):
        return cls.default_valid_from() + DEFAULT_VALIDITY

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('amount')
    def on_change_with_credit_class(self, name=None):
        return Pool().get('crm.credit.class').of_amount(self.amount)

    @fields.depends('valid_from')
    def on_change_valid_from(self):
        if self.valid_from:
            self.valid_to = self.valid_from + DEFAULT_VALIDITY

    def _rec_name_detail(self):
        return '%s – %s' % (self.valid_from, self.valid_to)

    @classmethod
    def check_modification(cls, mode, agreements, values=None, external=False):
        super().check_modification(
            mode, agreements, values=values, external=external)
        if external:
            # the credit control signs with customers it does not serve
            check_customer_scope(
                cls, mode, agreements, values, scope='read')
        if external and mode == 'create':
            check_created_state(cls, agreements, 'draft')
        elif external and mode == 'write':
            check_system_fields(cls, mode, agreements, values, {
                    'state', 'application', 'signed_by', 'signed_date',
                    'terminated_by'})
            cls.check_draft(agreements)
        elif mode == 'delete':
            cls.check_draft(agreements)

    @classmethod
    def check_draft(cls, agreements):
        "A signed agreement is a document: it is not changed or deleted"
        for agreement in agreements:
            if agreement.state != 'draft':
                raise CreditAgreementError(gettext(
                        'crm_fruit_customer.msg_credit_agreement_signed',
                        agreement=agreement.rec_name))

    @classmethod
    def copy(cls, agreements, default=None):
        default = default.copy() if default is not None else {}
        for name in ['application', 'signed_by', 'signed_date',
                'terminated_by']:
            default.setdefault(name)
        return super().copy(agreements, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('active')
    @set_employee('signed_by')
    def sign(cls, agreements):
        today = Pool().get('ir.date').today()
        cls.check_valid(agreements)
        cls.terminate(cls._superseded(agreements))
        cls.write(agreements, {'signed_date': today})
        cls._set_party_terms(agreements)

    @classmethod
    def check_valid(cls, agreements):
        today = Pool().get('ir.date').today()
        for agreement in agreements:
            if agreement.valid_to < today:
                raise CreditAgreementError(gettext(
                        'crm_fruit_customer.msg_credit_agreement_ended',
                        agreement=agreement.rec_name,
                        date=agreement.valid_to))

    @classmethod
    def _superseded(cls, agreements):
        "The active agreements of the same customers that the new ones end"
        if not agreements:
            return []
        return cls.search([
                ('state', '=', 'active'),
                ('id', 'not in', [a.id for a in agreements]),
                ['OR', *(
                        [('company', '=', a.company.id),
                            ('party', '=', a.party.id)]
                        for a in agreements)],
                ])

    @classmethod
    def _set_party_terms(cls, agreements):
        """The agreement's limit and term become the customer's; whoever
        signs may not set limits himself: the agreement is what allows it"""
        pool = Pool()
        Party = pool.get('party.party')
        for agreement in agreements:
            with Transaction().set_context(company=agreement.company.id), \
                    without_check_access():
                Party.write([Party(agreement.party.id)], {
                        'credit_limit_amount': agreement.amount,
                        'customer_payment_term': agreement.payment_term.id,
                        })

    @classmethod
    def _end_party_limits(cls, agreements):
        """Without an active agreement the customer buys on no credit: a
        limit of zero (no limit would be an unlimited one)"""
        pool = Pool()
        Party = pool.get('party.party')
        still = {(a.company.id, a.party.id) for a in cls.search([
                    ('state', '=', 'active'),
                    ('party', 'in', [a.party.id for a in agreements]),
                    ])}
        for agreement in agreements:
            key = (agreement.company.id, agreement.party.id)
            if key in still:
                continue
            with Transaction().set_context(company=agreement.company.id), \
                    without_check_access():
                Party.write([Party(agreement.party.id)], {
                        'credit_limit_amount': Decimal(0),
                        })

    @classmethod
    @ModelView.button
    @Workflow.transition('terminated')
    @set_employee('terminated_by')
    def terminate(cls, agreements):
        pass

    @classmethod
    @Workflow.transition('expired')
    def expire(cls, agreements):
        pass

    @classmethod
    def on_modification(cls, mode, agreements, field_names=None):
        super().on_modification(mode, agreements, field_names=field_names)
        if mode == 'write' and 'state' in (field_names or ()):
            ended = [a for a in agreements
                if a.state in {'expired', 'terminated'}]
            if ended:
                cls._end_party_limits(ended)

    @classmethod
    def expire_agreements(cls):
        "End the active agreements whose last day has passed (cron)"
        today = Pool().get('ir.date').today()
        cls.expire(cls.search([
                    ('state', '=', 'active'),
                    ('valid_to', '<', today),
                    ]))


class Guarantee(ModelSQL, ModelView):
    "A security of a credit agreement: mortgage, pledge or guarantor"
    __name__ = 'crm.credit.guarantee'
    __string__ = "Credit Guarantee"

    agreement = fields.Many2One(
        'crm.credit.agreement', "Agreement", required=True,
        ondelete='CASCADE')
    kind = fields.Selection([
            ('mortgage', "Mortgage"),
            ('pledge', "Pledge"),
            ('guarantor', "Guarantor"),
            ], "Kind", required=True)
    guarantor = fields.Many2One(
        'party.party', "Guarantor",
        states={
            'required': Eval('kind') == 'guarantor',
            'invisible': Eval('kind') != 'guarantor',
            })
    description = fields.Char(
        "Description", required=True,
        help="The property mortgaged, the goods pledged or the extent of "
        "the guarantee.")
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    value = Monetary(
        "Value", currency='currency', digits='currency',
        domain=['OR', ('value', '=', None), ('value', '>=', 0)])

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('agreement')

    @fields.depends('agreement', '_parent_agreement.company')
    def on_change_with_currency(self, name=None):
        if self.agreement and self.agreement.company:
            return self.agreement.company.currency

    @classmethod
    def check_modification(cls, mode, guarantees, values=None, external=False):
        super().check_modification(
            mode, guarantees, values=values, external=external)
        Agreement = Pool().get('crm.credit.agreement')
        agreements = {g.agreement for g in guarantees}
        if values and values.get('agreement'):
            agreements.add(Agreement(values['agreement']))
        Agreement.check_draft(agreements)
