# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.model import fields
from trytond.pool import PoolMeta


class Group(metaclass=PoolMeta):
    __name__ = 'res.group'
    login_action = fields.Many2One(
        'ir.action.act_window', "Home Screen", ondelete='SET NULL',
        help="The window opened at login for the users of the group.")


class User(metaclass=PoolMeta):
    __name__ = 'res.user'

    @classmethod
    def _get_preferences(cls, user, context_only=False):
        preferences = super()._get_preferences(
            user, context_only=context_only)
        if 'actions' in preferences:
            # The client runs the actions in order: the user's own last,
            # so that they stay in front of the home screens of his groups.
            actions = cls._home_actions(user) + preferences['actions']
            preferences['actions'] = list(dict.fromkeys(actions))
        return preferences

    @classmethod
    def _home_actions(cls, user):
        return [g.login_action.action.id for g in user.groups
            if g.login_action]
