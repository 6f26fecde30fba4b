# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import ModelView
from trytond.pool import PoolMeta


class PostalCode(metaclass=PoolMeta):
    __name__ = 'country.postal_code'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        if mode in {'create', 'delete'}:
            # the address fields suggest postal codes once there are some
            ModelView._fields_view_get_cache.clear()
