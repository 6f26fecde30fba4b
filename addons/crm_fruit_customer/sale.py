# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import PoolMeta

from .embedded_view import EmbeddedListsMixin


class Sale(EmbeddedListsMixin, metaclass=PoolMeta):
    "The sale form a rep fills in, without the 300 kB its lines brought"
    __name__ = 'sale.sale'
