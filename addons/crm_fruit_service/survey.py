# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction

from sql import Null
from sql.aggregate import Sum

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Check, DeactivableMixin, Index, ModelSQL, ModelView, Workflow, fields,
    sequence_ordered)
from trytond.modules.company.model import employee_field, set_employee
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .access import check_created_defaults, check_workflow_fields
from .exceptions import ServiceAccessError, SurveyError

DIMENSIONS = [
    ('freshness', "Freshness"),
    ('grading', "Grading"),
    ('packaging', "Packaging"),
    ('delivery', "Delivery"),
    ('service', "Service"),
    ]
CLASSIFICATIONS = [
    (None, ""),
    ('unsatisfied', "Unsatisfied"),
    ('neutral', "Neutral"),
    ('beyond', "Beyond Expectation"),
    ]
WORST_FIELDS = ['worst_dimension', 'worst_index', 'below_expectation']
SCORE_HELP = "From 1 (very low) to 5 (very high)."


def satisfaction_index(expected, perceived):
    "Return C = b / a, the perceived value over the expected one"
    if not expected or perceived is None:
        return None
    return (Decimal(perceived) / Decimal(expected)).quantize(Decimal('0.01'))


def classify(index, tolerance):
    "C below 1 is unsatisfied, about 1 neutral (一般), above 1 beyond"
    if index is None:
        return None
    if index < 1 - tolerance:
        return 'unsatisfied'
    elif index > 1 + tolerance:
        return 'beyond'
    return 'neutral'


def dimension_scores(answers):
    "Return the sums (a, b) of the scored answers of each dimension"
    scores = {}
    for answer in answers:
        if answer.expected and answer.perceived is not None:
            expected, perceived = scores.get(answer.dimension, (0, 0))
            scores[answer.dimension] = (
                expected + answer.expected, perceived + answer.perceived)
    return scores


def worst_dimension(scores):
    """Return the dimension of the lowest C of the sums (a, b) per dimension,
    its C and whether it is below 1"""
    if not scores:
        return None, None, False
    order = [d for d, _ in DIMENSIONS]

    def key(dimension):
        expected, perceived = scores[dimension]
        # exact: a C of 0.995 shows as 1.00 but is below expectation
        return Fraction(perceived, expected), order.index(dimension)
    dimension = min(scores, key=key)
    expected, perceived = scores[dimension]
    return (dimension, satisfaction_index(expected, perceived),
        perceived < expected)


def worst_values(worst, names):
    "Return the values of the worst fields in names from worst per id"
    return {n: {i: w[WORST_FIELDS.index(n)] for i, w in worst.items()}
        for n in names}


