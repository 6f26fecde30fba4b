# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from dateutil.relativedelta import relativedelta
from sql import Literal, Null
from sql.aggregate import Count, Min, Sum
from sql.conditionals import Case

from trytond.model import ModelSQL, ModelView, fields
from trytond.modules.crm_fruit_customer.reporting_context import (
    DepartmentContextMixin, PeriodContextMixin)
from trytond.pool import Pool
from trytond.transaction import Transaction

from .analysis_cache import AnalysisRowsCache
from .ticket import OPEN_STATES

AGES = [(1, 'age_1'), (3, 'age_3'), (7, 'age_7')]


class BacklogContext(DepartmentContextMixin, ModelView):
    "Department and team of the backlog: the tickets open now"
    __name__ = 'service.ticket.backlog.context'
    __string__ = "Service Ticket Backlog Context"

    team = fields.Many2One('service.team', "Team")


class Context(PeriodContextMixin, BacklogContext):
    __name__ = 'service.ticket.reporting.context'
    __string__ = "Service Ticket Reporting Context"
    _from_date_delta = relativedelta(days=-90)


class _Grouped(AnalysisRowsCache, ModelSQL, ModelView):
    "Ticket figures per team, department and type"

    company = fields.Many2One('company.company', "Company")
    team = fields.Many2One('service.team', "Team")
    department = fields.Many2One('crm.department', "Department")
    type = fields.Many2One('service.ticket.type', "Type")
    tickets = fields.Integer("Tickets")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('tickets', 'DESC'), ('id', 'ASC')]

    @classmethod
    def _where(cls, ticket):
        context = Transaction().context
        where = ticket.company == context.get('company', -1)
        if context.get('department'):
            where &= ticket.department == context['department']
        if context.get('team'):
            where &= ticket.team == context['team']
        return where

    @classmethod
    def _columns(cls, ticket):
        return [
            Min(ticket.id).as_('id'),
            ticket.company.as_('company'),
            ticket.team.as_('team'),
            ticket.department.as_('department'),
            ticket.type.as_('type'),
            Count(Literal(1)).as_('tickets'),
            ]

    @classmethod
    def _group_by(cls, ticket):
        return [ticket.company, ticket.team, ticket.department, ticket.type]


class SLACompliance(_Grouped):
    "SLA compliance"
    __name__ = 'service.ticket.sla_compliance'

    response_met = fields.Integer("First Response Met")
    response_breached = fields.Integer("First Response Breached")
    response_rate = fields.Function(
        fields.Float("First Response Compliance", digits=(1, 4)), 'get_rate')
    resolution_met = fields.Integer("Resolution Met")
    resolution_breached = fields.Integer("Resolution Breached")
    resolution_rate = fields.Function(
        fields.Float("Resolution Compliance", digits=(1, 4)), 'get_rate')

    @classmethod
    def table_query(cls):
        pool = Pool()
        ticket = pool.get('service.ticket').__table__()
        context = Transaction().context
        where = cls._where(ticket)
        if context.get('from_date'):
            where &= ticket.date >= dt.datetime.combine(
                context['from_date'], dt.time())
        if context.get('to_date'):
            where &= ticket.date < dt.datetime.combine(
                context['to_date'] + dt.timedelta(days=1), dt.time())
        columns = cls._columns(ticket)
        now = dt.datetime.now()
        for target in ['response', 'resolution']:
            date = getattr(ticket, f'{target}_date')
            deadline = getattr(ticket, f'{target}_deadline')
            met = (date != Null) & (deadline != Null) & (date <= deadline)
            breached = (deadline != Null) & (
                ((date != Null) & (date > deadline))
                | ((date == Null) & (deadline < now)))
            columns.append(
                Sum(Case((met, 1), else_=0)).as_(f'{target}_met'))
            columns.append(
                Sum(Case((breached, 1), else_=0)).as_(f'{target}_breached'))
        return ticket.select(
            *columns, where=where, group_by=cls._group_by(ticket))

    def get_rate(self, name):
        target = name[:-len('_rate')]
        met = getattr(self, f'{target}_met') or 0
        total = met + (getattr(self, f'{target}_breached') or 0)
        return met / total if total else None


class Backlog(_Grouped):
    "Backlog and ageing of the open tickets"
    __name__ = 'service.ticket.backlog'

    age_1 = fields.Integer("Under 1 Day")
    age_3 = fields.Integer("1 to 3 Days")
    age_7 = fields.Integer("3 to 7 Days")
    age_older = fields.Integer("Over 7 Days")
    waiting = fields.Integer("Waiting on Customer")
    breached = fields.Integer("Late")
    oldest = fields.DateTime("Oldest")

    @classmethod
    def table_query(cls):
        pool = Pool()
        ticket = pool.get('service.ticket').__table__()
        now = dt.datetime.now()
        where = cls._where(ticket) & ticket.state.in_(OPEN_STATES)
        columns = cls._columns(ticket)
        younger = None
        for days, name in AGES:
            limit = now - dt.timedelta(days=days)
            condition = ticket.date > limit
            if younger is not None:
                condition &= ticket.date <= younger
            columns.append(Sum(Case((condition, 1), else_=0)).as_(name))
            younger = limit
        columns += [
            Sum(Case((ticket.date <= younger, 1), else_=0)).as_('age_older'),
            Sum(Case((ticket.state == 'waiting', 1), else_=0)).as_('waiting'),
            Sum(Case((ticket.resolution_deadline < now, 1), else_=0)
                ).as_('breached'),
            Min(ticket.date).as_('oldest'),
            ]
        return ticket.select(
            *columns, where=where, group_by=cls._group_by(ticket))
