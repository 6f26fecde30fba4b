# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction, check_access


class SaleAccessTestCase(unittest.TestCase):
    "Test the record rules on sales and opportunities"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _setup(self):
        pool = Pool()
        Department = pool.get('crm.department')
        ModelData = pool.get('ir.model.data')
        Party = pool.get('party.party')
        Sale = pool.get('sale.sale')
        Opportunity = pool.get('sale.opportunity')

        def group(name, module='crm_fruit_customer'):
            return ModelData.get_id(module, name)

        def department(name):
            return Department(ModelData.get_id('crm_fruit_customer', name))

        sale_group = group('group_sale', 'sale')
        company = create_company()
        fruit, vegetable = (
            department('department_fruit'), department('department_vegetable'))
        staff = {n: create_employee(company, n) for n in [
                'fruit_rep', 'fruit_manager', 'vegetable_rep', 'manager']}
        fruit.manager = staff['fruit_manager']
        fruit.members = [staff['fruit_rep']]
        fruit.save()
        vegetable.members = [staff['vegetable_rep']]
        vegetable.save()
        users = {
            login: create_user(login, [group(name), sale_group], staff[employee])
            for login, name, employee in [
                ('fruit_rep', 'group_crm_sales_rep', 'fruit_rep'),
                ('vegetable_rep', 'group_crm_sales_rep', 'vegetable_rep'),
                ('fruit_manager', 'group_crm_department_manager',
                    'fruit_manager'),
                ('manager', 'group_crm_manager', 'manager'),
                ('analyst', 'group_crm_analyst', 'manager'),
                ]}
        apple, garlic, walkin = Party.create([{
                    'name': "Apple Wholesaler",
                    'departments': [('add', [fruit.id])],
                    'sales_rep': staff['fruit_rep'].id,
                    'addresses': [('create', [{'city': "烟台"}])],
                    }, {
                    'name': "Garlic Importer",
                    'departments': [('add', [vegetable.id])],
                    'sales_rep': staff['vegetable_rep'].id,
                    'addresses': [('create', [{'city': "Kuala Lumpur"}])],
                    }, {
                    'name': "Walk-in Buyer",
                    'addresses': [('create', [{'city': "龙口"}])],
                    }])
        with set_company(company):
            sales = Sale.create([{
                        'company': company.id,
                        'currency': company.currency.id,
                        'party': p.id,
                        'sale_date': dt.date(2026, 5, 4),
                        'invoice_address': p.addresses[0].id,
                        'shipment_address': p.addresses[0].id,
                        'lines': [('create', [{
                                        'type': 'comment',
                                        'description': "Fuji apples",
                                        }])],
                        } for p in [apple, garlic, walkin]])
            opportunities = Opportunity.create([{
                        'company': company.id,
                        'currency': company.currency.id,
                        'party': p.id if p else None,
                        'start_date': dt.date(2026, 5, 1),
                        'description': "Cherries",
                        } for p in [apple, garlic, None]])
        return company, users, sales, opportunities

    @with_transaction()
    def test_sale_rules(self):
        "Sales and their lines follow the record rules of their party"
        pool = Pool()
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        company, users, sales, _ = self._setup()
        apple_sale, garlic_sale, walkin_sale = sales

        def visible(login):
            with Transaction().set_user(users[login].id), check_access():
                return set(Sale.search([]))

        self.assertEqual(visible('fruit_rep'), {apple_sale, walkin_sale})
        self.assertEqual(visible('vegetable_rep'), {garlic_sale, walkin_sale})
        self.assertEqual(
            visible('fruit_manager'), {apple_sale, walkin_sale})
        self.assertEqual(visible('manager'), set(sales))
        self.assertEqual(visible('analyst'), set(sales))

        with Transaction().set_user(users['fruit_rep'].id), check_access():
            sale = Sale(apple_sale.id)
            self.assertEqual(sale.invoice_address.city, "烟台")
            self.assertEqual(sale.party.rec_name, "Apple Wholesaler")
            self.assertEqual(
                {l.sale for l in Line.search([])}, {apple_sale, walkin_sale})
            with self.assertRaises(AccessError):
                Sale.read([garlic_sale.id], ['number'])
            with self.assertRaises(AccessError):
                Line.read([garlic_sale.lines[0].id], ['description'])

        with Transaction().set_user(users['analyst'].id), check_access():
            with self.assertRaises(AccessError):
                Sale.write([Sale(apple_sale.id)], {'reference': "Mine"})

    @with_transaction()
    def test_quotation_amounts_stored(self):
        """A quotation's amounts are stored when quoted, follow a change of
        its lines and are cleared back in draft"""
        pool = Pool()
        Sale = pool.get('sale.sale')
        Line = pool.get('sale.line')
        company, _, sales, _ = self._setup()
        sale = sales[0]
        with set_company(company):
            line, = Line.create([{'sale': sale.id, 'type': 'line',
                        'description': "Fuji apples 10 kg",
                        'quantity': 10, 'unit_price': Decimal('3.5000')}])
            self.assertIsNone(Sale(sale.id).total_amount_cache)
            Sale.quote([sale])
            self.assertEqual(Sale(sale.id).total_amount_cache, Decimal('35'))
            Line.write([line], {'quantity': 20})
            self.assertEqual(Sale(sale.id).total_amount_cache, Decimal('70'))
            self.assertEqual(Sale(sale.id).total_amount, Decimal('70'))
            Sale.draft([sale])
            self.assertIsNone(Sale(sale.id).total_amount_cache)
            self.assertEqual(Sale(sale.id).total_amount, Decimal('70'))

    @with_transaction()
    def test_opportunity_rules(self):
        "Opportunities follow the record rules of their party"
        pool = Pool()
        Opportunity = pool.get('sale.opportunity')
        company, users, _, opportunities = self._setup()
        apple, garlic, lead = opportunities

        def visible(login):
            with Transaction().set_user(users[login].id), check_access():
                return set(Opportunity.search([]))

        self.assertEqual(visible('fruit_rep'), {apple, lead})
        self.assertEqual(visible('vegetable_rep'), {garlic, lead})
        self.assertEqual(visible('fruit_manager'), {apple, lead})
        self.assertEqual(visible('manager'), set(opportunities))
        self.assertEqual(visible('analyst'), set(opportunities))

    @with_transaction()
    def test_reporting_customer_rules(self):
        "The sales by customer analysis: refused to reps, department scope"
        pool = Pool()
        Sale = pool.get('sale.sale')
        Customer = pool.get('sale.reporting.customer')
        company, users, sales, _ = self._setup()
        Sale.write(sales, {'state': 'confirmed'})
        apple, garlic, walkin = [s.party for s in sales]

        def visible(login):
            with Transaction().set_user(users[login].id), check_access(), \
                    Transaction().set_context(company=company.id):
                return {r.customer for r in Customer.search([])}

        for rep in ['fruit_rep', 'vegetable_rep']:
            with self.assertRaises(AccessError):
                visible(rep)
        self.assertEqual(visible('fruit_manager'), {apple, walkin})
        self.assertEqual(visible('manager'), {apple, garlic, walkin})
        self.assertEqual(visible('analyst'), {apple, garlic, walkin})
        with Transaction().set_user(users['fruit_manager'].id), \
                check_access(), \
                Transaction().set_context(company=company.id):
            self.assertEqual(
                [r['customer.']['rec_name'] for r in Customer.search_read(
                        [('customer', '=', apple.id)],
                        fields_names=['customer.rec_name'])],
                ["Apple Wholesaler"])

    @with_transaction()
    def test_analysis_menus_of_roles(self):
        "Only the analyses a role may read are in its menus"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        Keyword = pool.get('ir.action.keyword')
        ModelData = pool.get('ir.model.data')
        Main = pool.get('sale.reporting.main')
        company, users, _, _ = self._setup()
        menu_id = ModelData.get_id('sale', 'menu_reporting_sale')

        def sale_analyses(login):
            with Transaction().set_user(users[login].id), check_access(), \
                    Transaction().set_context(company=company.id):
                if not Menu.search([('id', '=', menu_id)]):
                    return set()
                return {k['res_model'] for k in Keyword.get_keyword(
                        'tree_open', ('ir.ui.menu', menu_id))}

        self.assertEqual(sale_analyses('fruit_rep'), set())
        self.assertEqual(
            sale_analyses('fruit_manager'), {'sale.reporting.customer'})
        self.assertIn('sale.reporting.main', sale_analyses('manager'))
        self.assertIn('sale.reporting.region.tree', sale_analyses('analyst'))
        with Transaction().set_user(users['fruit_manager'].id), \
                check_access(), \
                Transaction().set_context(company=company.id):
            with self.assertRaises(AccessError):
                Main.search([])
