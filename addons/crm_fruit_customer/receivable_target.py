# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Receivable targets: every rep has his figure each month, reviewed each
quarter (the credit paper: "人人头上有指标，按月实施，季度考核")."""
import datetime as dt
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sql import Literal, Null
from sql.aggregate import Count, Max, Min, Sum

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Unique, Workflow, fields
from trytond.modules.company.model import employee_field, set_employee
from trytond.modules.currency.fields import Monetary
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import ReceivableTargetError
from .scope import (
    check_created_state, check_system_fields, default_department)


def _quarter(month):
    return month.replace(month=(month.month - 1) // 3 * 3 + 1, day=1)


class _Results:
    """What the reps' customers paid in a period and owed overdue at its
    end, whoever reads them (a target is read in full or not at all)"""

    @classmethod
    def collected(cls, company, start, end):
        "{employee: what his customers paid from start to end}"
        pool = Pool()
        MoveLine = pool.get('account.move.line')
        Move = pool.get('account.move')
        Journal = pool.get('account.journal')
        Account = pool.get('account.account')
        Type = pool.get('account.account.type')
        Party = pool.get('party.party')
        line = MoveLine.__table__()
        move = Move.__table__()
        journal = Journal.__table__()
        account = Account.__table__()
        type_ = Type.__table__()
        party = Party.__table__()
        cursor = Transaction().connection.cursor()
        # payments are the cash journals' moves on the receivable accounts
        cursor.execute(*line
            .join(move, condition=line.move == move.id)
            .join(journal, condition=move.journal == journal.id)
            .join(account, condition=line.account == account.id)
            .join(type_, condition=account.type == type_.id)
            .join(party, condition=line.party == party.id)
            .select(party.sales_rep, Sum(line.credit - line.debit),
                where=(type_.receivable == Literal(True))
                & (journal.type == 'cash')
                & (move.company == company)
                & (move.date >= start) & (move.date <= end)
                & (party.sales_rep != Null),
                group_by=[party.sales_rep]))
        # SQLite sums its numeric columns as integers or floats
        return {e: a if isinstance(a, Decimal) else Decimal(str(a))
            for e, a in cursor}

    @classmethod
    def overdue(cls, company, date):
        "{employee: what his customers owed overdue on date}"
        pool = Pool()
        AgeingRep = pool.get('crm.receivable.ageing.rep')
        transaction = Transaction()
        with transaction.set_user(0), transaction.set_context(
                company=company, date=date, department=None):
            return {r.sales_rep.id: r.overdue for r in AgeingRep.search([])}


class _ResultsMixin:
    """What a target record's rep collected in its period and left overdue
    at its end, against its collection target"""
    __slots__ = ()
    _period_field = None
    _period_length = None

    @classmethod
    def get_results(cls, records, names):
        results = {n: {r.id: None for r in records} for n in names}
        periods = defaultdict(list)
        for record in records:
            start = getattr(record, cls._period_field)
            periods[record.company.id, start].append(record)
        for (company, start), period_records in periods.items():
            end = start + cls._period_length - dt.timedelta(days=1)
            collected = _Results.collected(company, start, end)
            overdue = _Results.overdue(company, cls._overdue_date(end))
            for record in period_records:
                values = record._results(
                    collected.get(record.employee.id, 0),
                    overdue.get(record.employee.id, 0))
                for name in names:
                    results[name][record.id] = values[name]
        return results

    @classmethod
    def _overdue_date(cls, end):
        return end

    def _results(self, collected, overdue):
        target = self.collection_target
        return {
            'collected': collected,
            'overdue': overdue,
            'achievement': (float(collected * 100 / target)
                if target else None),
            }


class Target(_ResultsMixin, Workflow, ModelSQL, ModelView):
    """A rep's receivable target for a month: what his customers are to pay
    in it, and the most they may owe overdue at its end"""
    __name__ = 'crm.receivable.target'
    __string__ = "Receivable Target"
    _period_field = 'month'
    _period_length = relativedelta(months=1)

    _states = {
        'readonly': Eval('state') != 'draft',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    department = fields.Many2One(
        'crm.department', "Department", required=True, states=_states,
        help="The sales unit whose target the rep's is part of.")
    employee = fields.Many2One(
        'company.employee', "Sales Rep", required=True, states=_states,
        domain=[
            ('company', '=', Eval('company', -1)),
            ])
    month = fields.Date(
        "Month", required=True, states=_states,
        help="Any day of the month: the target keeps its first day.")
    quarter = fields.Date("Quarter", readonly=True)
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    collection_target = Monetary(
        "Collection Target", currency='currency', digits='currency',
        required=True, states=_states,
        help="What the rep's customers are to pay in the month.")
    overdue_ceiling = Monetary(
        "Overdue Ceiling", currency='currency', digits='currency',
        states=_states,
        help="The most the rep's customers may owe overdue at the month's "
        "end.")
    collected = fields.Function(Monetary(
            "Collected", currency='currency', digits='currency',
            help="What the rep's customers paid in the month."),
        'get_results')
    overdue = fields.Function(Monetary(
            "Overdue at Month End", currency='currency', digits='currency'),
        'get_results')
    achievement = fields.Function(fields.Float(
            "Achievement %", digits=(16, 1),
            help="The collected amount as a share of the target."),
        'get_results')
    confirmed_by = employee_field("Confirmed By", states=['confirmed'])
    state = fields.Selection([
            ('draft', "Draft"),
            ('confirmed', "Confirmed"),
            ], "State", required=True, readonly=True, sort=False)

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('month', 'DESC'), ('department', 'ASC'), ('employee', 'ASC'),
            ('id', 'ASC')]
        t = cls.__table__()
        cls._sql_constraints += [
            ('employee_month_unique',
                Unique(t, t.company, t.employee, t.month),
                'crm_fruit_customer.msg_receivable_target_unique'),
            ]
        cls._transitions |= {
            ('draft', 'confirmed'),
            ('confirmed', 'draft'),
            }
        cls._buttons.update({
                'confirm': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'confirmed',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_department(cls):
        return default_department()

    @classmethod
    def default_month(cls):
        return Pool().get('ir.date').today().replace(day=1)

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('month'):
            values['month'] = values['month'].replace(day=1)
            values['quarter'] = _quarter(values['month'])
        return values

    @classmethod
    def check_modification(cls, mode, targets, values=None, external=False):
        super().check_modification(
            mode, targets, values=values, external=external)
        if external and mode == 'create':
            check_created_state(cls, targets, 'draft')
            check_system_fields(cls, mode, targets, values, {'confirmed_by'})
        elif external and mode == 'write':
            check_system_fields(cls, mode, targets, values, {
                    'state', 'confirmed_by', 'quarter'})
        if external and mode in {'write', 'delete'}:
            # a confirmed target is what the rep is reviewed on
            for target in targets:
                if target.state != 'draft':
                    raise ReceivableTargetError(gettext(
                            'crm_fruit_customer'
                            '.msg_receivable_target_confirmed',
                            target=target.rec_name))

    def get_rec_name(self, name):
        return '%s · %s' % (self.employee.rec_name,
            Pool().get('ir.lang').get().strftime(self.month, '%Y-%m'))

    @classmethod
    @ModelView.button
    @Workflow.transition('confirmed')
    @set_employee('confirmed_by')
    def confirm(cls, targets):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, targets):
        cls.write(targets, {'confirmed_by': None})


class Review(_ResultsMixin, ModelSQL, ModelView):
    """The quarter's review of a rep's confirmed targets: collected against
    the sum of the months' targets, overdue at the quarter's end against the
    last month's ceiling"""
    __name__ = 'crm.receivable.target.review'
    __string__ = "Receivable Target Review"
    _period_field = 'quarter'
    _period_length = relativedelta(months=3)

    company = fields.Many2One('company.company', "Company")
    department = fields.Many2One('crm.department', "Department")
    employee = fields.Many2One('company.employee', "Sales Rep")
    quarter = fields.Date("Quarter")
    months = fields.Integer(
        "Months", help="The months of the quarter with a confirmed target.")
    currency = fields.Function(
        fields.Many2One('currency.currency', "Currency"), 'get_currency')
    collection_target = Monetary(
        "Collection Target", currency='currency', digits='currency')
    overdue_ceiling = Monetary(
        "Overdue Ceiling", currency='currency', digits='currency',
        help="The ceiling of the quarter's last month with a target.")
    collected = fields.Function(Monetary(
            "Collected", currency='currency', digits='currency'),
        'get_results')
    overdue = fields.Function(Monetary(
            "Overdue at Quarter End", currency='currency',
            digits='currency'),
        'get_results')
    achievement = fields.Function(fields.Float(
            "Achievement %", digits=(16, 1)), 'get_results')
    result = fields.Function(fields.Selection([
                (None, ""),
                ('met', "Met"),
                ('missed', "Missed"),
                ], "Result",
            help="Met when the customers paid the targets and owe no more "
            "overdue than the ceiling."),
        'get_results')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('quarter', 'DESC'), ('department', 'ASC'), ('employee', 'ASC'),
            ('id', 'ASC')]

    @classmethod
    def table_query(cls):
        Target = Pool().get('crm.receivable.target')
        target = Target.__table__()
        last = Target.__table__()
        quarters = target.select(
            Min(target.id).as_('id'),
            target.company.as_('company'),
            target.department.as_('department'),
            target.employee.as_('employee'),
            target.quarter.as_('quarter'),
            Count(target.id).as_('months'),
            Sum(target.collection_target).as_('collection_target'),
            Max(target.month).as_('last_month'),
            where=target.state == 'confirmed',
            group_by=[target.company, target.department, target.employee,
                target.quarter])
        return quarters.join(last, 'LEFT',
            condition=(last.company == quarters.company)
            & (last.employee == quarters.employee)
            & (last.month == quarters.last_month)
            ).select(
                quarters.id, quarters.company, quarters.department,
                quarters.employee, quarters.quarter, quarters.months,
                quarters.collection_target,
                last.overdue_ceiling.as_('overdue_ceiling'))

    def get_currency(self, name):
        return self.company.currency.id

    @classmethod
    def _overdue_date(cls, end):
        # the current quarter's review counts what is overdue today
        return min(end, _today())

    def _results(self, collected, overdue):
        values = super()._results(collected, overdue)
        met = collected >= self.collection_target and (
            self.overdue_ceiling is None or overdue <= self.overdue_ceiling)
        values['result'] = 'met' if met else 'missed'
        return values


def _today():
    return Pool().get('ir.date').today()
