# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
from unittest.mock import patch

import trytond.config as config
from trytond.exceptions import RateLimitException
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.modules.crm_fruit_portal.exceptions import (
    PortalPasswordError, ReceiptError)
from trytond.pool import Pool
from trytond.res.user import PasswordError
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, check_access


def create_web_user(email='buyer@customer.example', password=None, **values):
    pool = Pool()
    Party = pool.get('party.party')
    User = pool.get('web.user')
    party = values.pop('party', None) or Party(name="烟台果品批发")
    party.save()
    values.setdefault('email_valid', True)
    user = User(email=email, party=party, **values)
    if password:
        user.password = password
    user.save()
    return user


class CrmFruitPortalTestCase(CompanyTestMixin, ModuleTestCase):
    "The portal module and its hardening of web_user"
    module = 'crm_fruit_portal'

    # web_user's own users have no company (its tests make them so): the
    # global rule also shows those of no company (web_user.xml)
    @property
    def _skip_company_rule(self):
        return super()._skip_company_rule | {('web.user', 'company')}

    @with_transaction()
    def test_password_policy_as_root(self):
        "The password policy holds when the password is set as root"
        pool = Pool()
        User = pool.get('web.user')
        user = create_web_user()
        with patch.dict(config._config._sections.setdefault('password', {}),
                {'length': '8'}):
            with Transaction().set_user(0), \
                    self.assertRaises(PasswordError):
                User.write([user], {'password': 'short'})

    @with_transaction()
    def test_portal_password_length(self):
        "The portal asks for 10 characters and not the e-mail"
        pool = Pool()
        User = pool.get('web.user')
        user = create_web_user()
        with self.assertRaises(PortalPasswordError):
            User.check_portal_password('Fruit-9x', user)
        with self.assertRaises(PortalPasswordError):
            User.check_portal_password('buyer-2026-apples', user)
        User.check_portal_password('Longkou apples 9', user)

    @with_transaction()
    def test_sessions_end_with_password_and_deactivation(self):
        "A password change, a reset or a deactivation ends the sessions"
        pool = Pool()
        User = pool.get('web.user')
        user = create_web_user(password='Longkou apples 9')
        for change in [
                {'password': 'Pears of Laiyang 7'},
                {'email_valid': False},
                {'active': False}]:
            key = user.new_session()
            self.assertEqual(User.get_user(key), user)
            User.write([user], change)
            self.assertIsNone(User.get_user(key), change)
            User.write([user], {'active': True, 'email_valid': True})

    @with_transaction()
    def test_session_absolute_age(self):
        "A session used all the time still ends at its maximum age"
        pool = Pool()
        User = pool.get('web.user')
        Session = pool.get('web.user.session')
        user = create_web_user()
        key = user.new_session()
        session, = Session.search([('key', '=', key)])
        table = Session.__table__()
        cursor = Transaction().connection.cursor()
        old = dt.datetime.now() - Session.max_age() - dt.timedelta(hours=1)
        cursor.execute(*table.update(
                [table.create_date, table.write_date],
                [old, dt.datetime.now()], where=table.id == session.id))
        self.assertIsNone(User.get_user(key))

    @with_transaction()
    def test_session_inactive_user(self):
        "The session of a deactivated user gives no user"
        pool = Pool()
        User = pool.get('web.user')
        user = create_web_user()
        key = user.new_session()
        table = User.__table__()
        cursor = Transaction().connection.cursor()
        # behind the ORM, as a deactivation by a migration would be
        cursor.execute(*table.update([table.active], [False],
                where=table.id == user.id))
        Transaction().cache.clear()
        self.assertIsNone(User.get_user(key))

    @with_transaction()
    def test_reset_token_missing_or_wrong(self):
        "A reset link without token or with a wrong one sets nothing"
        pool = Pool()
        User = pool.get('web.user')
        user = create_web_user(password='Longkou apples 9')
        self.assertFalse(User.set_password_token(user.email, None, 'x' * 12))
        self.assertFalse(User.set_password_token(user.email, '', 'x' * 12))
        user.set_reset_password_token()
        user.save()
        self.assertFalse(User.set_password_token(
                user.email, 'wrong', 'Pears of Laiyang 7'))
        # a wrong guess does not spend it: nobody cancels a customer's reset
        self.assertTrue(User.set_password_token(
                user.email, user.reset_password_token, 'Pears of Laiyang 7'))

    @with_transaction()
    def test_reset_token_once(self):
        "The reset token sets the password once"
        pool = Pool()
        User = pool.get('web.user')
        user = create_web_user(password='Longkou apples 9')
        user.set_reset_password_token()
        user.save()
        token = user.reset_password_token
        self.assertEqual(User.user_by_reset_token(token), user)
        self.assertTrue(User.set_password_token(
                user.email, token, 'Pears of Laiyang 7'))
        self.assertFalse(User.set_password_token(
                user.email, token, 'Cherries of Yantai 8'))
        self.assertIsNone(User.user_by_reset_token(token))
        self.assertEqual(User.authenticate(
                user.email, 'Pears of Laiyang 7'), user)

    @with_transaction()
    def test_email_token_expires(self):
        "The e-mail token (invitation) expires"
        pool = Pool()
        User = pool.get('web.user')
        user = create_web_user(email_valid=False)
        user.set_email_token()
        user.email_token_expire = dt.datetime.now() - dt.timedelta(seconds=1)
        user.save()
        self.assertIsNone(User.user_by_email_token(user.email_token))
        self.assertEqual(User.validate_email_token([user.email_token]), [])
        user.set_email_token()
        user.save()
        self.assertEqual(User.user_by_email_token(user.email_token), user)
        self.assertEqual(User.validate_email_token([user.email_token]), [user])

    @with_transaction()
    def test_secrets_not_read_nor_searched(self):
        "Staff reads neither the hash nor the tokens, nor searches them"
        pool = Pool()
        User = pool.get('web.user')
        company = create_company()
        user = create_web_user(password='Longkou apples 9', company=company)
        user.set_reset_password_token()
        user.set_email_token()
        user.save()
        with set_company(company), check_access():
            row, = User.read([user.id], [
                    'password_hash', 'reset_password_token',
                    'email_token', 'email'])
            self.assertEqual(row['email'], user.email)
            self.assertIsNone(row['password_hash'])
            self.assertIsNone(row['reset_password_token'])
            self.assertIsNone(row['email_token'])
            self.assertEqual(User.search([
                        ('reset_password_token', 'like',
                            user.reset_password_token[0] + '%')]), [])
        self.assertEqual(User.search([
                    ('reset_password_token', '=',
                        user.reset_password_token)]), [user])

    @with_transaction()
    def test_lockout_per_device(self):
        "Failed logins block the device they come from, not the customer's"
        pool = Pool()
        User = pool.get('web.user')
        user = create_web_user(password='Longkou apples 9')
        with patch('time.sleep') as sleep:
            for _ in range(7):
                try:
                    User.authenticate(user.email, 'guess', None)
                except RateLimitException:
                    pass
            with self.assertRaises(RateLimitException):
                User.authenticate(user.email, 'Longkou apples 9', None)
            self.assertEqual(User.authenticate(
                    user.email, 'Longkou apples 9', 'known-device'), user)
            sleep.assert_not_called()

    @with_transaction()
    def test_portal_login_needs_valid_email(self):
        "The portal lets in only validated, active users of a customer"
        pool = Pool()
        User = pool.get('web.user')
        company = create_company()
        user = create_web_user(password='Longkou apples 9')
        self.assertIsNone(User.portal_login(user.email, 'Longkou apples 9'))
        User.write([user], {'company': company.id})
        self.assertEqual(User.portal_login(
                user.email, 'Longkou apples 9'), user)
        User.write([user], {'email_valid': False})
        self.assertIsNone(User.portal_login(user.email, 'Longkou apples 9'))

    @with_transaction()
    def test_invite_sends_a_link(self):
        "The invitation e-mail carries a token link to the portal"
        pool = Pool()
        User = pool.get('web.user')
        user = create_web_user(email_valid=False)
        with patch('trytond.modules.crm_fruit_customer.mail.send') as send:
            User.invite([user])
        (record, address, subject, text), _ = send.call_args
        self.assertEqual(address, user.email)
        self.assertIn(f'/portal/invitation?token={user.email_token}', text)
        self.assertTrue(user.invited)
        self.assertGreater(user.email_token_expire, dt.datetime.now())

    @with_transaction()
    def test_receipt_not_written_by_client(self):
        "The receipt fields are not written over RPC"
        pool = Pool()
        Shipment = pool.get('stock.shipment.out')
        with self.assertRaises(ReceiptError):
            Shipment.check_modification('write', [], {'received': None},
                external=True)


del ModuleTestCase
