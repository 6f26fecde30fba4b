# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import ModelSQL, ModelView, fields, sequence_ordered
from trytond.pyson import Eval, If
from trytond.transaction import Transaction


class Rule(sequence_ordered(), ModelSQL, ModelView):
    __name__ = 'service.dispatch.rule'

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

    def match(self, ticket):
        if self.type and self.type != ticket.type:
            return False
        if self.department and self.department != ticket.department:
            return False
        if self.product_category:
            if self.product_category not in self._product_categories(ticket):
                return False
        return True

    @classmethod
    def _product_categories(cls, ticket):
        "Return the categories of the ticket's product and their parents"
        categories = set()
        if ticket.product:
            for category in ticket.product.template.categories_all:
                while category and category not in categories:
                    categories.add(category)
                    category = category.parent
        return categories

    @classmethod
    def find_team(cls, ticket):
        "Return the team of the first rule that matches the ticket"
        for rule in cls.search([
                    ('company', 'in', [None, ticket.company.id]),
                    ]):
            if rule.match(ticket):
                return rule.team
