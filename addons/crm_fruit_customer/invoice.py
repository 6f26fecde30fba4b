# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import Index
from trytond.pool import PoolMeta


class Invoice(metaclass=PoolMeta):
    __name__ = 'account.invoice'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        # the receivable ageing goes from a partial payment to the lines
        # of its invoice's move from the index alone
        cls._sql_indexes.add(
            Index(table, (table.id, Index.Equality(cardinality='high')),
                include=[table.move, table.account]))
