# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Satisfaction index analyses over the answered surveys"
import datetime as dt

from dateutil.relativedelta import relativedelta
from sql import Literal
from sql.aggregate import Count, Min, Sum
from sql.functions import DateTrunc

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.crm_fruit_customer.scope import default_department
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .survey import CLASSIFICATIONS, DIMENSIONS, classify


PERIODS = {'year', 'month', 'day'}


class Context(ModelView):
    "Period and department of the service analyses"
    __name__ = 'service.feedback.context'

    company = fields.Many2One('company.company', "Company", required=True)
    from_date = fields.Date(
        "From Date",
        domain=[
            If(Eval('to_date') & Eval('from_date'),
                ('from_date', '<=', Eval('to_date')),
                ()),
            ])
    to_date = fields.Date(
        "To Date",
        domain=[
            If(Eval('from_date') & Eval('to_date'),
                ('to_date', '>=', Eval('from_date')),
                ()),
            ])
    department = fields.Many2One('crm.department', "Department")
    period = fields.Selection([
            ('year', "Year"),
            ('month', "Month"),
            ('day', "Day"),
            ], "Period", required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_from_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        context = Transaction().context
        if 'from_date' in context:
            return context['from_date']
        return Date.today() - relativedelta(years=1)

    @classmethod
    def default_to_date(cls):
        pool = Pool()
        Date = pool.get('ir.date')
        context = Transaction().context
        if 'to_date' in context:
            return context['to_date']
        return Date.today()

    @classmethod
    def default_period(cls):
        return Transaction().context.get('period', 'month')

    @classmethod
    def default_department(cls):
        return default_department()


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
            ]

    @classmethod
    def _group_by(cls, tables):
        return []

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

    @classmethod
    def _columns(cls, tables):
        return super()._columns(tables) + [
            tables['survey'].party.as_('party')]

    @classmethod
    def _group_by(cls, tables):
        return [tables['survey'].party]


class Department(Abstract):
    "Satisfaction per department"
    __name__ = 'service.satisfaction.department'

    department = fields.Many2One('crm.department', "Department")

    @classmethod
    def _columns(cls, tables):
        return super()._columns(tables) + [
            tables['survey'].department.as_('department')]

    @classmethod
    def _group_by(cls, tables):
        return [tables['survey'].department]


class Product(Abstract):
    "Satisfaction per product"
    __name__ = 'service.satisfaction.product'

    product = fields.Many2One('product.product', "Product",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})

    @classmethod
    def _columns(cls, tables):
        return super()._columns(tables) + [
            tables['survey'].product.as_('product')]

    @classmethod
    def _group_by(cls, tables):
        return [tables['survey'].product]


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
