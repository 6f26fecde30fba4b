# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A customer's invoices and statement of account as the portal shows them:
searched as the portal user, the ageing from Tryton's aged balance"""
from collections import namedtuple

from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from .page import own_record

STATES = ['posted', 'paid']
TERMS = (30, 60, 90)
Ageing = namedtuple('Ageing', [
        'not_due', 'days_30', 'days_60', 'days_90', 'older', 'balance',
        'currency'])


def _domain(state=''):
    domain = [('type', '=', 'out'), ('state', 'in', STATES)]
    if state == 'open':
        domain.append(('state', '=', 'posted'))
    elif state == 'paid':
        domain.append(('state', '=', 'paid'))
    return domain


def get(invoice_id):
    "The posted or paid invoice of the customer; NotFound otherwise"
    return own_record('account.invoice', invoice_id, _domain())


def search(state='', offset=0, limit=20):
    pool = Pool()
    Invoice = pool.get('account.invoice')
    domain = _domain(state)
    invoices = Invoice.search(domain, offset=offset, limit=limit,
        order=[('invoice_date', 'DESC'), ('id', 'DESC')])
    return invoices, Invoice.search_count(domain)


def due_dates(invoices):
    """The due date of each invoice (its first open maturity).

    The portal user reads no accounting move: the invoices were found under
    his rules, their lines to pay are read for them only."""
    pool = Pool()
    Invoice = pool.get('account.invoice')
    result = {}
    with without_check_access():
        for invoice in Invoice.browse([i.id for i in invoices]):
            lines = invoice.lines_to_pay
            dates = [line.maturity_date for line in lines
                if line.maturity_date and not line.reconciliation]
            if not dates:
                dates = [line.maturity_date for line in lines
                    if line.maturity_date]
            result[invoice.id] = min(dates) if dates else None
    return result


def ageing(company):
    """The customer's open balance by days past due: not due, 0-30, 31-60,
    61-90, over 90 (account.aged_balance, read as the portal user)"""
    pool = Pool()
    AgedBalance = pool.get('account.aged_balance')
    Date = pool.get('ir.date')
    with Transaction().set_context(type='customer', date=Date.today(),
            unit='day', term1=TERMS[0], term2=TERMS[1], term3=TERMS[2],
            company=company.id):
        rows = AgedBalance.search([])
    due = [sum((getattr(r, name) or 0 for r in rows), 0)
        for name in ['term0', 'term1', 'term2', 'term3']]
    balance = sum((r.balance or 0 for r in rows), 0)
    return Ageing(balance - sum(due), *due, balance, company.currency)
