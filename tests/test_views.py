# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Views of our modules that the web client can render."""
import unittest

from lxml import etree

from trytond.modules import get_modules
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction

OURS = sorted(m for m in get_modules() if m.startswith('crm_fruit_'))


class ListViewsRenderTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(OURS)

    @with_transaction()
    def test_datetime_columns_have_a_date_or_time_widget(self):
        "sao has no datetime list column: it fails to open such a list"
        pool = Pool()
        View = pool.get('ir.ui.view')
        broken = []
        for view in View.search([
                    ('module', 'in', OURS),
                    ('type', '=', 'tree'),
                    ]):
            Model = pool.get(view.model)
            for field in etree.fromstring(view.arch).iter('field'):
                name = field.get('name')
                if (name in Model._fields
                        and Model._fields[name]._type in {
                            'datetime', 'timestamp'}
                        and field.get('widget') not in {'date', 'time'}):
                    broken.append(f'{view.module}/{view.name} {name}')
        self.assertEqual(broken, [], "\n".join(broken))
