# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Satisfaction index analyses over the answered surveys"
import datetime as dt
from collections import defaultdict

from sql import Column, Literal
from sql.aggregate import Count, Min, Sum
from sql.functions import DateTrunc

from trytond import backend
from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.crm_fruit_customer.reporting_context import (
    DepartmentContextMixin, PeriodContextMixin)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .survey import (
    CLASSIFICATIONS, DIMENSIONS, classify, worst_dimension, worst_values)


PERIODS = {'year', 'month', 'day'}


class Context(PeriodContextMixin, DepartmentContextMixin, ModelView):
    "Period and department of the service analyses"
    __name__ = 'service.feedback.context'

    period = fields.Selection([
            ('year', "Year"),
            ('month', "Month"),
            ('day', "Day"),
            ], "Period", required=True)

    @classmethod
    def default_period(cls):
        return Transaction().context.get('period', 'month')


def date_where(column, is_datetime=False):
    "Filter column on the from_date and to_date of the context"
    context = Transaction().context
    where = Literal(True)
    from_date, to_date = context.get('from_date'), context.get('to_date')
    if from_date:
        if is_datetime:
            from_date = dt.datetime.combine(from_date, dt.time())
        where &= column >= from_date
    if to_date:
        if is_datetime:
            where &= column < dt.datetime.combine(
                to_date + dt.timedelta(days=1), dt.time())
        else:
            where &= column <= to_date
    return where


class Abstract(ModelSQL, ModelView):
    "Satisfaction index C = sum of b / sum of a of the answers"

    company = fields.Many2One('company.company', "Company")
    answers = fields.Integer("Answers")
    expected = fields.Float("Expected (a)", digits=(16, 2),
        help="The average expected score.")
    perceived = fields.Float("Perceived (b)", digits=(16, 2),
        help="The average perceived score.")
    index = fields.Float("Satisfaction Index", digits=(16, 2),
        help="C = b / a")
    classification = fields.Function(
        fields.Selection(CLASSIFICATIONS, "Classification"),
        'get_classification')

    # The columns of the survey the rows are grouped by, and their fields
    _survey_groups = ()

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('index', 'ASC'), ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        survey = Survey.__table__()
        answer = Answer.__table__()
        tables = {'survey': survey, 'answer': answer}
        return (answer
            .join(survey, condition=answer.survey == survey.id)
            .select(*cls._columns(tables),
                where=cls._where(tables),
                group_by=[survey.company] + cls._group_by(tables)))

    @classmethod
    def _columns(cls, tables):
        survey, answer = tables['survey'], tables['answer']
        expected, perceived = Sum(answer.expected), Sum(answer.perceived)
        count = Count(Literal(1))
        return [
            Min(answer.id).as_('id'),
            survey.company.as_('company'),
            count.as_('answers'),
            (cls.expected.sql_cast(expected) / count).as_('expected'),
            (cls.perceived.sql_cast(perceived) / count).as_('perceived'),
            (cls.index.sql_cast(perceived) / expected).as_('index'),
            ] + [Column(tables['survey'], n).as_(n)
                for n in cls._survey_groups]

    @classmethod
    def _group_by(cls, tables):
        return [Column(tables['survey'], n) for n in cls._survey_groups]

    @classmethod
    def _where(cls, tables):
        context = Transaction().context
        survey, answer = tables['survey'], tables['answer']
        where = ((survey.company == context.get('company', -1))
            & (survey.state == 'answered')
            & (answer.expected > 0) & (answer.perceived > 0))
        where &= date_where(survey.date)
        if context.get('department'):
            where &= survey.department == context['department']
        return where

    def get_classification(self, name):
        pool = Pool()
        Survey = pool.get('service.survey')
        if self.index is None:
            return None
        return classify(round(self.index, 2), Survey._tolerance())


