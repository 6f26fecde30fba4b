# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.company.model import employee_field, set_employee
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .credit_scorecard import MAX_POINTS, POINTS
from .exceptions import CreditEvaluationError
from .notify import notify, users_of
from .party_credit import GRADES
from .scope import (
    CustomerRecordNameMixin, check_created_state, check_customer_scope,
    check_system_fields)

STATES = [
    ('draft', "Draft"),
    ('evaluated', "Evaluated"),
    ('approved', "Approved"),
    ('cancelled', "Cancelled"),
    ]
REVIEW_MONTHS = 6


class Evaluation(
        CustomerRecordNameMixin, Workflow, ModelSQL, ModelView):
    """The credit control's evaluation of a customer (seed 004): the
    characteristic analysis scores the scorecard into a grade, the
    working-capital model turns his statements into a limit; approved by
    the marketing head, the grade is the customer's and the limit the
    reference of his credit agreement"""
    __name__ = 'crm.credit.evaluation'
    __string__ = "Credit Evaluation"

    _draft = {
        'readonly': Eval('state') != 'draft',
        }
    _result = {
        'invisible': Eval('state') == 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_draft)
    party = fields.Many2One(
        'party.party', "Customer", required=True, states=_draft,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    date = fields.Date("Date", required=True, states=_draft)
    statement = fields.Many2One(
        'crm.credit.statement', "Financial Statement", states=_draft,
        domain=[
            ('party', '=', Eval('party', -1)),
            ('company', '=', Eval('company', -1)),
            ],
        help="The statements the working-capital model reads; without "
        "them the evaluation proposes no limit.")
    scores = fields.One2Many(
        'crm.credit.evaluation.score', 'evaluation', "Scores",
        states=_draft)
    report = fields.Text(
        "Report", states=_draft,
        help="The credit investigation report: the sources, the findings, "
        "the guarantees wanted.")

    currency = fields.Function(fields.Many2One(
            'currency.currency', "Currency"), 'on_change_with_currency')
    score = fields.Numeric(
        "Score (%)", digits=(16, 2), readonly=True, states=_result,
        help="The points scored as a share of the points possible.")
    grade = fields.Selection(
        GRADES, "Grade", readonly=True, sort=False, states=_result,
        help="The characteristic grade the score gives.")
    grade_string = grade.translated('grade')
    working_assets = Monetary(
        "Working Assets", currency='currency', digits='currency',
        readonly=True, states=_result,
        help="(Working capital + equity) / 2, in the company's currency.")
    evaluation_value = fields.Numeric(
        "Evaluation Value", digits=(16, 4), readonly=True, states=_result,
        help="Current ratio + quick ratio - current liabilities / equity "
        "- total liabilities / equity: the higher, the sounder.")
    capital_percentage = fields.Numeric(
        "Capital Percentage (%)", digits=(16, 2), readonly=True,
        states=_result,
        help="The share of the working assets the evaluation value grants.")
    limit_factor = fields.Numeric(
        "Limit Factor (%)", digits=(16, 2), readonly=True, states=_result,
        help="The share the grade grants of that.")
    suggested_limit = Monetary(
        "Suggested Limit", currency='currency', digits='currency',
        readonly=True, states=_result)
    suggested_rating = fields.Function(fields.Char(
            "Suggested Rating", states=_result,
            help="The class of the suggested limit and the grade."),
        'get_suggested_rating')
    review_date = fields.Date(
        "Review Date", readonly=True,
        states={
            'invisible': Eval('state') != 'approved',
            },
        help="When the customer's credit data is to be collected again.")
    review_reminded = fields.Boolean("Review Reminded", readonly=True)
    evaluated_by = employee_field(
        "Evaluated By", states=['evaluated', 'approved', 'cancelled'])
    approved_by = employee_field(
        "Approved By", states=['approved', 'cancelled'])
    state = fields.Selection(
        STATES, "State", required=True, readonly=True, sort=False)
    state_string = state.translated('state')

    del _draft, _result

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('draft', 'evaluated'),
            ('draft', 'cancelled'),
            ('evaluated', 'draft'),
            ('evaluated', 'approved'),
            ('evaluated', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'draft': {
                    'invisible': ~Eval('state').in_(
                        ['evaluated', 'cancelled']),
                    'icon': If(Eval('state') == 'cancelled',
                        'tryton-undo', 'tryton-back'),
                    'depends': ['state'],
                    },
                'evaluate': {
                    'invisible': Eval('state') != 'draft',
                    'icon': 'tryton-forward',
                    'depends': ['state'],
                    },
                'approve': {
                    'invisible': Eval('state') != 'evaluated',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': ~Eval('state').in_(['draft', 'evaluated']),
                    'icon': 'tryton-cancel',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_scores(cls):
        "A line for every active item of the scorecard, to be scored"
        pool = Pool()
        Item = pool.get('crm.credit.scorecard.item')
        return [{'item': i.id} for i in Item.search([])]

    @fields.depends('company')
    def on_change_with_currency(self, name=None):
        return self.company.currency if self.company else None

    @fields.depends('party', 'company', 'date', 'scores')
    def on_change_party(self):
        pool = Pool()
        Statement = pool.get('crm.credit.statement')
        self.statement = None
        if self.party and self.company:
            statements = Statement.search([
                    ('party', '=', self.party.id),
                    ('company', '=', self.company.id),
                    ], limit=1)
            self.statement = statements[0] if statements else None
            self._score_payment_record()

    def _score_payment_record(self):
        """Propose the points of the aspects the customer's payment record
        measures: early and on-time payments earn the credit reward"""
        PaymentRecord = Pool().get('crm.credit.payment')
        with Transaction().set_context(company=self.company.id):
            record = PaymentRecord.summary([self.party], self.date)
        scores = list(self.scores or [])
        for score in scores:
            measured = score.item.measured_points(*record[self.party.id]) if (
                score.item) else None
            if measured:
                score.points, score.note = measured
        self.scores = scores

    @classmethod
    def get_suggested_rating(cls, evaluations, name):
        pool = Pool()
        CreditClass = pool.get('crm.credit.class')
        bands = CreditClass.bands()
        result = {}
        for evaluation in evaluations:
            class_ = CreditClass.of_amount(evaluation.suggested_limit, bands)
            result[evaluation.id] = (class_.code + (evaluation.grade or '')
                if class_ and evaluation.grade else None)
        return result

    def _rec_name_detail(self):
        return str(self.date)

    @classmethod
    def _result_fields(cls):
        "The fields the evaluation computes"
        return {
            'score', 'grade', 'working_assets', 'evaluation_value',
            'capital_percentage', 'limit_factor', 'suggested_limit'}

    @classmethod
    def _system_fields(cls):
        "The fields that only the workflow writes"
        return cls._result_fields() | {
            'state', 'review_date', 'review_reminded', 'evaluated_by',
            'approved_by'}

    @classmethod
    def check_modification(
            cls, mode, evaluations, values=None, external=False):
        super().check_modification(
            mode, evaluations, values=values, external=external)
        if external:
            # the credit control evaluates customers it does not serve
            check_customer_scope(
                cls, mode, evaluations, values, scope='read')
        if external and mode == 'create':
            check_created_state(cls, evaluations, 'draft')
            check_system_fields(
                cls, mode, evaluations, values,
                cls._system_fields() - {'state'})
        elif external and mode == 'write':
            check_system_fields(
                cls, mode, evaluations, values, cls._system_fields())
            cls.check_draft(evaluations)
        if mode == 'delete':
            for evaluation in evaluations:
                if evaluation.state not in {'draft', 'cancelled'}:
                    raise CreditEvaluationError(gettext(
                            'crm_fruit_customer.msg_credit_evaluation_delete',
                            evaluation=evaluation.rec_name))

    @classmethod
    def check_draft(cls, evaluations):
        "Only a draft is scored and changed: the result is a document"
        for evaluation in evaluations:
            if evaluation.state != 'draft':
                raise CreditEvaluationError(gettext(
                        'crm_fruit_customer.msg_credit_evaluation_draft',
                        evaluation=evaluation.rec_name,
                        state=evaluation.state_string))

    @classmethod
    def copy(cls, evaluations, default=None):
        default = default.copy() if default is not None else {}
        for name in cls._system_fields() - {'state'}:
            default.setdefault(name)
        default.setdefault('date', cls.default_date())
        return super().copy(evaluations, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, evaluations):
        cls.write(evaluations, dict.fromkeys(
                cls._result_fields() | {'evaluated_by', 'approved_by'}))

    @classmethod
    @ModelView.button
    @Workflow.transition('evaluated')
    @set_employee('evaluated_by')
    def evaluate(cls, evaluations):
        for evaluation in evaluations:
            for name, value in evaluation._compute().items():
                setattr(evaluation, name, value)
        cls.save(evaluations)

    @classmethod
    @ModelView.button
    @Workflow.transition('approved')
    @set_employee('approved_by')
    def approve(cls, evaluations):
        pool = Pool()
        Party = pool.get('party.party')
        cls.check_not_evaluator(evaluations)
        today = pool.get('ir.date').today()
        for evaluation in evaluations:
            evaluation.review_date = today + relativedelta(
                months=REVIEW_MONTHS)
            Party.write([evaluation.party], {
                    'credit_grade': evaluation.grade,
                    })
        cls.save(evaluations)

    @classmethod
    def check_not_evaluator(cls, evaluations):
        "The marketing head does not approve an evaluation of his own"
        pool = Pool()
        User = pool.get('res.user')
        employees = set(User.get_employees())
        for evaluation in evaluations:
            if evaluation.evaluated_by and (
                    evaluation.evaluated_by.id in employees):
                raise CreditEvaluationError(gettext(
                        'crm_fruit_customer.msg_credit_evaluation_own',
                        evaluation=evaluation.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, evaluations):
        pass

    @classmethod
    def latest_approved(cls, parties, company):
        "{party id: the latest approved evaluation of the party}"
        latest = {}
        for evaluation in cls.search([
                    ('party', 'in', [int(p) for p in parties]),
                    ('company', '=', int(company)),
                    ('state', '=', 'approved'),
                    ], order=[('date', 'ASC'), ('id', 'ASC')]):
            latest[evaluation.party.id] = evaluation
        return latest

    @classmethod
    def remind_reviews(cls, date=None):
        """Tell the reps of the customers and the evaluator once that the
        credit data of the customers is due to be collected again"""
        pool = Pool()
        if date is None:
            date = pool.get('ir.date').today()
        due = cls.search([
                ('state', '=', 'approved'),
                ('review_date', '<=', date),
                ('review_reminded', '!=', True),
                ])
        by_company = {}
        for evaluation in due:
            by_company.setdefault(evaluation.company, []).append(evaluation)
        for company, evaluations in by_company.items():
            latest = cls.latest_approved(
                {e.party for e in evaluations}, company)
            for evaluation in evaluations:
                if latest.get(evaluation.party.id) == evaluation:
                    party = evaluation.party
                    evaluation._notify_review(users_of([
                                party.sales_rep, party.second_contact,
                                evaluation.evaluated_by]))
        cls.write(due, {'review_reminded': True})

    def _notify_review(self, users):
        def values():
            lang = Pool().get('ir.lang').get()
            return {
                'customer': self.party.rec_name,
                'date': lang.strftime(self.date),
                'grade': self.__class__(self.id).grade_string,
                }
        notify(users, 'msg_credit_review_label', 'msg_credit_review',
            values, self.party)

    def _compute(self):
        "The values of the result fields"
        pool = Pool()
        GradeBand = pool.get('crm.credit.grade.band')
        score = self._score()
        band = GradeBand.of_score(score)
        if not band:
            raise CreditEvaluationError(gettext(
                    'crm_fruit_customer.msg_credit_evaluation_no_grade',
                    evaluation=self.rec_name, score=score))
        result = {
            'score': score,
            'grade': band.grade,
            'limit_factor': band.limit_factor,
            }
        result.update(self._capital_model(band.limit_factor))
        return result

    def _score(self):
        "The points scored as a percentage of the points possible"
        scored = possible = 0
        for line in self.scores:
            if line.points is None:
                raise CreditEvaluationError(gettext(
                        'crm_fruit_customer.msg_credit_evaluation_unscored',
                        evaluation=self.rec_name, item=line.item.rec_name))
            scored += int(line.points) * line.weight
            possible += MAX_POINTS * line.weight
        if not possible:
            raise CreditEvaluationError(gettext(
                    'crm_fruit_customer.msg_credit_evaluation_no_score',
                    evaluation=self.rec_name))
        return (Decimal(scored) * 100 / possible).quantize(Decimal('0.01'))

    def _capital_model(self, limit_factor):
        """The working-capital model of seed 004 on the statements: the
        limit is a percentage of the working assets, the percentage given
        by the evaluation value, then the grade's share of it"""
        pool = Pool()
        CapitalBand = pool.get('crm.credit.capital.band')
        Currency = pool.get('currency.currency')
        statement = self.statement
        none = dict.fromkeys([
                'working_assets', 'evaluation_value', 'capital_percentage',
                'suggested_limit'])
        if not statement:
            return none
        equity = statement.equity
        working_assets = (statement.working_capital + equity) / 2
        if equity <= 0:
            # liabilities above the assets: no credit, whatever the ratios
            value, percentage = None, Decimal(0)
        else:
            value = self._evaluation_value(statement)
            percentage = CapitalBand.percentage_of(value)
        if percentage is None:
            return none
        limit = max(working_assets, 0) * percentage * limit_factor / 10000
        with Transaction().set_context(date=self.date):
            working_assets, limit = (Currency.compute(
                    statement.currency, amount, self.company.currency)
                for amount in [working_assets, limit])
        return {
            'working_assets': working_assets,
            'evaluation_value': value,
            'capital_percentage': percentage,
            'suggested_limit': limit,
            }

    @staticmethod
    def _evaluation_value(statement):
        "None when there are no current liabilities: no ratio bounds it"
        if not statement.current_liabilities:
            return None
        equity = statement.equity
        value = (statement.current_ratio + statement.quick_ratio
            - Decimal(statement.current_liabilities) / equity
            - Decimal(statement.total_liabilities) / equity)
        return value.quantize(Decimal('0.0001'))


class EvaluationScore(ModelSQL, ModelView):
    "The points an evaluation gives one aspect of the scorecard"
    __name__ = 'crm.credit.evaluation.score'
    __string__ = "Credit Evaluation Score"

    evaluation = fields.Many2One(
        'crm.credit.evaluation', "Evaluation", required=True,
        ondelete='CASCADE')
    item = fields.Many2One(
        'crm.credit.scorecard.item', "Item", required=True,
        ondelete='RESTRICT')
    category = fields.Function(fields.Selection(
            'get_categories', "Category"), 'on_change_with_category')
    characteristic = fields.Function(
        fields.Char("Characteristic"), 'on_change_with_characteristic')
    description = fields.Function(
        fields.Text("Description"), 'on_change_with_description')
    weight = fields.Function(
        fields.Integer("Weight"), 'on_change_with_weight')
    points = fields.Selection(
        POINTS, "Points", sort=False,
        help="From 0 (bad) to 4 (very good).")
    note = fields.Char("Note", help="What the points rest on.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('evaluation')
        cls._order = [
            ('item.sequence', 'ASC NULLS FIRST'),
            ('item.id', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def get_categories(cls):
        pool = Pool()
        Item = pool.get('crm.credit.scorecard.item')
        return Item.fields_get(['category'])['category']['selection']

    @fields.depends('item')
    def on_change_with_category(self, name=None):
        return self.item.category if self.item else None

    @fields.depends('item')
    def on_change_with_characteristic(self, name=None):
        return self.item.characteristic if self.item else None

    @fields.depends('item')
    def on_change_with_description(self, name=None):
        return self.item.description if self.item else None

    @fields.depends('item')
    def on_change_with_weight(self, name=None):
        return self.item.weight if self.item else None

    def get_rec_name(self, name):
        return self.item.rec_name

    @classmethod
    def check_modification(cls, mode, scores, values=None, external=False):
        super().check_modification(
            mode, scores, values=values, external=external)
        Evaluation = Pool().get('crm.credit.evaluation')
        evaluations = {s.evaluation for s in scores}
        if values and values.get('evaluation'):
            evaluations.add(Evaluation(values['evaluation']))
        if mode == 'delete':
            # a cancelled evaluation is deleted with its scores
            evaluations = {e for e in evaluations if e.state != 'cancelled'}
        Evaluation.check_draft(evaluations)
