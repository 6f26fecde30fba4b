# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.


class SearchRecNameMixin:
    "Search the record name in each of the fields of _rec_name_fields"
    __slots__ = ()
    _rec_name_fields = ('name', 'code')

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op, *(
                (field, operator, operand, *extra)
                for field in cls._rec_name_fields)]
