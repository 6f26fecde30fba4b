# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import DeactivableMixin, ModelSQL, ModelView, Unique, fields
from trytond.pyson import Eval, If
from trytond.transaction import Transaction, without_check_access


class Team(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'service.team'

    name = fields.Char("Name", required=True, translate=True)
    code = fields.Char("Code", required=True)
    company = fields.Many2One(
        'company.company', "Company",
        help="Leave empty to share the team between companies.")
    department = fields.Many2One('crm.department', "Department")
    manager = fields.Many2One(
        'company.employee', "Manager",
        domain=[If(Eval('company'),
                ('company', '=', Eval('company', -1)), ())],
        help="Warned first when a ticket of the team is at risk.")
    members = fields.Many2Many(
        'service.team-company.employee', 'team', 'employee', "Members",
        domain=[If(Eval('company'),
                ('company', '=', Eval('company', -1)), ())])
    last_member = fields.Many2One(
        'company.employee', "Last Assigned", readonly=True,
        help="The member who received the last ticket dispatched.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            ('code_unique', Unique(t, t.company, t.code),
                'crm_fruit_service.msg_team_code_unique'),
            ]
        cls._order.insert(0, ('name', 'ASC'))

    @classmethod
    def default_company(cls):
        return Transaction().context.get('company')

    @classmethod
    def next_members(cls, team, count):
        "Return count members in turn after the last assigned one"
        cls.lock([team])
        members = sorted(
            (m for m in team.members if m.active), key=lambda m: m.id)
        if not members or count < 1:
            return []
        start = 0
        if team.last_member in members:
            start = members.index(team.last_member) + 1
        chosen = [members[(start + i) % len(members)] for i in range(count)]
        # Agents dispatch but do not configure teams
        with without_check_access():
            cls.write([team], {'last_member': chosen[-1].id})
        return chosen


class TeamEmployee(ModelSQL):
    __name__ = 'service.team-company.employee'

    team = fields.Many2One(
        'service.team', "Team", required=True, ondelete='CASCADE')
    employee = fields.Many2One(
        'company.employee', "Employee", required=True, ondelete='CASCADE')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('team')
