# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Views of our modules that the web client can render."""
import unittest

from lxml import etree

from trytond.modules import get_modules
from trytond.pool import Pool
from trytond.pyson import PYSONDecoder
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

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

    @with_transaction()
    def test_search_values_name_columns_of_the_list(self):
        "sao fails before searching on a search value it cannot show"
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        ActWindow = pool.get('ir.action.act_window')
        broken = []
        for data in ModelData.search([
                    ('module', 'in', OURS),
                    ('model', '=', 'ir.action.act_window'),
                    ]):
            action = ActWindow(data.db_id)
            names = set(_leaf_fields(
                    PYSONDecoder(noeval=True).decode(
                        action.search_value or '[]')))
            if not names:
                continue
            tree = [v.view.id for v in action.act_window_views
                if v.view.type == 'tree']
            Model = pool.get(action.res_model)
            arch = etree.fromstring(Model.fields_view_get(
                    tree[0] if tree else None, 'tree')['arch'])
            columns = {f.get('name') for f in arch.iter('field')}
            for name in sorted(names - columns - SAO_COMMON_FIELDS):
                broken.append(f'{data.module}.{data.fs_id}: {name}')
        self.assertEqual(broken, [], "\n".join(broken))


#: The fields sao's search bar knows beside the list's columns
SAO_COMMON_FIELDS = {
    'id', 'create_uid', 'create_date', 'write_uid', 'write_date'}


def _leaf_fields(domain):
    if (isinstance(domain, (list, tuple)) and len(domain) >= 3
            and isinstance(domain[0], str)
            and domain[0] not in {'AND', 'OR'}):
        name = domain[0]
        yield name[:-len('.rec_name')] if name.endswith('.rec_name') else name
    elif isinstance(domain, (list, tuple)):
        for clause in domain:
            yield from _leaf_fields(clause)
