# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import ModelSQL, ModelView, Unique, fields


class CreditClass(ModelSQL, ModelView):
    """A band of credit limits (1A … 5A): a customer whose limit is at least
    the minimum of a class and below the next one's is in it"""
    __name__ = 'crm.credit.class'
    __string__ = "Credit Class"
    _rec_name = 'code'

    code = fields.Char("Code", required=True, help="As the rating writes it.")
    minimum = fields.Numeric("Minimum Limit", digits=(16, 2), required=True,
        domain=[('minimum', '>=', 0)],
        help="The smallest credit limit of the class, included, in the "
        "company's currency: a limit on the boundary is in the higher class.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('minimum', 'ASC'), ('id', 'ASC')]
        table = cls.__table__()
        cls._sql_constraints += [
            ('code_unique', Unique(table, table.code),
                'crm_fruit_customer.msg_credit_class_code_unique'),
            ('minimum_unique', Unique(table, table.minimum),
                'crm_fruit_customer.msg_credit_class_minimum_unique'),
            ]

    @classmethod
    def bands(cls):
        "[(minimum, next minimum or None, class)] in ascending order"
        classes = cls.search([])
        return [(c.minimum, n.minimum if n else None, c)
            for c, n in zip(classes, classes[1:] + [None])]

    @classmethod
    def of_amount(cls, amount, bands=None):
        "The class of the credit limit amount; None without a limit"
        if amount is None:
            return None
        for minimum, upper, class_ in bands or cls.bands():
            if amount >= minimum and (upper is None or amount < upper):
                return class_
        return None
