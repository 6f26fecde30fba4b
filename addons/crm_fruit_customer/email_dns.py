# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Whether e-mail domains are looked up in DNS.

As soon as email-validator is installed, Tryton refuses every e-mail address
(party contact mechanisms, users, web users) whose domain has no mail server
in DNS. That is right in production; an offline machine (CI, a demo laptop)
or the demo's RFC 2606 domains (``*.example``) can never pass it. Setting
``[crm_fruit] email_dns_check = False`` keeps the syntax check of
email-validator and answers its DNS lookups with "no name server", which it
takes as unknown deliverability instead of an error.
"""
import dns.resolver

from trytond.config import config
from trytond.tools import email_


class _NoNameServer:
    "A resolver with no name server: every lookup has no answer"

    def resolve(self, *args, **kwargs):
        raise dns.resolver.NoNameservers()


def dns_check_enabled():
    return config.getboolean('crm_fruit', 'email_dns_check', default=True)


def apply_dns_setting():
    if not dns_check_enabled():
        # trytond.tools.email_ reads its module-level resolver at each call.
        email_.resolver = _NoNameServer()
