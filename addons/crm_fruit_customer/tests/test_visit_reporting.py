# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The visit analyses against the rules of the visit plans"""
import datetime as dt
import unittest
from unittest.mock import patch

from trytond.ir.date import Date as IrDate
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

# the Monday of a plan year from the apple harvest
MONDAY = dt.date(2026, 9, 7)


def on(day):
    "Pretend that the calendar shows day"
    return patch.object(
        IrDate, 'today', classmethod(lambda cls, timezone=None: day))


class VisitReportingTestCase(unittest.TestCase):
    "Test the visit analyses"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _ref(self, xml_id):
        ModelData = Pool().get('ir.model.data')
        return ModelData.get_id('crm_fruit_customer', xml_id)

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

    def _customer(self, name, rep, departments, grade=None, categories=()):
        Party = Pool().get('party.party')
        party, = Party.create([{
                    'name': name,
                    'grade': self._ref('grade_%s' % grade) if grade else None,
                    'sales_rep': rep.id,
                    'departments': [('add', [
                                self._ref('department_%s' % d)
                                for d in departments])],
                    'main_product_categories': [('add', [
                                c.id for c in categories])],
                    }])
        return party

    @with_transaction()
    def test_not_contacted_ungraded(self):
        "An ungraded customer is listed after the longest contact interval"
        pool = Pool()
        Date = pool.get('ir.date')
        Grade = pool.get('crm.customer.grade')
        Party = pool.get('party.party')
        NotContacted = pool.get('crm.visit.not_contacted')
        company = create_company()
        rep = self._employee(company, "Wang Jianguo")
        with set_company(company):
            default = max(g.contact_interval for g in Grade.search([]))
            silent, recent, never = [
                self._customer(name, rep, ['fruit'])
                for name in ["Silent", "Recent", "Never"]]
            today = Date.today()
            Party.write([silent], {
                    'last_contact_date': today - dt.timedelta(
                        days=default + 1),
                    })
            Party.write([recent], {
                    'last_contact_date': today - dt.timedelta(
                        days=default - 1),
                    })

            with Transaction().set_context(
                    department=self._ref('department_fruit')):
                rows = NotContacted.search([])
            self.assertEqual({r.party for r in rows}, {silent, never})
            row, = [r for r in rows if r.party == silent]
            self.assertIsNone(row.grade)
            self.assertEqual(row.days, default + 1)
            self.assertEqual(row.contact_interval, default)

            # a party that is no customer (the rep's own) is never listed
            with Transaction().set_context(sales_rep=None):
                parties = {r.party for r in NotContacted.search([])}
            self.assertNotIn(rep.party, parties)
            self.assertNotIn(company.party, parties)

    def _department(self, code, manager, reps):
        Department = Pool().get('crm.department')
        department = Department(self._ref('department_%s' % code))
        Department.write([department], {
                'manager': manager.id,
                'members': [('add', [e.id for e in [manager] + reps])],
                })

    @with_transaction()
    def test_workload_as_planned(self):
        "The workload counts the visits the plans give in a year"
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        SeasonCalendarLoad = pool.get(
            'crm.season.calendar.load', type='wizard')
        Visit = pool.get('crm.visit')
        Workload = pool.get('crm.visit.workload')
        company = create_company()
        staff = {name: self._employee(company, name) for name in [
                'fruit manager', 'apple rep', 'cherry rep',
                'vegetable manager', 'garlic rep']}
        with set_company(company):
            Configuration.write([Configuration(1)], {
                    'visits_per_rep_year': 100,
                    })
            self._department('fruit', staff['fruit manager'],
                [staff['apple rep'], staff['cherry rep']])
            self._department('vegetable', staff['vegetable manager'],
                [staff['garlic rep']])
            season = SeasonCalendarLoad.load_calendar()
            apples = self._customer("Apples A", staff['apple rep'],
                ['fruit'], 'a', [season['apple']])
            for grade in ['b', 'c']:
                self._customer("Apples " + grade, staff['apple rep'],
                    ['fruit'], grade, [season['apple']])
            cherries = self._customer("Cherries A", staff['cherry rep'],
                ['fruit'], 'a', [season['cherry']])
            self._customer("Garlic B", staff['garlic rep'],
                ['vegetable'], 'b', [season['garlic']])
            # the vegetables visit a customer of grade D more often
            both = self._customer("Both D", staff['garlic rep'],
                ['fruit', 'vegetable'], 'd', [season['apple']])
            self._customer("Ungraded", staff['garlic rep'], ['vegetable'])

            with on(MONDAY):
                rows = Workload.search([])
            Visit.generate_plans(weeks=52, start=MONDAY)
            visits = Visit.search([])

        planned = {}
        for visit in visits:
            planned.setdefault(visit.department, []).append(visit.party)
        self.assertEqual(
            {r.department: (r.customers, r.visits_per_year) for r in rows},
            {d: (len(set(p)), len(p)) for d, p in planned.items()})
        self.assertEqual(
            {r.department.code: r.reps_present for r in rows},
            {'fruit': 2, 'vegetable': 1})
        for row in rows:
            self.assertAlmostEqual(row.reps_needed, row.visits_per_year / 100)
        self.assertEqual({v.department.code for v in both.visits},
            {'vegetable'})
        # 4 visits a month, doubled from September to November
        self.assertIn(len(apples.visits), {59, 60, 61})
        # and tripled in May and June
        self.assertGreater(len(cherries.visits), 60)
