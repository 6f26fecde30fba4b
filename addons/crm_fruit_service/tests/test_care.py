# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest

from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction


def create_sale(party, date, state='confirmed'):
    pool = Pool()
    Sale = pool.get('sale.sale')
    address, = party.addresses
    sale = Sale(party=party, sale_date=date,
        invoice_address=address, shipment_address=address)
    sale.save()
    Sale.write([sale], {'state': state})
    return sale


class CareTestCase(unittest.TestCase):
    "Test customer care rules"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    def _customers(self):
        pool = Pool()
        Party = pool.get('party.party')
        return Party.create([
                {'name': name, 'addresses': [('create', [{}])]}
                for name in ["烟台果品", "广州江南市场", "新加坡进口商"]])

    @with_transaction()
    def test_holiday_rule_once(self):
        "Before Spring Festival each recent customer gets one task"
        pool = Pool()
        Rule = pool.get('service.care.rule')
        Task = pool.get('service.care.task')
        company = create_company()
        with set_company(company):
            employee = create_employee(company)
            first, second, old = self._customers()
            create_sale(first, dt.date(2026, 1, 5))
            create_sale(second, dt.date(2025, 12, 1))
            create_sale(old, dt.date(2024, 1, 1))
            rule = Rule(name="春节问候", kind='holiday',
                holiday_kind='spring_festival', days=14, employee=employee)
            rule.save()
            date = dt.date(2026, 2, 10)
            tasks = Rule.generate([rule], date)
            self.assertEqual(
                sorted(t.party.name for t in tasks), ["广州江南市场", "烟台果品"])
            self.assertEqual({t.employee for t in tasks}, {employee})
            self.assertEqual(Rule.generate([rule], date), [])
            self.assertEqual(Rule.generate([rule], dt.date(2026, 1, 1)), [])
            self.assertEqual(Task.search_count([('rule', '=', rule.id)]), 2)

    @with_transaction()
    def test_quiet_customer(self):
        "A customer without order for N days gets one task per silence"
        pool = Pool()
        Rule = pool.get('service.care.rule')
        company = create_company()
        with set_company(company):
            quiet, active, _ = self._customers()
            create_sale(quiet, dt.date(2026, 3, 1))
            create_sale(active, dt.date(2026, 5, 20))
            rule = Rule(name="沉默客户", kind='quiet_customer', days=60,
                value_classes='')
            rule.save()
            tasks = Rule.generate([rule], dt.date(2026, 6, 1))
            self.assertEqual([t.party for t in tasks], [quiet])
            self.assertEqual(Rule.generate([rule], dt.date(2026, 6, 2)), [])
            create_sale(quiet, dt.date(2026, 6, 5))
            tasks = Rule.generate([rule], dt.date(2026, 8, 10))
            self.assertEqual(
                sorted(t.party.name for t in tasks), ["广州江南市场", "烟台果品"])

    @with_transaction()
    def test_task_workflow(self):
        "A care task is done by the employee of the user"
        pool = Pool()
        Task = pool.get('service.care.task')
        company = create_company()
        with set_company(company):
            party, _, _ = self._customers()
            task = Task(party=party)
            task.save()
            Task.do([task])
            self.assertEqual(task.state, 'done')
            Task.open([task])
            Task.cancel([task])
            self.assertEqual(task.state, 'cancelled')
