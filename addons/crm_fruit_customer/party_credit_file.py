# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from dateutil.relativedelta import relativedelta

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction, without_check_access

OPERATING_STATUSES = [
    (None, ""),
    ('operating', "Operating Normally"),
    ('reduced', "Reduced Activity"),
    ('suspended', "Suspended"),
    ('liquidation', "In Liquidation"),
    ('deregistered', "Revoked or Deregistered"),
    ]

#: A customer whose business comes to one of these is reviewed at once
TROUBLED_STATUSES = {'suspended', 'liquidation', 'deregistered'}

#: The base data is collected again every six months (seed 004 §一)
QUESTIONNAIRE_MONTHS = 6

#: The base data of a key customer's credit file (seed 004 §一), each with
#: the message naming it when it is missing
BASE_DATA = [
    ('tax_identifier', 'msg_credit_file_tax_identifier'),
    ('legal_representative', 'msg_credit_file_legal_representative'),
    ('business_manager', 'msg_credit_file_business_manager'),
    ('bank_accounts', 'msg_credit_file_bank_account'),
    ('operating_status', 'msg_credit_file_operating_status'),
    ('statement', 'msg_credit_file_statement'),
    ('dealer', 'msg_credit_file_dealer_questionnaire'),
    ('sales_rep', 'msg_credit_file_sales_rep_questionnaire'),
    ]


class Party(metaclass=PoolMeta):
    """The base data of the customer's credit file: his licence and tax
    registration (the Unified Social Credit Code identifier), bank accounts
    (bank), business manager, operating status, financial statements and
    the two questionnaires"""
    __name__ = 'party.party'

    operating_status = fields.Selection(
        OPERATING_STATUSES, "Operating Status", sort=False,
        help="How the customer's business is going, as last checked.")
    business_manager = fields.Char(
        "Business Manager",
        help="The customer's person in charge of the business with us.")
    business_manager_phone = fields.Char("Business Manager Phone")
    credit_questionnaires = fields.One2Many(
        'crm.credit.questionnaire', 'party', "Credit Questionnaires")
    credit_file_missing = fields.Function(fields.Text(
            "Missing Credit Data",
            help="The base data of the credit file not yet collected: "
            "statements of last year and questionnaires of the last six "
            "months count."),
        'get_credit_file_missing')

    @classmethod
    def _input_sizes(cls):
        return super()._input_sizes() | {
            'business_manager': 100,
            'business_manager_phone': 50,
            }

    @classmethod
    def _archive_change_fields(cls):
        return super()._archive_change_fields() | {
            'business_manager', 'operating_status'}

    @classmethod
    def on_write(cls, parties, values):
        callbacks = super().on_write(parties, values)
        status = values.get('operating_status')
        if status not in TROUBLED_STATUSES:
            return callbacks
        before = {p.id: p.operating_status for p in parties
            if p.operating_status != status
            and (p.sales_rep or p.departments)}
        if not before:
            return callbacks
        return callbacks + [
            lambda: cls._report_operating_status(before, status)]

    @classmethod
    def _report_operating_status(cls, before, status):
        """Report the customers whose business went into trouble as credit
        incidents: each asks the credit control for a review"""
        pool = Pool()
        Date = pool.get('ir.date')
        Incident = pool.get('crm.credit.incident')
        context = Transaction().context
        if not context.get('company'):
            return
        strings = dict(cls.fields_get(
                ['operating_status'])['operating_status']['selection'])
        with without_check_access():
            Incident.save([Incident(
                        party=party_id, company=context['company'],
                        date=Date.today(), kind='operating_status',
                        reporter=context.get('employee'),
                        description=gettext(
                            'crm_fruit_customer'
                            '.msg_credit_incident_operating_status',
                            before=strings.get(old) or '-',
                            after=strings[status]))
                    for party_id, old in before.items()])

    @classmethod
    def get_credit_file_missing(cls, parties, name):
        collected = cls._credit_file_collected(parties)
        return {p.id: '\n'.join(
                gettext('crm_fruit_customer.%s' % message)
                for key, message in BASE_DATA
                if not collected[p.id].get(key)) or None
            for p in parties}

    @classmethod
    def _credit_file_collected(cls, parties):
        "{party id: {base data key: whether it is collected}}"
        pool = Pool()
        Date = pool.get('ir.date')
        Questionnaire = pool.get('crm.credit.questionnaire')
        Statement = pool.get('crm.credit.statement')
        company = Transaction().context.get('company')
        today = Date.today()
        since = today - relativedelta(months=QUESTIONNAIRE_MONTHS)
        result = {}
        # the file is shown with the customer, to whoever reads him
        with without_check_access():
            parties = cls.browse(parties)
            questionnaires = Questionnaire.latest(parties, company)
            statements = {s.party.id for s in Statement.search([
                        ('party', 'in', [p.id for p in parties]),
                        ('company', '=', company),
                        ('year', '>=', today.year - 1),
                        ])}
            on_party = [k for k, _ in BASE_DATA if k in cls._fields]
            for party in parties:
                result[party.id] = {
                    **{key: bool(getattr(party, key)) for key in on_party},
                    'statement': party.id in statements,
                    **{kind: _on_or_after(
                            questionnaires.get((party.id, kind)), since)
                        for kind in ['dealer', 'sales_rep']},
                    }
        return result


def _on_or_after(date, since):
    return date is not None and date >= since
