# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

from .credit_document import CreditDocumentMixin
from .notify import notify, users_of
from .scope import check_system_fields

KINDS = [
    ('legal_representative', "Change of Legal Representative"),
    ('management', "Change of Management"),
    ('key_person', "Change of Business Manager"),
    ('asset_sale', "Sale of Assets"),
    ('property_transfer', "Transfer of Contract Property"),
    ('investment', "Major Investment"),
    ('restructuring', "Restructuring"),
    ('litigation', "Litigation"),
    ('accident', "Accident"),
    ('guarantee', "Guarantee Given"),
    ('operating_status', "Change of Operating Status"),
    ]
CASE_STATES = [
    (None, ""),
    ('open', "Open (Trial or Enforcement)"),
    ('closed', "Closed"),
    ]


class Incident(CreditDocumentMixin, ModelSQL, ModelView):
    """An event in the life of a customer that changes his credit (seed 004's
    extended data): reported by the rep, it asks the credit control to
    review the customer's limit; a lawsuit puts him on the warning list"""
    __name__ = 'crm.credit.incident'
    __string__ = "Credit Incident"

    date = fields.Date("Date", required=True, help="When it happened.")
    kind = fields.Selection(KINDS, "Kind", required=True, sort=False)
    kind_string = kind.translated('kind')
    description = fields.Text(
        "Description", required=True,
        help="What happened, and how it bears on the customer's payments.")
    case_state = fields.Selection(
        CASE_STATES, "Case", sort=False,
        states={
            'required': Eval('kind') == 'litigation',
            'invisible': Eval('kind') != 'litigation',
            },
        help="An open case (on trial or in enforcement) keeps the customer "
        "on the warning list.")
    reporter = fields.Many2One(
        'company.employee', "Reported By",
        domain=[('company', '=', Eval('company', -1))],
        help="Who learned of it: the rep as a rule.")
    evaluation = fields.Many2One(
        'crm.credit.evaluation', "Review", readonly=True,
        help="The credit evaluation the incident asked for.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [
            ('date', 'DESC'),
            ('id', 'DESC'),
            ]

    @classmethod
    def default_date(cls):
        return Pool().get('ir.date').today()

    @classmethod
    def default_reporter(cls):
        return Transaction().context.get('employee')

    @fields.depends('kind', 'case_state')
    def on_change_kind(self):
        if self.kind == 'litigation' and not self.case_state:
            self.case_state = 'open'
        elif self.kind != 'litigation':
            self.case_state = None

    def _rec_name_detail(self):
        return '%s · %s' % (self.kind_string, self.date)

    @classmethod
    def check_modification(cls, mode, incidents, values=None, external=False):
        super().check_modification(
            mode, incidents, values=values, external=external)
        if external:
            check_system_fields(
                cls, mode, incidents, values, {'evaluation'})

    @classmethod
    def copy(cls, incidents, default=None):
        default = default.copy() if default is not None else {}
        default.setdefault('evaluation')
        return super().copy(incidents, default=default)

    @classmethod
    def on_modification(cls, mode, incidents, field_names=None):
        super().on_modification(mode, incidents, field_names=field_names)
        if mode == 'create':
            cls.ask_review(incidents)

    @classmethod
    def ask_review(cls, incidents):
        """Open a draft evaluation of each customer (one is enough while it
        is a draft) and tell the credit control and the customer's
        department managers"""
        pool = Pool()
        Evaluation = pool.get('crm.credit.evaluation')
        transaction = Transaction()
        with transaction.set_user(0), without_check_access():
            incidents = cls.browse(incidents)
            for incident in incidents:
                drafts = Evaluation.search([
                        ('party', '=', incident.party.id),
                        ('company', '=', incident.company.id),
                        ('state', '=', 'draft'),
                        ], limit=1)
                if drafts:
                    evaluation, = drafts
                else:
                    evaluation = Evaluation(
                        party=incident.party, company=incident.company,
                        date=Evaluation.default_date(), report=None,
                        scores=Evaluation.default_scores())
                    evaluation.statement = None
                    evaluation.on_change_party()
                evaluation.report = '\n'.join(filter(None, [
                            evaluation.report, incident._review_line()]))
                evaluation.save()
                incident.evaluation = evaluation
            cls.save(incidents)
            for incident in cls.browse(incidents):
                incident._notify_review()

    def _review_line(self):
        return '%s %s: %s' % (self.date, self.kind_string, self.description)

    def _review_users(self):
        pool = Pool()
        Group = pool.get('res.group')
        ModelData = pool.get('ir.model.data')
        credit = Group(
            ModelData.get_id('crm_fruit_customer', 'group_crm_credit'))
        managers = users_of([d.manager for d in self.party.departments])
        return managers | {u for u in credit.users if u.active}

    def _notify_review(self):
        def values():
            incident = self.__class__(self.id)
            return {
                'customer': incident.party.rec_name,
                'kind': incident.kind_string,
                'description': incident.description,
                }
        notify(self._review_users(), 'msg_credit_incident_label',
            'msg_credit_incident', values, self.evaluation,
            icon='tryton-warning')
