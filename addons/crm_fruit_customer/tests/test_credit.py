# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction


class CreditAgreementTestCase(unittest.TestCase):
    "Test the life of the credit agreements after their signature"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _customer_and_term(self):
        pool = Pool()
        Party = pool.get('party.party')
        PaymentTerm = pool.get('account.invoice.payment_term')
        customer, = Party.create([{'name': "Longkou Wholesale"}])
        term, = PaymentTerm.create([{
                    'name': "30 days",
                    'lines': [('create', [{
                                    'type': 'remainder',
                                    'relativedeltas': [('create', [{
                                                    'days': 30}])],
                                    }])],
                    }])
        return customer, term

    def _signed(self, company, customer, term, amount, **values):
        Agreement = Pool().get('crm.credit.agreement')
        agreement, = Agreement.create([{
                    'company': company.id,
                    'party': customer.id,
                    'amount': amount,
                    'payment_term': term.id,
                    **values,
                    }])
        Agreement.sign([agreement])
        return agreement

    def _limit(self, company, customer):
        Party = Pool().get('party.party')
        with Transaction().set_context(company=company.id):
            return Party(customer.id).credit_limit_amount

    @with_transaction()
    def test_expired_agreement_ends_limit(self):
        "The cron expires the agreements past their last day: no more credit"
        pool = Pool()
        Agreement = pool.get('crm.credit.agreement')
        Date = pool.get('ir.date')
        company = create_company()
        with set_company(company):
            customer, term = self._customer_and_term()
            agreement = self._signed(
                company, customer, term, Decimal(300_000))
            self.assertEqual(self._limit(company, customer), 300_000)

            Agreement.expire_agreements()
            self.assertEqual(agreement.state, 'active')

            # the agreement signed a year ago has now run its course
            Agreement.write([agreement], {
                    'valid_from': Date.today() - dt.timedelta(days=366),
                    'valid_to': Date.today() - dt.timedelta(days=1),
                    })
            Agreement.expire_agreements()
            agreement = Agreement(agreement.id)
            self.assertEqual(agreement.state, 'expired')
            self.assertEqual(self._limit(company, customer), 0)

    @with_transaction()
    def test_new_agreement_supersedes_active_one(self):
        "A new agreement signed ends the active one and sets its own limit"
        Agreement = Pool().get('crm.credit.agreement')
        company = create_company()
        with set_company(company):
            customer, term = self._customer_and_term()
            old = self._signed(company, customer, term, Decimal(300_000))
            new = self._signed(company, customer, term, Decimal(500_000))

            old, new = Agreement.browse([old.id, new.id])
            self.assertEqual(old.state, 'terminated')
            self.assertEqual(new.state, 'active')
            self.assertEqual(self._limit(company, customer), 500_000)
            self.assertEqual(
                Pool().get('party.party')(customer.id).customer_payment_term,
                term)

    @with_transaction()
    def test_termination_keeps_other_customer_limit(self):
        "Ending one customer's agreement leaves the other customers' limits"
        pool = Pool()
        Agreement = pool.get('crm.credit.agreement')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            customer, term = self._customer_and_term()
            other, = Party.create([{'name': "Yantai Import"}])
            ended = self._signed(company, customer, term, Decimal(300_000))
            self._signed(company, other, term, Decimal(200_000))

            Agreement.terminate([ended])
            self.assertEqual(self._limit(company, customer), 0)
            self.assertEqual(self._limit(company, other), 200_000)