class Question(
        DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'service.survey.question'

    dimension = fields.Selection(DIMENSIONS, "Dimension", required=True)
    text = fields.Char("Text", required=True, translate=True)
    usage = fields.Selection([
            ('all', "All Surveys"),
            ('resolution', "After Resolution"),
            ('periodic', "Periodic"),
            ], "Usage", required=True)

    @classmethod
    def default_usage(cls):
        return 'all'


class Survey(Workflow, ModelSQL, ModelView):
    __name__ = 'service.survey'

    _states = {
        'readonly': Eval('state') != 'open',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    party = fields.Many2One(
        'party.party', "Customer", required=True, states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    kind = fields.Selection([
            ('resolution', "After Resolution"),
            ('periodic', "Periodic"),
            ], "Kind", required=True, states=_states)
    date = fields.Date("Date", required=True, states=_states)
    department = fields.Many2One(
        'crm.department', "Department", states=_states,
        domain=[
            ('company', 'in', [Eval('company', -1), None]),
            ])
    product = fields.Many2One(
        'product.product', "Product", states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    ticket = fields.Many2One(
        'service.ticket', "Ticket", readonly=True, ondelete='SET NULL',
        help="The resolved ticket the survey asks about.")
    answers = fields.One2Many(
        'service.survey.answer', 'survey', "Answers", states=_states)
    comment = fields.Text("Comment", states=_states)
    index = fields.Function(
        fields.Numeric("Satisfaction Index", digits=(16, 2),
            help="C = perceived / expected over all answers."),
        'get_index')
    classification = fields.Function(
        fields.Selection(CLASSIFICATIONS, "Classification"),
        'get_classification')
    worst_dimension = fields.Function(
        fields.Selection([(None, "")] + DIMENSIONS, "Worst Dimension",
            help="The dimension of the lowest satisfaction index."),
        'get_worst')
    worst_index = fields.Function(
        fields.Numeric("Worst Index", digits=(16, 2),
            help="C = perceived / expected of the worst dimension."),
        'get_worst')
    below_expectation = fields.Function(
        fields.Boolean("Below Expectation",
            help="The index of a dimension is below 1, "
            "whatever the index of the survey."),
        'get_worst', searcher='search_below_expectation')
    answered_by = employee_field("Answered By", states=['answered'])
    state = fields.Selection([
            ('open', "Open"),
            ('answered', "Answered"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    del _states

    @classmethod
    def __register__(cls, module):
        # The users become employees before the foreign key to employees is
        # added: PostgreSQL checks it at once.
        if cls._answered_by_user():
            cls.__table_handler__(module).drop_fk('answered_by')
            cls._migrate_answered_by_user()
        super().__register__(module)

    @classmethod
    def _answered_by_user(cls):
        "Whether answered_by is still the user of an older version"
        pool = Pool()
        ModelField = pool.get('ir.model.field')
        field = ModelField.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*field.select(field.relation,
                where=(field.model == cls.__name__)
                & (field.name == 'answered_by')))
        row = cursor.fetchone()
        return bool(row) and row[0] == 'res.user'

    @classmethod
    def _migrate_answered_by_user(cls):
        "The answering user becomes his employee"
        pool = Pool()
        User = pool.get('res.user')
        table = cls.__table__()
        user = User.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.answered_by],
                [user.select(user.employee,
                        where=user.id == table.answered_by)],
                where=table.answered_by != Null))

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality()), (t.date, Index.Range())),
                Index(t, (t.state, Index.Equality(cardinality='low'))),
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('open', 'answered'),
            ('open', 'cancelled'),
            ('cancelled', 'open'),
            ('answered', 'open'),
            }
        cls._buttons.update({
                'open': {
                    'invisible': Eval('state') == 'open',
                    'icon': 'tryton-back',
                    'depends': ['state'],
                    },
                'answer': {
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
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_kind(cls):
        return 'periodic'

    @classmethod
    def default_state(cls):
        return 'open'

    def get_rec_name(self, name):
        return f'{self.party.rec_name} @ {self.date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('party.rec_name',) + tuple(clause[1:])]

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('below_expectation', False), 'danger', '')),
            ]

    def get_index(self, name):
        scores = dimension_scores(self.answers).values()
        return satisfaction_index(
            sum(a for a, _ in scores), sum(b for _, b in scores))

    def get_classification(self, name):
        return classify(self.index, self._tolerance())

    @fields.depends('answers')
    def on_change_answers(self):
        self.index = self.get_index('index')
        self.classification = self.get_classification('classification')
        (self.worst_dimension, self.worst_index,
            self.below_expectation) = worst_dimension(
            dimension_scores(self.answers))

    @classmethod
    def get_worst(cls, surveys, names):
        scores = defaultdict(dict)
        cursor = Transaction().connection.cursor()
        for sub_surveys in grouped_slice(surveys, backend.MAX_QUERY_PARAMS):
            cursor.execute(*cls._dimension_scores(
                    surveys=[s.id for s in sub_surveys]))
            for survey, dimension, expected, perceived in cursor:
                scores[survey][dimension] = (expected, perceived)
        return worst_values(
            {s.id: worst_dimension(scores[s.id]) for s in surveys}, names)

    @classmethod
    def search_below_expectation(cls, name, clause):
        _, operator, value = clause
        below = (operator == '=') == bool(value)
        scores = cls._dimension_scores(below=True)
        return [('id', 'in' if below else 'not in',
                scores.select(scores.survey))]

    @classmethod
    def _dimension_scores(cls, surveys=None, below=False):
        "The sums (a, b) of the scored answers per survey and dimension"
        pool = Pool()
        Answer = pool.get('service.survey.answer')
        answer = Answer.__table__()
        expected, perceived = Sum(answer.expected), Sum(answer.perceived)
        where = (answer.expected != Null) & (answer.perceived != Null)
        if surveys is not None:
            where &= reduce_ids(answer.survey, surveys)
        return answer.select(
            answer.survey.as_('survey'), answer.dimension.as_('dimension'),
            expected.as_('expected'), perceived.as_('perceived'),
            where=where,
            group_by=[answer.survey, answer.dimension],
            having=perceived < expected if below else None)

    @classmethod
    def _tolerance(cls):
        return Pool().get('service.configuration')(1).tolerance

    @classmethod
    def on_modification(cls, mode, surveys, field_names=None):
        super().on_modification(mode, surveys, field_names=field_names)
        if mode == 'create':
            cls._add_questions([s for s in surveys if not s.answers])

    @classmethod
    def _add_questions(cls, surveys):
        "Give each survey one answer per active question of its kind"
        pool = Pool()
        Question = pool.get('service.survey.question')
        Answer = pool.get('service.survey.answer')
        questions = {
            kind: Question.search([('usage', 'in', ['all', kind])])
            for kind in {s.kind for s in surveys}}
        Answer.save([
                Answer(survey=s, question=q, dimension=q.dimension)
                for s in surveys for q in questions[s.kind]])

    @classmethod
    def check_modification(cls, mode, surveys, values=None, external=False):
        super().check_modification(
            mode, surveys, values=values, external=external)
        if not external:
            return
        if mode == 'create':
            check_created_defaults(cls, surveys, {
                    'state': ('open',), 'answered_by': (None,)})
        elif mode == 'write':
            check_workflow_fields(
                cls, surveys, values, {'state', 'answered_by', 'ticket'})
            cls.check_open(surveys)

    @classmethod
    def check_open(cls, surveys):
        "Answered surveys are what the satisfaction index is made of"
        for survey in surveys:
            if survey.state != 'open':
                raise ServiceAccessError(gettext(
                        'crm_fruit_service.msg_survey_not_open',
                        survey=survey.rec_name))

    @classmethod
    def copy(cls, surveys, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('state', 'open')
        default.setdefault('answered_by')
        return super().copy(surveys, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, surveys):
        cls.write(surveys, {'answered_by': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('answered')
    @set_employee('answered_by')
    def answer(cls, surveys):
        for survey in surveys:
            if not survey.answers or any(
                    a.expected is None or a.perceived is None
                    for a in survey.answers):
                raise SurveyError(gettext(
                        'crm_fruit_service.msg_survey_incomplete',
                        survey=survey.rec_name))

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, surveys):
        pass

    @classmethod
    def create_for_tickets(cls, tickets):
        "Ask the customers of resolved tickets, once per ticket"
        pool = Pool()
        Date = pool.get('ir.date')
        surveyed = {s.ticket for s in cls.search([
                    ('ticket', 'in', [t.id for t in tickets]),
                    ])}
        surveys = [cls(company=t.company, party=t.party, ticket=t,
                kind='resolution', date=Date.today(),
                department=t.department, product=t.product)
            for t in tickets if t not in surveyed and t.party]
        cls.save(surveys)
        return surveys

    @classmethod
    def create_periodic(cls, date=None):
        "Survey customers who bought recently and were not surveyed lately"
        pool = Pool()
        Date = pool.get('ir.date')
        Configuration = pool.get('service.configuration')
        if date is None:
            date = Date.today()
        since = date - dt.timedelta(days=Configuration(1).periodic_days)
        company = Transaction().context.get('company')
        surveys = [cls(company=company, party=p, kind='periodic', date=date)
            for p in cls._periodic_customers(company, since, date)]
        cls.save(surveys)
        return surveys

    @classmethod
    def _periodic_customers(cls, company, since, date):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Party = pool.get('party.party')
        sale = Sale.__table__()
        survey = cls.__table__()
        surveyed = survey.select(survey.party,
            where=(survey.company == company) & (survey.date > since)
            & (survey.party != Null))
        query = sale.select(sale.party,
            where=(sale.company == company)
            & sale.state.in_(['confirmed', 'processing', 'done'])
            & (sale.sale_date > since) & (sale.sale_date <= date)
            & ~sale.party.in_(surveyed),
            group_by=[sale.party])
        return Party.search([('id', 'in', query)])

    @classmethod
    def cron_create_periodic(cls):
        pool = Pool()
        Company = pool.get('company.company')
        for company in Company.search([]):
            with Transaction().set_context(company=company.id):
                cls.create_periodic()


class Answer(ModelSQL, ModelView):
    __name__ = 'service.survey.answer'

    survey = fields.Many2One(
        'service.survey', "Survey", required=True, ondelete='CASCADE')
    question = fields.Many2One(
        'service.survey.question', "Question", ondelete='RESTRICT',
        context={
            'active_test': False,
            })
    dimension = fields.Selection(DIMENSIONS, "Dimension", required=True)
    expected = fields.Integer(
        "Expected", help="a: what the customer expected. " + SCORE_HELP)
    perceived = fields.Integer(
        "Perceived", help="b: what the customer got. " + SCORE_HELP)
    index = fields.Function(
        fields.Numeric("Index", digits=(16, 2), help="C = b / a"),
        'on_change_with_index')
    classification = fields.Function(
        fields.Selection(CLASSIFICATIONS, "Classification"),
        'on_change_with_classification')
    comment = fields.Char("Comment")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('survey')
        t = cls.__table__()
        cls._sql_constraints += [
            ('expected_range',
                Check(t, (t.expected >= 1) & (t.expected <= 5)),
                'crm_fruit_service.msg_survey_score_range'),
            ('perceived_range',
                Check(t, (t.perceived >= 1) & (t.perceived <= 5)),
                'crm_fruit_service.msg_survey_score_range'),
            ]
        cls._sql_indexes.add(Index(t, (t.survey, Index.Equality())))
        cls._order = [('survey', 'ASC'), ('id', 'ASC')]

    @classmethod
    def check_modification(cls, mode, answers, values=None, external=False):
        pool = Pool()
        Survey = pool.get('service.survey')
        super().check_modification(
            mode, answers, values=values, external=external)
        if external:
            surveys = {a.survey for a in answers}
            if values and values.get('survey'):
                surveys.add(Survey(values['survey']))
            Survey.check_open(surveys)

    @fields.depends('question', 'dimension')
    def on_change_question(self):
        if self.question:
            self.dimension = self.question.dimension

    @fields.depends('expected', 'perceived')
    def on_change_with_index(self, name=None):
        return satisfaction_index(self.expected, self.perceived)

    @fields.depends('expected', 'perceived')
    def on_change_with_classification(self, name=None):
        pool = Pool()
        Survey = pool.get('service.survey')
        return classify(self.on_change_with_index(), Survey._tolerance())
