# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import AccessError, SQLConstraintError
from trytond.modules.company.tests import create_company, set_company
from trytond.modules.crm_fruit_customer.exceptions import VisitReportError
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction

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
        Configuration = pool.get('crm.visit.configuration')
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
