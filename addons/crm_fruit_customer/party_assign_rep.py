# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import AssignRepDepartmentError


class AssignRepStart(ModelView):
    __name__ = 'crm.party.assign_rep.start'
    __string__ = "Assign Sales Rep"

    company = fields.Many2One('company.company', "Company", required=True)
    sales_rep = fields.Many2One(
        'company.employee', "Sales Rep", required=True,
        domain=[('company', '=', Eval('company', -1))],
        help="A member of a department of each customer.")
    customers = fields.Integer("Customers", readonly=True)

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')


class AssignRep(Wizard):
    """Give the chosen customers (those without a rep: a new customer of a
    department, an archive imported without one) a sales rep at once"""
    __name__ = 'crm.party.assign_rep'

    start = StateView('crm.party.assign_rep.start',
        'crm_fruit_customer.party_assign_rep_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Assign", 'assign', 'tryton-ok', default=True),
            ])
    assign = StateTransition()

    def default_start(self, fields):
        return {'customers': len(self.records)}

    def transition_assign(self):
        Party = Pool().get('party.party')
        rep = self.start.sales_rep
        self.check_departments(self.records, rep)
        # the user's own rights: a department manager writes the customers
        # of his departments alone (record rules), the change is logged in
        # each archive as a major change
        Party.write(list(self.records), {'sales_rep': rep.id})
        return 'end'

    @classmethod
    def check_departments(cls, parties, rep):
        "A customer goes to a member of one of his departments"
        Department = Pool().get('crm.department')
        with without_check_access():
            joined = {d.id for d in Department.search([
                        ('members', '=', rep.id),
                        ])}
        for party in parties:
            if (party.departments
                    and not joined & {d.id for d in party.departments}):
                raise AssignRepDepartmentError(gettext(
                        'crm_fruit_customer.msg_assign_rep_department',
                        employee=rep.rec_name, customer=party.rec_name))
