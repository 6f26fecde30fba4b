# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest

from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction


class FeedbackTestCase(unittest.TestCase):
    "Test the complaint rate, praise rate, rankings and satisfaction trends"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    def _tickets(self):
        pool = Pool()
        Party = pool.get('party.party')
        Type = pool.get('service.ticket.type')
        Ticket = pool.get('service.ticket')
        Cause = pool.get('service.ticket.cause')
        Template = pool.get('product.template')
        Product = pool.get('product.product')
        Uom = pool.get('product.uom')
        party, = Party.create([{'name': "深圳华润"}])
        types = {k: Type(name=k, kind=k) for k in [
                'complaint', 'quality', 'praise', 'inquiry']}
        Type.save(list(types.values()))
        unit, = Uom.search([('name', '=', "Unit")])
        template = Template(name="樱桃", default_uom=unit)
        template.save()
        cherry = Product(template=template)
        cherry.save()
        cold_chain = Cause(name="冷链断链")
        cold_chain.save()
        date = dt.datetime(2026, 6, 10, 9)
        kinds = ['complaint', 'complaint', 'quality', 'praise', 'inquiry']
        tickets = [Ticket(party=party, type=types[k], subject=k, date=date,
                product=cherry if k != 'praise' else None,
                cause=cold_chain if k != 'praise' else None)
            for k in kinds]
        Ticket.save(tickets)
        return tickets, cherry, cold_chain

    @with_transaction()
    def test_rates(self):
        "Complaint rate counts complaints and quality problems"
        pool = Pool()
        Rate = pool.get('service.feedback.rate')
        RatePeriod = pool.get('service.feedback.rate.period')
        company = create_company()
        with set_company(company):
            self._tickets()
            with Transaction().set_context(
                    from_date=dt.date(2026, 6, 1),
                    to_date=dt.date(2026, 6, 30)):
                rate, = Rate.search([])
                trend, = RatePeriod.search([])
            with Transaction().set_context(from_date=dt.date(2026, 7, 1)):
                self.assertEqual(Rate.search([]), [])
            self.assertEqual(
                (rate.feedback, rate.complaints, rate.quality, rate.praise),
                (5, 2, 1, 1))
            self.assertAlmostEqual(rate.complaint_rate, 0.6)
            self.assertAlmostEqual(rate.praise_rate, 0.2)
            self.assertEqual(trend.date, dt.date(2026, 6, 1))
            self.assertAlmostEqual(trend.complaint_rate, 0.6)

    @with_transaction()
    def test_rankings(self):
        "Complaints ranked by product and cause leave praise out"
        pool = Pool()
        ByProduct = pool.get('service.complaint.product')
        ByCause = pool.get('service.complaint.cause')
        company = create_company()
        with set_company(company):
            _, cherry, cold_chain = self._tickets()
            row, = ByProduct.search([])
            self.assertEqual(
                (row.product, row.feedback, row.complaints, row.quality),
                (cherry, 3, 2, 1))
            row, = ByCause.search([])
            self.assertEqual((row.cause, row.feedback), (cold_chain, 3))

    @with_transaction()
    def test_satisfaction_analyses(self):
        "The index per dimension and period is sum of b over sum of a"
        pool = Pool()
        Party = pool.get('party.party')
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        Dimension = pool.get('service.satisfaction.dimension')
        Period = pool.get('service.satisfaction.period')
        Customer = pool.get('service.satisfaction.customer')
        company = create_company()
        with set_company(company):
            party, = Party.create([{'name': "吉隆坡进口商"}])
            surveys = [Survey(party=party, date=dt.date(2026, 5, d))
                for d in [3, 20]]
            Survey.save(surveys)
            for survey, (a, b) in zip(surveys, [(4, 2), (4, 5)]):
                for answer in survey.answers:
                    answer.expected, answer.perceived = a, b
                Answer.save(survey.answers)
            Survey.answer(surveys)
            with Transaction().set_context(period='month',
                    from_date=dt.date(2026, 1, 1)):
                freshness, = Dimension.search(
                    [('dimension', '=', 'freshness')])
                month, = Period.search([])
                customer, = Customer.search([])
            self.assertEqual(freshness.answers, 2)
            self.assertAlmostEqual(freshness.index, 7 / 8)
            self.assertAlmostEqual(freshness.expected, 4)
            self.assertAlmostEqual(freshness.perceived, 3.5)
            self.assertEqual(freshness.classification, 'unsatisfied')
            self.assertEqual(month.date, dt.date(2026, 5, 1))
            self.assertEqual(month.answers, 10)
            self.assertEqual(customer.party, party)

    @with_transaction()
    def test_satisfaction_customer_worst_dimension(self):
        "Per customer the worst dimension is that of the surveys shown"
        pool = Pool()
        Party = pool.get('party.party')
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        Customer = pool.get('service.satisfaction.customer')
        company = create_company()
        with set_company(company):
            fresh, late = Party.create([
                    {'name': "广州果园"}, {'name': "厦门超市"}])
            surveys = [Survey(party=p, date=dt.date(2026, 5, d))
                for p, d in [(fresh, 3), (fresh, 20), (late, 20)]]
            Survey.save(surveys)
            for survey in surveys:
                for answer in survey.answers:
                    answer.expected = answer.perceived = 4
            surveys[0].answers[0].perceived = 2
            late_delivery, = [a for a in surveys[2].answers
                if a.dimension == 'delivery']
            late_delivery.perceived = 3
            Answer.save([a for s in surveys for a in s.answers])
            Survey.answer(surveys)

            def rows(**context):
                with Transaction().set_context(**context):
                    return {r.party: (r.worst_dimension, r.worst_index,
                            r.below_expectation)
                        for r in Customer.search([])}, [r.party
                        for r in Customer.search(
                            [('below_expectation', '=', True)])]
            flagged = surveys[0].answers[0].dimension
            self.assertEqual(rows(), ({
                        fresh: (flagged, 0.75, True),
                        late: ('delivery', 0.75, True),
                        }, [fresh, late]))
            self.assertEqual(rows(from_date=dt.date(2026, 5, 10)), ({
                        fresh: ('freshness', 1.0, False),
                        late: ('delivery', 0.75, True),
                        }, [late]))

    @with_transaction()
    def test_dimension_graph_label(self):
        "The dimension graph draws the translated dimension, not its key"
        pool = Pool()
        Party = pool.get('party.party')
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        Dimension = pool.get('service.satisfaction.dimension')
        view = Dimension.fields_view_get(view_type='graph')
        self.assertIn('dimension_label', view['arch'])
        self.assertNotIn('"dimension"', view['arch'])
        labels = dict(
            Dimension.fields_get(['dimension'])['dimension']['selection'])
        company = create_company()
        with set_company(company):
            party, = Party.create([{'name': "吉隆坡进口商"}])
            survey = Survey(party=party, date=dt.date(2026, 5, 3))
            survey.save()
            for answer in survey.answers:
                answer.expected, answer.perceived = 4, 3
            Answer.save(survey.answers)
            Survey.answer([survey])
            with Transaction().set_context(from_date=dt.date(2026, 1, 1)):
                rows = Dimension.search([])
        self.assertTrue(rows)
        for row in rows:
            self.assertEqual(row.dimension_label, labels[row.dimension])
            self.assertNotEqual(row.dimension_label, row.dimension)

    @with_transaction()
    def test_backlog_without_dates(self):
        "The backlog counts every open ticket and asks for no date"
        pool = Pool()
        Action = pool.get('ir.action.act_window')
        Backlog = pool.get('service.ticket.backlog')
        SLACompliance = pool.get('service.ticket.sla_compliance')
        action, = Action.search([('res_model', '=', 'service.ticket.backlog')])
        Context = pool.get(action.context_model)
        self.assertFalse(
            [n for n, f in Context._fields.items() if f._type == 'date'])
        company = create_company()
        with set_company(company):
            tickets, _, _ = self._tickets()
            with Transaction().set_context(Context.default_get(
                        list(Context._fields), with_rec_name=False)):
                backlog = Backlog.search([])
            self.assertEqual(sum(r.tickets for r in backlog), len(tickets))
            for from_date, count in [
                    (dt.date(2026, 6, 1), len(tickets)),
                    (dt.date(2026, 7, 1), 0)]:
                with Transaction().set_context(from_date=from_date):
                    self.assertEqual(
                        sum(r.tickets for r in SLACompliance.search([])),
                        count)

    @with_transaction()
    def test_contexts_default_to_own_department(self):
        "A department manager's service analyses open on his department"
        pool = Pool()
        Department = pool.get('crm.department')
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        User = pool.get('res.user')
        company = create_company()
        employee = create_employee(company)
        department = Department(ModelData.get_id(
                'crm_fruit_customer', 'department_vegetable'))
        department.manager = employee
        department.save()
        manager = Group(ModelData.get_id(
                'crm_fruit_customer', 'group_crm_department_manager'))
        user, = User.create([{
                    'login': 'mgr_veg', 'name': "赵丽",
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    'groups': [('add', [manager.id])],
                    }])
        for name in ['service.feedback.context',
                'service.ticket.backlog.context',
                'service.ticket.reporting.context']:
            Context = pool.get(name)
            with self.subTest(context=name):
                with Transaction().set_user(user.id):
                    self.assertEqual(
                        Context.default_department(), department.id)
                self.assertIsNone(Context.default_department())
