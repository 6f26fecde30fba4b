# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import secrets

import trytond.config as config
from trytond.model import Index, fields
from trytond.modules.crm_fruit_customer import mail
from trytond.pool import PoolMeta
from trytond.transaction import Transaction, without_check_access

from .secret import SecretFieldsMixin


def link_days():
    return config.getint('crm_fruit_portal', 'survey_link_days', default=30)


class Survey(SecretFieldsMixin, metaclass=PoolMeta):
    """The survey after a resolution is also sent to the customer by e-mail:
    its link opens the survey without a login, once, for some days"""
    __name__ = 'service.survey'
    _secret_fields = ['portal_token']

    portal_token = fields.Char("Portal Token", readonly=True, strip=False)
    portal_token_expire = fields.Timestamp(
        "Portal Token Expire", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_indexes.add(Index(table,
                (table.portal_token, Index.Equality(cardinality='high')),
                where=table.portal_token != None))  # noqa: E711

    @classmethod
    def copy(cls, surveys, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('portal_token')
        default.setdefault('portal_token_expire')
        return super().copy(surveys, default=default)

    @classmethod
    def create_for_tickets(cls, tickets):
        surveys = super().create_for_tickets(tickets)
        cls.send_links(surveys)
        return surveys

    @classmethod
    def send_links(cls, surveys):
        "Mail each survey's link to the address of its ticket's customer"
        expire = dt.datetime.now() + dt.timedelta(days=link_days())
        with without_check_access():
            for survey in surveys:
                ticket = survey.ticket
                address = ticket.customer_email if ticket else None
                if not address:
                    continue
                token = secrets.token_hex(32)
                cls.write([survey], {
                        'portal_token': token,
                        'portal_token_expire': expire,
                        })
                survey._send_link(ticket, address, token)

    def _send_link(self, ticket, address, token):
        from .routes import portal_url
        subject, text = mail.render(ticket.customer_language,
            'crm_fruit_portal.msg_mail_survey',
            number=ticket.number, subject=ticket.subject,
            customer=ticket.party.rec_name, days=link_days(),
            url=portal_url(
                Transaction().database.name, 'survey', token=token))
        mail.send(self, address, subject, text)

    @classmethod
    def by_portal_token(cls, token):
        "The open survey of the link's token; None when used or expired"
        if not token or len(token) > 128:
            return None
        with without_check_access():
            surveys = cls.search([
                    ('portal_token', '=', token),
                    ('portal_token_expire', '>', dt.datetime.now()),
                    ('state', '=', 'open'),
                    ], limit=1)
        return surveys[0] if surveys else None

    @classmethod
    def answer(cls, surveys):
        super().answer(surveys)
        # the link is spent once the survey is answered, whoever records it
        used = [s for s in surveys if s.portal_token]
        if used:
            with without_check_access():
                cls.write(used, {
                        'portal_token': None, 'portal_token_expire': None})
