# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import Index
from trytond.pool import PoolMeta


class InvoicePaymentLine(metaclass=PoolMeta):
    __name__ = 'account.invoice-account.move.line'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        # the receivable ageing finds the invoice a payment line pays from
        # the index alone
        cls._sql_indexes.add(
            Index(table, (table.line, Index.Equality(cardinality='high')),
                include=[table.invoice]))
