# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime

from dateutil.relativedelta import relativedelta
from sql import Column, Literal, Null, Values
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case, Coalesce

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import ReportPeriodError
from .reporting_context import DepartmentContextMixin, PeriodContextMixin
from .scope import rule_query

# the longest period of the weekly visit analysis
MAX_PERIOD_DAYS = 366


class Context(DepartmentContextMixin, ModelView):
    __name__ = 'crm.visit.reporting.context'
    __string__ = "Visit Analysis Context"


class NotContactedContext(Context):
    __name__ = 'crm.visit.not_contacted.context'
    __string__ = "Customers Not Contacted Context"

    # not "employee": the context of every user holds his own employee
    sales_rep = fields.Many2One(
        'company.employee', "Sales Rep",
        domain=[('company', '=', Eval('company', -1))])

    @classmethod
    def default_sales_rep(cls):
        return Transaction().context.get('sales_rep')


class EmployeeWeekContext(PeriodContextMixin, NotContactedContext):
    __name__ = 'crm.visit.reporting.employee_week.context'
    __string__ = "Visits Planned and Done Context"
    _from_date_delta = relativedelta(weeks=-8)
    _to_date_delta = relativedelta(weeks=4)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.from_date.required = cls.to_date.required = True


class NotContacted(ModelSQL, ModelView):
    __name__ = 'crm.visit.not_contacted'
    __string__ = "Customer Not Contacted Recently"

    party = fields.Many2One('party.party', "Customer")
    grade = fields.Many2One('crm.customer.grade', "Grade")
    sales_rep = fields.Many2One('company.employee', "Sales Rep")
    last_contact_date = fields.Date("Last Contact")
    days = fields.Function(
        fields.Integer("Days without Contact",
            help="Empty when the customer was never contacted."),
        'get_days')
    contact_interval = fields.Function(
        fields.Integer("Allowed Days",
            help="The contact interval of the customer's grade; "
            "the longest one of the grades when he has none."),
        'get_contact_interval')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('last_contact_date', 'ASC NULLS FIRST'),
            ('id', 'ASC'),
            ]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Party = pool.get('party.party')
        party = Party.__table__()
        return party.select(
            party.id.as_('id'),
            party.id.as_('party'),
            party.grade.as_('grade'),
            party.sales_rep.as_('sales_rep'),
            party.last_contact_date.as_('last_contact_date'),
            party.create_uid.as_('create_uid'),
            party.create_date.as_('create_date'),
            party.write_uid.as_('write_uid'),
            party.write_date.as_('write_date'),
            where=cls._where(party))

    @classmethod
    def _where(cls, party):
        pool = Pool()
        Date = pool.get('ir.date')
        Grade = pool.get('crm.customer.grade')
        Party = pool.get('party.party')
        PartyDepartment = pool.get(Party.departments.relation_name)
        party_department = PartyDepartment.__table__()
        context = Transaction().context
        today = Date.today()

        def silent(interval):
            limit = today - datetime.timedelta(days=interval)
            return ((party.last_contact_date == Null)
                | (party.last_contact_date < limit))

        grades = Grade.search([])
        late = Literal(False)
        for grade in grades:
            late |= (party.grade == grade.id) & silent(grade.contact_interval)
        if interval := cls._default_contact_interval(grades):
            late |= ((party.grade == Null) & cls._customer_where(party)
                & silent(interval))
        where = (party.active == Literal(True)) & late
        # never list a customer the user cannot read
        if (readable := rule_query('party.party')) is not None:
            where &= party.id.in_(readable)
        if context.get('department'):
            where &= party.id.in_(party_department.select(
                    party_department.party,
                    where=party_department.department
                    == context['department']))
        if context.get('sales_rep'):
            where &= party.sales_rep == context['sales_rep']
        return where

    @classmethod
    def _default_contact_interval(cls, grades):
        "Return the interval of the customers without grade"
        # an ungraded customer is not more urgent than the weakest grade
        return max((g.contact_interval for g in grades), default=None)

    @classmethod
    def _customer_where(cls, party):
        "The parties that have a sales rep or a department"
        pool = Pool()
        Party = pool.get('party.party')
        PartyDepartment = pool.get(Party.departments.relation_name)
        party_department = PartyDepartment.__table__()
        return ((party.sales_rep != Null)
            | party.id.in_(party_department.select(party_department.party)))

    def get_days(self, name):
        pool = Pool()
        Date = pool.get('ir.date')
        if self.last_contact_date:
            return (Date.today() - self.last_contact_date).days

    @classmethod
    def get_contact_interval(cls, records, name):
        Grade = Pool().get('crm.customer.grade')
        default = cls._default_contact_interval(Grade.search([]))
        return {r.id: r.grade.contact_interval if r.grade else default
            for r in records}


