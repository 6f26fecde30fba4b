# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime
from collections import defaultdict
from decimal import Decimal

from sql import Column, Literal, Null, Values, Window
from sql.aggregate import Count, Max, Min, Sum
from sql.conditionals import Case, Coalesce
from sql.functions import Floor, RowNumber

from trytond import backend
from trytond.i18n import gettext
from trytond.model import (
    Index, ModelSQL, ModelView, Unique, Workflow, fields)
from trytond.model.exceptions import AccessError
from trytond.modules.company.model import employee_field, set_employee
from trytond.pool import Pool
from trytond.pyson import Date, Eval, If, PYSONEncoder
from trytond.tools import grouped_slice
from trytond.transaction import Transaction
from trytond.wizard import Button, StateAction, StateView, Wizard

from .direct_write import execute_insert, written
from .exceptions import (
    VisitFutureError, VisitPlanError, VisitReportError)
from .scope import (
    CustomerScopeMixin, check_created_state, check_system_fields,
    ids_in_scope, in_group, rule_query)

# bounds of the visit plan wizard
MAX_PLAN_WEEKS = 26
# the weeks of a year of plans, in which a customer gets 12 months of visits
YEAR_WEEKS = 52

MEANS = [
    ('visit', "Visit"),
    ('phone', "Phone"),
    ('video', "Video Call"),
    ]
# Monday of the first week: plan weeks are numbered from it so that the
# spread of the visits over the weeks does not depend on the run date.
EPOCH = datetime.date(2001, 1, 1)


