# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval

from .credit_block import KINDS, standing_block

from .embedded_view import EmbeddedListsMixin


class Sale(EmbeddedListsMixin, metaclass=PoolMeta):
    """The sale form a rep fills in, without the 300 kB its lines brought.

    A quotation's amounts are stored when it is quoted, as Tryton stores
    them at confirmation: its lines no longer change (the draft it goes back
    to clears them), and the customer's order list and the reps' lists
    showed each quotation's total computed again, lines and taxes, on every
    read."""
    __name__ = 'sale.sale'

    party_credit_block = fields.Function(fields.Selection(
            [(None, "")] + KINDS, "Credit Block"),
        'on_change_with_party_credit_block')
    party_credit_block_reason = fields.Function(
        fields.Char("Block Reason"),
        'on_change_with_party_credit_block_reason')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if 'quotation' not in cls._states_cached:
            cls._states_cached = cls._states_cached + ['quotation']

    @classmethod
    def quote(cls, sales):
        super().quote(sales)
        cls.store_cache([s for s in sales if s.state == 'quotation'])

    @classmethod
    def confirm(cls, sales):
        Party = Pool().get('party.party')
        for sale in sales:
            if sale.state != 'confirmed':
                Party.check_credit_block([sale.party], sale.company)
        super().confirm(sales)

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('//group[@id="credit_block"]', 'states', {
                    'invisible': ~Eval('party_credit_block'),
                    }),
            ]

    @fields.depends('party', 'company')
    def on_change_with_party_credit_block(self, name=None):
        "What the customer form says of his block, shown while selling"
        kind, _ = standing_block(self.party, self.company)
        return kind

    @fields.depends('party', 'company')
    def on_change_with_party_credit_block_reason(self, name=None):
        _, reason = standing_block(self.party, self.company)
        return reason
