# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import Index, Unique, fields
from trytond.pool import PoolMeta


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
        return super().copy(tickets, default=default)
