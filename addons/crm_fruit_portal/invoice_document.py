# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import Pool
from trytond.report import Report


class InvoiceDocument(Report):
    """The customer's invoice as a PDF (HTML rendered by WeasyPrint: no
    office suite on the servers), on the portal and in the web client"""
    __name__ = 'crm_fruit_portal.invoice'

    @classmethod
    def get_context(cls, records, header, data):
        pool = Pool()
        Lang = pool.get('ir.lang')
        context = super().get_context(records, header, data)
        context['lang'] = Lang.get()
        return context
