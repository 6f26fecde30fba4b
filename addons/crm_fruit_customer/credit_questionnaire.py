# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt

from sql.aggregate import Max

from trytond import backend
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice, reduce_ids
from trytond.transaction import Transaction

from .archive_input import InputCheckMixin
from .credit_document import CreditDocumentMixin

KINDS = [
    ('dealer', "Dealer Questionnaire"),
    ('sales_rep', "Sales Rep Questionnaire"),
    ]


class Question(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    """A question of the dealer or the sales rep questionnaire of the credit
    file (seed 004): a new questionnaire asks the active ones of its kind"""
    __name__ = 'crm.credit.questionnaire.question'
    __string__ = "Credit Questionnaire Question"
    _rec_name = 'text'

    kind = fields.Selection(KINDS, "Questionnaire", required=True)
    text = fields.Char("Question", required=True, translate=True)
    guidance = fields.Text(
        "Guidance", translate=True,
        help="What a good answer covers, shown to whoever fills it in.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('kind', 'ASC'))


class Questionnaire(
        CreditDocumentMixin, InputCheckMixin, ModelSQL, ModelView):
    """The answers of a customer (dealer questionnaire) or of his sales rep
    (sales rep questionnaire) to the questions of the credit file, collected
    with the base data every six months"""
    __name__ = 'crm.credit.questionnaire'
    __string__ = "Credit Questionnaire"

    kind = fields.Selection(KINDS, "Questionnaire", required=True)
    kind_string = kind.translated('kind')
    date = fields.Date("Date", required=True)
    respondent = fields.Char(
        "Respondent",
        states={
            'required': Eval('kind') == 'dealer',
            },
        help="Who answered for the customer, and his position.")
    employee = fields.Many2One(
        'company.employee', "Collected By",
        domain=[('company', '=', Eval('company', -1))],
        help="The employee who collected or wrote the answers.")
    answers = fields.One2Many(
        'crm.credit.questionnaire.answer', 'questionnaire', "Answers")
    unanswered = fields.Function(fields.Integer(
            "Unanswered",
            help="The number of questions without an answer."),
        'get_unanswered')

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
    def default_employee(cls):
        return Transaction().context.get('employee')

    @classmethod
    def _input_sizes(cls):
        return super()._input_sizes() | {'respondent': 100}

    @classmethod
    def questions_of(cls, kind):
        "The active questions a new questionnaire of kind asks, in order"
        Question = Pool().get('crm.credit.questionnaire.question')
        return Question.search([('kind', '=', kind)]) if kind else []

    @fields.depends('kind', 'answers')
    def on_change_kind(self):
        Answer = Pool().get('crm.credit.questionnaire.answer')
        if self.kind and any(a.answer for a in self.answers or []):
            return
        self.answers = [Answer(question=q) for q in self.questions_of(
                self.kind)]

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        # a questionnaire created without its answers (an import, a
        # JSON-RPC client) asks the questions all the same
        if mode == 'create' and not values.get('answers'):
            values['answers'] = [('create', [{'question': q.id}
                        for q in cls.questions_of(values.get('kind'))])]
        return values

    def get_unanswered(self, name):
        return sum(1 for a in self.answers if not (a.answer or '').strip())

    def _rec_name_detail(self):
        return '%s · %s' % (self.kind_string, self.date)

    @classmethod
    def latest(cls, parties, company):
        "{(party id, kind): date} of the latest questionnaire of each kind"
        questionnaire = cls.__table__()
        cursor = Transaction().connection.cursor()
        result = {}
        party_ids = [p.id for p in parties]
        if not party_ids:
            return result
        for sub in grouped_slice(party_ids, backend.MAX_QUERY_PARAMS):
            cursor.execute(*questionnaire.select(
                    questionnaire.party, questionnaire.kind,
                    Max(questionnaire.date),
                    where=reduce_ids(questionnaire.party, sub)
                    & (questionnaire.company == company),
                    group_by=[questionnaire.party, questionnaire.kind]))
            for party, kind, date in cursor:
                # SQLite returns the maximum of a date column as text
                if isinstance(date, str):
                    date = dt.date.fromisoformat(date)
                result[party, kind] = date
        return result


class Answer(InputCheckMixin, ModelSQL, ModelView):
    "The answer to one question of a credit questionnaire"
    __name__ = 'crm.credit.questionnaire.answer'
    __string__ = "Credit Questionnaire Answer"

    questionnaire = fields.Many2One(
        'crm.credit.questionnaire', "Questionnaire", required=True,
        ondelete='CASCADE')
    question = fields.Many2One(
        'crm.credit.questionnaire.question', "Question", required=True,
        ondelete='RESTRICT',
        domain=[
            ('kind', '=', Eval('_parent_questionnaire', {}).get('kind')),
            ],
        context={
            'active_test': False,
            })
    guidance = fields.Function(
        fields.Text("Guidance"), 'on_change_with_guidance')
    answer = fields.Text("Answer")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('questionnaire')
        cls._order = [
            ('question.sequence', 'ASC NULLS FIRST'),
            ('id', 'ASC'),
            ]
        table = cls.__table__()
        cls._sql_constraints += [
            ('questionnaire_question_unique',
                Unique(table, table.questionnaire, table.question),
                'crm_fruit_customer.msg_credit_questionnaire_question_unique'),
            ]

    @classmethod
    def _input_sizes(cls):
        return super()._input_sizes() | {'answer': 4000}

    @fields.depends('question')
    def on_change_with_guidance(self, name=None):
        return self.question.guidance if self.question else None
