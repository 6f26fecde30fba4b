# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import secrets

import trytond.config as config
from trytond.transaction import Transaction, without_check_access


def link_days():
    "The days an e-mail's single-use link (survey, rating) works"
    return config.getint('crm_fruit_portal', 'survey_link_days', default=30)


class SecretFieldsMixin:
    """Fields that staff neither read nor search over RPC: the secrets of
    the links and passwords that customers get by e-mail"""
    __slots__ = ()
    _secret_fields = ()

    @classmethod
    def read(cls, ids, fields_names):
        # As res.user blanks its hash: staff reach these models over RPC
        result = super().read(ids, fields_names)
        if Transaction().check_access:
            secrets = set(cls._secret_fields) & set(fields_names)
            for row in result:
                for name in secrets:
                    row[name] = None
        return result

    @classmethod
    def search_domain(cls, domain, active_test=None, tables=None):
        # Searching on a secret would tell it character by character
        if Transaction().check_access and cls._mentions_secret(domain):
            domain = [('id', '=', -1)]
        return super().search_domain(
            domain, active_test=active_test, tables=tables)

    @classmethod
    def _mentions_secret(cls, domain):
        if isinstance(domain, (list, tuple)):
            if domain and isinstance(domain[0], str) and domain[0] not in {
                    'AND', 'OR'}:
                return domain[0].split('.', 1)[0] in cls._secret_fields
            return any(cls._mentions_secret(d) for d in domain)
        return False

    @classmethod
    def _new_link_token(cls, records, field):
        """Give the records a new link token in field (and its expiry in
        field_expire), an earlier one spent; return the token"""
        token = secrets.token_hex(32)
        with without_check_access():
            cls.write(list(records), {
                    field: token,
                    f'{field}_expire': (
                        dt.datetime.now() + dt.timedelta(days=link_days())),
                    })
        return token

    @classmethod
    def _by_link_token(cls, field, token, domain=()):
        """The record of a link token in field, searched without the record
        rules (there is no login: the token is the key); None when unknown,
        expired or out of domain"""
        if not token or len(token) > 128:
            return None
        with without_check_access():
            records = cls.search([
                    (field, '=', token),
                    (f'{field}_expire', '>', dt.datetime.now()),
                    *domain,
                    ], limit=1)
        return records[0] if records else None
