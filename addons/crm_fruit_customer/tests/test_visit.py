# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from decimal import Decimal
from unittest.mock import patch

from trytond.model.exceptions import AccessError, SQLConstraintError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_fruit_customer.exceptions import (
    VisitFutureError, VisitReportError)
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction, check_access

try:
    from demo.generate import generate as demo_generate
except ImportError:
    demo_generate = None

# A Monday of the apple harvest; the plan weeks end with National Day.
MONDAY = dt.date(2026, 9, 7)


class VisitTestCase(unittest.TestCase):
    "Test the visit schedules"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _ref(self, xml_id):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        return ModelData.get_id('crm_fruit_customer', xml_id)

    def _season_category(self, key):
        SeasonCalendarLoad = Pool().get(
            'crm.season.calendar.load', type='wizard')
        return SeasonCalendarLoad.load_calendar()[key]

    def _employee(self, company, name):
        pool = Pool()
        Employee = pool.get('company.employee')
        Party = pool.get('party.party')
        party, = Party.create([{'name': name}])
        employee, = Employee.create([{
                    'party': party.id,
                    'company': company.id,
                    }])
        return employee

    def _customers(self, rep, department, grades, categories=None):
        "Create one customer per grade code of the department and the rep"
        pool = Pool()
        Party = pool.get('party.party')
        return Party.create([{
                    'name': 'Customer %s' % i,
                    'grade': self._ref('grade_%s' % grade) if grade else None,
                    'sales_rep': rep.id,
                    'departments': [('add', [self._ref(department)])],
                    'main_product_categories': [('add', [
                                self._season_category(c).id
                                for c in (categories or [])])],
                    } for i, grade in enumerate(grades)])

    def _setup(self):
        company = create_company()
        rep = self._employee(company, "Wang Jianguo")
        return company, rep

    def _plans(self, party):
        pool = Pool()
        Visit = pool.get('crm.visit')
        return Visit.search(
            [('party', '=', party.id)], order=[('date', 'ASC')])

    @with_transaction()
    def test_plans_from_grade_and_season(self):
        "Plans follow grade × season, avoid weekends and holidays"
        pool = Pool()
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        with set_company(company):
            in_season, = self._customers(
                rep, 'department_fruit', ['a'], ['apple'])
            off_season, = self._customers(
                rep, 'department_fruit', ['a'], ['cherry'])
            graded_d, ungraded = self._customers(
                rep, 'department_fruit', ['d', None])

            Visit.generate_plans(weeks=4, start=MONDAY)

            # 4 visits a month doubled in the apple harvest
            self.assertIn(len(self._plans(in_season)), {7, 8})
            self.assertIn(len(self._plans(off_season)), {3, 4})
            self.assertLessEqual(len(self._plans(graded_d)), 1)
            self.assertEqual(self._plans(ungraded), [])
            visits = Visit.search([])
            self.assertTrue(all(v.date.weekday() < 5 for v in visits))
            self.assertFalse({dt.date(2026, 10, 1), dt.date(2026, 10, 2)}
                & {v.date for v in visits})
            self.assertTrue(all(v.state == 'planned' for v in visits))
            self.assertTrue(all(v.generated for v in visits))
            self.assertEqual({v.employee for v in visits}, {rep})
            self.assertEqual(
                {v.department.id for v in visits},
                {self._ref('department_fruit')})
            self.assertEqual(
                {v.means for v in self._plans(in_season)}, {'visit'})

    @with_transaction()
    def test_plans_inform_framework(self):
        "The planned visits, inserted in SQL, go through on_modification"
        pool = Pool()
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        with set_company(company):
            self._customers(rep, 'department_fruit', ['a'], ['apple'])
            with patch.object(Visit, 'on_modification') as on_modification:
                Visit.generate_plans(weeks=4, start=MONDAY)
            created = [r for (mode, records), _ in
                on_modification.call_args_list if mode == 'create'
                for r in records]
            self.assertTrue(created)
            self.assertEqual(sorted(created), sorted(Visit.search([])))

    @with_transaction()
    def test_plans_idempotent(self):
        "Planning twice creates nothing new and respects existing plans"
        pool = Pool()
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        with set_company(company):
            customer, = self._customers(
                rep, 'department_fruit', ['a'], ['apple'])
            # two visits planned by hand in the first week
            Visit.create([{
                        'party': customer.id,
                        'employee': rep.id,
                        'date': MONDAY + dt.timedelta(days=d),
                        } for d in [0, 1]])

            Visit.generate_plans(weeks=4, start=MONDAY)
            visits = Visit.search([])
            Visit.generate_plans(weeks=4, start=MONDAY)

            self.assertEqual(Visit.search([]), visits)
            first_week = [v for v in visits
                if v.date < MONDAY + dt.timedelta(days=7)]
            self.assertEqual(len(first_week), 2)
            self.assertFalse(any(v.generated for v in first_week))

    @with_transaction()
    def test_plans_for_selected_reps(self):
        "The wizard plans only the customers of the selected reps"
        pool = Pool()
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        other = self._employee(company, "Li Na")
        with set_company(company):
            self._customers(rep, 'department_fruit', ['a'])
            self._customers(other, 'department_fruit', ['a'])

            Visit.generate_plans(employees=[other], weeks=2, start=MONDAY)

            self.assertEqual({v.employee for v in Visit.search([])}, {other})

    @with_transaction()
    def test_visit_done_needs_report(self):
        "A visit is done only with a report and is logged as a contact"
        pool = Pool()
        Party = pool.get('party.party')
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        with set_company(company):
            customer, = self._customers(rep, 'department_fruit', ['b'])
            visit, = Visit.create([{
                        'party': customer.id,
                        'employee': rep.id,
                        'department': self._ref('department_fruit'),
                        'date': dt.date(2026, 9, 8),
                        'purpose': "Apple season prices",
                        }])

            with self.assertRaises(VisitReportError):
                Visit.do([visit])
            self.assertEqual(visit.state, 'planned')

            visit.outcome = 'order'
            visit.result = "Ordered 20 t of Fuji apples."
            visit.next_step = "Send the contract"
            visit.next_date = dt.date(2026, 9, 15)
            visit.save()
            Visit.do([visit])

            self.assertEqual(visit.state, 'done')
            self.assertTrue(visit.done_date)
            contact = visit.contact
            self.assertEqual(contact.party, customer)
            self.assertEqual(contact.channel, 'visit')
            self.assertEqual(contact.subject, "Apple season prices")
            self.assertIn("Send the contract", contact.notes)
            self.assertEqual(contact.follow_up_date, dt.date(2026, 9, 15))
            self.assertEqual(Party.search([
                        ('last_contact_date', '=', dt.date(2026, 9, 8)),
                        ]), [customer])
            with self.assertRaises(AccessError):
                Visit.delete([visit])

    @with_transaction()
    def test_visit_reopen(self):
        "A missed or cancelled visit can be planned again"
        pool = Pool()
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        with set_company(company):
            customer, = self._customers(rep, 'department_fruit', ['b'])
            missed, cancelled = Visit.create([{
                        'party': customer.id,
                        'employee': rep.id,
                        'date': MONDAY,
                        }] * 2)
            Visit.miss([missed])
            Visit.cancel([cancelled])
            Visit.reopen([missed, cancelled])
            self.assertEqual({missed.state, cancelled.state}, {'planned'})

    @with_transaction()
    def test_not_contacted(self):
        "Customers silent for longer than their grade allows are listed"
        pool = Pool()
        Date = pool.get('ir.date')
        Party = pool.get('party.party')
        NotContacted = pool.get('crm.visit.not_contacted')
        company, rep = self._setup()
        with set_company(company):
            late_a, quiet_d, never, ungraded = self._customers(
                rep, 'department_fruit', ['a', 'd', 'c', None])
            # archive's contact log maintains it; set it directly here
            twenty_days_ago = Date.today() - dt.timedelta(days=20)
            Party.write([late_a, quiet_d, ungraded], {
                    'last_contact_date': twenty_days_ago,
                    })

            with Transaction().set_context(
                    department=self._ref('department_fruit')):
                rows = NotContacted.search([])
            self.assertEqual({r.party for r in rows}, {late_a, never})
            row, = [r for r in rows if r.party == late_a]
            self.assertEqual(row.days, 20)
            self.assertEqual(row.contact_interval, 14)

            with Transaction().set_context(
                    department=self._ref('department_vegetable')):
                self.assertEqual(NotContacted.search([]), [])

    @with_transaction()
    def test_employee_week(self):
        "Visits planned and done are counted per rep and week"
        pool = Pool()
        Visit = pool.get('crm.visit')
        Report = pool.get('crm.visit.reporting.employee_week')
        company, rep = self._setup()
        with set_company(company):
            customer, = self._customers(rep, 'department_fruit', ['b'])
            visits = Visit.create([{
                        'party': customer.id,
                        'employee': rep.id,
                        'date': MONDAY + dt.timedelta(days=d),
                        } for d in [0, 1, 2, 8]])
            Visit.write(visits[:1], {'outcome': 'positive', 'result': "OK"})
            Visit.do(visits[:1])
            Visit.cancel(visits[1:2])

            with Transaction().set_context(
                    company=company.id,
                    from_date=MONDAY, to_date=MONDAY + dt.timedelta(days=13)):
                rows = Report.search([], order=[('week', 'ASC')])
            self.assertEqual(
                [(r.week, r.employee, r.planned, r.done) for r in rows],
                [(MONDAY, rep, 2, 1),
                    (MONDAY + dt.timedelta(days=7), rep, 1, 0)])
            self.assertEqual(rows[0].done_rate, 0.5)

    @with_transaction()
    def test_workload(self):
        "Reps needed = customers × visits a year ÷ visits a rep makes"
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        Department = pool.get('crm.department')
        Workload = pool.get('crm.visit.workload')
        company, rep = self._setup()
        with set_company(company):
            Department.write([Department(self._ref('department_fruit'))], {
                    'members': [('add', [rep.id])],
                    })
            Configuration.write([Configuration(1)], {
                    'visits_per_rep_year': 60,
                    })
            # fruit: A = 4 and B = 2 visits a month
            self._customers(rep, 'department_fruit', ['a', 'a', 'b', None])

            fruit, = Workload.search([
                    ('department', '=', self._ref('department_fruit'))])
            self.assertEqual(fruit.customers, 3)
            self.assertEqual(fruit.visits_per_year, 120)
            self.assertEqual(fruit.reps_needed, 2)
            self.assertEqual(fruit.reps_present, 1)
            self.assertEqual(fruit.reps_gap, 1)
            vegetable, = Workload.search([
                    ('department', '=', self._ref('department_vegetable'))])
            self.assertEqual(vegetable.reps_needed, 0)

    @with_transaction()
    def test_frequency_unique(self):
        "A department has one frequency per grade"
        pool = Pool()
        Frequency = pool.get('crm.visit.frequency')
        with self.assertRaises(SQLConstraintError):
            Frequency.create([{
                        'department': self._ref('department_fruit'),
                        'grade': self._ref('grade_a'),
                        'visits_per_month': Decimal(1),
                        }])

    def _group(self, name):
        return self._ref('group_crm_%s' % name)

    def _staff(self, company):
        "Fruit and vegetable departments with a manager and a rep each"
        pool = Pool()
        Department = pool.get('crm.department')
        staff, users = {}, {}
        for name, group in [
                ('fruit_rep', 'sales_rep'), ('fruit_manager',
                    'department_manager'),
                ('vegetable_rep', 'sales_rep'), ('vegetable_manager',
                    'department_manager'),
                ('manager', 'manager')]:
            staff[name] = self._employee(company, name)
            users[name] = create_user(
                name, [self._group(group)], staff[name])
        for key in ['fruit', 'vegetable']:
            department = Department(self._ref('department_%s' % key))
            department.manager = staff['%s_manager' % key]
            department.members = [staff['%s_rep' % key]]
            department.save()
        return staff, users

    def _as(self, company, user):
        return Transaction().set_user(user.id), check_access(), \
            Transaction().set_context(
                company=company.id, employee=user.employee.id)

    def _run_as(self, company, user, function):
        set_user, access, context = self._as(company, user)
        with set_user, access, context:
            return function()

    def _address(self, party, city, country):
        pool = Pool()
        Address = pool.get('party.address')
        Address.create([{
                    'party': party.id, 'city': city, 'country': country.id}])

    @with_transaction()
    def test_visit_done_future(self):
        "A visit dated in the future is not done and leaves 最近联系 alone"
        pool = Pool()
        Date = pool.get('ir.date')
        Party = pool.get('party.party')
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        with set_company(company):
            customer, = self._customers(rep, 'department_fruit', ['b'])
            tomorrow = Date.today() + dt.timedelta(days=1)
            visit, = Visit.create([{
                        'party': customer.id,
                        'employee': rep.id,
                        'date': tomorrow,
                        'outcome': 'positive',
                        'result': "Reported ahead of time",
                        }])

            with self.assertRaises(VisitFutureError) as error:
                Visit.do([visit])
            self.assertIn(str(tomorrow), error.exception.message)
            self.assertEqual(visit.state, 'planned')
            Visit.write([visit], {'time': dt.time(10)})
            self.assertIsNone(Party(customer.id).last_contact_date)

            Visit.write([visit], {'date': Date.today()})
            Visit.do([visit])
            self.assertEqual(
                Party(customer.id).last_contact_date, Date.today())

    @with_transaction()
    def test_done_visit_frozen(self):
        "A rep cannot move a done visit to another date from outside"
        pool = Pool()
        Date = pool.get('ir.date')
        Visit = pool.get('crm.visit')
        company = create_company()
        staff, users = self._staff(company)
        with set_company(company):
            customer, = self._customers(
                staff['fruit_rep'], 'department_fruit', ['b'])
            visit, = Visit.create([{
                        'party': customer.id,
                        'employee': staff['fruit_rep'].id,
                        'department': self._ref('department_fruit'),
                        'date': Date.today(),
                        'outcome': 'positive',
                        'result': "Done today",
                        }])

        def move(days):
            Visit.write([Visit(visit.id)], {
                    'date': Date.today() + dt.timedelta(days=days)})

        self._run_as(company, users['fruit_rep'], lambda: move(-1))
        self._run_as(company, users['fruit_rep'],
            lambda: Visit.do([Visit(visit.id)]))
        with self.assertRaises(AccessError):
            self._run_as(company, users['fruit_rep'], lambda: move(10))
        self.assertEqual(
            Visit(visit.id).date, Date.today() - dt.timedelta(days=1))

    @with_transaction()
    def test_plans_within_capacity_by_city(self):
        "Plans give a rep at most 4 visits a day, in one city; abroad calls"
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        Country = pool.get('country.country')
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        china, usa = Country.create([
                {'name': "China", 'code': 'CN'},
                {'name': "United States", 'code': 'US'}])
        self._address(company.party, "龙口", china)
        configuration = Configuration(1)
        self.assertEqual(
            (configuration.visits_per_day, configuration.calls_per_day),
            (4, 12))
        with set_company(company):
            cities = ['北京'] * 6 + ['广州'] * 6 + ['杭州'] * 3
            customers = self._customers(
                rep, 'department_fruit', ['a'] * (len(cities) + 2))
            city_of = {}
            for customer, city in zip(customers, cities):
                self._address(customer, city, china)
                city_of[customer] = city
            abroad = customers[len(cities):]
            for customer in abroad:
                self._address(customer, "Chicago", usa)
            # Wang has already fixed a visit in Hangzhou on Monday
            hand, = Visit.create([{
                        'party': customers[12].id,
                        'employee': rep.id,
                        'date': MONDAY,
                        }])

            Visit.generate_plans(weeks=2, start=MONDAY)

            visits = Visit.search([])
            self.assertGreater(len(visits), len(cities))
            days = {}
            for visit in visits:
                self.assertLess(visit.date.weekday(), 5)
                days.setdefault((visit.date, visit.means), []).append(visit)
            for (date, means), of_day in days.items():
                if means == 'visit':
                    self.assertLessEqual(len(of_day), 4, date)
                    self.assertEqual(
                        len({city_of[v.party] for v in of_day}), 1, date)
                else:
                    self.assertLessEqual(len(of_day), 12, date)
            self.assertEqual(
                {city_of[v.party] for v in days[MONDAY, 'visit']}, {'杭州'})
            self.assertEqual(
                {v.means for v in visits if v.party in abroad}, {'phone'})
            self.assertIn(hand, visits)

    @with_transaction()
    def test_plans_capacity_configurable(self):
        "The daily capacity is read from the visit configuration"
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        Configuration.write([Configuration(1)], {'visits_per_day': 1})
        with set_company(company):
            self._customers(rep, 'department_fruit', ['a'] * 8)

            Visit.generate_plans(weeks=1, start=MONDAY)

            dates = [v.date for v in Visit.search([])]
            self.assertEqual(len(dates), 5)
            self.assertEqual(len(set(dates)), 5)

    @with_transaction()
    def test_visit_plan_menu_and_wizard(self):
        "Reps neither see nor run the plan wizard; managers do"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        VisitPlan = pool.get('crm.visit.plan', type='wizard')
        company = create_company()
        _, users = self._staff(company)
        menu = self._ref('menu_visit_plan')

        def visible():
            return bool(Menu.search([('id', '=', menu)]))
        self.assertFalse(self._run_as(company, users['fruit_rep'], visible))
        self.assertTrue(
            self._run_as(company, users['fruit_manager'], visible))
        self.assertTrue(self._run_as(company, users['manager'], visible))

        def run():
            session_id, _, _ = VisitPlan.create()
            VisitPlan.execute(session_id, {}, 'start')
        with self.assertRaises(AccessError):
            self._run_as(company, users['fruit_rep'], run)

    @with_transaction()
    def test_my_visits_order_and_tabs(self):
        "My visits: today first, then ahead, the past last; today, this week"
        pool = Pool()
        ActWindow = pool.get('ir.action.act_window')
        Date = pool.get('ir.date')
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        today = Date.today()
        with set_company(company):
            customer, = self._customers(rep, 'department_fruit', ['b'])
            offsets = [-10, 7, 0, -1, 1]
            visits = dict(zip(offsets, Visit.create([{
                                'party': customer.id,
                                'employee': rep.id,
                                'date': today + dt.timedelta(days=d),
                                } for d in offsets])))
            action = ActWindow(self._ref('act_visit_my'))
            decoder = PYSONDecoder({'context': {'employee': rep.id}})
            domain = decoder.decode(action.pyson_domain)
            order = decoder.decode(action.pyson_order)

            found = Visit.search(domain, order=order)

            self.assertEqual(
                found, [visits[d] for d in [0, 1, 7, -1, -10]])
            tabs = {t.name: decoder.decode(t.domain or '[]')
                for t in action.act_window_domains}
            self.assertEqual(
                Visit.search(domain + tabs['Today']), [visits[0]])
            monday = today - dt.timedelta(days=today.weekday())
            self.assertEqual(
                set(Visit.search(domain + tabs['This Week'])),
                {v for d, v in visits.items()
                    if monday <= today + dt.timedelta(days=d)
                    <= monday + dt.timedelta(days=6)})
            self.assertEqual(
                set(Visit.search([('this_week', '=', False)])),
                set(visits.values()) - set(Visit.search(
                        [('this_week', '=', True)])))

    @with_transaction()
    def test_calendar_title_and_customer_tab(self):
        "The calendar shows the means' label; the customer lists his visits"
        pool = Pool()
        Party = pool.get('party.party')
        Visit = pool.get('crm.visit')
        company, rep = self._setup()
        with set_company(company):
            customer, other = self._customers(
                rep, 'department_fruit', ['b', 'b'])
            visit, _ = Visit.create([{
                        'party': customer.id, 'employee': rep.id,
                        'date': MONDAY, 'means': 'video',
                        }, {
                        'party': other.id, 'employee': rep.id,
                        'date': MONDAY,
                        }])

            self.assertEqual(visit.title, "Customer 0 · Video Call")
            arch = Visit.fields_view_get(view_type='calendar')['arch']
            self.assertIn('name="title"', arch)
            self.assertNotIn('name="means"', arch)
            self.assertEqual(Party(customer.id).visits, (visit,))
            arch = Party.fields_view_get(view_type='form')['arch']
            self.assertIn('name="visits"', arch)

    @with_transaction()
    def test_reports_scoped_for_each_role(self):
        "A department manager sees his department; no row he cannot read"
        pool = Pool()
        Date = pool.get('ir.date')
        Visit = pool.get('crm.visit')
        NotContacted = pool.get('crm.visit.not_contacted')
        NotContactedContext = pool.get('crm.visit.not_contacted.context')
        EmployeeWeek = pool.get('crm.visit.reporting.employee_week')
        WeekContext = pool.get('crm.visit.reporting.employee_week.context')
        Workload = pool.get('crm.visit.workload')
        WorkloadContext = pool.get('crm.visit.reporting.context')
        company = create_company()
        staff, users = self._staff(company)
        fruit = self._ref('department_fruit')
        with set_company(company):
            apple, = self._customers(
                staff['fruit_rep'], 'department_fruit', ['a'])
            garlic, = self._customers(
                staff['vegetable_rep'], 'department_vegetable', ['a'])
            Visit.create([{
                        'party': p.id, 'employee': p.sales_rep.id,
                        'department': p.departments[0].id,
                        'date': Date.today(),
                        } for p in [apple, garlic]] + [{
                        'party': apple.id, 'employee': apple.sales_rep.id,
                        'date': Date.today(),
                        }])

        def report(Model, Context, fields):
            department = Context.default_department()
            with Transaction().set_context(
                    department=department, from_date=Date.today(),
                    to_date=Date.today()):
                records = Model.search([])
                rows = Model.read([r.id for r in records], fields)
            with Transaction().set_context(
                    from_date=Date.today(), to_date=Date.today()):
                unfiltered = Model.search([])
                Model.read([r.id for r in unfiltered], fields)
            return department, rows, len(unfiltered)

        def not_contacted():
            return report(NotContacted, NotContactedContext, [
                    'party.rec_name', 'grade.rec_name', 'sales_rep.rec_name',
                    'last_contact_date', 'days', 'contact_interval'])

        def weeks():
            return report(EmployeeWeek, WeekContext, [
                    'employee.rec_name', 'week', 'planned', 'done_rate'])

        def workload():
            return report(Workload, WorkloadContext, [
                    'department.rec_name', 'customers', 'reps_gap'])

        department, rows, unfiltered = self._run_as(
            company, users['fruit_manager'], not_contacted)
        self.assertEqual(department, fruit)
        self.assertEqual([r['party.'] for r in rows], [
                {'id': apple.id, 'rec_name': apple.rec_name}])
        self.assertEqual(unfiltered, 1)
        department, rows, unfiltered = self._run_as(
            company, users['fruit_manager'], weeks)
        self.assertEqual(department, fruit)
        self.assertEqual([(r['employee.']['id'], r['planned']) for r in rows],
            [(staff['fruit_rep'].id, 1)])
        self.assertEqual(unfiltered, 1)
        department, rows, unfiltered = self._run_as(
            company, users['fruit_manager'], workload)
        self.assertEqual(
            [r['department.']['id'] for r in rows], [fruit])
        self.assertEqual(unfiltered, 1)

        # a member's visit without a department counts in his department
        def fruit_weeks():
            with Transaction().set_context(
                    department=fruit, from_date=Date.today(),
                    to_date=Date.today()):
                return [(r.employee, r.planned)
                    for r in EmployeeWeek.search([])]
        self.assertEqual(
            self._run_as(company, users['manager'], fruit_weeks),
            [(staff['fruit_rep'], 2)])

        department, rows, unfiltered = self._run_as(
            company, users['vegetable_rep'], not_contacted)
        self.assertEqual(department, self._ref('department_vegetable'))
        self.assertEqual([r['party.']['id'] for r in rows], [garlic.id])

        department, rows, unfiltered = self._run_as(
            company, users['manager'], not_contacted)
        self.assertIsNone(department)
        self.assertEqual(len(rows), 2)

    @with_transaction()
    def test_report_contexts_without_idle_dates(self):
        "Only the weekly analysis has a period; the others have none"
        pool = Pool()
        ActWindow = pool.get('ir.action.act_window')
        contexts = {}
        for xml_id in ['act_not_contacted', 'act_employee_week',
                'act_workload']:
            action = ActWindow(self._ref(xml_id))
            fields = pool.get(action.context_model).fields_get()
            contexts[xml_id] = {'from_date', 'to_date'} & set(fields)
        self.assertEqual(contexts, {
                'act_not_contacted': set(),
                'act_employee_week': {'from_date', 'to_date'},
                'act_workload': set(),
                })

    @unittest.skipUnless(demo_generate, "the demo is not importable")
    @with_transaction()
    def test_demo_visits_on_working_days(self):
        "The demo's visits fall on working days, none on a holiday"
        pool = Pool()
        Holiday = pool.get('crm.holiday')
        holidays = Holiday.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))
        self.assertTrue(holidays)
        dates = [v['date']
            for v in demo_generate(300, 42).visits()]
        self.assertTrue(dates)
        self.assertEqual(
            [d for d in dates if d.weekday() >= 5 or d in holidays], [])
