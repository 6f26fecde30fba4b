# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import csv
import datetime as dt
import os
from decimal import Decimal
from unittest.mock import patch

from trytond.exceptions import UserError
from trytond.i18n import gettext
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, create_employee, set_company)
from trytond.modules.crm_fruit_customer.direct_write import (
    execute_delete, execute_insert, execute_update, written)
from trytond.modules.crm_fruit_customer.exceptions import (
    KeyAccountContactError)
from trytond.modules.crm_fruit_customer.tests import create_old_singleton
from trytond import backend
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction
from trytond.transaction import Transaction, check_access

DOC = os.path.join(os.path.dirname(__file__), '..', 'doc')


def read_csv(name):
    with open(os.path.join(DOC, name), newline='', encoding='utf-8') as f:
        header, *rows = csv.reader(f)
    return header, rows


def create_user(login, group_ids, employee):
    pool = Pool()
    User = pool.get('res.user')
    user, = User.create([{
                'login': login,
                'name': login,
                'groups': [('add', group_ids)],
                'companies': [('add', [employee.company.id])],
                'company': employee.company.id,
                'employees': [('add', [employee.id])],
                'employee': employee.id,
                }])
    return user


class CrmFruitCustomerTestCase(CompanyTestMixin, ModuleTestCase):
    "Test CRM Fruit Customer module"
    module = 'crm_fruit_customer'

    @with_transaction()
    def test_configurations_merged(self):
        "The three configurations of before are one, their values kept"
        pool = Pool()
        Configuration = pool.get('crm.configuration')
        Configuration.delete(Configuration.search([]))
        tables = [
            create_old_singleton('crm.classification.configuration', {
                    'window_months': 6, 'a_share': Decimal('0.7')}),
            create_old_singleton('crm.visit.configuration', {
                    'plan_weeks': 8, 'calls_per_day': 20}),
            create_old_singleton('crm.handover.configuration', {
                    'watch_days': 30, 'delegation_max_days': 14}),
            ]

        Configuration._merge_singletons()

        configuration, = Configuration.search([])
        self.assertEqual(
            (configuration.window_months, configuration.a_share,
                configuration.plan_weeks, configuration.calls_per_day,
                configuration.watch_days, configuration.delegation_max_days),
            (6, Decimal('0.7'), 8, 20, 30, 14))
        # the values the old tables did not hold keep their default
        self.assertEqual(
            (configuration.b_share, configuration.visits_per_day,
                configuration.notify_customers),
            (Decimal('0.95'), 4, True))
        for table in tables:
            self.assertFalse(backend.TableHandler.table_exist(table), table)

    @with_transaction()
    def test_company_currency_rated(self):
        "A new company's currency without a rate gets a rate of 1 since always"
        pool = Pool()
        Currency = pool.get('currency.currency')
        Rate = pool.get('currency.currency.rate')
        cny, = Currency.create([{'name': "人民币", 'code': 'CNY', 'symbol': '¥'}])
        rated, = Currency.create([{'name': "Euro", 'code': 'EUR', 'symbol': '€'}])
        Rate.create([{'currency': rated.id, 'date': dt.date(2026, 1, 1),
                    'rate': Decimal('0.13')}])

        create_company(currency=cny)
        create_company(name="Other", currency=rated)

        self.assertEqual(
            [(r.date, r.rate) for r in cny.rates], [(dt.date.min, 1)])
        self.assertEqual(
            [(r.date, r.rate) for r in rated.rates],
            [(dt.date(2026, 1, 1), Decimal('0.13'))])

    @with_transaction()
    def test_department_data(self):
        "Fruit and vegetable departments exist and are found by code"
        pool = Pool()
        Department = pool.get('crm.department')
        ModelData = pool.get('ir.model.data')

        fruit = Department(ModelData.get_id(
                'crm_fruit_customer', 'department_fruit'))
        vegetable = Department(ModelData.get_id(
                'crm_fruit_customer', 'department_vegetable'))

        self.assertEqual((fruit.code, vegetable.code), ('fruit', 'vegetable'))
        self.assertEqual(
            Department.search([('rec_name', '=', 'vegetable')]), [vegetable])

    @with_transaction()
    def test_key_account_two_contacts(self):
        "A key account needs a sales rep and a different second contact"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        rep = create_employee(company, "李强")
        other = create_employee(company, "张敏")

        for sales_rep, second_contact in [
                (None, None), (rep, None), (None, other), (rep, rep)]:
            with self.subTest(sales_rep=sales_rep, second=second_contact):
                party = Party(
                    name="烟台福满", key_account=True,
                    sales_rep=sales_rep, second_contact=second_contact)
                with self.assertRaisesRegex(
                        KeyAccountContactError, "烟台福满"):
                    party.save()

        party = Party(
            name="烟台福满", key_account=True,
            sales_rep=rep, second_contact=other)
        party.save()
        with self.assertRaises(KeyAccountContactError):
            Party.write([party], {'second_contact': None})

    @with_transaction()
    def test_registered_capital_positive(self):
        "A negative registered capital is refused"
        pool = Pool()
        Party = pool.get('party.party')

        company = create_company()
        currency = company.currency.id

        Party.create([{
                    'name': "Zero",
                    'registered_capital': Decimal(0),
                    'registered_capital_currency': currency,
                    }])
        with self.assertRaises(UserError) as cm:
            Party.create([{
                        'name': "Negative",
                        'registered_capital': Decimal(-1),
                        'registered_capital_currency': currency,
                        }])
        self.assertEqual(cm.exception.message, gettext(
                'crm_fruit_customer.msg_party_registered_capital_positive',
                party="Negative"))

    @with_transaction()
    def test_yearly_result_unique(self):
        "Only one result per customer and year"
        pool = Pool()
        Party = pool.get('party.party')
        company = create_company()
        currency = company.currency

        party, other = Party.create([{'name': "A"}, {'name': "B"}])
        result = {'year': 2025, 'currency': currency.id, 'revenue': 10}
        Party.write([party, other], {
                'yearly_results': [('create', [result])]})
        with self.assertRaises(UserError) as cm:
            Party.write([party], {'yearly_results': [('create', [result])]})
        self.assertEqual(cm.exception.message, gettext(
                'crm_fruit_customer.msg_yearly_result_unique'))

    @with_transaction()
    def test_archive_change(self):
        "Major changes are recorded per party, minor ones are not"
        pool = Pool()
        Party = pool.get('party.party')
        ArchiveChange = pool.get('party.archive_change')
        company = create_company()
        rep = create_employee(company, "李强")

        parties = Party.create([{'name': "A"}, {'name': "B"}])
        Party.write(parties, {'business_scope': "Apples"})
        self.assertEqual(ArchiveChange.search([]), [])

        Party.write(parties, {
                'legal_representative': "王建国",
                'sales_rep': rep.id,
                })

        changes = ArchiveChange.search([('party', '=', parties[0].id)])
        self.assertEqual(len(changes), 2)
        self.assertEqual(
            sorted(c.description for c in changes), [
                "Legal Representative: - → 王建国",
                "Sales Rep: - → 李强",
                ])
        self.assertEqual(changes[0].user.id, Transaction().user)
        self.assertEqual(
            ArchiveChange.search([], count=True), 4)

    @with_transaction()
    def test_last_contact_date(self):
        "The last contact date follows the contact log"
        pool = Pool()
        Party = pool.get('party.party')
        Contact = pool.get('crm.contact')
        company = create_company()
        employee = create_employee(company)

        with set_company(company):
            a, b = Party.create([{'name': "A"}, {'name': "B"}])

            def contact(party, date):
                return {
                    'party': party.id, 'date': date, 'channel': 'phone',
                    'direction': 'out', 'employee': employee.id,
                    'subject': "Cherries",
                    }

            def last(party):
                return Party(party.id).last_contact_date

            first, second, third = Contact.create([
                    contact(a, dt.datetime(2026, 3, 1, 9)),
                    contact(a, dt.datetime(2026, 5, 2, 9)),
                    contact(b, dt.datetime(2026, 4, 3, 9)),
                    ])
            self.assertEqual(
                (last(a), last(b)), (dt.date(2026, 5, 2), dt.date(2026, 4, 3)))
            self.assertEqual(Party.search([
                        ('last_contact_date', '<', dt.date(2026, 5, 1)),
                        ]), [b])

            Contact.write([second], {'party': b.id})
            self.assertEqual(
                (last(a), last(b)), (dt.date(2026, 3, 1), dt.date(2026, 5, 2)))

            Contact.write([first], {'date': dt.datetime(2026, 6, 1, 9)})
            self.assertEqual(last(a), dt.date(2026, 6, 1))

            Contact.delete([first])
            self.assertEqual(last(a), None)

    @with_transaction()
    def test_party_replace_and_erase(self):
        "Replacing a customer moves its contact log; erasing blanks it"
        pool = Pool()
        Party = pool.get('party.party')
        Contact = pool.get('crm.contact')
        Replace = pool.get('party.replace', type='wizard')
        Erase = pool.get('party.erase', type='wizard')
        company = create_company()
        employee = create_employee(company)

        with set_company(company):
            old, new = Party.create([{'name': "Fuman"}, {'name': "Fuman"}])
            contact, = Contact.create([{
                        'party': old.id, 'channel': 'wechat',
                        'direction': 'in', 'employee': employee.id,
                        'subject': "Ginger prices", 'notes': "Mr Li",
                        'contact_person': "李先生",
                        'date': dt.datetime(2026, 1, 5, 8),
                        }])

            session_id, _, _ = Replace.create()
            replace = Replace(session_id)
            replace.ask.source = old
            replace.ask.destination = new
            replace.transition_replace()
            self.assertEqual(
                Contact.search([('party', '=', new.id)]), [contact])

            Party.write([new], {'active': False})
            session_id, _, _ = Erase.create()
            erase = Erase(session_id)
            erase.ask.party = new
            erase.transition_erase()
            self.assertEqual(
                Contact.read([contact.id], ['contact_person', 'notes']),
                [{'id': contact.id, 'contact_person': None, 'notes': None}])

    def _setup_rules(self):
        pool = Pool()
        Department = pool.get('crm.department')
        ModelData = pool.get('ir.model.data')
        Party = pool.get('party.party')

        def group(name):
            return ModelData.get_id('crm_fruit_customer', name)

        def department(name):
            return Department(ModelData.get_id('crm_fruit_customer', name))

        company = create_company()
        fruit, vegetable = (
            department('department_fruit'), department('department_vegetable'))
        staff = {n: create_employee(company, n) for n in [
                'fruit_rep', 'fruit_manager', 'vegetable_rep']}
        fruit.manager = staff['fruit_manager']
        fruit.members = [staff['fruit_rep']]
        fruit.save()
        vegetable.members = [staff['vegetable_rep']]
        vegetable.save()
        users = {
            'fruit_rep': create_user(
                'fruit_rep', [group('group_crm_sales_rep')],
                staff['fruit_rep']),
            'fruit_manager': create_user(
                'fruit_manager', [group('group_crm_department_manager')],
                staff['fruit_manager']),
            'vegetable_rep': create_user(
                'vegetable_rep', [group('group_crm_sales_rep')],
                staff['vegetable_rep']),
            'analyst': create_user(
                'analyst', [group('group_crm_analyst')],
                staff['fruit_manager']),
            }
        apple, garlic = Party.create([{
                    'name': "Apple Wholesaler",
                    'departments': [('add', [fruit.id])],
                    'sales_rep': staff['fruit_rep'].id,
                    }, {
                    'name': "Garlic Importer",
                    'departments': [('add', [vegetable.id])],
                    'sales_rep': staff['vegetable_rep'].id,
                    }])
        supplier, = Party.create([{'name': "Carton Supplier"}])
        return users, (apple, garlic, supplier)

    @with_transaction()
    def test_party_rules(self):
        "Reps see their customers, managers their departments"
        pool = Pool()
        Party = pool.get('party.party')
        users, (apple, garlic, supplier) = self._setup_rules()
        customers = [apple, garlic]

        def visible(login):
            with Transaction().set_user(users[login].id), check_access():
                return set(Party.search([('id', 'in', customers)]))

        self.assertEqual(visible('fruit_rep'), {apple})
        self.assertEqual(visible('vegetable_rep'), {garlic})
        self.assertEqual(visible('fruit_manager'), {apple})
        self.assertEqual(visible('analyst'), {apple, garlic})
        for user in [0, 1]:  # root and admin
            with Transaction().set_user(user), check_access():
                self.assertEqual(
                    set(Party.search([('id', 'in', customers)])),
                    {apple, garlic})

        with Transaction().set_user(users['vegetable_rep'].id), \
                check_access():
            self.assertEqual(
                Party.search([('id', '=', supplier.id)]), [supplier])
            with self.assertRaises(AccessError):
                Party.write([Party(apple.id)], {'name': "Mine"})
        with Transaction().set_user(users['analyst'].id), check_access():
            with self.assertRaises(AccessError):
                Party.write([Party(apple.id)], {'name': "Mine"})

    @with_transaction()
    def test_import_example(self):
        "The example of legacy list imports with addresses and contacts"
        pool = Pool()
        Party = pool.get('party.party')
        company = self._setup_import()

        header, rows = read_csv('import_example.csv')
        with set_company(company):
            self.assertEqual(Party.import_data(header, rows), 3)

        fuman, = Party.search([('code', '=', 'KH900001')])
        self.assertEqual(fuman.name, "烟台福满果品批发有限公司")
        self.assertEqual(fuman.customer_type, 'wholesaler')
        self.assertEqual(fuman.registered_capital, Decimal(5000000))
        self.assertEqual(fuman.registered_capital_currency.code, 'CNY')
        self.assertEqual([d.code for d in fuman.departments], ['fruit'])
        self.assertTrue(fuman.key_account)
        self.assertEqual(
            (fuman.sales_rep.rec_name, fuman.second_contact.rec_name),
            ("李强", "张敏"))
        address, = fuman.addresses
        self.assertEqual(
            (address.city, address.postal_code, address.country.code),
            ("烟台", '265500', 'CN'))
        self.assertEqual(
            sorted(m.type for m in fuman.contact_mechanisms),
            ['email', 'fax', 'phone'])
        self.assertEqual(fuman.fax, '+86 535 632 1002')

        jiangnan, = Party.search([('code', '=', 'KH900002')])
        self.assertEqual(
            sorted(d.code for d in jiangnan.departments),
            ['fruit', 'vegetable'])
        self.assertEqual(
            sorted(c.code for c in jiangnan.export_markets), ['MY', 'SG'])

    def _setup_import(self):
        pool = Pool()
        Country = pool.get('country.country')
        Currency = pool.get('currency.currency')
        company = create_company()
        if not Currency.search([('code', '=', 'CNY')]):
            Currency.create([{'name': "Yuan", 'code': 'CNY', 'symbol': "¥"}])
        Country.create([
                {'name': "China", 'code': 'CN'},
                {'name': "Malaysia", 'code': 'MY'},
                {'name': "Singapore", 'code': 'SG'},
                ])
        for name in ["李强", "张敏", "赵刚"]:
            create_employee(company, name)
        return company

    def _assert_import_refused(self, change, message):
        "Import the example with one broken row: nothing may stay"
        pool = Pool()
        Party = pool.get('party.party')
        Employee = pool.get('company.employee')
        cursor = Transaction().connection.cursor()
        company = self._setup_import()

        header, rows = read_csv('import_example.csv')
        change(header, rows)
        # Stands for the transaction of the RPC call that the dispatcher
        # rolls back when the call fails
        cursor.execute('SAVEPOINT crm_import')
        with set_company(company), self.assertRaises(UserError) as cm:
            Party.import_data(header, rows)
        self.assertIn(message, cm.exception.message)
        cursor.execute('ROLLBACK TO SAVEPOINT crm_import')
        self.assertEqual(
            Party.search([('code', 'like', 'KH9%')]), [])
        self.assertEqual(Employee.search([], count=True), 3)

    @with_transaction()
    def test_import_unknown_department(self):
        "A row with an unknown department imports nothing"
        def change(header, rows):
            rows[-1][header.index('departments')] = 'flowers'
        self._assert_import_refused(change, "flowers")

    @with_transaction()
    def test_import_negative_capital(self):
        "A row with a negative capital imports nothing"
        def change(header, rows):
            rows[-1][header.index('registered_capital')] = '-100'
        self._assert_import_refused(change, gettext(
                'crm_fruit_customer.msg_party_registered_capital_positive',
                party="Sunrise Fresh Trading Sdn Bhd"))

    @with_transaction()
    def test_import_duplicate_code(self):
        "A row repeating a code imports nothing"
        pool = Pool()
        Party = pool.get('party.party')
        transaction = Transaction()
        company = self._setup_import()

        header, rows = read_csv('import_example.csv')
        rows[-1][header.index('code')] = 'KH900001'
        with set_company(company), self.assertRaises(UserError) as cm:
            Party.import_data(header, rows)
        # The integrity error is reported from a nested transaction which
        # releases savepoints on SQLite, and PostgreSQL refuses any query in
        # the failed transaction: roll it back before reading anything
        transaction.rollback()
        self.assertEqual(
            cm.exception.message, gettext('party.msg_party_code_unique'))
        self.assertEqual(Party.search([('code', 'like', 'KH9%')]), [])

    @with_transaction()
    def test_direct_writes_inform_framework(self):
        "Rows written in SQL are re-read, historised and on_modification runs"
        pool = Pool()
        Party = pool.get('party.party')
        party = Party.__table__()
        a, b = Party.create([{'name': "A"}, {'name': "B"}])
        self.assertEqual(Party(a.id).name, "A")  # now in the cache

        with patch.object(Party, 'on_modification') as on_modification:
            ids = execute_update(party,
                party.update([party.name], ["A2"], where=party.id == a.id),
                party.select(party.id, where=party.id == a.id))
            written(Party, 'write', ids, ['name'])
        self.assertEqual(ids, [a.id])
        self.assertEqual(Party(a.id).name, "A2")
        (mode, records), kwargs = on_modification.call_args
        self.assertEqual((mode, records, kwargs), (
                'write', [a], {'field_names': {'name'}}))

        with patch.object(Party, 'on_modification') as on_modification:
            ids = execute_insert(party, party.insert(
                    [party.name, party.code, party.active],
                    [["C", "DW-C", True], ["D", "DW-D", True]]))
            written(Party, 'create', ids)
        self.assertEqual(
            sorted(p.name for p in Party.browse(ids)), ["C", "D"])
        self.assertEqual(on_modification.call_args[0][0], 'create')
        self.assertEqual(len(on_modification.call_args[0][1]), 2)

        with patch.object(Party, 'on_modification') as on_modification:
            execute_delete(Party, party, party.id.in_(ids))
        self.assertEqual(Party.search([('id', 'in', ids)]), [])
        self.assertEqual(on_modification.call_args[0][0], 'delete')

    @with_transaction()
    def test_last_contact_date_informs_framework(self):
        "The last contact date is written through the shared helper"
        pool = Pool()
        Party = pool.get('party.party')
        Contact = pool.get('crm.contact')
        company = create_company()
        employee = create_employee(company)
        with set_company(company):
            a, = Party.create([{'name': "A"}])
            with patch.object(Party, 'on_modification') as on_modification:
                Contact.create([{
                            'party': a.id, 'channel': 'phone',
                            'date': dt.datetime(2026, 3, 1, 9),
                            'direction': 'out', 'employee': employee.id,
                            'subject': "Cherries",
                            }])
            on_modification.assert_called_once_with(
                'write', [a], field_names={'last_contact_date'})

    @with_transaction()
    def test_search_by_phone_digits(self):
        "A customer is found by the digits of his phone, however written"
        pool = Pool()
        Party = pool.get('party.party')
        xinfadi, other = Party.create([{
                    'name': "Xinfadi",
                    'contact_mechanisms': [('create', [{
                                    'type': 'phone',
                                    'value': '+86 10 6721 0001',
                                    }])],
                    }, {'name': "Other"}])
        for text in ['6721-0001', '(10) 67210001', '6721 0001']:
            with self.subTest(text=text):
                self.assertEqual(Party.search(
                        [('rec_name', 'ilike', f'%{text}%')]), [xinfadi])
        self.assertEqual(
            Party.search([('rec_name', 'ilike', '%Other%')]), [other])
        self.assertEqual(
            Party.search([('rec_name', 'ilike', '%1-0%')]), [])


del ModuleTestCase