class Frequency(ModelSQL, ModelView):
    __name__ = 'crm.visit.frequency'
    __string__ = "Visit Frequency"

    department = fields.Many2One(
        'crm.department', "Department", required=True, ondelete='CASCADE')
    grade = fields.Many2One(
        'crm.customer.grade', "Grade", required=True, ondelete='CASCADE')
    visits_per_month = fields.Numeric(
        "Visits per Month", digits=(16, 2), required=True,
        domain=[('visits_per_month', '>=', 0)],
        help="Outside the season of the customer's main products.")
    means = fields.Selection(
        MEANS, "Preferred Means", required=True,
        help="How the planned visits are made.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('department_grade_unique', Unique(t, t.department, t.grade),
                'crm_fruit_customer.msg_visit_frequency_unique'),
            ]
        cls._order = [
            ('department', 'ASC'),
            ('grade', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def default_means(cls):
        return 'visit'

    @property
    def visits_per_year(self):
        return (self.visits_per_month or Decimal(0)) * 12


class Visit(CustomerScopeMixin, Workflow, ModelSQL, ModelView):
    __name__ = 'crm.visit'
    __string__ = "Visit"
    _states = {
        'readonly': Eval('state') != 'planned',
        }

    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    party = fields.Many2One(
        'party.party', "Customer", required=True, states=_states,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    employee = fields.Many2One(
        'company.employee', "Sales Rep", required=True, states=_states,
        domain=[('company', '=', Eval('company', -1))])
    department = fields.Many2One(
        'crm.department', "Department", states=_states)
    date = fields.Date("Date", required=True, states=_states)
    time = fields.Time("Time", states=_states)
    means = fields.Selection(MEANS, "Means", required=True, states=_states)
    purpose = fields.Char("Purpose", states=_states)
    generated = fields.Boolean(
        "From Schedule", readonly=True,
        help="Planned by the visit schedule rather than by hand.")

    outcome = fields.Selection([
            (None, ""),
            ('order', "Order Taken"),
            ('positive', "Positive"),
            ('follow_up', "Needs Follow-up"),
            ('negative', "Negative"),
            ], "Outcome", states=_states)
    result = fields.Text(
        "Result", states=_states,
        help="What was discussed and achieved.")
    next_step = fields.Char("Next Step", states=_states)
    next_date = fields.Date("Next Date", states=_states)
    contact = fields.Many2One(
        'crm.contact', "Contact Log Entry", readonly=True,
        help="The entry of the contact log created when the visit is done.")
    photo = fields.Binary(
        "Photo", filename='photo_name', states=_states,
        help="A picture taken at the customer, e.g. of the shop front.")
    photo_name = fields.Char("Photo Name", states=_states)

    done_by = employee_field("Done By", states=['done', 'cancelled', 'missed'])
    done_date = fields.DateTime("Done At", readonly=True)
    cancelled_by = employee_field(
        "Cancelled By", states=['done', 'cancelled', 'missed'])
    state = fields.Selection([
            ('planned', "Planned"),
            ('done', "Done"),
            ('cancelled', "Cancelled"),
            ('missed', "Missed"),
            ], "State", required=True, readonly=True, sort=False)
    means_string = means.translated('means')
    title = fields.Function(
        fields.Char("Title", help="The customer and the means."),
        'get_title')
    upcoming = fields.Function(
        fields.Boolean("Upcoming", help="Dated today or later."),
        'get_upcoming', searcher='search_upcoming')
    this_week = fields.Function(
        fields.Boolean("This Week"), 'get_this_week',
        searcher='search_this_week')

    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.employee, Index.Range()), (t.date, Index.Range())),
                Index(t, (t.date, Index.Range()),
                    where=t.state == 'planned'),
                })
        cls._order = [
            ('date', 'DESC'),
            ('time', 'DESC'),
            ('id', 'DESC'),
            ]
        cls._transitions |= {
            ('planned', 'done'),
            ('planned', 'cancelled'),
            ('planned', 'missed'),
            ('cancelled', 'planned'),
            ('missed', 'planned'),
            }
        cls._buttons.update({
                'reopen': {
                    'invisible': ~Eval('state').in_(['cancelled', 'missed']),
                    'icon': 'tryton-undo',
                    'depends': ['state'],
                    },
                'do': {
                    'invisible': Eval('state') != 'planned',
                    'icon': 'tryton-ok',
                    'depends': ['state'],
                    },
                'miss': {
                    'invisible': Eval('state') != 'planned',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'planned',
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
    def default_means(cls):
        return 'visit'

    @classmethod
    def default_state(cls):
        return 'planned'

    @classmethod
    def default_generated(cls):
        return False

    @fields.depends('party', 'department')
    def on_change_party(self):
        if self.party and self.party.departments:
            if self.department not in self.party.departments:
                self.department = self.party.departments[0]

    @classmethod
    def get_rec_name(cls, visits, name):
        # the name is computed without access checks: never name a customer
        # the user may not read
        readable = ids_in_scope('party.party', {v.party.id for v in visits})
        hidden = gettext('crm_fruit_customer.msg_hidden_customer')
        return {v.id: '%s @ %s' % (
                v.party.rec_name if v.party.id in readable else hidden,
                v.date) for v in visits}

    @classmethod
    def get_title(cls, visits, name):
        readable = ids_in_scope('party.party', {v.party.id for v in visits})
        hidden = gettext('crm_fruit_customer.msg_hidden_customer')
        return {v.id: '%s · %s' % (
                v.party.rec_name if v.party.id in readable else hidden,
                v.means_string) for v in visits}

    def get_upcoming(self, name):
        return self.date >= Pool().get('ir.date').today()

    @classmethod
    def search_upcoming(cls, name, clause):
        today = Pool().get('ir.date').today()
        _, operator, value = clause
        upcoming = (operator == '=') == bool(value)
        return [('date', '>=' if upcoming else '<', today)]

    @classmethod
    def order_upcoming(cls, tables):
        "Today and the days ahead first, nearest first"
        table, _ = tables[None]
        today = Pool().get('ir.date').today()
        ahead = table.date >= today
        return [Case((ahead, 0), else_=1), Case((ahead, table.date))]

    @classmethod
    def _this_week(cls):
        today = Pool().get('ir.date').today()
        monday = today - datetime.timedelta(days=today.weekday())
        return monday, monday + datetime.timedelta(days=6)

    def get_this_week(self, name):
        monday, sunday = self._this_week()
        return monday <= self.date <= sunday

    @classmethod
    def search_this_week(cls, name, clause):
        monday, sunday = cls._this_week()
        _, operator, value = clause
        inside = [('date', '>=', monday), ('date', '<=', sunday)]
        if (operator == '=') == bool(value):
            return inside
        return ['OR', ('date', '<', monday), ('date', '>', sunday)]

    @classmethod
    def search_rec_name(cls, name, clause):
        domain = [('party.rec_name',) + tuple(clause[1:])]
        if (readable := rule_query('party.party')) is not None:
            domain.append(('party', 'where', [('id', 'in', readable)]))
        return domain

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('state') == 'cancelled', 'muted',
                    If((Eval('state') == 'planned')
                        & (Eval('date', None) < Date()),
                        'danger', ''))),
            ]

    @classmethod
    def _system_fields(cls):
        "Return the names of the fields that only the workflow writes"
        return {
            'state', 'done_by', 'done_date', 'cancelled_by', 'contact',
            'generated'}

    @classmethod
    def check_modification(cls, mode, visits, values=None, external=False):
        super().check_modification(
            mode, visits, values=values, external=external)
        if external:
            names = cls._system_fields()
            if mode == 'create':
                names = names - {'state'}
                check_created_state(cls, visits, 'planned')
            check_system_fields(cls, mode, visits, values, names)
            if mode == 'write':
                cls.check_planned(visits)
        if mode == 'delete':
            for visit in visits:
                if visit.state == 'done':
                    raise AccessError(gettext(
                            'crm_fruit_customer.msg_visit_delete_done',
                            visit=visit.rec_name))

    @classmethod
    def check_planned(cls, visits):
        "Refuse to change a visit made, missed or cancelled"
        for visit in visits:
            if visit.state != 'planned':
                raise AccessError(gettext(
                        'crm_fruit_customer.msg_visit_not_planned',
                        visit=visit.rec_name))

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if values.get('photo') is not None:
            # imported here: the upload helper may not be loaded yet
            from .upload import validate_upload
            values['photo_name'] = validate_upload(
                values.get('photo_name'), values['photo'])
        return values

    @classmethod
    def copy(cls, visits, default=None):
        default = default.copy() if default is not None else {}
        for name in ['outcome', 'result', 'next_step', 'next_date',
                'contact', 'done_by', 'done_date', 'cancelled_by',
                'photo', 'photo_name']:
            default.setdefault(name)
        default.setdefault('generated', False)
        return super().copy(visits, default=default)

    @classmethod
    @ModelView.button
    @Workflow.transition('planned')
    def reopen(cls, visits):
        cls.write(visits, {'cancelled_by': None})

    @classmethod
    @ModelView.button
    @Workflow.transition('done')
    @set_employee('done_by')
    def do(cls, visits):
        pool = Pool()
        Contact = pool.get('crm.contact')
        cls.check_report(visits)
        contacts = [v._get_contact() for v in visits]
        Contact.save(contacts)
        now = datetime.datetime.now().replace(microsecond=0)
        for visit, contact in zip(visits, contacts):
            visit.contact = contact
            visit.done_date = now
        cls.save(visits)

    @classmethod
    @ModelView.button
    @Workflow.transition('missed')
    def miss(cls, visits):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    @set_employee('cancelled_by')
    def cancel(cls, visits):
        pass

    @classmethod
    def check_report(cls, visits):
        pool = Pool()
        Date = pool.get('ir.date')
        today = Date.today()
        for visit in visits:
            if visit.date > today:
                raise VisitFutureError(gettext(
                        'crm_fruit_customer.msg_visit_done_future',
                        visit=visit.rec_name, date=visit.date))
            if not visit.outcome or not (visit.result or '').strip():
                raise VisitReportError(gettext(
                        'crm_fruit_customer.msg_visit_done_no_report',
                        visit=visit.rec_name))

    def _get_contact(self):
        "Return the entry of the contact log recording the visit"
        pool = Pool()
        Contact = pool.get('crm.contact')
        return Contact(
            company=self.company,
            date=datetime.datetime.combine(
                self.date, self.time or datetime.time(9)),
            channel=self._contact_channel(),
            direction='out',
            party=self.party,
            employee=self.employee,
            department=self.department,
            subject=self.purpose or gettext(
                'crm_fruit_customer.msg_visit_contact_subject'),
            notes=self._contact_notes(),
            follow_up_date=self.next_date,
            )

    def _contact_channel(self):
        return {
            'visit': 'visit',
            'phone': 'phone',
            'video': 'meeting',
            }[self.means]

    def _contact_notes(self):
        lines = [self.result.strip()]
        if self.next_step:
            lines.append(gettext(
                    'crm_fruit_customer.msg_visit_contact_next_step',
                    next_step=self.next_step))
        return '\n'.join(lines)

    @classmethod
    def generate_plans_cron(cls):
        "Plan the visits of every sales rep for the configured weeks"
        cls.generate_plans()

    @classmethod
    def generate_plans(cls, employees=None, weeks=None, start=None):
        """Plan the visits of the customers of employees (all when None)

        One query tells how many visits each customer still lacks in each
        plan week (the weeks already holding enough planned or done visits
        get none, so running it again creates nothing new); the planner then
        gives them working days within the daily capacity of each rep."""
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        Date = pool.get('ir.date')
        configuration = Configuration(1)
        if weeks is None:
            weeks = configuration.plan_weeks
        if start is None:
            start = Date.today()
        week_rows, day_rows = cls._plan_calendar(start, weeks)
        if not day_rows:
            return
        cursor = Transaction().connection.cursor()
        cursor.execute(*cls._plan_query(week_rows, employees))
        needs = cursor.fetchall()
        planner = VisitPlanner(
            day_rows, configuration.visits_per_day,
            configuration.calls_per_day)
        cls._plan_load(planner, day_rows, {n[2] for n in needs})
        regions = cls._plan_regions({n[1] for n in needs})
        home = cls._plan_home_country()
        rows = []
        for (company, party, employee, department, means, _, week,
                missing) in sorted(needs, key=cls._plan_priority):
            region, country = regions.get(party, (None, None))
            if means == 'visit' and home and country and country != home:
                means = 'phone'
            rows.extend((company, party, employee, department, date, means)
                for date in planner.plan(
                    employee, week, means, region, int(missing)))
        cls._plan_insert(rows)

    @staticmethod
    def _plan_priority(need):
        "The most frequently visited customers are planned first"
        company, party, employee, _, _, visits_per_month, week, _ = need
        return (week, employee, -visits_per_month, party)

    @classmethod
    def _plan_calendar(cls, start, weeks):
        """Return the rows of the plan weeks and of their working days

        week rows: (week, first day, last day, month, working days)
        day rows: (week, rank in the week, date)"""
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        monday = start - datetime.timedelta(days=start.weekday())
        end = monday + datetime.timedelta(days=7 * weeks - 1)
        holidays = Holiday.dates(start, end)
        working = cls._plan_weekdays()
        week_rows, day_rows = [], []
        for i in range(weeks):
            first = monday + datetime.timedelta(days=7 * i)
            last = first + datetime.timedelta(days=6)
            week = (first - EPOCH).days // 7
            days = [d for d in (
                    first + datetime.timedelta(days=n) for n in range(7))
                if d >= start and d.weekday() in working
                and d not in holidays]
            if not days:
                continue
            # the season of a week is the month of its Thursday
            month = str((first + datetime.timedelta(days=3)).month)
            week_rows.append((week, first, last, month, len(days)))
            day_rows.extend((week, rank, d) for rank, d in enumerate(days))
        return week_rows, day_rows

    @classmethod
    def _plan_weekdays(cls):
        "Return the weekdays (Monday = 0) on which visits are planned"
        return {0, 1, 2, 3, 4}

    @classmethod
    def _plan_states(cls):
        "Return the states of the visits that count as already planned"
        return ['planned', 'done']

    @classmethod
    def _plan_customers(cls, employees=None):
        """Return a query of (party, employee, company, department,
        visits_per_month, means) of each customer to plan

        A customer of both departments is planned by the more frequent one."""
        pool = Pool()
        Party = pool.get('party.party')
        PartyDepartment = pool.get(Party.departments.relation_name)
        Frequency = pool.get('crm.visit.frequency')
        Employee = pool.get('company.employee')
        party = Party.__table__()
        party_department = PartyDepartment.__table__()
        frequency = Frequency.__table__()
        employee = Employee.__table__()
        company = Transaction().context.get('company')

        where = ((party.active == Literal(True))
            & (frequency.visits_per_month > 0))
        if company:
            where &= employee.company == company
        if employees is not None:
            where &= party.sales_rep.in_([int(e) for e in employees] or [-1])
        ranked = (party
            .join(employee, condition=party.sales_rep == employee.id)
            .join(party_department,
                condition=party_department.party == party.id)
            .join(frequency,
                condition=(frequency.department == party_department.department)
                & (frequency.grade == party.grade))
            .select(
                party.id.as_('party'),
                party.sales_rep.as_('employee'),
                employee.company.as_('company'),
                frequency.department.as_('department'),
                frequency.visits_per_month.as_('visits_per_month'),
                frequency.means.as_('means'),
                RowNumber(window=Window([party.id], order_by=[
                            frequency.visits_per_month.desc,
                            frequency.department.asc])).as_('rank'),
                where=where))
        return ranked.select(
            ranked.party, ranked.employee, ranked.company, ranked.department,
            ranked.visits_per_month, ranked.means,
            where=ranked.rank == 1)

    @classmethod
    def _plan_season(cls):
        "Return a query of the season multiplier (party, month, multiplier)"
        pool = Pool()
        Season = pool.get('crm.season')
        PartyCategory = pool.get('party.party-main-product.category')
        season = Season.__table__()
        party_category = PartyCategory.__table__()
        return (party_category
            .join(season, condition=season.category == party_category.category)
            .select(
                party_category.party.as_('party'),
                season.month.as_('month'),
                Max(season.multiplier).as_('multiplier'),
                group_by=[party_category.party, season.month]))

    @classmethod
    def _plan_existing(cls, weeks):
        "Return a query of the visits (party, week, number) already there"
        table = cls.__table__()
        week, first, last = (
            Column(weeks, 'column%s' % i) for i in range(1, 4))
        return (table
            .join(weeks, condition=(table.date >= first)
                & (table.date <= last))
            .select(
                table.party.as_('party'),
                week.as_('week'),
                Count(table.id).as_('number'),
                where=table.state.in_(cls._plan_states()),
                group_by=[table.party, week]))

    @classmethod
    def _plan_query(cls, week_rows, employees=None):
        """Return the SELECT of (company, party, employee, department, means,
        visits per month, week, missing visits) of each customer and week"""
        weeks = Values(week_rows)
        need = cls._plan_needs(weeks, employees)
        existing = cls._plan_existing(weeks)
        missing = need.needed - Coalesce(existing.number, 0)
        return (need
            .join(existing, type_='LEFT',
                condition=(existing.party == need.party)
                & (existing.week == need.week))
            .select(
                need.company, need.party, need.employee, need.department,
                need.means, need.visits_per_month, need.week, missing,
                where=missing > 0))

    @classmethod
    def _plan_needs(cls, weeks, employees=None):
        """Return the SELECT of (company, party, employee, department, means,
        visits_per_month, week, needed): the visits each customer needs in
        each of the weeks, a VALUES of week rows"""
        w_week, _, _, w_month, _ = (
            Column(weeks, 'column%s' % i) for i in range(1, 6))
        customer = cls._plan_customers(employees)
        season = cls._plan_season()

        # visits a week, spread by a phase that depends on the customer
        rate = (customer.visits_per_month
            * Coalesce(season.multiplier, 1.0) * (12.0 / YEAR_WEEKS))
        phase = (customer.party % 97) / 97.0
        needed = (Floor((w_week + 1) * rate + phase)
            - Floor(w_week * rate + phase))
        return (customer
            .join(weeks, type_='CROSS')
            .join(season, type_='LEFT',
                condition=(season.party == customer.party)
                & (season.month == w_month))
            .select(
                customer.company.as_('company'),
                customer.party.as_('party'),
                customer.employee.as_('employee'),
                customer.department.as_('department'),
                customer.means.as_('means'),
                customer.visits_per_month.as_('visits_per_month'),
                w_week.as_('week'),
                needed.as_('needed')))

    @classmethod
    def plan_year(cls, start):
        """Return the SELECT of (party, department, visits) that the plans
        give each customer in the year of weeks from the Monday of start

        The weeks without working day get no visit, as in the plans."""
        monday = start - datetime.timedelta(days=start.weekday())
        week_rows, _ = cls._plan_calendar(monday, YEAR_WEEKS)
        need = cls._plan_needs(Values(week_rows))
        return need.select(
            need.party.as_('party'),
            need.department.as_('department'),
            Sum(need.needed).as_('visits'),
            group_by=[need.party, need.department])

    @classmethod
    def _plan_load(cls, planner, day_rows, employees):
        "Book on the planner the visits the employees already have"
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        dates = [r[2] for r in day_rows]
        visits = []
        for sub_ids in grouped_slice(sorted(employees),
                backend.MAX_QUERY_PARAMS):
            cursor.execute(*table.select(
                    table.employee, table.date, table.means, table.party,
                    where=table.employee.in_(list(sub_ids))
                    & (table.date >= min(dates)) & (table.date <= max(dates))
                    & table.state.in_(cls._plan_states())))
            visits.extend(cursor)
        regions = cls._plan_regions({v[3] for v in visits})
        for employee, date, means, party in visits:
            if isinstance(date, str):
                date = datetime.date.fromisoformat(date)
            planner.book(
                employee, date, means, regions.get(party, (None,))[0])

    @classmethod
    def _plan_regions(cls, parties):
        """Return the (city, country) of the first address of each party
        that has one

        The city falls back on the subdivision: a rep's face-to-face visits
        of one day are in one of them."""
        pool = Pool()
        Address = pool.get('party.address')
        address = Address.__table__()
        first = Address.__table__()
        cursor = Transaction().connection.cursor()
        regions = {}
        for sub_ids in grouped_slice(sorted(parties),
                backend.MAX_QUERY_PARAMS):
            firsts = first.select(
                Min(first.id).as_('id'),
                where=first.party.in_(list(sub_ids))
                & (first.active == Literal(True))
                & ((Coalesce(first.city, '') != '')
                    | (first.subdivision != Null) | (first.country != Null)),
                group_by=[first.party])
            cursor.execute(*address.select(
                    address.party, address.city, address.subdivision,
                    address.country,
                    where=address.id.in_(firsts)))
            for party, city, subdivision, country in cursor:
                city = (city or '').strip().lower() or subdivision
                regions[party] = (city, country)
        return regions

    @classmethod
    def _plan_home_country(cls):
        "Return the country of the company: customers elsewhere get calls"
        pool = Pool()
        Company = pool.get('company.company')
        company = Transaction().context.get('company')
        if company:
            for address in Company(company).party.addresses:
                if address.country:
                    return address.country.id

    @classmethod
    def _plan_insert(cls, rows):
        table = cls.__table__()
        user = Transaction().user
        now = datetime.datetime.now()
        columns = [
            table.company, table.party, table.employee, table.department,
            table.date, table.means, table.state, table.generated,
            table.create_uid, table.create_date]
        for sub_rows in grouped_slice(rows, 1000):
            ids = execute_insert(table, table.insert(columns, [
                        list(r) + ['planned', True, user, now]
                        for r in sub_rows]))
            written(cls, 'create', ids)


