# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import PoolMeta


class AccountParty(metaclass=PoolMeta):
    __name__ = 'bank.account-party.party'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # bank gives the link no access of its own: anyone could read who
        # owns which account or make himself an owner; it takes the access
        # and the rules of the account and of its owner
        cls.__access__.update({'account', 'owner'})
