# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import Pool, PoolMeta


class Line(metaclass=PoolMeta):
    "The stored amounts of a quotation follow a change of its lines"
    __name__ = 'sale.line'

    @classmethod
    def on_modification(cls, mode, lines, field_names=None):
        pool = Pool()
        Sale = pool.get('sale.sale')
        super().on_modification(mode, lines, field_names=field_names)
        if mode == 'write':
            # the form keeps them read-only, RPC does not
            quotations = {line.sale for line in lines
                if line.sale and line.sale.state == 'quotation'}
            if quotations:
                Sale.store_cache(list(quotations))
