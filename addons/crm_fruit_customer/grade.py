# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import (
    DeactivableMixin, ModelSQL, ModelView, Unique, fields, sequence_ordered)

from .archive_input import InputCheckMixin
from .rec_name import SearchRecNameMixin


class Grade(
        SearchRecNameMixin, InputCheckMixin, DeactivableMixin,
        sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'crm.customer.grade'
    __string__ = "Customer Grade"

    code = fields.Char("Code", required=True)
    name = fields.Char("Name", required=True, translate=True)
    description = fields.Text("Description", translate=True)
    contact_interval = fields.Integer(
        "Contact Interval", required=True,
        domain=[('contact_interval', '>', 0)],
        help="The number of days a customer of this grade may go "
        "without contact before being listed as not recently contacted.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.code),
                'crm_fruit_customer.msg_grade_code_unique'),
            ]

    @classmethod
    def _input_sizes(cls):
        return super()._input_sizes() | {
            'code': 30,
            'name': 100,
            'description': 4000,
            }

    @classmethod
    def _input_bounds(cls):
        return super()._input_bounds() | {'contact_interval': (1, 3660)}
