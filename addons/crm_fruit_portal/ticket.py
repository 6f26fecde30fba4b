# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, Unique, fields
from trytond.pool import PoolMeta
from trytond.transaction import Transaction, without_check_access

from .secret import SecretFieldsMixin, link_days

RATINGS = [
    (None, ""),
    ('1', "Very dissatisfied"),
    ('2', "Dissatisfied"),
    ('3', "Neither satisfied nor dissatisfied"),
    ('4', "Satisfied"),
    ('5', "Very satisfied"),
    ]


class Ticket(SecretFieldsMixin, metaclass=PoolMeta):
    """The ticket a customer files in the portal; the e-mail of its
    resolution carries a link to rate the answer without a login, once, for
    some days"""
    __name__ = 'service.ticket'
    _secret_fields = ['rating_token']

    portal_user = fields.Many2One('web.user', "Portal User", readonly=True,
        ondelete='RESTRICT',
        help="The customer's portal user who filed the ticket.")
    portal_submission = fields.Char("Portal Submission", readonly=True,
        strip=False,
        help="The form the ticket was filed with: a second submit of the "
        "same form files no second ticket.")
    customer_rating = fields.Selection(RATINGS, "Customer Rating",
        readonly=True, sort=False,
        help="How the customer rated the answer to his request in the "
        "portal, once it was resolved.")
    customer_rating_comment = fields.Text("Rating Comment", readonly=True)
    customer_rating_date = fields.Timestamp("Rated On", readonly=True)
    rating_token = fields.Char("Rating Token", readonly=True, strip=False)
    rating_token_expire = fields.Timestamp(
        "Rating Token Expire", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_constraints += [
            ('portal_submission_unique',
                Unique(table, table.portal_submission),
                'crm_fruit_portal.msg_ticket_submission_unique'),
            ]
        cls._sql_indexes.add(Index(table,
                (table.portal_submission, Index.Equality(cardinality='high')),
                where=table.portal_submission != None))  # noqa: E711
        cls._sql_indexes.add(Index(table,
                (table.rating_token, Index.Equality(cardinality='high')),
                where=table.rating_token != None))  # noqa: E711

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('portal_user')
        default.setdefault('portal_submission')
        default.setdefault('customer_rating')
        default.setdefault('customer_rating_comment')
        default.setdefault('customer_rating_date')
        default.setdefault('rating_token')
        default.setdefault('rating_token_expire')
        return super().copy(tickets, default=default)

    @property
    def ratable(self):
        "The customer may rate the answer: resolved and not rated yet"
        return (self.state in {'resolved', 'closed'}
            and not self.customer_rating)

    @classmethod
    def rate(cls, tickets, rating, comment):
        """Record the customer's rating of the answer on the tickets (their
        ownership checked before) and in their history, as staff see it"""
        tickets = [t for t in tickets if t.ratable]
        if not tickets:
            return
        label = dict(RATINGS)[rating]
        with without_check_access():
            # the e-mail's link is spent, wherever the rating came from
            cls.write(tickets, {
                    'customer_rating': rating,
                    'customer_rating_comment': comment or None,
                    'customer_rating_date': dt.datetime.now(),
                    'rating_token': None,
                    'rating_token_expire': None,
                    })
            for ticket in tickets:
                cls._add_history([ticket], ticket.state, note=gettext(
                        'crm_fruit_portal.msg_ticket_rated',
                        rating=label, comment=comment or ''))

    @classmethod
    def notify_customer(cls, tickets, template, **variables):
        if template != 'resolution':
            return super().notify_customer(tickets, template, **variables)
        for ticket in tickets:
            if ticket.customer_email and not ticket.customer_rating:
                super().notify_customer([ticket], 'resolution_rating',
                    url=ticket._new_rating_link(), days=link_days(),
                    **variables)
            else:
                super().notify_customer([ticket], template, **variables)

    @classmethod
    def _email_message(cls, template):
        if template == 'resolution_rating':
            return 'crm_fruit_portal.msg_mail_resolution_rating'
        return super()._email_message(template)

    def _new_rating_link(self):
        "The URL of a new rating link of the ticket (an earlier one spent)"
        from .routes import portal_url
        token = self._new_link_token([self], 'rating_token')
        return portal_url(Transaction().database.name, 'rate', token=token)

    @classmethod
    def by_rating_token(cls, token):
        """The ticket of the rating link's token, read without the record
        rules (the token is the key); None when spent, expired or the
        ticket is no longer to rate"""
        ticket = cls._by_link_token('rating_token', token)
        return ticket if ticket and ticket.ratable else None
