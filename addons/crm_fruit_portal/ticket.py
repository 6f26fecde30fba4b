# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, Unique, fields
from trytond.pool import PoolMeta
from trytond.transaction import without_check_access

RATINGS = [
    (None, ""),
    ('1', "Very dissatisfied"),
    ('2', "Dissatisfied"),
    ('3', "Neither satisfied nor dissatisfied"),
    ('4', "Satisfied"),
    ('5', "Very satisfied"),
    ]


class Ticket(metaclass=PoolMeta):
    "The ticket a customer files in the portal"
    __name__ = 'service.ticket'

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

    @classmethod
    def copy(cls, tickets, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('portal_user')
        default.setdefault('portal_submission')
        default.setdefault('customer_rating')
        default.setdefault('customer_rating_comment')
        default.setdefault('customer_rating_date')
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
            cls.write(tickets, {
                    'customer_rating': rating,
                    'customer_rating_comment': comment or None,
                    'customer_rating_date': dt.datetime.now(),
                    })
            for ticket in tickets:
                cls._add_history([ticket], ticket.state, note=gettext(
                        'crm_fruit_portal.msg_ticket_rated',
                        rating=label, comment=comment or ''))