class EmployeeWeek(ModelSQL, ModelView):
    __name__ = 'crm.visit.reporting.employee_week'
    __string__ = "Visits Planned and Done"

    company = fields.Many2One('company.company', "Company")
    employee = fields.Many2One('company.employee', "Sales Rep")
    week = fields.Date("Week", help="The Monday of the week.")
    planned = fields.Integer(
        "Planned", help="The visits not cancelled of the week.")
    done = fields.Integer("Done")
    missed = fields.Integer("Missed")
    done_rate = fields.Function(
        fields.Float("Done Rate", digits=(1, 4)), 'get_done_rate')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('week', 'ASC'),
            ('employee', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def _weeks(cls):
        "Return the rows (Monday, Sunday) of the weeks of the context period"
        context = Transaction().context
        today = datetime.date.today()
        start = context.get('from_date') or today - datetime.timedelta(weeks=8)
        end = context.get('to_date') or today + datetime.timedelta(weeks=4)
        if (end - start).days > MAX_PERIOD_DAYS:
            raise ReportPeriodError(gettext(
                    'crm_fruit_customer.msg_visit_report_period',
                    maximum=MAX_PERIOD_DAYS, from_date=start, to_date=end))
        monday = start - datetime.timedelta(days=start.weekday())
        rows = []
        while monday <= end:
            rows.append((monday, monday + datetime.timedelta(days=6)))
            monday += datetime.timedelta(days=7)
        return rows

    @classmethod
    def table_query(cls):
        pool = Pool()
        Visit = pool.get('crm.visit')
        visit = Visit.__table__()
        context = Transaction().context
        weeks = Values(cls._weeks())
        first, last = Column(weeks, 'column1'), Column(weeks, 'column2')

        where = (visit.company == context.get('company', -1))
        # count only the visits the user can read
        if (readable := rule_query('crm.visit')) is not None:
            where &= visit.id.in_(readable)
        if context.get('department'):
            where &= cls._department_where(visit, context['department'])
        if context.get('sales_rep'):
            where &= visit.employee == context['sales_rep']

        def count(states):
            return Sum(Case((visit.state.in_(states), 1), else_=0))
        return (visit
            .join(weeks, condition=(visit.date >= first)
                & (visit.date <= last))
            .select(
                Min(visit.id).as_('id'),
                visit.company.as_('company'),
                visit.employee.as_('employee'),
                cls.week.sql_cast(first).as_('week'),
                count(['planned', 'done', 'missed']).as_('planned'),
                count(['done']).as_('done'),
                count(['missed']).as_('missed'),
                where=where,
                group_by=[visit.company, visit.employee, first]))

    @classmethod
    def _department_where(cls, visit, department):
        "Visits of the department, or without one by its members"
        pool = Pool()
        Member = pool.get('crm.department-company.employee')
        member = Member.__table__()
        members = member.select(
            member.employee, where=member.department == department)
        return ((visit.department == department)
            | ((visit.department == Null) & visit.employee.in_(members)))

    def get_done_rate(self, name):
        if self.planned:
            return self.done / self.planned


class Workload(ModelSQL, ModelView):
    __name__ = 'crm.visit.workload'
    __string__ = "Workload Method"

    department = fields.Many2One('crm.department', "Department")
    customers = fields.Integer(
        "Customers", help="The customers the visit plans give to the "
        "department; a customer of both departments counts in the one "
        "that visits him more often.")
    visits_per_year = fields.Float(
        "Visits per Year", digits=(16, 0),
        help="The visits the plans give these customers in the 52 weeks "
        "from this week, after their grade and the season of their main "
        "products.")
    reps_needed = fields.Float(
        "Reps Needed", digits=(16, 2),
        help="The visits per year divided by the visits "
        "one sales rep makes in a year.")
    reps_present = fields.Integer(
        "Reps Present",
        help="The members of the department but its manager.")
    reps_gap = fields.Function(
        fields.Float("Gap", digits=(16, 2),
            help="Positive when the department lacks sales reps."),
        'get_reps_gap')

    @classmethod
    def table_query(cls):
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        Department = pool.get('crm.department')
        department = Department.__table__()
        demand = cls._demand()
        reps = cls._reps()
        context = Transaction().context

        per_rep = Configuration(1).visits_per_rep_year
        visits = cls.visits_per_year.sql_cast(Coalesce(demand.visits, 0))
        where = department.active == Literal(True)
        if context.get('department'):
            where &= department.id == context['department']
        return (department
            .join(demand, type_='LEFT',
                condition=demand.department == department.id)
            .join(reps, type_='LEFT',
                condition=reps.department == department.id)
            .select(
                department.id.as_('id'),
                department.id.as_('department'),
                Coalesce(demand.customers, 0).as_('customers'),
                visits.as_('visits_per_year'),
                cls.reps_needed.sql_cast(visits / per_rep).as_('reps_needed'),
                Coalesce(reps.number, 0).as_('reps_present'),
                where=where))

    @classmethod
    def _demand(cls):
        "Return the query of (department, customers, visits) a year"
        pool = Pool()
        Date = pool.get('ir.date')
        Visit = pool.get('crm.visit')
        year = Visit.plan_year(Date.today())
        return year.select(
            year.department.as_('department'),
            Count(year.party).as_('customers'),
            Sum(year.visits).as_('visits'),
            group_by=[year.department])

    @classmethod
    def _reps(cls):
        "Return the query of (department, number) of sales reps"
        pool = Pool()
        Department = pool.get('crm.department')
        Member = pool.get('crm.department-company.employee')
        department = Department.__table__()
        member = Member.__table__()
        return (member
            .join(department, condition=member.department == department.id)
            .select(
                member.department.as_('department'),
                Count(member.employee).as_('number'),
                where=(department.manager == Null)
                | (member.employee != department.manager),
                group_by=[member.department]))

    def get_reps_gap(self, name):
        return (self.reps_needed or 0) - (self.reps_present or 0)
