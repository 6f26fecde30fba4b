# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Record rules on the core models a CRM user reaches: invoices, shipments,
moves and the sale / opportunity analyses (issue 9, findings 3 and 8)."""
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model import ModelSQL
from trytond.model.exceptions import AccessError
from trytond.modules.account.tests import create_chart
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction, check_access

REPORTING = ('sale.reporting.', 'sale.opportunity.reporting.')


class CoreAccessTestCase(unittest.TestCase):
    "Test the record rules on invoices, shipments, moves and analyses"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _setup(self):
        pool = Pool()
        Account = pool.get('account.account')
        Department = pool.get('crm.department')
        Invoice = pool.get('account.invoice')
        Journal = pool.get('account.journal')
        Location = pool.get('stock.location')
        ModelData = pool.get('ir.model.data')
        Move = pool.get('stock.move')
        Opportunity = pool.get('sale.opportunity')
        Party = pool.get('party.party')
        Product = pool.get('product.product')
        Return = pool.get('stock.shipment.out.return')
        Sale = pool.get('sale.sale')
        Shipment = pool.get('stock.shipment.out')
        Template = pool.get('product.template')
        Uom = pool.get('product.uom')

        def group(name, module='crm_fruit_customer'):
            return ModelData.get_id(module, name)

        def ref(module, name, Model):
            return Model(ModelData.get_id(module, name))

        sale_group = group('group_sale', 'sale')
        sale_admin = group('group_sale_admin', 'sale')
        account_group = group('group_account', 'account')
        stock_group = group('group_stock', 'stock')
        company = create_company()
        fruit = ref('crm_fruit_customer', 'department_fruit', Department)
        vegetable = ref(
            'crm_fruit_customer', 'department_vegetable', Department)
        staff = {n: create_employee(company, n) for n in [
                'fruit_rep', 'fruit_manager', 'vegetable_rep', 'manager']}
        fruit.manager = staff['fruit_manager']
        fruit.members = [staff['fruit_rep']]
        fruit.save()
        vegetable.members = [staff['vegetable_rep']]
        vegetable.save()
        users = {
            login: create_user(
                login, [group(*g) if isinstance(g, tuple) else g
                    for g in groups], staff[employee])
            for login, groups, employee in [
                ('fruit_rep', [('group_crm_sales_rep',), sale_group],
                    'fruit_rep'),
                ('vegetable_rep', [('group_crm_sales_rep',), sale_group],
                    'vegetable_rep'),
                ('fruit_rep_accountant', [
                        ('group_crm_sales_rep',), sale_group, account_group,
                        stock_group], 'fruit_rep'),
                ('fruit_manager', [
                        ('group_crm_department_manager',), sale_group,
                        sale_admin], 'fruit_manager'),
                ('manager', [
                        ('group_crm_manager',), sale_group, sale_admin],
                    'manager'),
                ('fruit_rep_manager', [
                        ('group_crm_sales_rep',),
                        ('group_crm_department_manager',), sale_group,
                        sale_admin], 'fruit_manager'),
                ('analyst', [('group_crm_analyst',)], 'manager'),
                ('analyst_sale', [('group_crm_analyst',), sale_group],
                    'manager'),
                ('analyst_accountant', [
                        ('group_crm_analyst',), sale_group, account_group,
                        stock_group], 'manager'),
                ('clerk', [sale_group], 'manager'),
                ]}

        apple, garlic, walkin, farm = Party.create([{
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
                    }, {
                    'name': "Orchard Supplier",
                    'addresses': [('create', [{'city': "栖霞"}])],
                    }])
        customers = [apple, garlic, walkin]
        unit = ref('product', 'uom_unit', Uom)
        with set_company(company):
            template, = Template.create([{
                        'name': "Fuji apple",
                        'type': 'goods',
                        'salable': True,
                        'default_uom': unit.id,
                        'sale_uom': unit.id,
                        'list_price': Decimal('10'),
                        }])
            product, = Product.create([{'template': template.id}])
        warehouse = ref('stock', 'location_warehouse', Location)
        output = ref('stock', 'location_output', Location)
        input_ = ref('stock', 'location_input', Location)
        storage = ref('stock', 'location_storage', Location)
        customer_location = ref('stock', 'location_customer', Location)
        supplier_location = ref('stock', 'location_supplier', Location)
        lost_found = ref('stock', 'location_lost_found', Location)

        with set_company(company):
            create_chart(company)
            receivable, = Account.search(
                [('type.receivable', '=', True), ('closed', '!=', True),
                    ('company', '=', company.id)], limit=1)
            payable, = Account.search(
                [('type.payable', '=', True), ('closed', '!=', True),
                    ('company', '=', company.id)], limit=1)
            revenue, = Journal.search([('type', '=', 'revenue')])
            expense, = Journal.search([('type', '=', 'expense')])
            invoices = Invoice.create([{
                        'type': 'out',
                        'company': company.id,
                        'currency': company.currency.id,
                        'party': p.id,
                        'invoice_address': p.addresses[0].id,
                        'account': receivable.id,
                        'journal': revenue.id,
                        'invoice_date': dt.date(2026, 5, 4),
                        'lines': [('create', [{
                                        'type': 'comment',
                                        'description': "Fuji apples",
                                        }])],
                        } for p in customers] + [{
                        'type': 'in',
                        'company': company.id,
                        'currency': company.currency.id,
                        'party': farm.id,
                        'invoice_address': farm.addresses[0].id,
                        'account': payable.id,
                        'journal': expense.id,
                        'invoice_date': dt.date(2026, 5, 4),
                        'lines': [('create', [{
                                        'type': 'comment',
                                        'description': "Fuji apples",
                                        }])],
                        }])

            def move(from_, to, **values):
                if {from_.type, to.type} & {'customer', 'supplier'}:
                    values.update(
                        unit_price=Decimal('10'),
                        currency=company.currency.id)
                return dict(
                    product=product.id, unit=unit.id, quantity=1,
                    from_location=from_.id, to_location=to.id,
                    company=company.id,
                    planned_date=dt.date(2026, 5, 4), **values)
            shipments = Shipment.create([{
                        'company': company.id,
                        'customer': p.id,
                        'delivery_address': p.addresses[0].id,
                        'warehouse': warehouse.id,
                        'warehouse_storage': storage.id,
                        'warehouse_output': output.id,
                        'planned_date': dt.date(2026, 5, 4),
                        } for p in customers])
            returns = Return.create([{
                        'company': company.id,
                        'customer': p.id,
                        'contact_address': p.addresses[0].id,
                        'warehouse': warehouse.id,
                        'warehouse_storage': storage.id,
                        'warehouse_input': input_.id,
                        'planned_date': dt.date(2026, 5, 4),
                        } for p in customers])
            sales = Sale.create([{
                        'company': company.id,
                        'currency': company.currency.id,
                        'party': p.id,
                        'sale_date': dt.date(2026, 5, 4),
                        'invoice_address': p.addresses[0].id,
                        'shipment_address': p.addresses[0].id,
                        'lines': [('create', [{
                                        'type': 'line',
                                        'product': product.id,
                                        'quantity': 2,
                                        'unit': unit.id,
                                        'unit_price': Decimal('10'),
                                        }])],
                        } for p in customers])
            Sale.write(sales, {'state': 'confirmed'})
            moves = Move.create(
                [move(output, customer_location, shipment=str(s))
                    for s in shipments]
                + [move(storage, output, shipment=str(s))
                    for s in shipments]
                + [move(customer_location, input_, shipment=str(r))
                    for r in returns]
                + [move(storage, customer_location,
                        origin=str(s.lines[0])) for s in sales]
                + [move(supplier_location, input_),
                    move(storage, lost_found)])
            opportunities = Opportunity.create([{
                        'company': company.id,
                        'currency': company.currency.id,
                        'party': p.id,
                        'employee': e.id,
                        'start_date': dt.date(2026, 5, 1),
                        'description': "Cherries",
                        } for p, e in [
                        (apple, staff['fruit_rep']),
                        (garlic, staff['vegetable_rep']),
                        (walkin, staff['fruit_manager'])]])
        return {
            'company': company, 'users': users, 'staff': staff,
            'parties': dict(zip(
                    ['apple', 'garlic', 'walkin', 'farm'],
                    [apple, garlic, walkin, farm])),
            'invoices': invoices, 'shipments': shipments, 'returns': returns,
            'moves': moves, 'sales': sales, 'opportunities': opportunities,
            }

    def _as(self, data, login):
        return Transaction().set_user(data['users'][login].id)

    def _visible(self, data, login, model, key):
        Model = Pool().get(model)
        with self._as(data, login), check_access(), \
                Transaction().set_context(company=data['company'].id):
            return {key(r) for r in Model.search([])}

    @with_transaction()
    def test_invoices(self):
        "Invoices and invoice lines follow the scope of their customer"
        pool = Pool()
        Invoice = pool.get('account.invoice')
        Line = pool.get('account.invoice.line')
        data = self._setup()
        apple, garlic, walkin, farm = data['invoices']
        everything = {apple, garlic, walkin, farm}

        def invoices(login):
            return self._visible(
                data, login, 'account.invoice', lambda r: r)

        def lines(login):
            return self._visible(
                data, login, 'account.invoice.line', lambda r: r.invoice)

        own = {apple, walkin, farm}
        for login, expected in [
                ('fruit_rep', own),
                ('fruit_rep_accountant', own),
                ('vegetable_rep', {garlic, walkin, farm}),
                ('fruit_manager', own),
                ('manager', everything),
                ('analyst_sale', everything),
                ('analyst_accountant', everything),
                ('clerk', everything),
                ]:
            with self.subTest(login=login):
                self.assertEqual(invoices(login), expected)
                self.assertEqual(lines(login), expected)

        with self._as(data, 'fruit_rep'), check_access():
            with self.assertRaises(AccessError):
                Invoice.read([garlic.id], ['number'])
            with self.assertRaises(AccessError):
                Line.read([garlic.lines[0].id], ['description'])
            self.assertEqual(
                Invoice.read([apple.id], ['party.rec_name'])[0]['party.'][
                    'rec_name'], "Apple Wholesaler")

        # A rep who is also an accountant still writes only his customers
        with self._as(data, 'fruit_rep_accountant'), check_access():
            Invoice.write([Invoice(apple.id)], {'description': "Mine"})
            with self.assertRaises(AccessError):
                Invoice.write([Invoice(garlic.id)], {'description': "Mine"})

        # The analyst reads everything and changes nothing, whatever other
        # group he is in
        with self._as(data, 'analyst_accountant'), check_access():
            with self.assertRaises(AccessError):
                Invoice.write([Invoice(apple.id)], {'description': "Mine"})
            with self.assertRaises(AccessError):
                Line.write([Line(farm.lines[0].id)], {'description': "Mine"})
            with self.assertRaises(AccessError):
                Invoice.delete([Invoice(walkin.id)])

    @with_transaction()
    def test_shipments(self):
        "Customer shipments and returns follow the scope of their customer"
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        Return = pool.get('stock.shipment.out.return')
        data = self._setup()
        apple, garlic, walkin = [data['parties'][n]
            for n in ['apple', 'garlic', 'walkin']]
        everything = {apple, garlic, walkin}
        for login, expected in [
                ('fruit_rep', {apple, walkin}),
                ('vegetable_rep', {garlic, walkin}),
                ('fruit_manager', {apple, walkin}),
                ('manager', everything),
                ('analyst_sale', everything),
                ('clerk', everything),
                ]:
            with self.subTest(login=login):
                for model in ['stock.shipment.out',
                        'stock.shipment.out.return']:
                    self.assertEqual(
                        self._visible(data, login, model, lambda r: r.customer),
                        expected)

        garlic_shipment, garlic_return = (
            data['shipments'][1], data['returns'][1])
        with self._as(data, 'fruit_rep'), check_access():
            with self.assertRaises(AccessError):
                Shipment.read([garlic_shipment.id], ['number'])
            with self.assertRaises(AccessError):
                Return.read([garlic_return.id], ['number'])
        with self._as(data, 'fruit_rep_accountant'), check_access():
            with self.assertRaises(AccessError):
                Shipment.write([Shipment(garlic_shipment.id)],
                    {'reference': "Mine"})
            Shipment.write([Shipment(data['shipments'][0].id)],
                {'reference': "Mine"})
        with self._as(data, 'analyst_accountant'), check_access():
            with self.assertRaises(AccessError):
                Shipment.write([Shipment(data['shipments'][0].id)],
                    {'reference': "Mine"})
            with self.assertRaises(AccessError):
                Return.write([Return(data['returns'][0].id)],
                    {'reference': "Mine"})

    @with_transaction()
    def test_moves(self):
        "Customer moves follow their customer, the others stay as core has them"
        pool = Pool()
        Move = pool.get('stock.move')
        data = self._setup()
        moves = data['moves']
        # 3 outgoing, 3 inventory, 3 returned, 3 from sale lines, 2 without
        # customer; the order of customers is apple, garlic, walkin
        by_customer = {
            name: {moves[i + 3 * k] for k in range(4)}
            for i, name in enumerate(['apple', 'garlic', 'walkin'])}
        neutral = set(moves[12:])
        everything = set(moves)
        fruit = by_customer['apple'] | by_customer['walkin'] | neutral
        for login, expected in [
                ('fruit_rep', fruit),
                ('vegetable_rep',
                    by_customer['garlic'] | by_customer['walkin'] | neutral),
                ('fruit_manager', fruit),
                ('manager', everything),
                ('analyst_sale', everything),
                ('clerk', everything),
                ]:
            with self.subTest(login=login):
                self.assertEqual(
                    self._visible(data, login, 'stock.move', lambda r: r),
                    expected)

        garlic_moves = sorted(by_customer['garlic'])
        with self._as(data, 'fruit_rep'), check_access():
            for move in garlic_moves:
                with self.subTest(move=move.id), \
                        self.assertRaises(AccessError):
                    Move.read([move.id], ['quantity'])
        with self._as(data, 'analyst_accountant'), check_access():
            with self.assertRaises(AccessError):
                Move.write([Move(moves[-1].id)], {'quantity': 2})

    def _reporting_models(self):
        pool = Pool()
        return sorted(
            name for name, Model in pool.iterobject()
            if name.startswith(REPORTING) and issubclass(Model, ModelSQL))

    @with_transaction()
    def test_reporting_scope(self):
        "Reps are refused the sale analyses; managers and analysts read all"
        data = self._setup()
        pool = Pool()
        models = self._reporting_models()
        self.assertIn('sale.reporting.customer', models)
        self.assertIn('sale.opportunity.reporting.conversion.employee', models)

        def rows(login, model):
            Model = pool.get(model)
            with self._as(data, login), check_access(), \
                    Transaction().set_context(company=data['company'].id):
                return set(map(int, Model.search([])))

        nonempty = set()
        for model in models:
            with self.subTest(model=model):
                everything = rows('manager', model)
                if everything:
                    nonempty.add(model)
                for rep in ['fruit_rep', 'vegetable_rep']:
                    with self.assertRaises(AccessError):
                        rows(rep, model)
                self.assertEqual(rows('analyst', model), everything)
                self.assertEqual(rows('clerk', model), everything)
        # The fixture feeds the analyses: the scope checks are not vacuous
        self.assertLessEqual({
                'sale.reporting.main', 'sale.reporting.customer',
                'sale.reporting.product',
                'sale.opportunity.reporting.conversion.employee'},
            nonempty)

        apple, garlic, walkin = [data['parties'][n]
            for n in ['apple', 'garlic', 'walkin']]
        self.assertEqual(
            self._visible(data, 'fruit_manager', 'sale.reporting.customer',
                lambda r: r.customer), {apple, walkin})
        self.assertEqual(
            self._visible(
                data, 'fruit_manager',
                'sale.reporting.customer.time_series',
                lambda r: r.customer), {apple, walkin})
        with self.assertRaises(AccessError):
            self._visible(
                data, 'fruit_manager', 'sale.reporting.product',
                lambda r: r.product)
        staff = data['staff']
        for model in ['sale.opportunity.reporting.conversion.employee',
                'sale.opportunity.reporting.conversion.employee.time_series']:
            with self.subTest(model=model):
                self.assertEqual(
                    self._visible(
                        data, 'fruit_manager', model, lambda r: r.employee),
                    {staff['fruit_rep'], staff['fruit_manager']})
                self.assertEqual(
                    self._visible(data, 'manager', model, lambda r: r.employee),
                    {staff['fruit_rep'], staff['vegetable_rep'],
                        staff['fruit_manager']})
        with self.assertRaises(AccessError):
            self._visible(
                data, 'fruit_manager', 'sale.opportunity.reporting.main',
                lambda r: r)

    @with_transaction()
    def test_reporting_menus(self):
        "The sale analyses are out of the reps' menu, in the analyst's"
        pool = Pool()
        Menu = pool.get('ir.ui.menu')
        ModelData = pool.get('ir.model.data')
        data = self._setup()
        reporting = ModelData.get_id('sale', 'menu_reporting')
        opportunity = ModelData.get_id(
            'sale_opportunity', 'menu_reporting_opportunity')
        sales = ModelData.get_id('sale', 'menu_sale_form')

        def menus(login):
            with self._as(data, login), check_access():
                return set(map(int, Menu.search([])))

        rep = menus('fruit_rep')
        self.assertIn(sales, rep)
        self.assertNotIn(reporting, rep)
        self.assertNotIn(opportunity, rep)
        # A rep who is also a manager keeps what his manager group reads
        for login in [
                'fruit_manager', 'fruit_rep_manager', 'manager', 'analyst',
                'clerk']:
            with self.subTest(login=login):
                self.assertLessEqual({reporting, opportunity}, menus(login))
