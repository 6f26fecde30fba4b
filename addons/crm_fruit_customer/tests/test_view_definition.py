# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"What the web client gets to open a customer: view definitions and access"
import json
import unittest
from contextlib import contextmanager

from trytond.model import ModelView
from trytond.modules.company.tests import create_company, create_employee
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.pool import Pool
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

#: The customer form's definition was 660 kB, 550 of them the targets of
#: the embedded lists' columns
FORM_DEFINITION_MAX = 250_000


class ViewDefinitionTestCase(unittest.TestCase):
    "Test the customer form's definition and the access answers"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer')

    def _rep(self, company, login):
        ModelData = Pool().get('ir.model.data')
        employee = create_employee(company, login)
        return create_user(login, [ModelData.get_id(
                    'crm_fruit_customer', 'group_crm_sales_rep')], employee)

    @contextmanager
    def _as(self, user):
        "Run as user in the context the client sends"
        User = Pool().get('res.user')
        transaction = Transaction()
        with transaction.set_user(user.id):
            context = User.get_preferences(context_only=True)
            with transaction.set_context(context, _check_access=True):
                yield

    @with_transaction()
    def test_embedded_lists_come_without_their_targets(self):
        "The form's lists have no relation_fields; a tab's list keeps them"
        pool = Pool()
        Party = pool.get('party.party')
        Visit = pool.get('crm.visit')
        rep = self._rep(create_company(), 'rep')

        with self._as(rep):
            form = Party.fields_view_get(view_type='form')
            tab_list = Visit.fields_view_get(view_type='tree')

        embedded = {name: view for name, field in form['fields'].items()
            for view in field.get('views', {}).values()}
        self.assertIn('visits', embedded)
        for name, view in embedded.items():
            for column, definition in view['fields'].items():
                self.assertNotIn(
                    'relation_fields', definition, f'{name}.{column}')
        self.assertLess(
            len(json.dumps(form, default=str)), FORM_DEFINITION_MAX)
        # the search bar of the visits tab still finds "客户.名称"
        self.assertIn('name', tab_list['fields']['party']['relation_fields'])

    @with_transaction()
    def test_form_comes_with_its_selections(self):
        "No selection of the form or of its lists needs a call of its own"
        Party = Pool().get('party.party')
        rep = self._rep(create_company(), 'rep')

        with self._as(rep):
            form = Party.fields_view_get(view_type='form')

        views = [form] + [view for field in form['fields'].values()
            for view in field.get('views', {}).values()]
        asked = [f"{view['model']}.{name}" for view in views
            for name, field in view['fields'].items()
            if isinstance(field.get('selection'), str)
            and not field.get('selection_change_with')]
        self.assertEqual(asked, [])
        types = dict(form['fields']['identifiers']['views'].popitem()[1][
                'fields']['type']['selection'])
        self.assertIn('cn_vat', types)

    @with_transaction()
    def test_addresses_suggest_postal_codes_once_loaded(self):
        "No suggestion call without postal codes; suggestions once loaded"
        pool = Pool()
        Party = pool.get('party.party')
        Country = pool.get('country.country')
        PostalCode = pool.get('country.postal_code')
        rep = self._rep(create_company(), 'rep')

        def suggested():
            with self._as(rep):
                form = Party.fields_view_get(view_type='form')
            address = next(iter(form['fields']['addresses']['views'].values()))
            return {name: list(address['fields'][name]['autocomplete'])
                for name in ['postal_code', 'city']}

        self.assertEqual(suggested(), {'postal_code': [], 'city': []})
        china, = Country.create([{'name': "中国", 'code': 'CN'}])
        PostalCode.create([{
                    'country': china.id, 'postal_code': '265700',
                    'city': "龙口市"}])
        self.assertTrue(all(suggested().values()), suggested())

    @with_transaction()
    def test_reps_share_the_form_definition(self):
        "The second rep of the same groups gets the form's lists from cache"
        # Tryton keeps the lists embedded in a form, not the form itself:
        # its cache refuses a value holding cached (read-only) definitions
        Party = Pool().get('party.party')
        company = create_company()
        first, second = self._rep(company, 'rep1'), self._rep(company, 'rep2')

        with self._as(first):
            expected = Party.fields_view_get(view_type='form')
        with self._as(second):
            shared = Party.fields_view_get(view_type='form')

        self.assertEqual(shared, expected)
        self.assertIs(
            _visits_list(shared)['arch'], _visits_list(expected)['arch'])

    @with_transaction()
    def test_rep_with_optional_columns_keeps_his_form(self):
        "Lists embedded for a rep who chose their columns are built for him"
        pool = Pool()
        Party = pool.get('party.party')
        View = pool.get('ir.ui.view')
        ViewTreeOptional = pool.get('ir.ui.view_tree_optional')
        company = create_company()
        first, second = self._rep(company, 'rep1'), self._rep(company, 'rep2')
        with self._as(first):
            view_id = int(next(iter(Party.fields_view_get(
                            view_type='form')['fields']['visits']['views'])))
        ViewTreeOptional.create([{
                    'view': view_id, 'user': second.id,
                    'model': View(view_id).model, 'field': 'outcome',
                    'value': False,
                    }])

        with self._as(first):
            others = Party.fields_view_get(view_type='form')
        with self._as(second):
            own = Party.fields_view_get(view_type='form')

        self.assertIsNot(
            _visits_list(own)['arch'], _visits_list(others)['arch'])
        self.assertIn('name="outcome" optional="0"', _visits_list(own)['arch'])
        self.assertNotIn(
            'name="outcome" optional="0"', _visits_list(others)['arch'])

    @with_transaction()
    def test_client_gets_access_of_all_models_at_once(self):
        "The web client's batch is answered for every model"
        pool = Pool()
        ModelAccess = pool.get('ir.model.access')
        rep = self._rep(create_company(), 'rep')

        with self._as(rep):
            with Transaction().set_context(_request={}):
                batch = ModelAccess.get_access(
                    ['party.party', 'party.address'])
                single = ModelAccess.get_access(['party.party'])
            server = ModelAccess.get_access(['party.party', 'party.address'])

        self.assertLessEqual(
            {'crm.visit', 'sale.sale', 'ir.ui.menu'}, set(batch))
        self.assertEqual(batch['party.party'], single['party.party'])
        self.assertEqual(set(single), {'party.party'})
        self.assertEqual(set(server), {'party.party', 'party.address'})


def _visits_list(form):
    "The definition of the visits list the customer form embeds"
    return next(iter(form['fields']['visits']['views'].values()))
