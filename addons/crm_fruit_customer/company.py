# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access


class Company(metaclass=PoolMeta):
    __name__ = 'company.company'

    @classmethod
    def on_modification(cls, mode, companies, field_names=None):
        super().on_modification(mode, companies, field_names=field_names)
        if mode == 'create' or (
                mode == 'write' and 'currency' in (field_names or ())):
            cls.rate_own_currency(companies)

    @classmethod
    def rate_own_currency(cls, companies):
        """Give a rate of 1 since always to the currencies of companies that
        have no rate: Tryton's sale and opportunity reports drop every line
        in a currency without one, the company's own included."""
        pool = Pool()
        Rate = pool.get('currency.currency.rate')
        currencies = {c.currency for c in companies if c.currency}
        # Whoever sets up a company need not be a currency administrator.
        with without_check_access():
            rated = {r.currency for r in Rate.search([
                        ('currency', 'in', [c.id for c in currencies]),
                        ])}
            Rate.save([
                    Rate(currency=currency, date=dt.date.min, rate=1)
                    for currency in currencies - rated])
