# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.i18n import gettext
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)

from .party_credit import GRADES

CATEGORIES = [
    ('self', "Customer's Own Characteristics"),
    ('priority', "Priority Characteristics"),
    ('financial', "Financial Credit Characteristics"),
    ]

POINTS = [
    (None, ""),
    ('0', "0 — bad"),
    ('1', "1 — weak"),
    ('2', "2 — fair"),
    ('3', "3 — good"),
    ('4', "4 — very good"),
    ]
MAX_POINTS = 4

MEASURES = [
    (None, ""),
    ('punctuality', "Share Paid Early or on Time"),
    ('longest_delay', "Longest Delay"),
    ]
# (at least this % of the amounts paid early or on time, points)
PUNCTUALITY_POINTS = [(95, '4'), (85, '3'), (70, '2'), (50, '1'), (0, '0')]
# (at most this many days late, points): "0 points: once more than 90
# days overdue" in the aspect's description
DELAY_POINTS = [(7, '4'), (30, '3'), (60, '2'), (90, '1')]


class ScorecardItem(DeactivableMixin, sequence_ordered(), ModelSQL, ModelView):
    """One of the pieces of information the characteristic analysis of seed
    004 scores: 3 classes × 6 characteristics × 4 aspects"""
    __name__ = 'crm.credit.scorecard.item'
    __string__ = "Credit Scorecard Item"

    category = fields.Selection(
        CATEGORIES, "Category", required=True, sort=False)
    category_string = category.translated('category')
    characteristic = fields.Char(
        "Characteristic", required=True, translate=True,
        help="The characteristic the aspect belongs to, e.g. payment "
        "record.")
    name = fields.Char("Aspect", required=True, translate=True)
    description = fields.Text(
        "Description", translate=True,
        help="What earns the best and the worst points.")
    weight = fields.Integer(
        "Weight", required=True, domain=[('weight', '>', 0)],
        help="How many times the aspect's points count in the score.")
    measure = fields.Selection(
        MEASURES, "Measured By", sort=False,
        help="Scored from the customer's payment record of the last year "
        "when an evaluation is opened; the evaluator may change the "
        "points.")

    @classmethod
    def default_weight(cls):
        return 1

    def measured_points(self, due, good, longest):
        """The (points, note) of the payment record: due amounts fell due
        within the year, good of them were paid early or on time, the
        longest was longest days late; None without any amount due"""
        if not self.measure or not due:
            return None
        if self.measure == 'punctuality':
            share = good * 100 / due
            points = next(p for minimum, p in PUNCTUALITY_POINTS
                if share >= minimum)
            return points, gettext(
                'crm_fruit_customer.msg_credit_score_punctuality',
                good=good, due=due)
        points = next((p for maximum, p in DELAY_POINTS
                if longest <= maximum), '0')
        return points, gettext(
            'crm_fruit_customer.msg_credit_score_longest_delay',
            days=longest)

    def get_rec_name(self, name):
        return '%s / %s' % (self.characteristic, self.name)

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, value = clause[:3]
        bool_op = 'AND' if operator.startswith('!') or (
            operator.startswith('not ')) else 'OR'
        return [bool_op,
            ('characteristic', operator, value),
            ('name', operator, value),
            ]


class GradeBand(ModelSQL, ModelView):
    """The characteristic grade a scorecard's score gives and the share of
    the working-capital limit the grade grants"""
    __name__ = 'crm.credit.grade.band'
    __string__ = "Credit Grade Band"

    grade = fields.Selection(
        GRADES, "Grade", required=True, sort=False)
    grade_string = grade.translated('grade')
    minimum_score = fields.Numeric(
        "Minimum Score (%)", digits=(16, 2), required=True,
        domain=[('minimum_score', '>=', 0), ('minimum_score', '<=', 100)],
        help="The lowest score of the grade, included.")
    limit_factor = fields.Numeric(
        "Limit Factor (%)", digits=(16, 2), required=True,
        domain=[('limit_factor', '>=', 0), ('limit_factor', '<=', 100)],
        help="The share of the working-capital limit a customer of the "
        "grade is granted: 0 sells him nothing on credit.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('minimum_score', 'DESC'), ('id', 'ASC')]
        table = cls.__table__()
        cls._sql_constraints += [
            ('minimum_unique', Unique(table, table.minimum_score),
                'crm_fruit_customer.msg_credit_grade_band_minimum_unique'),
            ]

    def get_rec_name(self, name):
        return '%s ≥ %s %%' % (self.grade_string, self.minimum_score)

    @classmethod
    def of_score(cls, score):
        "The band of the score: the highest minimum it reaches"
        for band in cls.search([]):
            if score >= band.minimum_score:
                return band


class CapitalBand(ModelSQL, ModelView):
    """The share of the working assets the working-capital model of seed
    004 grants for an evaluation value"""
    __name__ = 'crm.credit.capital.band'
    __string__ = "Working Capital Band"

    minimum_value = fields.Numeric(
        "Minimum Evaluation Value", digits=(16, 2), required=True,
        help="The lowest evaluation value of the band, included: a value "
        "on a boundary is in the higher band, a value below every band "
        "grants nothing.")
    percentage = fields.Numeric(
        "Percentage (%)", digits=(16, 2), required=True,
        domain=[('percentage', '>=', 0), ('percentage', '<=', 100)],
        help="The share of the working assets granted as credit limit.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('minimum_value', 'DESC'), ('id', 'ASC')]
        table = cls.__table__()
        cls._sql_constraints += [
            ('minimum_unique', Unique(table, table.minimum_value),
                'crm_fruit_customer.msg_credit_capital_band_unique'),
            ]

    def get_rec_name(self, name):
        return '≥ %s: %s %%' % (self.minimum_value, self.percentage)

    @classmethod
    def percentage_of(cls, value):
        """The percentage the evaluation value grants: the highest band's
        without any limit to the value (no current liabilities)"""
        bands = cls.search([])
        if value is None:
            return bands[0].percentage if bands else None
        for band in bands:
            if value >= band.minimum_value:
                return band.percentage
        return 0
