# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from decimal import Decimal

from sql import Cast

from trytond.model import Index, ModelSQL, ModelView, Unique, fields

from .scope import CustomerScopeMixin

MONTHS = [
    ('1', "January"),
    ('2', "February"),
    ('3', "March"),
    ('4', "April"),
    ('5', "May"),
    ('6', "June"),
    ('7', "July"),
    ('8', "August"),
    ('9', "September"),
    ('10', "October"),
    ('11', "November"),
    ('12', "December"),
    ]


class Season(ModelSQL, ModelView):
    __name__ = 'crm.season'
    __string__ = "Seasonal Calendar"

    category = fields.Many2One(
        'product.category', "Product Category", required=True,
        ondelete='CASCADE')
    month = fields.Selection(MONTHS, "Month", required=True, sort=False)
    multiplier = fields.Numeric(
        "Multiplier", digits=(16, 2), required=True,
        domain=[('multiplier', '>', 0)],
        help="The factor applied to the visit frequency of the customers "
        "buying this product category in this month.")
    note = fields.Char("Note", translate=True,
        help="What happens in the month (harvest, storage sales …).")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('category_month_unique', Unique(t, t.category, t.month),
                'crm_fruit_customer.msg_season_category_month_unique'),
            ]
        cls._sql_indexes.add(Index(t, (t.month, Index.Equality())))
        cls._order = [
            ('category', 'ASC'),
            ('month', 'ASC'),
            ('id', 'ASC'),
            ]

    @classmethod
    def default_multiplier(cls):
        return Decimal(2)

    @classmethod
    def order_month(cls, tables):
        table, _ = tables[None]
        return [Cast(table.month, 'INTEGER')]


class PartyMainProductCategory(CustomerScopeMixin, ModelSQL):
    __name__ = 'party.party-main-product.category'
    __string__ = "Customer Main Product"

    party = fields.Many2One(
        'party.party', "Party", ondelete='CASCADE', required=True)
    category = fields.Many2One(
        'product.category', "Category", ondelete='CASCADE', required=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(
            Index(t, (t.party, Index.Equality()),
                (t.category, Index.Equality())))
