# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from sql import Null, Window
from sql.conditionals import Case
from sql.functions import Lag

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval

from .party_credit import GRADES

MOVEMENTS = [
    ('new', "First Grade"),
    ('up', "Upgraded"),
    ('down', "Downgraded"),
    ('same', "Unchanged"),
    ]


class GradeMovement(ModelSQL, ModelView):
    """The grade each approved credit evaluation gave its customer against
    the one before it (grade 1 is the best: up is towards 1)"""
    __name__ = 'crm.credit.grade.movement'
    __string__ = "Credit Grade Movement"

    company = fields.Many2One('company.company', "Company")
    party = fields.Many2One(
        'party.party', "Customer",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'})
    date = fields.Date("Date")
    evaluation = fields.Many2One('crm.credit.evaluation', "Evaluation")
    previous_grade = fields.Selection(
        GRADES, "Previous Grade", sort=False)
    grade = fields.Selection(GRADES, "Grade", sort=False)
    movement = fields.Selection(MOVEMENTS, "Movement", sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def table_query(cls):
        pool = Pool()
        Evaluation = pool.get('crm.credit.evaluation')
        evaluation = Evaluation.__table__()
        window = Window([evaluation.party, evaluation.company],
            order_by=[evaluation.date.asc, evaluation.id.asc])
        history = evaluation.select(
            evaluation.id, evaluation.company, evaluation.party,
            evaluation.date, evaluation.grade,
            Lag(evaluation.grade, window=window).as_('previous_grade'),
            where=evaluation.state == 'approved')
        # the single-digit grades compare as text
        movement = Case(
            (history.previous_grade == Null, 'new'),
            (history.grade < history.previous_grade, 'up'),
            (history.grade > history.previous_grade, 'down'),
            else_='same')
        return history.select(
            history.id.as_('id'),
            history.company.as_('company'),
            history.party.as_('party'),
            history.date.as_('date'),
            history.id.as_('evaluation'),
            history.previous_grade.as_('previous_grade'),
            history.grade.as_('grade'),
            movement.as_('movement'))