class VisitPlanner:
    """Give the visits of each rep working days within his daily capacity
    of face-to-face visits and of calls; his face-to-face visits of one day
    are in one city"""

    def __init__(self, day_rows, visits_per_day, calls_per_day):
        self.days = defaultdict(list)
        for week, _, date in day_rows:
            self.days[week].append(date)
        self.capacity = {'visit': visits_per_day, 'call': calls_per_day}
        self.load = defaultdict(int)
        self.city = {}

    @staticmethod
    def kind(means):
        return 'visit' if means == 'visit' else 'call'

    def book(self, employee, date, means, region):
        kind = self.kind(means)
        self.load[employee, date, kind] += 1
        if kind == 'visit':
            self.city.setdefault((employee, date), region)

    def is_free(self, employee, date, kind, region):
        if self.load[employee, date, kind] >= self.capacity[kind]:
            return False
        return (kind != 'visit'
            or self.city.get((employee, date), region) == region)

    def plan(self, employee, week, means, region, number):
        "Book and return the days of number visits of one customer"
        kind = self.kind(means)
        days = [d for d in self.days.get(week, [])
            if self.is_free(employee, d, kind, region)]

        def preference(date):
            routed = kind == 'visit' and (employee, date) in self.city
            return (not routed, self.load[employee, date, kind], date)
        chosen = sorted(sorted(days, key=preference)[:number])
        for date in chosen:
            self.book(employee, date, means, region)
        return chosen


