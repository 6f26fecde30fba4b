# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import fields
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .scope import CustomerRecordNameMixin, check_customer_scope


class CreditDocumentMixin(CustomerRecordNameMixin):
    """A document of a customer's credit file in a company (his statements,
    questionnaires, incidents): the reps file those of their customers, the
    credit control those of any customer"""
    __slots__ = ()

    company = fields.Many2One('company.company', "Company", required=True)
    party = fields.Many2One(
        'party.party', "Customer", required=True,
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def check_modification(cls, mode, records, values=None, external=False):
        super().check_modification(
            mode, records, values=values, external=external)
        if external:
            # the credit control files documents of customers it does not
            # serve; the rules limit the reps to theirs
            check_customer_scope(cls, mode, records, values, scope='read')
