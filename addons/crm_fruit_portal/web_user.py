# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import hmac
from secrets import token_urlsafe

from sql import Literal, Null, Union

import trytond.config as config
from trytond.exceptions import RateLimitException
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.crm_fruit_customer import mail
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .exceptions import PortalPasswordError
from .secret import SecretFieldsMixin

ROLES = [
    ('buyer', "Buyer"),
    ('accountant', "Accountant"),
    ('quality', "Quality"),
    ]
LANGUAGES = ['zh_CN', 'en']
# The pages each role reaches (routes.py checks them on every request)
ROLE_PAGES = {
    'buyer': {'orders', 'tickets'},
    'accountant': {'orders', 'invoices'},
    'quality': {'orders', 'tickets'},
    }
SECRET_FIELDS = [
    'password_hash', 'reset_password_token', 'reset_password_token_expire',
    'email_token', 'email_token_expire']


def portal_config(option, default):
    return config.getint('crm_fruit_portal', option, default=default)


class User(SecretFieldsMixin, metaclass=PoolMeta):
    "A customer's portal user, closed for a public portal"
    __name__ = 'web.user'
    _secret_fields = SECRET_FIELDS

    portal_role = fields.Selection(ROLES, "Portal Role", required=True,
        help="What the user sees in the portal: the buyer orders and "
        "tickets, the accountant orders and invoices, quality the orders "
        "and the complaints.")
    company = fields.Many2One('company.company', "Company",
        help="The company whose customer the user is: the portal shows "
        "the documents of this company only.")
    language = fields.Selection([
            ('zh_CN', "中文"),
            ('en', "English"),
            ], "Language", required=True)
    email_token_expire = fields.Timestamp("Email Token Expire")
    invited = fields.Timestamp("Invited", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        for field in [cls.party, cls.secondary_parties]:
            field.context['company'] = Eval('company', -1)
            field.depends.add('company')
        cls._buttons.update({
                'invite': {
                    'readonly': ~Eval('active', True),
                    'depends': ['active'],
                    },
                })

    @classmethod
    def default_portal_role(cls):
        return 'buyer'

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def default_language(cls):
        return 'zh_CN'

    @classmethod
    def set_password(cls, users, name, value):
        pool = Pool()
        ResUser = pool.get('res.user')
        if value == 'x' * 10:
            return
        # Stock web_user skips the policy when set as root (any route)
        if value:
            ResUser.validate_password(value, users)
        super().set_password(users, name, value)

    @classmethod
    def check_portal_password(cls, password, user=None):
        "Raise PortalPasswordError unless password is good enough for us"
        length = portal_config('password_length', 10)
        if len(password or '') < length:
            raise PortalPasswordError(gettext(
                    'crm_fruit_portal.msg_password_length', length=length))
        if user and user.email and user.email.split('@')[0].lower() in (
                password.lower()):
            raise PortalPasswordError(gettext(
                    'crm_fruit_portal.msg_password_email'))

    @classmethod
    def on_modification(cls, mode, users, field_names=None):
        super().on_modification(mode, users, field_names=field_names)
        if mode == 'write' and field_names and (
                {'password_hash', 'active', 'email', 'email_valid'}
                & set(field_names)):
            cls._end_sessions(users)

    @classmethod
    def _end_sessions(cls, users):
        pool = Pool()
        Session = pool.get('web.user.session')
        cursor = Transaction().connection.cursor()
        table = Session.__table__()
        ids = [u.id for u in users]
        if ids:
            cursor.execute(*table.delete(where=table.user.in_(ids)))

    @classmethod
    def authenticate(cls, email, password, device_cookie=None):
        """Return the user or None; raise RateLimitException when blocked.

        Attempts count per e-mail and device: someone who knows a
        customer's address blocks only the unknown devices, not the
        customer's own, and no worker sleeps."""
        pool = Pool()
        Attempt = pool.get('web.user.authenticate.attempt')
        email = (email or '').lower()
        if Attempt.count_ip() > config.getint(
                'session', 'max_attempt_ip_network', default=300):
            raise RateLimitException()
        if Attempt.count(email, device_cookie) > config.getint(
                'session', 'max_attempt', default=5):
            Attempt.add(email, device_cookie)
            raise RateLimitException()
        user = cls._check_credentials(email, password)
        if user:
            Attempt.remove(email, device_cookie)
            return user
        Attempt.add(email, device_cookie)

    @classmethod
    def _check_credentials(cls, email, password):
        with without_check_access():
            users = cls.search([('email', '=', email)])
        # Hash anyway: the time does not tell whether the address exists
        hash_ = users[0].password_hash if users else None
        valid, new_hash = cls.check_password(password or '', hash_ or (
                cls._dummy_hash()))
        if users and hash_ and valid:
            user, = users
            if new_hash:
                with Transaction().new_transaction():
                    with without_check_access():
                        cls.write([cls(user.id)], {'password_hash': new_hash})
            return user

    @classmethod
    def _dummy_hash(cls):
        if not hasattr(cls, '_dummy'):
            cls._dummy = cls.hash_password(token_urlsafe(16))
        return cls._dummy

    @classmethod
    def portal_login(cls, email, password, device_cookie=None):
        "Return the user allowed into the portal with these credentials"
        user = cls.authenticate(email, password, device_cookie)
        if (user and user.active and user.email_valid and user.party
                and user.company):
            return user

    @classmethod
    def set_password_token(cls, email, token, password):
        """Set password when token is the user's reset token, compared in
        constant time; a missing token is a wrong one"""
        pool = Pool()
        Attempt = pool.get('web.user.authenticate.attempt')
        email = (email or '').lower()
        if not email or not token:
            return False
        with without_check_access():
            users = cls.search([('email', '=', email)])
        if users:
            user, = users
            expected = user.reset_password_token or ''
            expire = user.reset_password_token_expire
            if expected and hmac.compare_digest(
                    expected.encode(), token.encode()):
                user.clear_reset_password_token()
                if expire and expire > dt.datetime.now():
                    user.password = password
                    user.save()
                    Attempt.remove(email)
                    return True
                user.save()
        Attempt.add(email)
        return False

    @classmethod
    def user_by_reset_token(cls, token):
        "Return the user whose unexpired reset token is token"
        return cls._user_by_token(
            token, 'reset_password_token', 'reset_password_token_expire')

    @classmethod
    def user_by_email_token(cls, token):
        "Return the user whose unexpired e-mail token is token"
        return cls._user_by_token(token, 'email_token', 'email_token_expire')

    @classmethod
    def _user_by_token(cls, token, field, expire_field):
        if not token or len(token) > 128:
            return None
        with without_check_access():
            users = cls.search([(field, '=', token)])
        for user in users:
            expire = getattr(user, expire_field)
            if (hmac.compare_digest(getattr(user, field).encode(),
                        token.encode())
                    and expire and expire > dt.datetime.now()):
                return user

    @classmethod
    def validate_email_token(cls, tokens):
        # Stock tokens never expire
        now = dt.datetime.now()
        users = [u for u in cls.search([('email_token', 'in', tokens)])
            if not u.email_token_expire or u.email_token_expire > now]
        cls.write(users, {
                'email_valid': True,
                'email_token': None,
                'email_token_expire': None,
                })
        return users

    def set_email_token(self, nbytes=None):
        super().set_email_token(nbytes)
        self.email_token_expire = dt.datetime.now() + dt.timedelta(
            seconds=portal_config('email_token_timeout', 7 * 24 * 60 * 60))

    @classmethod
    @ModelView.button
    def invite(cls, users):
        """Send each user an e-mail with a link to choose his password; the
        link works once, for a week"""
        for user in users:
            user.set_email_token()
            user.invited = dt.datetime.now()
        cls.save(users)
        for user in users:
            user.send_invitation()

    def send_invitation(self):
        subject, text = mail.render(
            self.language, 'crm_fruit_portal.msg_mail_invitation',
            party=self.party.rec_name if self.party else '',
            url=self.portal_url('invitation', token=self.email_token))
        mail.send(self, self.email, subject, text)

    def send_reset_password(self):
        subject, text = mail.render(self.language,
            'crm_fruit_portal.msg_mail_reset_password',
            url=self.portal_url('reset/password',
                token=self.reset_password_token))
        mail.send(self, self.email, subject, text)

    @classmethod
    def request_reset_password(cls, email):
        "Send a reset link to email when it is a portal user's"
        with without_check_access():
            users = cls.search([
                    ('email', '=', (email or '').lower()),
                    ('email_valid', '=', True),
                    ])
        now = dt.datetime.now()
        for user in users:
            # One link at a time: a flood of requests sends one mail
            if (user.reset_password_token_expire
                    and user.reset_password_token_expire > now):
                continue
            user.set_reset_password_token(nbytes=32)
            user.save()
            user.send_reset_password()

    def portal_url(self, page, **params):
        from .routes import portal_url
        return portal_url(Transaction().database.name, page, **params)

    @classmethod
    def email_failed(cls, failures):
        "Nothing to record: the staff sends the invitation again"

    @classmethod
    def copy(cls, users, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('email_token', None)
        default.setdefault('email_token_expire', None)
        default.setdefault('email_valid', False)
        default.setdefault('invited', None)
        return super().copy(users, default=default)

    @classmethod
    def portal_parties(cls, user_id):
        "Return the ids of the parties user_id acts for, read in the table"
        pool = Pool()
        Secondary = pool.get('web.user-party.party.secondary')
        cursor = Transaction().connection.cursor()
        table = cls.__table__()
        secondary = Secondary.__table__()
        active = table.select(table.id,
            where=(table.id == user_id) & (table.active == Literal(True))
            & (table.party != Null))
        cursor.execute(*Union(
                table.select(table.party, where=table.id.in_(active)),
                secondary.select(secondary.party,
                    where=secondary.user.in_(active))))
        return tuple(sorted(p for p, in cursor))
