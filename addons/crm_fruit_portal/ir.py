# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
from trytond.pool import PoolMeta
from trytond.transaction import Transaction

# Set by the portal's routes only: JSON-RPC strips the context keys that
# start with an underscore, so no client can claim a portal user or parties.
PORTAL_USER = '_portal_web_user'
PORTAL_PARTIES = '_portal_parties'


class Rule(metaclass=PoolMeta):
    __name__ = 'ir.rule'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.domain.help += (
            '\n- "portal_parties" as list of the party ids the portal user '
            'acts for\n- "portal_user" as id of the portal user')

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        user, parties = cls._portal()
        return (*key, user, parties)

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        user, parties = cls._portal()
        context['portal_user'] = user or -1
        context['portal_parties'] = list(parties)
        return context

    @classmethod
    def _portal(cls):
        "The portal user and his parties, as the page read them (page.py)"
        context = Transaction().context
        user = context.get(PORTAL_USER)
        if not user:
            return None, ()
        return user, tuple(context.get(PORTAL_PARTIES, ()))
