# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.cache import Cache
from trytond.model import (
    MatchMixin, ModelSQL, ModelView, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.pyson import Eval, If
from trytond.transaction import Transaction


class Rule(sequence_ordered(), MatchMixin, ModelSQL, ModelView):
    __name__ = 'service.dispatch.rule'
    _find_team_cache = Cache('service.dispatch.rule.find_team')

    company = fields.Many2One(
        'company.company', "Company",
        help="Leave empty to apply to every company.")
    type = fields.Many2One(
        'service.ticket.type', "Type",
        help="Leave empty for any type.")
    department = fields.Many2One(
        'crm.department', "Department",
        help="Leave empty for any department.")
    product_category = fields.Many2One(
        'product.category', "Product Category",
        context={
            'company': Eval('company', -1),
            },
        depends={'company'},
        help="Leave empty for any product; a category includes its children.")
    team = fields.Many2One(
        'service.team', "Team", required=True,
        domain=[If(Eval('company'),
                ('company', 'in', [None, Eval('company', -1)]), ())])

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def on_modification(cls, mode, rules, field_names=None):
        super().on_modification(mode, rules, field_names=field_names)
        cls._find_team_cache.clear()

    def match(self, pattern, match_none=False):
        "A category matches the products of its children too"
        pattern = pattern.copy()
        categories = pattern.pop('product_categories', ())
        if (self.product_category
                and self.product_category.id not in categories):
            return False
        return super().match(pattern, match_none=match_none)

    @classmethod
    def _product_categories(cls, ticket):
        "Return the ids of the categories of the ticket's product and parents"
        categories = set()
        if ticket.product:
            for category in ticket.product.template.categories_all:
                while category and category.id not in categories:
                    categories.add(category.id)
                    category = category.parent
        return categories

    @classmethod
    def find_team(cls, ticket):
        """Return the team of the first rule that matches the ticket

        The rules are searched once per pattern, not for each ticket."""
        pattern = {
            'company': ticket.company.id,
            'type': ticket.type.id if ticket.type else None,
            'department': ticket.department.id if ticket.department else None,
            'product_categories': tuple(
                sorted(cls._product_categories(ticket))),
            }
        key = tuple(sorted(pattern.items()))
        team_id = cls._find_team_cache.get(key)
        if team_id is None:
            rules = cls.search([('company', 'in', [None, ticket.company.id])])
            rule = next((r for r in rules if r.match(pattern)), None)
            team_id = rule.team.id if rule else -1
            cls._find_team_cache.set(key, team_id)
        if team_id >= 0:
            return Pool().get('service.team')(team_id)
