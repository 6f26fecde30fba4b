# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"Complaint and praise rates, complaints ranked by product, lot, cause"
from sql import Literal
from sql.aggregate import Count, Min
from sql.conditionals import Case
from sql.functions import DateTrunc

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .analysis_cache import AnalysisRowsCache
from .satisfaction import PERIODS, date_where
from .ticket import COMPLAINT_KINDS


def _count_kind(type_, kinds):
    # COUNT of a CASE without ELSE: no untyped parameter for PostgreSQL
    return Count(Case((type_.kind.in_(kinds), type_.id)))


class _Feedback(ModelSQL, ModelView):
    "Ticket figures of the period and department of the context"

    company = fields.Many2One('company.company', "Company")
    feedback = fields.Integer("Feedback", help="All tickets.")
    complaints = fields.Integer("Complaints")
    quality = fields.Integer("Quality Problems / Returns")

    @classmethod
    def table_query(cls):
        pool = Pool()
        Ticket = pool.get('service.ticket')
        Type = pool.get('service.ticket.type')
        ticket = Ticket.__table__()
        type_ = Type.__table__()
        return (ticket
            .join(type_, condition=ticket.type == type_.id)
            .select(*cls._columns(ticket, type_),
                where=cls._where(ticket, type_),
                group_by=[ticket.company] + cls._group_by(ticket, type_)))

    @classmethod
    def _columns(cls, ticket, type_):
        return [
            Min(ticket.id).as_('id'),
            ticket.company.as_('company'),
            Count(Literal(1)).as_('feedback'),
            _count_kind(type_, ['complaint']).as_('complaints'),
            _count_kind(type_, ['quality']).as_('quality'),
            ]

    @classmethod
    def _group_by(cls, ticket, type_):
        return []

    @classmethod
    def _where(cls, ticket, type_):
        context = Transaction().context
        where = ticket.company == context.get('company', -1)
        where &= date_where(ticket.date, is_datetime=True)
        if context.get('department'):
            where &= ticket.department == context['department']
        return where


class _Rate(AnalysisRowsCache, _Feedback):
    "Complaint and praise rates"

    praise = fields.Integer("Praise")
    complaint_rate = fields.Float(
        "Complaint Rate", digits=(1, 4),
        help="Complaints and quality problems among all feedback.")
    praise_rate = fields.Float(
        "Praise Rate", digits=(1, 4),
        help="Praise among all feedback.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('complaint_rate', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _columns(cls, ticket, type_):
        total = Count(Literal(1))
        complaints = _count_kind(type_, COMPLAINT_KINDS)
        praise = _count_kind(type_, ['praise'])
        return super()._columns(ticket, type_) + [
            praise.as_('praise'),
            (cls.complaint_rate.sql_cast(complaints) / total).as_(
                'complaint_rate'),
            (cls.praise_rate.sql_cast(praise) / total).as_('praise_rate'),
            ] + cls._key_columns(ticket, type_)

    @classmethod
    def _key_columns(cls, ticket, type_):
        return []


class Rate(_Rate):
    "Complaint and praise rates per department"
    __name__ = 'service.feedback.rate'

    department = fields.Many2One('crm.department', "Department")

    @classmethod
    def _key_columns(cls, ticket, type_):
        return [ticket.department.as_('department')]

    @classmethod
    def _group_by(cls, ticket, type_):
        return [ticket.department]


class RatePeriod(_Rate):
    "Complaint and praise rates over time"
    __name__ = 'service.feedback.rate.period'

    date = fields.Date("Date")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'ASC'), ('id', 'ASC')]

    @classmethod
    def _column_date(cls, ticket):
        period = Transaction().context.get('period')
        if period not in PERIODS:
            period = 'month'
        return cls.date.sql_cast(DateTrunc(period, ticket.date))

    @classmethod
    def _key_columns(cls, ticket, type_):
        return [cls._column_date(ticket).as_('date')]

    @classmethod
    def _group_by(cls, ticket, type_):
        # By the output name: PostgreSQL sees two DATE_TRUNC($n) as distinct
        return [cls._column_date(ticket).as_('date')]


class _Ranking(_Feedback):
    "Complaints and quality problems ranked by a key"
    _key = None

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('feedback', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _columns(cls, ticket, type_):
        return super()._columns(ticket, type_) + [
            getattr(ticket, cls._key).as_(cls._key)]

    @classmethod
    def _group_by(cls, ticket, type_):
        return [getattr(ticket, cls._key)]

    @classmethod
    def _where(cls, ticket, type_):
        return (super()._where(ticket, type_)
            & type_.kind.in_(COMPLAINT_KINDS))


class RankingProduct(_Ranking):
    "Complaints per product"
    __name__ = 'service.complaint.product'
    _key = 'product'

    product = fields.Many2One('product.product', "Product",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})


class RankingLot(_Ranking):
    "Complaints per lot"
    __name__ = 'service.complaint.lot'
    _key = 'lot'

    lot = fields.Many2One('stock.lot', "Lot")
    product = fields.Many2One('product.product', "Product",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})

    @classmethod
    def _columns(cls, ticket, type_):
        return super()._columns(ticket, type_) + [
            Min(ticket.product).as_('product')]


class RankingCause(_Ranking):
    "Complaints per cause"
    __name__ = 'service.complaint.cause'
    _key = 'cause'

    cause = fields.Many2One('service.ticket.cause', "Cause")


class RankingDepartment(_Ranking):
    "Complaints per department"
    __name__ = 'service.complaint.department'
    _key = 'department'

    department = fields.Many2One('crm.department', "Department")
