# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import unittest
from unittest.mock import patch

import dns.resolver

from trytond.config import config
from trytond.modules.crm_fruit_customer import email_dns
from trytond.pool import Pool
from trytond.tools import email_


class _NoSuchDomain:
    "What this offline machine's DNS answers for every domain"

    def resolve(self, *args, **kwargs):
        raise dns.resolver.NXDOMAIN()


class EmailDNSTestCase(unittest.TestCase):
    "Test the switch of the DNS check of e-mail domains"

    def setUp(self):
        self.addCleanup(setattr, email_, 'resolver', email_.resolver)
        email_.resolver = _NoSuchDomain()
        # Tryton never looks domains up in test mode.
        patcher = patch.object(Pool, 'test', False)
        patcher.start()
        self.addCleanup(patcher.stop)

    def _set(self, value):
        if not config.has_section('crm_fruit'):
            config.add_section('crm_fruit')
        previous = config.get(
            'crm_fruit', 'email_dns_check', default='True')
        config.set('crm_fruit', 'email_dns_check', value)
        self.addCleanup(config.set, 'crm_fruit', 'email_dns_check', previous)

    def test_dns_checked_by_default(self):
        "An unknown domain is refused when the DNS check is on"
        self._set('True')
        email_dns.apply_dns_setting()
        with self.assertRaises(email_.EmailNotValidError):
            email_.validate_email('buyer@freshfoods.example')

    def test_syntax_only_when_switched_off(self):
        "Offline: the syntax is checked, the domain is not looked up"
        self._set('False')
        email_dns.apply_dns_setting()
        self.assertEqual(
            email_.validate_email('Buyer@FreshFoods.example'),
            'Buyer@freshfoods.example')
        with self.assertRaises(email_.EmailNotValidError):
            email_.validate_email('buyer@@freshfoods')
