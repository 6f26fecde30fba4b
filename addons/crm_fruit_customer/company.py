# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
from collections import defaultdict

from trytond.i18n import gettext
from trytond.pool import Pool, PoolMeta
from trytond.transaction import without_check_access

from .exceptions import EmployeeOwnerError, EmployeeOwnerWarning


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


class Employee(metaclass=PoolMeta):
    __name__ = 'company.employee'

    @classmethod
    def check_modification(cls, mode, employees, values=None, external=False):
        super().check_modification(
            mode, employees, values=values, external=external)
        if mode == 'write' and (values or {}).get('end_date'):
            cls.check_end_date(employees, values['end_date'])

    @classmethod
    def check_end_date(cls, employees, end_date):
        "Refuse to end the employment of employees who still own records"
        pool = Pool()
        Date = pool.get('ir.date')
        Warning = pool.get('res.user.warning')
        if not (owners := cls._owners(employees)):
            return
        employee, owned = next(iter(owners.items()))
        message = dict(
            employee=employee.rec_name, records=cls._describe_owned(owned))
        if end_date <= Date.today():
            raise EmployeeOwnerError(gettext(
                    'crm_fruit_customer.msg_employee_end_date_owner',
                    **message))
        key = Warning.format('employee_end_date_owner', list(owners))
        if Warning.check(key):
            raise EmployeeOwnerWarning(key, gettext(
                    'crm_fruit_customer.msg_employee_end_date_owner_future',
                    **message))

    @classmethod
    def _owners(cls, employees):
        Handover = Pool().get('crm.handover', type='wizard')
        return Handover.owners(employees)

    @classmethod
    def _describe_owned(cls, owned):
        names = Pool().get('ir.model').get_names()
        counts = defaultdict(int)
        for model, count in owned:
            counts[model] += count
        return ', '.join(
            '%s × %s' % (c, names.get(m, m)) for m, c in counts.items())
