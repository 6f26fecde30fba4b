# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from sql import Null

from trytond.model import Index
from trytond.pool import PoolMeta


class Line(metaclass=PoolMeta):
    __name__ = 'account.move.line'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        table = cls.__table__()
        cls._sql_indexes.update({
                # the receivable ageing reads every open line of a
                # customer from the index alone, without the table
                Index(
                    table,
                    (table.account, Index.Range()),
                    (table.party, Index.Range()),
                    include=[table.id, table.debit, table.credit,
                        table.maturity_date, table.move],
                    where=(table.reconciliation == Null)
                    & (table.party != Null)),
                # the due date of the invoice a partial payment pays
                Index(
                    table,
                    (table.move, Index.Range()),
                    (table.account, Index.Range()),
                    include=[table.maturity_date],
                    where=table.maturity_date != Null),
                })
