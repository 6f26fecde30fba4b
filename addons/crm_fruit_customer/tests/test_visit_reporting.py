# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The visit analyses against the rules of the visit plans"""
import datetime as dt
import unittest

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction


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
