# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.modules.crm_fruit_customer.mail import MailDataManager
from trytond.transaction import Transaction


def queued_messages():
    "Return the e-mails waiting for the commit of the transaction"
    for datamanager in Transaction()._datamanagers:
        if isinstance(datamanager, MailDataManager):
            return [msg for _, _, msg in datamanager.queue]
    return []
