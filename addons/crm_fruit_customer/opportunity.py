# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import PoolMeta

from .embedded_view import EmbeddedListsMixin


class Opportunity(EmbeddedListsMixin, metaclass=PoolMeta):
    "The lead and opportunity form, without the 200 kB its lines brought"
    __name__ = 'sale.opportunity'
