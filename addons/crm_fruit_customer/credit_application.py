# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field, set_employee
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import CreditApplicationError
from .scope import (
    CustomerRecordNameMixin, check_created_state, check_customer_scope,
    check_system_fields)

STATES = [
    ('draft', "Draft"),
    ('submitted', "Submitted"),
    ('reviewed', "Reviewed"),
    ('approved', "Approved"),
    ('refused', "Refused"),
    ('cancelled', "Cancelled"),
    ]


class Application(
        CustomerRecordNameMixin, Workflow, ModelSQL, ModelView):
    """A rep's request to sell on credit to a customer (seed 004): the
    credit control reviews it, the marketing head approves it and an
    agreement with the customer follows"""
    __name__ = 'crm.credit.application'
    __string__ = "Credit Application"

    _request = {
        'readonly': Eval('state') != 'draft',
        }
    _review = {
        'readonly': ~Eval('state').in_(['submitted', 'reviewed']),
        'invisible': Eval('state') == 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_request)
    party = fields.Many2One(
        'party.party', "Customer", required=True, states=_request,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    employee = fields.Many2One(
        'company.employee', "Applicant", required=True, states=_request,
        domain=[('company', '=', Eval('company', -1))],
        help="The rep who applies for the customer.")
    date = fields.Date("Date", required=True, states=_request)
    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    amount = Monetary(
        "Requested Limit", currency='currency', digits='currency',
        required=True, states=_request,
        domain=[('amount', '>', 0)])
    payment_term = fields.Many2One(
        'account.invoice.payment_term', "Payment Term", required=True,
        states=_request, help="The term the customer is to pay in.")
    reason = fields.Text(
        "Reason", required=True, states=_request,
        help="Why the customer should buy on credit: volume, history, "
        "the order expected.")
    requested_class = fields.Function(fields.Many2One(
            'crm.credit.class', "Requested Class",
            help="The credit class the requested limit is in."),
        'on_change_with_requested_class')
    current_limit = fields.Function(Monetary(
            "Current Limit", currency='currency', digits='currency'),
        'get_current')
    current_rating = fields.Function(
        fields.Char("Current Rating"), 'get_current')
    evaluated_limit = fields.Function(Monetary(
            "Evaluated Limit", currency='currency', digits='currency',
            help="The limit the customer's last approved credit evaluation "
            "suggests."),
        'get_evaluated')
    evaluated_rating = fields.Function(fields.Char(
            "Evaluated Rating",
            help="The rating the customer's last approved credit "
            "evaluation suggests."),
        'get_evaluated')

    granted_amount = Monetary(
        "Granted Limit", currency='currency', digits='currency',
        states=_review, domain=[('granted_amount', '>', 0)],
        help="The limit the credit control proposes; the requested one "
        "unless changed.")
    review_note = fields.Text(
        "Review", states=_review,
        help="The evaluation: financial situation, payment record, "
        "guarantees wanted.")
    reviewed_by = employee_field(
        "Reviewed By", states=['approved', 'refused', 'cancelled'])
    approved_by = employee_field(
        "Approved By", states=['approved', 'refused', 'cancelled'])
    refused_by = employee_field(
        "Refused By", states=['approved', 'refused', 'cancelled'])
    agreement = fields.Many2One(
        'crm.credit.agreement', "Agreement", readonly=True,
        states={
            'invisible': ~Eval('agreement'),
            })
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')

    del _request, _review

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'submitted'),
            ('draft', 'cancelled'),
            ('submitted', 'reviewed'),
            ('submitted', 'refused'),
            ('submitted', 'cancelled'),
            ('reviewed', 'approved'),
            ('reviewed', 'refused'),
            ('refused', 'draft'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': ~Eval('state').in_(['refused', 'cancelled']),
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'submit': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'review': {
                    'invisible': Eval('state') != 'submitted',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'reviewed',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'refuse': {
                    'invisible': ~Eval('state').in_(['submitted', 'reviewed']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'submitted']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_employee(cls):
        return Transaction().context.get('employee')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'draft'

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('amount')
    def on_change_with_requested_class(self, name=None):
        return Pool().get('crm.credit.class').of_amount(self.amount)

    @fields.depends('party')
    def on_change_party(self):
        if self.party and self.party.customer_payment_term:
            self.payment_term = self.party.customer_payment_term

    @classmethod
    def get_current(cls, applications, names):
        pool = Pool()
        Party = pool.get('party.party')
        result = {name: {} for name in names}
        for company, group in cls._by_company(applications).items():
            parties = Party.browse({a.party.id for a in group})
            with Transaction().set_context(company=company.id):
                limits = Party.credit_limits(parties)
                ratings = Party.get_credit_rating(parties, ['credit_rating'])
            for application in group:
                party = application.party.id
                if 'current_limit' in names:
                    result['current_limit'][application.id] = limits[party]
                if 'current_rating' in names:
                    result['current_rating'][application.id] = (
                        ratings['credit_rating'][party])
        return result

    @classmethod
    def get_evaluated(cls, applications, names):
        pool = Pool()
        Evaluation = pool.get('crm.credit.evaluation')
        result = {name: {} for name in names}
        for company, group in cls._by_company(applications).items():
            # the evaluation is the reference of whoever reads the request
            with without_check_access():
                latest = Evaluation.latest_approved(
                    {a.party for a in group}, company)
            for application in group:
                evaluation = latest.get(application.party.id)
                if 'evaluated_limit' in names:
                    result['evaluated_limit'][application.id] = (
                        evaluation.suggested_limit if evaluation else None)
                if 'evaluated_rating' in names:
                    result['evaluated_rating'][application.id] = (
                        evaluation.suggested_rating if evaluation else None)
        return result

    @staticmethod
    def _by_company(records):
        groups = {}
        for record in records:
            groups.setdefault(record.company, []).append(record)
        return groups

    def _rec_name_detail(self):
        return str(self.date)

    @classmethod
    def _system_fields(cls):
        "The fields that only the workflow writes"
        return {
            'state', 'reviewed_by', 'approved_by', 'refused_by', 'agreement'}

    @classmethod
    def _request_fields(cls):
        "The fields of the request, fixed once it is submitted"
        return {
            'company', 'party', 'employee', 'date', 'amount', 'payment_term',
            'reason'}

    @classmethod
    def check_modification(
            cls, mode, applications, values=None, external=False):
        super().check_modification(
            mode, applications, values=values, external=external)
        if external:
            # the review is no change of the customer: only the request is
            # limited to the customers the user may write
            check_customer_scope(cls, mode, applications, values)
        if external and mode == 'create':
            check_created_state(cls, applications, 'draft')
        elif external and mode == 'write':
            check_system_fields(
                cls, mode, applications, values, cls._system_fields())
            cls.check_stage_fields(applications, values)
        if mode == 'delete':
            for application in applications:
                if application.state not in {'draft', 'cancelled'}:
                    raise CreditApplicationError(gettext(
                            'crm_fruit_customer.msg_credit_application_delete',
                            application=application.rec_name))

    @classmethod
    def check_stage_fields(cls, applications, values):
        """The request is changed only as a draft, the review only while it
        is under review"""
        request = cls._request_fields() & values.keys()
        review = {'granted_amount', 'review_note'} & values.keys()
        for application in applications:
            if ((request and application.state != 'draft')
                    or (review and application.state not in {
                            'submitted', 'reviewed'})):
                raise CreditApplicationError(gettext(
                        'crm_fruit_customer.msg_credit_application_stage',
                        application=application.rec_name,
                        state=application.state_string))

    @classmethod
    def check_not_applicant(cls, applications):
        "Nobody reviews or approves his own application"
        pool = Pool()
        User = pool.get('res.user')
        employees = set(User.get_employees())
        for application in applications:
            if application.employee.id in employees:
                raise CreditApplicationError(gettext(
                        'crm_fruit_customer.msg_credit_application_own',
                        application=application.rec_name))

    @classmethod
    def copy(cls, applications, default=None):
        default = default.copy() if default is not None else {}
        for name in ['granted_amount', 'review_note', 'reviewed_by',
                'approved_by', 'refused_by', 'agreement']:
            default.setdefault(name)
        default.setdefault('date', cls.default_date())
        return super().copy(applications, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, applications):
        cls.write(applications, {
                'reviewed_by': None,
                'refused_by': None,
                })

    @classmethod
    @ModelView.button
    @Workflow.transition('submitted')
    def submit(cls, applications):
        for application in applications:
            if not application.granted_amount:
                application.granted_amount = application.amount
        cls.save(applications)

    @classmethod
    @ModelView.button
    @Workflow.transition('reviewed')
    @set_employee('reviewed_by')
    def review(cls, applications):
        cls.check_not_applicant(applications)

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    @set_employee('approved_by')
    def approve(cls, applications):
        pool = Pool()
        Agreement = pool.get('crm.credit.agreement')
        cls.check_not_applicant(applications)
        agreements = [a._get_agreement() for a in applications]
        Agreement.save(agreements)
        for application, agreement in zip(applications, agreements):
            application.agreement = agreement
        cls.save(applications)

    def _get_agreement(self):
        "The agreement to sign with the customer for the granted limit"
        pool = Pool()
        Agreement = pool.get('crm.credit.agreement')
        agreement = Agreement(
            company=self.company, party=self.party, application=self,
            amount=self.granted_amount or self.amount,
            payment_term=self.payment_term)
        agreement.valid_from = Agreement.default_valid_from()
        agreement.valid_to = Agreement.default_valid_to()
        return agreement

    @classmethod
    @ModelView.button
    @Workflow.transition('refused')
    @set_employee('refused_by')
    def refuse(cls, applications):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, applications):
        pass
