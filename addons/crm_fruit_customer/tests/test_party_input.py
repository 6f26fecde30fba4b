# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
import datetime as dt
import unittest
from contextlib import contextmanager
from decimal import Decimal
from unittest.mock import patch

from lxml import etree

from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, create_employee
from trytond.modules.crm_fruit_customer.exceptions import ArchiveInputError
from trytond.modules.crm_fruit_customer.tests.test_module import create_user
from trytond.pool import Pool
from trytond.tests.test_tryton import activate_module, drop_db, with_transaction
from trytond.transaction import Transaction, check_access

CONTACT = 'trytond.modules.crm_fruit_customer.contact'


class PartyInputTestCase(unittest.TestCase):
    "Test what the customer archive refuses to store (issue 11)"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_customer', lang='zh_CN')

    def _setup(self):
        pool = Pool()
        Department = pool.get('crm.department')
        ModelData = pool.get('ir.model.data')
        Party = pool.get('party.party')
        company = create_company()
        fruit = Department(
            ModelData.get_id('crm_fruit_customer', 'department_fruit'))
        rep = create_employee(company, "Rep")
        manager = create_employee(company, "Manager")
        fruit.manager = manager
        fruit.members = [rep]
        fruit.save()
        users = {
            'rep': create_user('rep', [
                    ModelData.get_id('crm_fruit_customer',
                        'group_crm_sales_rep')], rep),
            'manager': create_user('manager', [
                    ModelData.get_id('crm_fruit_customer',
                        'group_crm_department_manager')], manager),
            }
        customer, = Party.create([{
                    'name': "Apple Wholesaler",
                    'departments': [('add', [fruit.id])],
                    'sales_rep': rep.id,
                    }])
        return company, users, customer

    @contextmanager
    def as_user(self, company, user, language='zh_CN'):
        "The context of a JSON-RPC call of user in the web client"
        with Transaction().set_user(user.id), check_access(), \
                Transaction().set_context(
                    company=company.id, employee=user.employee.id,
                    language=language):
            yield

    def assertRefused(self, call, *words):
        "call raises a translated input error naming words"
        with self.assertRaises(ArchiveInputError) as cm:
            call()
        for word in words:
            self.assertIn(word, cm.exception.message)
        self.assertNotIn('Traceback', cm.exception.message)
        return cm.exception.message

    def _customers_named(self, name):
        Party = Pool().get('party.party')
        # PostgreSQL refuses a NUL even in a query: compare in Python
        return [p for p in Party.search([]) if p.name == name]

    @with_transaction()
    def test_customer_name_blank(self):
        "A customer with an empty or blank name is refused"
        Party = Pool().get('party.party')
        company, users, customer = self._setup()
        with self.as_user(company, users['rep']):
            for name in [None, '', '   ', '\u3000']:
                self.assertRefused(
                    lambda: Party.create([{'name': name}]), '名称')
            self.assertRefused(
                lambda: Party.write([Party(customer.id)], {'name': ' '}),
                '名称')
        self.assertEqual(Party(customer.id).name, "Apple Wholesaler")

    @with_transaction()
    def test_customer_name_characters(self):
        "A name with control or bidi override characters is refused"
        Party = Pool().get('party.party')
        company, users, customer = self._setup()
        with self.as_user(company, users['rep']):
            for name in ["Apple\x00Ltd", "Apple\tLtd", "Apple\x1bLtd",
                    "Apple \u202eLtd", "Apple \u2066Ltd", "Apple\u202a"]:
                self.assertRefused(
                    lambda: Party.create([{'name': name}]), '名称', '控制')
                self.assertFalse(self._customers_named(name))
                self.assertRefused(
                    lambda: Party.write(
                        [Party(customer.id)], {'name': name}), '名称')
            # Chinese and Arabic names themselves are welcome
            Party.create([{'name': "龙口苹果批发 شركة"}])

    @with_transaction()
    def test_customer_text_too_long(self):
        "A 10,000 character name or legal representative is refused"
        Party = Pool().get('party.party')
        company, users, customer = self._setup()
        with self.as_user(company, users['rep']):
            self.assertRefused(
                lambda: Party.create([{'name': "梨" * 10000}]), '200', '10000')
            self.assertFalse(self._customers_named("梨" * 10000))
            self.assertRefused(lambda: Party.write([Party(customer.id)], {
                        'legal_representative': "王" * 101}), '法定代表人')
            Party.write([Party(customer.id)], {'name': "梨" * 200})

    @with_transaction()
    def test_contact_text_checked(self):
        "The contact log refuses control characters and huge subjects"
        pool = Pool()
        Contact = pool.get('crm.contact')
        company, users, customer = self._setup()
        values = {
            'company': company.id,
            'party': customer.id,
            'employee': users['rep'].employee.id,
            'channel': 'phone',
            'direction': 'out',
            }
        with self.as_user(company, users['rep']):
            self.assertRefused(lambda: Contact.create([
                        {**values, 'subject': "x" * 201}]), '主题')
            self.assertRefused(lambda: Contact.create([
                        {**values, 'subject': "Price\u202e"}]), '主题')
            self.assertRefused(lambda: Contact.create([
                        {**values, 'subject': "Price",
                            'notes': "line\x00"}]), '备注')
            contact, = Contact.create([{
                        **values, 'subject': "Price", 'notes': "a\nb\tc"}])
            self.assertEqual(contact.notes, "a\nb\tc")

    @with_transaction()
    def test_registered_capital_bounded(self):
        "NaN, infinities, text and 1E+30 are refused as registered capital"
        Party = Pool().get('party.party')
        company, users, customer = self._setup()
        with self.as_user(company, users['rep']):
            for value in [Decimal('NaN'), Decimal('sNaN'),
                    Decimal('Infinity'), float('nan'), float('-inf'),
                    'abc', '1,000', 'NaN']:
                message = self.assertRefused(
                    lambda: Party.write([Party(customer.id)], {
                            'registered_capital': value}), '注册资本')
                self.assertNotIn('ConversionSyntax', message)
            self.assertRefused(lambda: Party.write([Party(customer.id)], {
                        'registered_capital': Decimal('1E+30')}), '注册资本')
            Party.write([Party(customer.id)], {
                    'registered_capital': '5000000.00',
                    'registered_capital_currency': company.currency.id,
                    })
        self.assertEqual(
            Party(customer.id).registered_capital, Decimal('5000000.00'))

    @with_transaction()
    def test_yearly_result_year_number(self):
        "A year typed as text or out of range is refused in Chinese"
        YearlyResult = Pool().get('party.yearly_result')
        company, users, customer = self._setup()
        values = {
            'party': customer.id,
            'currency': company.currency.id,
            }
        with self.as_user(company, users['rep']):
            for year in ['二〇二五', '2,025', '2025.5', 2025.5, 20250, 1800]:
                self.assertRefused(lambda: YearlyResult.create([
                            {**values, 'year': year}]), '年')
            self.assertRefused(lambda: YearlyResult.create([{
                            **values, 'year': 2025,
                            'revenue': Decimal('NaN')}]), '营业收入')
            result, = YearlyResult.create([{**values, 'year': '2025'}])
            self.assertEqual(result.year, 2025)

    @with_transaction()
    def test_year_shown_without_grouping(self):
        "Years are shown as 2025, not 2,025"
        YearlyResult = Pool().get('party.yearly_result')
        self._setup()
        for view_type in ['tree', 'form']:
            arch = YearlyResult.fields_view_get(view_type=view_type)['arch']
            year, = etree.fromstring(arch).xpath('//field[@name="year"]')
            self.assertEqual(year.get('grouping'), '0')

    @with_transaction()
    def test_form_explains_classification_dimensions(self):
        "Intent grade, value class, core customer and key account explain"
        Party = Pool().get('party.party')
        company, users, _ = self._setup()
        with self.as_user(company, users['rep']):
            names = ['grade', 'value_class', 'core_customer', 'key_account']
            definitions = Party.fields_get(names)
            arch = Party.fields_view_get(view_type='form')['arch']
        string = {n: definitions[n]['string'] for n in names}
        self.assertEqual(string['grade'], '意向等级')
        for name, other in [
                ('grade', 'value_class'), ('value_class', 'grade'),
                ('core_customer', 'key_account'),
                ('key_account', 'core_customer')]:
            self.assertIn(string[other], definitions[name]['help'])
        self.assertEqual(len(set(string.values())), len(names))
        value, = etree.fromstring(arch).xpath(
            '//group[@id="value_classification"]')
        self.assertIn('销售', value.get('string'))
        self.assertEqual(
            {f.get('name') for f in value.xpath('.//field')} & set(names),
            {'value_class', 'core_customer'})

    @with_transaction()
    def test_department_code_internal(self):
        "The English department code is internal: lists show the name"
        Department = Pool().get('crm.department')
        company, users, _ = self._setup()
        with self.as_user(company, users['manager']):
            arch = Department.fields_view_get(view_type='tree')['arch']
            string = Department.fields_get(['code'])['code']['string']
        for field in etree.fromstring(arch).xpath('//field[@name="code"]'):
            self.assertEqual(field.get('optional'), '1')
        self.assertEqual(string, '内部代码')

    @with_transaction()
    def test_contact_date_taken_at_save(self):
        "A new contact's date is the time it is saved, not opened"
        Contact = Pool().get('crm.contact')
        company, users, customer = self._setup()
        opened = dt.datetime(2026, 3, 2, 8, 0)
        saved = dt.datetime(2026, 3, 2, 11, 30)
        with self.as_user(company, users['rep']):
            with patch(CONTACT + '.datetime') as clock:
                clock.datetime.now.return_value = opened
                defaults = Contact.default_get(['date'], with_rec_name=False)
                clock.datetime.now.return_value = saved
                contact, = Contact.create([{
                            **defaults,
                            'company': company.id,
                            'party': customer.id,
                            'employee': users['rep'].employee.id,
                            'channel': 'phone',
                            'direction': 'out',
                            'subject': "Price",
                            }])
            self.assertEqual(contact.date, saved)
            # a date the user chose is kept
            chosen = dt.datetime(2026, 3, 1, 9, 0)
            Contact.write([contact], {'date': chosen})
            self.assertEqual(contact.date, chosen)

    @with_transaction()
    def test_rep_archives_and_never_deletes_customer(self):
        "A rep deactivates his customer but cannot delete it with its log"
        pool = Pool()
        Contact = pool.get('crm.contact')
        Party = pool.get('party.party')
        company, users, customer = self._setup()
        contact, = Contact.create([{
                    'company': company.id,
                    'party': customer.id,
                    'employee': users['rep'].employee.id,
                    'channel': 'phone',
                    'direction': 'out',
                    'subject': "Price",
                    }])
        with self.as_user(company, users['rep']):
            with self.assertRaises(AccessError):
                Party.delete([Party(customer.id)])
            with self.assertRaises(AccessError):
                Contact.delete([Contact(contact.id)])
            Party.write([Party(customer.id)], {'active': False})
        self.assertEqual(Contact.search([('id', '=', contact.id)]), [contact])
        with self.as_user(company, users['manager']):
            Party.delete([Party(customer.id)])
        self.assertFalse(Party.search([('id', '=', customer.id)]))
