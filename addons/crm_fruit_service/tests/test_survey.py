# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.model.exceptions import SQLConstraintError
from trytond.modules.company.tests import (
    create_company, create_employee, set_company)
from trytond.modules.crm_fruit_service.exceptions import SurveyError
from trytond.modules.crm_fruit_service.survey import (
    classify, satisfaction_index, worst_dimension)
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction


class SatisfactionIndexTestCase(unittest.TestCase):
    "Test the satisfaction index C = b / a"

    def test_index(self):
        self.assertEqual(satisfaction_index(4, 3), Decimal('0.75'))
        self.assertEqual(satisfaction_index(4, 5), Decimal('1.25'))
        self.assertIsNone(satisfaction_index(None, 3))
        self.assertIsNone(satisfaction_index(4, None))

    def test_classify(self):
        tolerance = Decimal('0.05')
        self.assertEqual(classify(Decimal('0.75'), tolerance), 'unsatisfied')
        self.assertEqual(classify(Decimal('0.96'), tolerance), 'neutral')
        self.assertEqual(classify(Decimal('1'), tolerance), 'neutral')
        self.assertEqual(classify(Decimal('1.05'), tolerance), 'neutral')
        self.assertEqual(classify(Decimal('1.06'), tolerance), 'beyond')
        self.assertIsNone(classify(None, tolerance))

    def test_worst_dimension(self):
        "The dimension of lowest C, below expectation when b < a"
        self.assertEqual(
            worst_dimension({'service': (4, 5), 'freshness': (5, 3)}),
            ('freshness', Decimal('0.60'), True))
        self.assertEqual(
            worst_dimension({'service': (4, 4), 'delivery': (4, 5)}),
            ('service', Decimal('1.00'), False))
        self.assertEqual(worst_dimension({}), (None, None, False))

    def test_worst_dimension_exact(self):
        "C = 0.995 shows as 1.00 but is below expectation"
        self.assertEqual(
            worst_dimension({'grading': (200, 199)}),
            ('grading', Decimal('1.00'), True))

    def test_worst_dimension_tie(self):
        "Of equal indexes the first dimension of the survey is the worst"
        self.assertEqual(
            worst_dimension({'service': (4, 3), 'freshness': (4, 3)})[0],
            'freshness')


