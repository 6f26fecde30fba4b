# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Every string reachable from the menus of our users reads in Chinese.

On a database with our modules activated in zh_CN, tools.i18n_coverage walks
the non-administrator menus, their actions, models, views, buttons, wizards,
reports and messages; the test fails below 100 % and lists what is missing,
module by module (upstream strings are fixed in our locale/override files,
ours in each module's locale/zh_CN.po).
"""
import unittest

import pytest
from trytond.modules import get_modules
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, activate_module, drop_db
from trytond.transaction import Transaction

from tools.i18n_coverage import Key, coverage, format_report, is_translated

OURS = sorted(m for m in get_modules() if m.startswith('crm_fruit_'))

# the translations do not depend on the backend: run in the SQLite pass only
pytestmark = pytest.mark.backend_independent


class I18nCoverageTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(OURS, lang='zh_CN')
        pool = Pool(DB_NAME)
        with Transaction().start(DB_NAME, 0, readonly=True,
                context={'language': 'en'}):
            cls.result = coverage(pool, 'zh_CN')

    def test_walk_reaches_the_everyday_screens(self):
        "The walk is not vacuous: it reaches what reps and managers use"
        modules = set(self.result)
        self.assertTrue({'party', 'sale', 'sale_opportunity', 'product',
                'ir', 'res', 'incoterm'} <= modules, modules)
        self.assertTrue(set(OURS) <= modules, modules)
        self.assertGreater(sum(c for c, _ in self.result.values()), 2000)

    def test_lookup_follows_tryton(self):
        "A label is found by source, a menu by record"
        by_source = {('field', 'party.party,name', 'Name')}
        by_record = {('ir.ui.menu,name', 7)}
        self.assertTrue(is_translated(
                Key('field', 'party.party,name', -1, 'Name'),
                by_source, by_record))
        self.assertFalse(is_translated(
                Key('field', 'party.party,name', -1, 'Full Name'),
                by_source, by_record))
        self.assertTrue(is_translated(
                Key('model', 'ir.ui.menu,name', 7, 'Parties'),
                by_source, by_record))
        self.assertTrue(is_translated(
                Key('view', 'product.product', -1, 'General'),
                {('view', 'product.template', 'General')}, set(),
                {'product.product': {'product.template'}}))

    def test_upstream_strings_fully_translated(self):
        upstream = {m: r for m, r in self.result.items() if m not in OURS}
        missing = sum(len(k) for _, k in upstream.values())
        self.assertEqual(missing, 0, format_report(upstream, True))

    def test_our_strings_fully_translated(self):
        ours = {m: r for m, r in self.result.items() if m in OURS}
        missing = sum(len(k) for _, k in ours.values())
        self.assertEqual(missing, 0, format_report(ours, True))