class Dimension(Abstract):
    "Satisfaction per dimension"
    __name__ = 'service.satisfaction.dimension'

    dimension = fields.Selection(DIMENSIONS, "Dimension")
    dimension_string = dimension.translated('dimension')
    dimension_label = fields.Function(
        fields.Char("Dimension"), 'get_dimension_label')

    @classmethod
    def _columns(cls, tables):
        return super()._columns(tables) + [
            tables['answer'].dimension.as_('dimension')]

    @classmethod
    def _group_by(cls, tables):
        return [tables['answer'].dimension]

    def get_dimension_label(self, name):
        return self.dimension_string


class Customer(Abstract):
    "Satisfaction per customer"
    __name__ = 'service.satisfaction.customer'

    party = fields.Many2One('party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    worst_dimension = fields.Function(
        fields.Selection([(None, "")] + DIMENSIONS, "Worst Dimension",
            help="The dimension of the lowest satisfaction index."),
        'get_worst')
    worst_index = fields.Function(
        fields.Float("Worst Index", digits=(16, 2),
            help="C = b / a of the worst dimension."),
        'get_worst')
    below_expectation = fields.Function(
        fields.Boolean("Below Expectation",
            help="The index of a dimension is below 1, "
            "whatever the index of the customer."),
        'get_worst', searcher='search_below_expectation')
    _survey_groups = ('party',)

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('below_expectation', False), 'danger', '')),
            ]

    @classmethod
    def get_worst(cls, rows, names):
        scores = defaultdict(dict)
        cursor = Transaction().connection.cursor()
        for sub_rows in grouped_slice(rows, backend.MAX_QUERY_PARAMS):
            cursor.execute(*cls._dimension_scores(
                    parties=[r.party.id for r in sub_rows]))
            for party, dimension, expected, perceived in cursor:
                scores[party][dimension] = (expected, perceived)
        worst = {}
        for row in rows:
            dimension, index, below = worst_dimension(scores[row.party.id])
            worst[row.id] = (
                dimension, float(index) if index is not None else None, below)
        return worst_values(worst, names)

    @classmethod
    def search_below_expectation(cls, name, clause):
        _, operator, value = clause
        below = (operator == '=') == bool(value)
        scores = cls._dimension_scores(below=True)
        return [('party', 'in' if below else 'not in',
                scores.select(scores.party))]

    @classmethod
    def _dimension_scores(cls, parties=None, below=False):
        "The sums (a, b) of the answers shown per customer and dimension"
        pool = Pool()
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        survey = Survey.__table__()
        answer = Answer.__table__()
        expected, perceived = Sum(answer.expected), Sum(answer.perceived)
        where = cls._where({'survey': survey, 'answer': answer})
        if parties is not None:
            where &= reduce_ids(survey.party, parties)
        return (answer
            .join(survey, condition=answer.survey == survey.id)
            .select(
                survey.party.as_('party'), answer.dimension.as_('dimension'),
                expected.as_('expected'), perceived.as_('perceived'),
                where=where,
                group_by=[survey.party, answer.dimension],
                having=perceived < expected if below else None))


class Department(Abstract):
    "Satisfaction per department"
    __name__ = 'service.satisfaction.department'

    department = fields.Many2One('crm.department', "Department")
    _survey_groups = ('department',)


class Product(Abstract):
    "Satisfaction per product"
    __name__ = 'service.satisfaction.product'

    product = fields.Many2One('product.product', "Product",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    _survey_groups = ('product',)


class Period(Abstract):
    "Satisfaction index trend"
    __name__ = 'service.satisfaction.period'

    date = fields.Date("Date")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _column_date(cls, tables):
        period = Transaction().context.get('period')
        if period not in PERIODS:
            period = 'month'
        return cls.date.sql_cast(DateTrunc(period, tables['survey'].date))

    @classmethod
    def _columns(cls, tables):
        return super()._columns(tables) + [
            cls._column_date(tables).as_('date')]

    @classmethod
    def _group_by(cls, tables):
        # By the output name: PostgreSQL sees two DATE_TRUNC($n) as distinct
        return [cls._column_date(tables).as_('date')]
