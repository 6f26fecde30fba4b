# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"What the contexts of the analyses of both modules have in common"
from dateutil.relativedelta import relativedelta

from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction

from .scope import default_department


class CompanyContextMixin:
    "The company an analysis shows, the user's by default"
    __slots__ = ()

    company = fields.Many2One('company.company', "Company", required=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')


class DepartmentContextMixin(CompanyContextMixin):
    "The department of the analysis, the user's own by default"
    __slots__ = ()

    department = fields.Many2One(
        'crm.department', "Department",
        help="Leave empty for every department you may read.")

    @classmethod
    def default_department(cls):
        return default_department()


class PeriodContextMixin:
    """The days an analysis covers: from the context (a relate or a tab
    opened before), else around today"""
    __slots__ = ()
    # today + these give the default dates
    _from_date_delta = relativedelta(years=-1)
    _to_date_delta = relativedelta()

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

    @classmethod
    def default_from_date(cls):
        return cls._default_date('from_date', cls._from_date_delta)

    @classmethod
    def default_to_date(cls):
        return cls._default_date('to_date', cls._to_date_delta)

    @classmethod
    def _default_date(cls, name, delta):
        context = Transaction().context
        if name in context:
            return context[name]
        return Pool().get('ir.date').today() + delta