class SurveyTestCase(unittest.TestCase):
    "Test satisfaction surveys"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    def _survey(self, **values):
        pool = Pool()
        Party = pool.get('party.party')
        Survey = pool.get('service.survey')
        party = Party(name="龙口果品批发")
        party.save()
        survey = Survey(party=party, **values)
        survey.save()
        return survey

    @with_transaction()
    def test_survey_gets_questions(self):
        "A new survey asks one question per dimension"
        company = create_company()
        with set_company(company):
            survey = self._survey()
            self.assertEqual(
                sorted(a.dimension for a in survey.answers),
                ['delivery', 'freshness', 'grading', 'packaging', 'service'])

    @with_transaction()
    def test_survey_index(self):
        "The survey index is the sum of b over the sum of a"
        pool = Pool()
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        company = create_company()
        with set_company(company):
            survey = self._survey()
            scores = [(4, 3), (4, 4), (5, 4), (4, 4), (3, 3)]
            for answer, (a, b) in zip(survey.answers, scores):
                answer.expected, answer.perceived = a, b
            Answer.save(survey.answers)
            Survey.answer([survey])
            survey = Survey(survey.id)
            self.assertEqual(survey.state, 'answered')
            self.assertEqual(survey.index, Decimal('0.90'))
            self.assertEqual(survey.classification, 'unsatisfied')
            self.assertEqual(
                survey.answers[0].classification, 'unsatisfied')

    def _score(self, survey, scores):
        pool = Pool()
        Answer = pool.get('service.survey.answer')
        for answer in survey.answers:
            answer.expected, answer.perceived = scores[answer.dimension]
        Answer.save(survey.answers)

    @with_transaction()
    def test_survey_worst_dimension(self):
        "The survey names its worst dimension, flagged when C < 1"
        pool = Pool()
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        company = create_company()
        with set_company(company):
            met, missed, unanswered = [self._survey() for _ in range(3)]
            self._score(met, {
                    'freshness': (4, 4), 'grading': (3, 4),
                    'packaging': (4, 4), 'delivery': (4, 5),
                    'service': (4, 4)})
            self._score(missed, {
                    'freshness': (4, 5), 'grading': (4, 4),
                    'packaging': (5, 4), 'delivery': (4, 4),
                    'service': (4, 4)})
            # a second packaging answer: the dimension is Σb / Σa
            Answer.create([{
                        'survey': missed.id, 'dimension': 'packaging',
                        'expected': 3, 'perceived': 3}])

            met, missed, unanswered = Survey.browse(
                [met.id, missed.id, unanswered.id])
            self.assertEqual(
                (met.worst_dimension, met.worst_index,
                    met.below_expectation),
                ('freshness', Decimal('1.00'), False))
            self.assertEqual(
                (missed.worst_dimension, missed.worst_index,
                    missed.below_expectation),
                ('packaging', Decimal('0.88'), True))
            self.assertEqual(
                (unanswered.worst_dimension, unanswered.worst_index,
                    unanswered.below_expectation),
                (None, None, False))
            self.assertEqual(
                Survey.search([('below_expectation', '=', True)]), [missed])
            self.assertEqual(
                Survey.search([('below_expectation', '=', False)],
                    order=[('id', 'ASC')]),
                [met, unanswered])
            self.assertEqual(
                Survey.search([('below_expectation', '!=', True)],
                    order=[('id', 'ASC')]),
                [met, unanswered])

    @with_transaction()
    def test_survey_on_change_answers(self):
        "Editing the scores on the form updates the index and the worst"
        pool = Pool()
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        company = create_company()
        with set_company(company):
            survey = Survey(answers=[
                    Answer(dimension='freshness', expected=4, perceived=2),
                    Answer(dimension='service', expected=4, perceived=5),
                    Answer(dimension='delivery', expected=None,
                        perceived=None),
                    ])
            survey.on_change_answers()
            self.assertEqual(survey.index, Decimal('0.88'))
            self.assertEqual(survey.classification, 'unsatisfied')
            self.assertEqual(
                (survey.worst_dimension, survey.worst_index,
                    survey.below_expectation),
                ('freshness', Decimal('0.50'), True))

    @with_transaction()
    def test_survey_answered_by_employee(self):
        "The employee of the user who records the answers is kept"
        pool = Pool()
        Survey = pool.get('service.survey')
        Answer = pool.get('service.survey.answer')
        User = pool.get('res.user')
        company = create_company()
        employee = create_employee(company)
        User.write([User(Transaction().user)], {
                'companies': [('add', [company.id])],
                'company': company.id,
                'employees': [('add', [employee.id])],
                'employee': employee.id,
                })
        with set_company(company):
            survey = self._survey()
            for answer in survey.answers:
                answer.expected = answer.perceived = 4
            Answer.save(survey.answers)
            Survey.answer([survey])
            self.assertEqual(Survey(survey.id).answered_by, employee)
            Survey.open([survey])
            self.assertIsNone(Survey(survey.id).answered_by)

    @with_transaction()
    def test_answered_by_user_migrated(self):
        "A survey answered by a user of an older version names his employee"
        pool = Pool()
        Survey = pool.get('service.survey')
        User = pool.get('res.user')
        ModelField = pool.get('ir.model.field')
        company = create_company()
        employee = create_employee(company)
        user, = User.create([{
                    'login': 'service', 'name': "Service",
                    'companies': [('add', [company.id])],
                    'company': company.id,
                    'employees': [('add', [employee.id])],
                    'employee': employee.id,
                    }])
        with set_company(company):
            survey = self._survey()
        module = 'crm_fruit_service'
        table_h = Survey.__table_handler__(module)
        table_h.drop_fk('answered_by')
        table_h.add_fk('answered_by', 'res_user')
        table = Survey.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.update(
                [table.answered_by], [user.id], where=table.id == survey.id))
        field, = ModelField.search([
                ('model', '=', 'service.survey'),
                ('name', '=', 'answered_by'),
                ])
        field_table = ModelField.__table__()
        cursor.execute(*field_table.update(
                [field_table.relation], ['res.user'],
                where=field_table.id == field.id))
        self.assertTrue(Survey._answered_by_user())

        Survey.__register__(module)

        self.assertEqual(Survey(survey.id).answered_by, employee)
        self.assertFalse(Survey._answered_by_user())
        # the key now refers to the employees
        Employee = pool.get('company.employee')
        Employee.delete([employee])
        self.assertIsNone(Survey(survey.id).answered_by)

    @with_transaction()
    def test_survey_incomplete(self):
        "A survey with missing scores cannot be answered"
        pool = Pool()
        Survey = pool.get('service.survey')
        company = create_company()
        with set_company(company):
            survey = self._survey()
            with self.assertRaises(SurveyError):
                Survey.answer([survey])

    @with_transaction()
    def test_score_range(self):
        "Scores outside 1-5 are refused"
        pool = Pool()
        Answer = pool.get('service.survey.answer')
        company = create_company()
        with set_company(company):
            survey = self._survey()
            answer = survey.answers[0]
            answer.expected = 7
            with self.assertRaises(SQLConstraintError):
                Answer.save([answer])

    @with_transaction()
    def test_periodic_surveys_once(self):
        "Customers who bought get one periodic survey, not two"
        pool = Pool()
        Party = pool.get('party.party')
        Sale = pool.get('sale.sale')
        Survey = pool.get('service.survey')
        company = create_company()
        with set_company(company):
            buyer, idle = Party.create([
                    {'name': "买家", 'addresses': [('create', [{}])]},
                    {'name': "未下单"}])
            address, = buyer.addresses
            sale = Sale(party=buyer, sale_date=dt.date(2026, 9, 1),
                invoice_address=address, shipment_address=address)
            sale.save()
            Sale.write([sale], {'state': 'confirmed'})
            date = dt.date(2026, 10, 1)
            surveys = Survey.create_periodic(date)
            self.assertEqual([s.party for s in surveys], [buyer])
            self.assertEqual(Survey.create_periodic(date), [])