class VisitPlanStart(ModelView):
    __name__ = 'crm.visit.plan.start'
    __string__ = "Generate Visit Plans"

    weeks = fields.Integer(
        "Weeks", required=True,
        domain=[('weeks', '>', 0), ('weeks', '<=', MAX_PLAN_WEEKS)],
        help="How many weeks ahead to plan, from today.")
    employees = fields.Many2Many(
        'company.employee', None, None, "Sales Reps",
        help="Leave empty to plan the visits of every sales rep "
        "of your departments.")

    @classmethod
    def default_weeks(cls):
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        return Configuration(1).plan_weeks


class VisitPlan(Wizard):
    __name__ = 'crm.visit.plan'

    start = StateView('crm.visit.plan.start',
        'crm_fruit_customer.visit_plan_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Generate", 'generate', 'tryton-ok', default=True),
            ])
    generate = StateAction('crm_fruit_customer.act_visit_form')

    def do_generate(self, action):
        pool = Pool()
        Visit = pool.get('crm.visit')
        Date = pool.get('ir.date')
        if not (0 < (self.start.weeks or 0) <= MAX_PLAN_WEEKS):
            raise VisitPlanError(gettext(
                    'crm_fruit_customer.msg_visit_plan_weeks',
                    weeks=self.start.weeks, maximum=MAX_PLAN_WEEKS))
        employees = self.check_employees(self.start.employees)
        Visit.generate_plans(employees=employees, weeks=self.start.weeks)
        domain = [
            ('state', '=', 'planned'),
            ('date', '>=', Date.today()),
            ]
        if employees:
            domain.append(('employee', 'in', [e.id for e in employees]))
        action['pyson_domain'] = PYSONEncoder().encode(domain)
        return action, {}

    @classmethod
    def check_employees(cls, employees):
        """Return the employees to plan: all for a CRM manager, else only
        the members of the user's departments"""
        pool = Pool()
        Department = pool.get('crm.department')
        User = pool.get('res.user')
        if in_group('group_crm_manager'):
            return list(employees) or None
        members = Department.managed_members(User.get_employees())
        for employee in employees:
            if employee.id not in members:
                raise VisitPlanError(gettext(
                        'crm_fruit_customer.msg_visit_plan_scope',
                        employee=employee.rec_name))
        return list(employees) or Pool().get('company.employee').browse(
            sorted(members))
