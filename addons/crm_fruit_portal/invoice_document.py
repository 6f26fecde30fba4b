# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from .document import DocumentReport


class InvoiceDocument(DocumentReport):
    """The customer's invoice as a PDF, on the portal and in the web
    client"""
    __name__ = 'crm_fruit_portal.invoice'
