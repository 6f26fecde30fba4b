# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import PoolMeta

from .embedded_view import EmbeddedListsMixin


class Sale(EmbeddedListsMixin, metaclass=PoolMeta):
    """The sale form a rep fills in, without the 300 kB its lines brought.

    A quotation's amounts are stored when it is quoted, as Tryton stores
    them at confirmation: its lines no longer change (the draft it goes back
    to clears them), and the customer's order list and the reps' lists
    showed each quotation's total computed again, lines and taxes, on every
    read."""
    __name__ = 'sale.sale'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        if 'quotation' not in cls._states_cached:
            cls._states_cached = cls._states_cached + ['quotation']

    @classmethod
    def quote(cls, sales):
        super().quote(sales)
        cls.store_cache([s for s in sales if s.state == 'quotation'])
