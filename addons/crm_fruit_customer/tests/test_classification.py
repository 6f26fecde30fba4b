# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction

TODAY = dt.date(2026, 6, 15)


class ClassificationTestCase(unittest.TestCase):
    "Test the customer classification"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _setup(self):
        pool = Pool()
        Uom = pool.get('product.uom')
        Template = pool.get('product.template')
        company = create_company()
        unit, = Uom.search([('name', '=', 'Unit')])
        with set_company(company):
            template, = Template.create([{
                        'name': "Fuji Apples",
                        'type': 'service',
                        'salable': True,
                        'default_uom': unit.id,
                        'sale_uom': unit.id,
                        'list_price': Decimal(1),
                        'products': [('create', [{}])],
                        }])
        return company, template.products[0]

    def _customers(self, *names):
        pool = Pool()
        Party = pool.get('party.party')
        return Party.create([{
                    'name': n,
                    'addresses': [('create', [{}])],
                    } for n in names])

    def _sale(self, company, product, party, date, amount, state='done'):
        pool = Pool()
        Sale = pool.get('sale.sale')
        sale, = Sale.create([{
                    'company': company.id,
                    'currency': company.currency.id,
                    'party': party.id,
                    'invoice_address': party.addresses[0].id,
                    'shipment_address': party.addresses[0].id,
                    'sale_date': date,
                    'lines': [('create', [{
                                    'type': 'line',
                                    'product': product.id,
                                    'unit': product.default_uom.id,
                                    'quantity': 1,
                                    'unit_price': Decimal(amount),
                                    }])],
                    }])
        # Bypass the workflow: only the state counts for the classification.
        Sale.write([sale], {'state': state})
        return sale

    def _classify(self, date=TODAY):
        pool = Pool()
        Party = pool.get('party.party')
        Party.classify_customers(date=date)

    @with_transaction()
    def test_value_classes(self):
        "80/20 split, core customers and RFM on a known data set"
        pool = Pool()
        Party = pool.get('party.party')
        company, product = self._setup()
        with set_company(company):
            big, second, third, fourth, fifth, sixth = self._customers(
                'Big', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth')
            for party, amount in [
                    (big, 5000), (second, 3000), (third, 1000),
                    (fourth, 500), (fifth, 300), (sixth, 200)]:
                self._sale(
                    company, product, party, TODAY - dt.timedelta(days=30),
                    amount)
            # The previous window: Big grows, Second stays flat.
            year_before = TODAY - relativedelta(months=15)
            self._sale(company, product, big, year_before, 2000)
            self._sale(company, product, second, year_before, 3000)
            # A cancelled sale counts for nothing.
            self._sale(company, product, sixth, TODAY, 99999, 'cancelled')
            self._classify()

            parties = Party.browse([big, second, third, fourth, fifth, sixth])
            self.assertEqual(
                [p.value_class for p in parties],
                ['A', 'A', 'B', 'B', 'C', 'C'])
            self.assertEqual(
                [p.core_customer for p in parties],
                [True, False, False, False, False, False])
            self.assertEqual(
                [p.rfm_monetary for p in parties], [5, 4, 3, 2, 1, 1])
            self.assertEqual(big.classification_revenue, Decimal(5000))
            self.assertEqual(big.pipeline_class, 'user')
            self.assertEqual(third.pipeline_class, 'order_customer')
            # No cost price: no gross profit split.
            self.assertIsNone(big.profit_class)

    @with_transaction()
    def test_profit_class(self):
        "The gross profit split uses the cost prices when they exist"
        pool = Pool()
        Party = pool.get('party.party')
        company, product = self._setup()
        with set_company(company):
            product.cost_price = Decimal('0.9')
            product.save()
            rich, thin = self._customers('Rich', 'Thin')
            self._sale(company, product, rich, TODAY, 100)
            self._sale(company, product, thin, TODAY, 1)
            self._classify()
            rich, thin = Party.browse([rich, thin])
            self.assertEqual(rich.profit_class, 'A')
            self.assertEqual(thin.profit_class, 'C')

    @with_transaction()
    def test_lifecycle_decline_after_gap(self):
        "A regular customer enters decline once he skips two intervals"
        pool = Pool()
        Party = pool.get('party.party')
        Movement = pool.get('crm.classification.movement')
        company, product = self._setup()
        with set_company(company):
            regular, = self._customers('Regular')
            start = TODAY - relativedelta(months=14)
            for month in range(15):
                self._sale(
                    company, product, regular,
                    start + relativedelta(months=month), 100)
            self._classify(TODAY)
            regular = Party(regular.id)
            self.assertEqual(regular.lifecycle_stage, 'stability')

            later = TODAY + relativedelta(months=3)
            self._classify(later)
            regular = Party(regular.id)
            self.assertEqual(regular.lifecycle_stage, 'decline')

            with Transaction().set_context(
                    company=company.id,
                    period=later.replace(day=1),
                    compare_period=TODAY.replace(day=1)):
                movement, = Movement.search([('entered_decline', '=', True)])
                self.assertEqual(movement.party, regular)
                self.assertEqual(movement.previous_lifecycle_stage, 'stability')

    @with_transaction()
    def test_lifecycle_stages(self):
        "New customers explore, then form a relationship"
        pool = Pool()
        Party = pool.get('party.party')
        Opportunity = pool.get('sale.opportunity')
        company, product = self._setup()
        with set_company(company):
            new, forming, lead, nobody = self._customers(
                'New', 'Forming', 'Lead', 'Nobody')
            self._sale(company, product, new, TODAY, 100)
            for days in [200, 150, 100, 50, 10]:
                self._sale(
                    company, product, forming,
                    TODAY - dt.timedelta(days=days), 100)
            Opportunity.create([{
                        'party': lead.id,
                        'company': company.id,
                        'description': "Cherries for Seoul",
                        }])
            self._classify()
            new, forming, lead, nobody = Party.browse(
                [new, forming, lead, nobody])
            self.assertEqual(
                [p.lifecycle_stage for p in [new, forming, lead, nobody]],
                ['exploration', 'formation', 'exploration', None])
            self.assertEqual(
                [p.pipeline_class for p in [new, forming, lead, nobody]],
                ['order_customer', 'user', 'potential', 'to_identify'])

    @with_transaction()
    def test_snapshot_once_per_month(self):
        "The snapshot of a month is replaced, never duplicated"
        pool = Pool()
        Snapshot = pool.get('crm.classification.snapshot')
        Stage = pool.get('crm.classification.stage')
        company, product = self._setup()
        with set_company(company):
            customer, = self._customers('Customer')
            self._sale(company, product, customer, TODAY, 100)
            self._classify(TODAY)
            count = Snapshot.search_count([])
            self._classify(TODAY + dt.timedelta(days=1))
            self.assertEqual(Snapshot.search_count([]), count)
            self._classify(TODAY + relativedelta(months=1))
            self.assertEqual(Snapshot.search_count([]), 2 * count)

            with Transaction().set_context(
                    company=company.id, period=TODAY.replace(day=1)):
                stage, = Stage.search([])
                self.assertEqual(
                    (stage.lifecycle_stage, stage.value_class,
                        stage.customers, stage.revenue),
                    ('exploration', 'A', 1, Decimal(100)))

    @with_transaction()
    def test_ranking(self):
        "Customers are ranked by amount with their transactions and cost"
        pool = Pool()
        Ranking = pool.get('crm.classification.ranking')
        company, product = self._setup()
        with set_company(company):
            product.cost_price = Decimal('0.5')
            product.save()
            small, large = self._customers('Small', 'Large')
            self._sale(company, product, small, TODAY, 10)
            self._sale(company, product, large, TODAY, 30)
            self._sale(company, product, large, TODAY, 20)
            with Transaction().set_context(
                    company=company.id,
                    from_date=TODAY - dt.timedelta(days=1), to_date=TODAY):
                first, second = Ranking.search([])
            self.assertEqual(
                (first.customer, first.rank, first.transactions,
                    first.amount, first.cost),
                (large, 1, 2, Decimal(50), Decimal(1)))
            self.assertEqual((second.customer, second.rank), (small, 2))

