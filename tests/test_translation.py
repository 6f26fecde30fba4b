# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Every string of our modules has a zh_CN translation."""
import unittest

import pytest
from trytond.modules import get_modules
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction

OURS = sorted(m for m in get_modules() if m.startswith('crm_fruit_'))

# The translations come from the .po files, whichever database stores them.
pytestmark = pytest.mark.backend_independent


class OurStringsTranslatedTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(OURS, lang='zh_CN')

    @with_transaction()
    def test_every_msgid_has_a_zh_cn_translation(self):
        pool = Pool()
        Translation = pool.get('ir.translation')

        def key(t):
            return (t.module, t.type, t.name, t.res_id, t.src)
        sources = Translation.search([
                ('lang', '=', 'en'),
                ('module', 'in', OURS),
                ])
        translated = {key(t) for t in Translation.search([
                    ('lang', '=', 'zh_CN'),
                    ('module', 'in', OURS),
                    ('value', '!=', ''),
                    ('value', '!=', None),
                    ('fuzzy', '=', False),
                    ])}
        missing = sorted(
            f'{t.module} {t.type} {t.name} {t.src!r}'
            for t in sources if t.src and key(t) not in translated)
        self.assertTrue(sources, "no source string of our modules found")
        self.assertEqual(missing, [], "\n".join(missing))
