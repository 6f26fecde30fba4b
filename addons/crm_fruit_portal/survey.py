# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import Index, fields
from trytond.modules.crm_fruit_customer import mail
from trytond.pool import PoolMeta
from trytond.transaction import Transaction, without_check_access

from .secret import SecretFieldsMixin, link_days


class Survey(SecretFieldsMixin, metaclass=PoolMeta):
    """The surveys after a resolution and the periodic ones are also sent to
    the customer by e-mail: the link opens the survey without a login, once,
    for some days"""
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
    def create_periodic(cls, date=None):
        surveys = super().create_periodic(date=date)
        cls.send_links(surveys)
        return surveys

    @classmethod
    def send_links(cls, surveys):
        """Mail each survey's link to its customer: the address of the
        ticket after a resolution, the customer's e-mail otherwise"""
        with without_check_access():
            for survey in surveys:
                address, language = survey._link_recipient()
                if not address:
                    continue
                token = cls._new_link_token([survey], 'portal_token')
                survey._send_link(address, language, token)

    def _link_recipient(self):
        "(e-mail address, language) the survey's link goes to"
        if self.ticket:
            return self.ticket.customer_email, self.ticket.customer_language
        if self.party:
            return self.party.email, mail.recipient_language(self.party.lang)
        return None, None

    def _send_link(self, address, language, token):
        from .routes import portal_url
        url = portal_url(Transaction().database.name, 'survey', token=token)
        if self.ticket:
            subject, text = mail.render(language,
                'crm_fruit_portal.msg_mail_survey',
                number=self.ticket.number, subject=self.ticket.subject,
                customer=self.party.rec_name, days=link_days(), url=url)
        else:
            subject, text = mail.render(language,
                'crm_fruit_portal.msg_mail_survey_periodic',
                company=self.company.rec_name, customer=self.party.rec_name,
                days=link_days(), url=url)
        mail.send(self, address, subject, text)

    @classmethod
    def by_portal_token(cls, token):
        "The open survey of the link's token; None when used or expired"
        return cls._by_link_token(
            'portal_token', token, [('state', '=', 'open')])

    @classmethod
    def answer(cls, surveys):
        super().answer(surveys)
        # the link is spent once the survey is answered, whoever records it
        used = [s for s in surveys if s.portal_token]
        if used:
            with without_check_access():
                cls.write(used, {
                        'portal_token': None, 'portal_token_expire': None})
