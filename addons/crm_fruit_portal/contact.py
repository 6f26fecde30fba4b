# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import PoolMeta


class Contact(metaclass=PoolMeta):
    "The contact log shows what the customer changed in the portal"
    __name__ = 'crm.contact'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.channel.selection.append(('portal', "Portal"))
