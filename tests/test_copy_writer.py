# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The COPY writer (benchmarks) loads what the ORM writer loads.

The same small dataset is loaded twice into the same database, each time in
a transaction rolled back at the end: through the ORM (``TrytonWriter``, as
``make run`` does) and with ``COPY`` (``CopyWriter``, as ``make bench``
does).  Both are then read back through Tryton, customers, their sales and
lines and the contact log in the order of creation, including the computed
fields (sale and line amounts, the last-contact date), and must be equal.
PostgreSQL only.
"""
import datetime as dt
import unittest
from decimal import Decimal

import pytest

from trytond import backend
from trytond.modules import get_modules
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, USER, activate_module, drop_db
from trytond.transaction import Transaction

OURS = sorted(m for m in get_modules() if m.startswith('crm_fruit_'))
END = dt.date(2026, 6, 30)


def _name(record):
    return record.rec_name if record else None


@unittest.skipUnless(backend.name == 'postgresql', "COPY needs PostgreSQL")
class CopyWriterTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        activate_module(OURS, lang='zh_CN')

    def load(self, Writer, dataset):
        "Load dataset with Writer, read it back, roll back."
        with Transaction().start(DB_NAME, USER, context={
                    'language': 'zh_CN', 'active_test': False}
                ) as transaction:
            try:
                writer = Writer(dataset)
                writer.load()
                return self.snapshot(writer)
            finally:
                transaction.rollback()

    def snapshot(self, writer):
        pool = Pool()
        Party = pool.get('party.party')
        Sale = pool.get('sale.sale')
        Contact = pool.get('crm.contact')
        customers = Party.search(
            [('id', 'in', [writer.ids['party', c['code']]
                        for c in writer.data.customers()])],
            order=[('id', 'ASC')])
        index = {p.id: i for i, p in enumerate(customers)}
        parties = [dict(
                index=index[p.id], name=p.name, lang=p.lang and p.lang.code,
                customer_type=p.customer_type,
                customer_source=p.customer_source,
                legal_representative=p.legal_representative,
                registered_capital=p.registered_capital,
                capital_currency=_name(p.registered_capital_currency),
                business_scope=p.business_scope,
                sales_rep=_name(p.sales_rep),
                second_contact=_name(p.second_contact),
                key_account=p.key_account, grade=_name(p.grade),
                departments=sorted(d.code for d in p.departments),
                export_markets=sorted(c.code for c in p.export_markets),
                main_categories=sorted(
                    c.rec_name for c in p.main_product_categories),
                addresses=[(a.street, a.postal_code, a.city,
                        a.country.code) for a in p.addresses],
                mechanisms=sorted((m.type, m.value, m.value_compact)
                    for m in p.contact_mechanisms),
                yearly_results=sorted((y.year, y.revenue, y.profit, y.notes)
                    for y in p.yearly_results),
                last_contact_date=p.last_contact_date,
                active=p.active)
            for p in customers]
        sales = [dict(
                number=s.number, party=index[s.party.id],
                invoice_address=index[s.invoice_address.party.id],
                shipment_address=index[s.shipment_address.party.id],
                state=s.state, sale_date=s.sale_date,
                quotation_date=s.quotation_date, reference=s.reference,
                description=s.description, currency=s.currency.code,
                company=_name(s.company), warehouse=_name(s.warehouse),
                quoted_by=_name(s.quoted_by),
                confirmed_by=_name(s.confirmed_by),
                shipment_state=s.shipment_state,
                invoice_state=s.invoice_state,
                untaxed_amount=s.untaxed_amount, tax_amount=s.tax_amount,
                total_amount=s.total_amount,
                lines=[(l.sequence, l.type, l.product.code, l.quantity,
                        _name(l.unit), l.unit_price, l.amount, l.description)
                    for l in s.lines])
            for s in Sale.search([('party', 'in', customers)],
                order=[('id', 'ASC')])]
        contacts = [dict(
                party=index[c.party.id], date=c.date, channel=c.channel,
                direction=c.direction, contact_person=c.contact_person,
                employee=_name(c.employee), department=_name(c.department),
                subject=c.subject, notes=c.notes,
                follow_up_date=c.follow_up_date, company=_name(c.company))
            for c in Contact.search([('party', 'in', customers)],
                order=[('id', 'ASC')])]
        return parties, sales, contacts

    def assertSameLoad(self, orm, copy):
        "Every difference of every field, the first example of each"
        differences = {}
        for kind, expected, got in zip(
                ['customers', 'sales', 'contacts'], orm, copy):
            self.assertEqual(len(got), len(expected), kind)
            for i, (a, b) in enumerate(zip(expected, got)):
                for key in a.keys() | b.keys():
                    if a.get(key) != b.get(key):
                        differences.setdefault(f'{kind}.{key}', (
                                i, a.get(key), b.get(key)))
        self.assertFalse(differences, '\n'.join(
                f"{name} (#{i}): ORM {a!r} != COPY {b!r}"
                for name, (i, a, b) in sorted(differences.items())))

    def test_copy_loads_what_the_orm_loads(self):
        from demo import generate
        from demo.copy_writer import CopyWriter
        from demo.tryton_writer import TrytonWriter

        class OrmWriter(TrytonWriter):
            def finish(self):
                "customers, sales and contacts only: as the COPY writer"

        dataset = generate('small', seed=7, months=12, end=END)
        orm = self.load(OrmWriter, dataset)
        parties, sales, contacts = orm
        # the dataset is not empty and has what the comparison needs
        self.assertEqual(len(parties), dataset.customer_count)
        self.assertEqual(len(sales), sum(1 for _ in dataset.sales()))
        self.assertEqual(len(contacts), sum(1 for _ in dataset.contacts()))
        self.assertGreater(len(sales), 50)
        self.assertTrue({'draft', 'quotation', 'done', 'cancelled'}
            & {s['state'] for s in sales})
        self.assertTrue(any(p['last_contact_date'] for p in parties))
        self.assertTrue(all(s['lines'] and s['total_amount']
                for s in sales))

        copy = self.load(CopyWriter, dataset)
        self.assertSameLoad(orm, copy)

        # a second chunk, and the foreign keys checked by PostgreSQL on
        # every row instead of once at the end (a user who is no superuser)
        from demo import copy_writer

        class CheckedCopyWriter(CopyWriter):
            def _foreign_keys_off(self):
                return False
        chunk = copy_writer.CHUNK
        copy_writer.CHUNK = 7
        try:
            checked = self.load(CheckedCopyWriter, dataset)
        finally:
            copy_writer.CHUNK = chunk
        self.assertSameLoad(orm, checked)

    def test_values_no_field_takes_stop_the_load(self):
        "The COPY rows are checked as the ORM writer's values"
        from demo import generate
        from demo.copy_writer import CopyWriter
        from demo.tryton_writer import DemoValueError

        class StrayWriter(CopyWriter):
            def _sale_values(self, s):
                return dict(super()._sale_values(s), department=1)

        class FuzzyWriter(CopyWriter):
            def _sale_values(self, s):
                return dict(super()._sale_values(s), state='confirm')

        for Writer, message in [
                (StrayWriter, r"sale_sale\.department: no such column"),
                (FuzzyWriter, r"'confirm' for sale\.sale\.state: not one"),
                ]:
            with self.assertRaisesRegex(DemoValueError, message):
                self.load(Writer, generate(3, seed=7, months=3, end=END))

    def test_copy_text_read_back(self):
        "What copy_text writes, PostgreSQL's COPY reads back unchanged"
        from demo.copy_writer import copy_text
        with Transaction().start(DB_NAME, USER) as transaction:
            try:
                cursor = transaction.connection.cursor()
                cursor.execute('CREATE TEMPORARY TABLE copy_text_check '
                    '(id integer, value text)')
                with cursor.copy('COPY copy_text_check FROM STDIN') as copy:
                    copy.write(''.join(f'{i}\t{copy_text(v)}\n'
                            for i, v in enumerate(_TEXTS)))
                cursor.execute(
                    'SELECT value FROM copy_text_check ORDER BY id')
                self.assertEqual([r[0] for r in cursor], _TEXTS)
            finally:
                transaction.rollback()

    def test_references_checked(self):
        "The check run after a load without foreign keys finds a bad row"
        from demo import generate
        from demo.copy_writer import CopyWriter

        class BrokenWriter(CopyWriter):
            def _sale_values(self, s):
                values = super()._sale_values(s)
                values['party'] = 10 ** 9
                return values

        with self.assertRaisesRegex(RuntimeError, 'sale_sale.party'):
            self.load(BrokenWriter, generate(3, seed=7, months=3, end=END))


_TEXTS = ['plain', 'back\\slash', 'tab\there', 'new\nline', 'carriage\rreturn',
    '\\N', None, '烟台富士苹果 Ñandú', 'all \\\t\n\r four', '']


@pytest.mark.backend_independent
def test_copy_text_escapes_what_copy_reads_specially():
    from demo.copy_writer import copy_text
    assert [copy_text(t) for t in _TEXTS] == ['plain', 'back\\\\slash',
        'tab\\there', 'new\\nline', 'carriage\\rreturn', '\\\\N', '\\N',
        '烟台富士苹果 Ñandú', 'all \\\\\\t\\n\\r four', '']
    assert [copy_text(v) for v in [7, Decimal('2.50'), True, False, 0.5,
            dt.date(2026, 6, 30), dt.datetime(2026, 6, 30, 8, 5, 1)]] == [
        '7', '2.50', 't', 'f', '0.5', '2026-06-30', '2026-06-30 08:05:01']


@pytest.mark.backend_independent
def test_bench_copies_with_the_demo_escaper():
    from bench import bench_service
    from demo.copy_writer import copy_text
    assert bench_service.copy_text is copy_text
