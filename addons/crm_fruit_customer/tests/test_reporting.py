# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The reports on a small demo database, as each role opens them."""
import contextlib
import datetime as dt
import sys
import unittest
from decimal import Decimal
from pathlib import Path

from trytond.model import fields
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    DB_NAME, USER, activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction, check_access

END = dt.date(2026, 6, 30)
SALE_STATES = ['confirmed', 'processing', 'done']
FAR_DATES = [dt.date(1990, 1, 1), dt.date(2999, 12, 1)]


def _dataset():
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from demo import generate
    return generate(16, seed=42, months=6, end=END)


class ReportingTestCase(unittest.TestCase):
    "Test the reports on the demo data"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer', lang='zh_CN')
        from demo.tryton_writer import TrytonWriter
        cls.dataset = _dataset()
        with Transaction().start(DB_NAME, USER) as transaction:
            TrytonWriter(cls.dataset).load()
            transaction.commit()

    @classmethod
    def tearDownClass(cls):
        drop_db()
        super().tearDownClass()

    def company(self):
        return Pool().get('company.company').search([])[0]

    @contextlib.contextmanager
    def as_user(self, login, **context):
        "Run as login, with the access checks of the web client"
        pool = Pool()
        User = pool.get('res.user')
        user, = User.search([('login', '=', login)])
        transaction = Transaction()
        with transaction.set_user(user.id), transaction.set_context(
                company=self.company().id, employee=user.employee.id
                if user.employee else None, language='zh_CN',
                **context), check_access():
            yield user

    def department(self, code):
        Department = Pool().get('crm.department')
        department, = Department.search([('code', '=', code)])
        return department

    def period(self):
        return dict(from_date=self.dataset.start, to_date=END)

    @with_transaction()
    def test_sale_report_revenue(self):
        "The sales report of the demo sums the revenue of its sales"
        pool = Pool()
        Main = pool.get('sale.reporting.main')
        Sale = pool.get('sale.sale')
        with self.as_user('crm_manager', **self.period()):
            rows = Main.search([])
            revenue = sum(r.revenue for r in rows)
        sales = Sale.search([
                ('state', 'in', SALE_STATES),
                ('sale_date', '>=', self.dataset.start),
                ('sale_date', '<=', END),
                ])
        self.assertTrue(sales)
        self.assertTrue(rows)
        # the sales round each line, the report only the total
        lines = sum(len(s.lines) for s in sales)
        self.assertLessEqual(
            abs(revenue - sum(s.untaxed_amount for s in sales)),
            Decimal('0.005') * lines)

    @with_transaction()
    def test_opportunity_report_counts(self):
        "The opportunity report of the demo counts its opportunities"
        pool = Pool()
        Main = pool.get('sale.opportunity.reporting.main')
        Opportunity = pool.get('sale.opportunity')
        with self.as_user('crm_manager', **self.period()):
            number = sum(r.number for r in Main.search([]))
        opportunities = Opportunity.search_count([
                ('start_date', '>=', self.dataset.start),
                ('start_date', '<=', END),
                ])
        self.assertTrue(opportunities)
        self.assertEqual(number, opportunities)

    @with_transaction()
    def test_default_department(self):
        "Reports open on the user's own department, managers on all"
        pool = Pool()
        Context = pool.get('crm.classification.ranking.context')
        for login, code in [('mgr_fruit', 'fruit'), ('rep_veg1', 'vegetable'),
                ('crm_manager', None), ('service1', None)]:
            with self.subTest(login=login), self.as_user(login):
                department = Context.default_department()
            self.assertEqual(
                department, self.department(code).id if code else None)

    def _report_parties(self, Model, field, department=None):
        "The parties of the rows of Model, as read through the ORM"
        context = Transaction().context
        Context = Pool().get(
            'crm.classification.context' if Model.__name__.endswith('stage')
            else f'{Model.__name__}.context')
        values = Context.default_get(
            list(Context._fields), with_rec_name=False)
        values.update(department=department, limit=None)
        with Transaction().set_context(**values):
            if field:
                return {getattr(r, field) for r in Model.search([])}
            return Model.search([])

    @with_transaction()
    def test_department_manager_sees_his_customers(self):
        "The fruit manager's reports list no customer of vegetables only"
        pool = Pool()
        Ranking = pool.get('crm.classification.ranking')
        Movement = pool.get('crm.classification.movement')
        Customer = pool.get('sale.reporting.customer')
        fruit = self.department('fruit')
        with self.as_user('crm_manager', **self.period()):
            everyone = self._report_parties(Ranking, 'customer')
        others = {p for p in everyone if fruit not in p.departments}
        self.assertTrue(others, "the demo has customers of vegetables only")
        with self.as_user('mgr_fruit', **self.period()):
            for Model, field in [(Ranking, 'customer'), (Movement, 'party')]:
                for department in [fruit.id, None]:
                    with self.subTest(model=Model.__name__,
                            department=department):
                        parties = self._report_parties(
                            Model, field, department)
                        self.assertTrue(parties)
                        self.assertFalse(parties & others)
            customers = {r.customer for r in Customer.search([])}
        self.assertTrue(customers)
        self.assertFalse(customers & others)

    @with_transaction()
    def test_department_managers_see_their_conversions(self):
        "Each department manager sees the conversion of his members only"
        pool = Pool()
        Conversion = pool.get(
            'sale.opportunity.reporting.conversion.employee')
        with self.as_user('crm_manager', **self.period()):
            every = {r.employee for r in Conversion.search([])}
        self.assertTrue(every)
        for login, code in [('mgr_fruit', 'fruit'),
                ('mgr_veg', 'vegetable')]:
            members = set(self.department(code).members)
            with self.subTest(login=login), \
                    self.as_user(login, **self.period()):
                self.assertEqual(
                    {r.employee for r in Conversion.search([])},
                    every & members)

    @with_transaction()
    def test_analyst_sees_every_customer(self):
        "The analyst's reports list every customer, as the CRM manager's"
        pool = Pool()
        for name, field in [('crm.classification.ranking', 'customer'),
                ('crm.classification.movement', 'party')]:
            Model = pool.get(name)
            with self.subTest(model=name):
                with self.as_user('crm_manager', **self.period()):
                    every = self._report_parties(Model, field)
                with self.as_user('service1', **self.period()):
                    self.assertEqual(
                        self._report_parties(Model, field), every)
                self.assertTrue(every)

    @with_transaction()
    def test_ranking_top(self):
        "The ranking shows the first customers by amount"
        pool = Pool()
        Ranking = pool.get('crm.classification.ranking')
        with self.as_user('crm_manager', **self.period()):
            every = Ranking.search([])
            with Transaction().set_context(limit=3):
                top = Ranking.search([])
        self.assertGreater(len(every), 3)
        self.assertEqual(len(top), 3)
        self.assertEqual(top, every[:3])
        self.assertEqual(
            [r.amount for r in every[:4]],
            sorted([r.amount for r in every[:4]], reverse=True))

    @with_transaction()
    def test_movement_compares_two_snapshots(self):
        "The demo's first classification leaves two snapshots to compare"
        pool = Pool()
        Context = pool.get('crm.classification.movement.context')
        Movement = pool.get('crm.classification.movement')
        Snapshot = pool.get('crm.classification.snapshot')
        periods = sorted({s.period for s in Snapshot.search([])})
        self.assertEqual(len(periods), 2)
        with self.as_user('crm_manager'):
            self.assertEqual(
                (Context.default_compare_period(), Context.default_period()),
                tuple(periods))
            movements = self._report_parties(Movement, None)
        self.assertTrue(movements)
        self.assertTrue(any(m.previous_value_class for m in movements))

    @with_transaction()
    def test_stage_graph_labels(self):
        "The stage graphs draw the translated lifecycle stages"
        pool = Pool()
        for name in ['crm.classification.stage',
                'crm.classification.movement']:
            Model = pool.get(name)
            with self.subTest(model=name), self.as_user('crm_manager'):
                view = Model.fields_view_get(view_type='graph')
                self.assertIn('lifecycle_stage_label', view['arch'])
                labels = dict(Model.fields_get(
                        ['lifecycle_stage'])['lifecycle_stage']['selection'])
                rows = self._report_parties(Model, None)
                self.assertTrue(rows)
                for row in rows:
                    self.assertEqual(
                        row.lifecycle_stage_label,
                        labels[row.lifecycle_stage])
                    if row.lifecycle_stage:
                        self.assertFalse(row.lifecycle_stage_label.isascii())

    @with_transaction()
    def test_date_fields_filter(self):
        "Each date field of a classification context changes its report"
        pool = Pool()
        Action = pool.get('ir.action.act_window')
        actions = Action.search([
                ('context_model', 'like', 'crm.classification.%')])
        self.assertEqual(len(actions), 3)
        with self.as_user('crm_manager'):
            for action in actions:
                Model = pool.get(action.res_model)
                Context = pool.get(action.context_model)
                values = Context.default_get(
                    list(Context._fields), with_rec_name=False)
                values['department'] = None
                dates = [n for n, f in Context._fields.items()
                    if f._type == 'date']
                self.assertTrue(dates)

                columns = [n for n, f in Model._fields.items()
                    if not isinstance(f, fields.Function)]

                def rows(**changes):
                    with Transaction().set_context(values, **changes):
                        return Model.search_read([], fields_names=columns)
                default = rows()
                self.assertTrue(default, Model.__name__)
                for name in dates:
                    with self.subTest(model=Model.__name__, field=name):
                        self.assertTrue(any(
                                rows(**{name: d}) != default
                                for d in FAR_DATES))
