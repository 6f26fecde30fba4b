# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The COPY writer (benchmarks) loads what the ORM writer loads.

The same small dataset is loaded twice into the same database, each time in
a transaction rolled back at the end: through the ORM (``TrytonWriter``, as
``make run`` does) and with ``COPY`` (``CopyWriter``, as ``make bench``
does).  Both are then read back through Tryton, customers, their sales and
lines and the contact log in the order of creation, including the computed
fields (sale and line amounts, the last-contact date), and the order to
cash of the processing and done sales: shipments with their moves and lots,
invoices with their amounts, payment state and moves, the lots' intake, the
next numbers of the sequences; they must be equal.  PostgreSQL only.
"""
import datetime as dt
import unittest
from decimal import Decimal

import pytest

from trytond import backend
from trytond.modules import get_modules
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, USER, activate_module, drop_db
from trytond.transaction import Transaction, TransactionError

OURS = sorted(m for m in get_modules() if m.startswith('crm_fruit_'))
END = dt.date(2026, 6, 30)
# 20 customers over 2 months to the middle of January: waiting, shipped and
# delivered shipments, an invoice still to date, invoices of two years paid
# on time, late, in part, in two payments or not at all, export orders
SMALL = dict(size=20, seed=19, months=2, end=dt.date(2026, 1, 13))


def _name(record):
    return record.rec_name if record else None


def _index(index, record):
    """The index of a customer, or of the customer of an address, or the
    name of another party's address"""
    if record is None:
        return None
    party = getattr(record, 'party', record)
    return index[party.id] if party.id in index else record.rec_name


def _origin(record):
    "What a move or move line comes from, without its id"
    model = record.__name__ if record else None
    if model == 'sale.line':
        return model, record.sale.number, record.product.rec_name
    elif model == 'stock.move':
        return model, record.product.rec_name, _name(record.from_location)
    elif model == 'account.invoice.line':
        return model, record.origin.sale.number, record.product.rec_name
    elif model == 'account.invoice':
        return model, record.number
    return model


class _NoChart:
    "A writer without chart of accounts: the sales stay confirmed (quicker)"

    def load_accounting(self):
        self.fulfil = False


@unittest.skipUnless(backend.name == 'postgresql', "COPY needs PostgreSQL")
class CopyWriterTestCase(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        drop_db()
        # the chart of accounts of the order to cash comes with the language
        # en
        activate_module(OURS)
        with Transaction().start(DB_NAME, USER) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute("SELECT sequencename FROM pg_sequences "
                "WHERE sequencename LIKE %s", (r'ir\_sequence\_%',))
            cls.sequences = {}
            for name, in cursor.fetchall():
                cursor.execute(f'SELECT last_value, is_called FROM "{name}"')
                cls.sequences[name] = cursor.fetchone()

    def load(self, Writer, dataset):
        """Load dataset with Writer, read it back, roll back; the SQL
        sequences of ir.sequence, which a rollback leaves where the load
        took them, start where they were before the first load."""
        from demo.tryton_writer import LOCK_TABLES
        extras = {'_lock_tables': list(LOCK_TABLES)}
        while True:
            try:
                with Transaction().start(DB_NAME, USER, context={
                            'language': 'zh_CN', 'active_test': False},
                        **extras) as transaction:
                    try:
                        cursor = transaction.connection.cursor()
                        for name, (value, called) in self.sequences.items():
                            cursor.execute("SELECT setval(%s, %s, %s)",
                                (name, value, called))
                        # the staff work in Chinese
                        Lang = Pool().get('ir.lang')
                        Lang.write(Lang.search([('code', '=', 'zh_CN')]),
                            {'translatable': True})
                        writer = Writer(dataset)
                        writer.load()
                        # the company's values of multi-values (language,
                        # payment term) as the staff read them
                        with Transaction().set_context(
                                company=writer.ids['company']):
                            return self.snapshot(writer)
                    finally:
                        transaction.rollback()
            except TransactionError as e:
                # the singletons created lock their table: start again
                # with the locks asked, as demo.tryton_writer.load does
                e.fix(extras)

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
                payment_term=_name(p.customer_payment_term),
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
        sale_records = Sale.search([('party', 'in', customers)],
            order=[('id', 'ASC')])
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
                payment_term=_name(s.payment_term),
                incoterm=_name(s.incoterm),
                incoterm_location=_index(index, s.incoterm_location),
                lines=[(l.sequence, l.type, l.product.code, l.quantity,
                        _name(l.unit), l.unit_price, l.amount, l.description,
                        l.actual_quantity, l.quantity_to_ship,
                        l.quantity_to_invoice)
                    for l in s.lines])
            for s in sale_records]
        contacts = [dict(
                party=index[c.party.id], date=c.date, channel=c.channel,
                direction=c.direction, contact_person=c.contact_person,
                employee=_name(c.employee), department=_name(c.department),
                subject=c.subject, notes=c.notes,
                follow_up_date=c.follow_up_date, company=_name(c.company))
            for c in Contact.search([('party', 'in', customers)],
                order=[('id', 'ASC')])]
        return dict(customers=parties, sales=sales, contacts=contacts,
            **self.fulfilment(index, sale_records))

    def fulfilment(self, index, sales):
        """The shipments with their moves, the invoices with their lines and
        their moves' lines of sales (in their order), the lots with their
        intake, the journal periods and the next numbers of the sequences"""
        pool = Pool()
        Lot = pool.get('stock.lot')
        Move = pool.get('stock.move')
        JournalPeriod = pool.get('account.journal.period')
        Strict = pool.get('ir.sequence.strict')
        Configuration = pool.get('account.configuration')
        StockConfiguration = pool.get('stock.configuration')
        shipments, moves, invoices, move_lines = [], [], [], []

        def move_values(move):
            return dict(
                shipment=move.shipment and move.shipment.number,
                product=move.product.rec_name, lot=_name(move.lot),
                quantity=move.quantity, unit=_name(move.unit),
                internal_quantity=move.internal_quantity,
                from_location=_name(move.from_location),
                to_location=_name(move.to_location),
                planned_date=move.planned_date,
                origin_planned_date=move.origin_planned_date,
                effective_date=move.effective_date, state=move.state,
                unit_price=move.unit_price,
                currency=move.currency and move.currency.code,
                cost_price=move.cost_price, origin=_origin(move.origin),
                company=_name(move.company))

        def move_line_values(line):
            move = line.move
            return dict(
                move=move.number, date=move.date, journal=_name(move.journal),
                period=_name(move.period), state=move.state,
                post_date=move.post_date, origin=_origin(move.origin),
                account=_name(line.account), party=_index(index, line.party),
                debit=line.debit, credit=line.credit,
                maturity_date=line.maturity_date,
                line_origin=_origin(line.origin), line_state=line.state,
                reconciliation=line.reconciliation and (
                    line.reconciliation.number, line.reconciliation.date))

        for i, sale in enumerate(sales):
            for shipment in sale.shipments:
                shipments.append(dict(sale=i, number=shipment.number,
                        state=shipment.state,
                        customer=_index(index, shipment.customer),
                        delivery_address=_index(
                            index, shipment.delivery_address),
                        warehouse=_name(shipment.warehouse),
                        planned_date=shipment.planned_date,
                        origin_planned_date=shipment.origin_planned_date,
                        effective_date=shipment.effective_date,
                        incoterm=_name(shipment.incoterm),
                        incoterm_location=_index(
                            index, shipment.incoterm_location),
                        container_number=shipment.container_number,
                        bill_of_lading=shipment.bill_of_lading,
                        eta=shipment.eta))
                moves.extend(map(move_values,
                        shipment.outgoing_moves + shipment.inventory_moves))
            for invoice in sale.invoices:
                invoices.append(dict(sale=i, number=invoice.number,
                        state=invoice.state, type=invoice.type,
                        invoice_date=invoice.invoice_date,
                        payment_term=_name(invoice.payment_term),
                        party=_index(index, invoice.party),
                        invoice_address=_index(
                            index, invoice.invoice_address),
                        account=_name(invoice.account),
                        journal=_name(invoice.journal),
                        currency=invoice.currency.code,
                        sequence=invoice.sequence and _name(
                            Strict(invoice.sequence)),
                        untaxed_amount=invoice.untaxed_amount,
                        tax_amount=invoice.tax_amount,
                        total_amount=invoice.total_amount,
                        amount_to_pay=invoice.amount_to_pay,
                        reconciled=invoice.reconciled,
                        move=invoice.move and invoice.move.number,
                        lines=[(l.product.rec_name, l.quantity,
                                _name(l.unit), l.unit_price, l.amount,
                                _name(l.account), l.description,
                                _origin(l.origin), sorted(
                                    (m.shipment.number, m.product.rec_name)
                                    for m in l.stock_moves))
                            for l in invoice.lines],
                        lines_to_pay=[l.maturity_date
                            for l in invoice.lines_to_pay],
                        payment_lines=sorted(
                            (l.move.number, l.credit)
                            for l in invoice.payment_lines)))
                lines = list(invoice.move.lines) if invoice.move else []
                for payment in invoice.payment_lines:
                    lines.extend(payment.move.lines)
                move_lines.extend(map(move_line_values, lines))
        lots = Lot.search([], order=[('number', 'ASC'), ('id', 'ASC')])
        lots = [dict(number=l.number, product=l.product.rec_name,
                moves=len(Move.search([('lot', '=', l.id)])),
                intake=[move_values(m) for m in Move.search([
                            ('lot', '=', l.id),
                            ('from_location.type', '=', 'supplier')])])
            for l in lots]
        journal_periods = sorted((_name(p.journal), _name(p.period), p.state)
            for p in JournalPeriod.search([]))
        sequences = sorted((q.name, q.prefix, q.number_next)
            for q in Strict.search([]))
        for sequence in [
                StockConfiguration(1).get_multivalue('shipment_out_sequence'),
                Configuration(1).get_multivalue('reconciliation_sequence')]:
            sequences.append((sequence.name, sequence.prefix,
                    sequence.number_next))
        return dict(shipments=shipments, moves=moves, invoices=invoices,
            move_lines=move_lines, lots=lots, journal_periods=[
                dict(journal_period=p) for p in journal_periods],
            sequences=[dict(sequence=q) for q in sequences])

    def assertSameLoad(self, orm, copy):
        "Every difference of every field, the first example of each"
        differences = {}
        self.assertEqual(orm.keys(), copy.keys())
        for kind, expected in orm.items():
            got = copy[kind]
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
        from demo import generate, tryton_writer
        from demo.copy_writer import CopyWriter
        from demo.tryton_writer import TrytonWriter

        class OrmWriter(TrytonWriter):
            def finish(self):
                "customers, sales, contacts and their order to cash only"
                self.load_fulfilment()

        # batches of 12 sales: the invoices of a batch are posted (and
        # numbered) after those of the batch before, their payments after
        # them; the COPY writer numbers them in the same order
        batch, tryton_writer.BATCH = tryton_writer.BATCH, 12
        self.addCleanup(setattr, tryton_writer, 'BATCH', batch)
        dataset = generate(**SMALL)
        orm = self.load(OrmWriter, dataset)
        parties, sales, contacts = (
            orm['customers'], orm['sales'], orm['contacts'])
        # the dataset is not empty and has what the comparison needs
        self.assertEqual(len(parties), dataset.customer_count)
        self.assertEqual(len(sales), sum(1 for _ in dataset.sales()))
        self.assertEqual(len(contacts), sum(1 for _ in dataset.contacts()))
        self.assertGreater(len(sales), 30)
        self.assertTrue({'draft', 'confirmed', 'cancelled'}
            <= {s['state'] for s in sales})
        self.assertTrue(any(p['last_contact_date'] for p in parties))
        self.assertEqual({p['lang'] for p in parties}, {'zh_CN', 'en'})
        self.assertTrue(all(p['payment_term'] for p in parties))
        self.assertTrue(all(s['lines'] and s['total_amount']
                for s in sales))
        self.assertEqual({(s['state'], s['shipment_state'],
                    s['invoice_state']) for s in sales if s['shipment_state']
                != 'none'}, {('processing', 'waiting', 'none'),
                ('processing', 'sent', 'pending'),
                ('processing', 'sent', 'awaiting payment'),
                ('done', 'sent', 'paid')})
        self.assertEqual({s['state'] for s in orm['shipments']},
            {'waiting', 'shipped', 'done'})
        self.assertTrue(all(m['lot'] for m in orm['moves']
                if m['state'] != 'draft'))
        self.assertTrue(any(s['container_number'] and s['incoterm']
                for s in orm['shipments']))
        invoices = orm['invoices']
        self.assertEqual({i['state'] for i in invoices},
            {'draft', 'posted', 'paid'})
        self.assertEqual({i['invoice_date'].year for i in invoices
                if i['invoice_date']}, {2025, 2026})
        self.assertTrue(any(i['state'] == 'posted'
                and 0 < i['amount_to_pay'] < i['total_amount']
                for i in invoices))
        self.assertTrue(any(len(i['payment_lines']) > 1 and i['reconciled']
                for i in invoices))
        self.assertGreater(len(invoices), 2 * tryton_writer.BATCH)
        self.assertTrue(orm['lots'] and orm['journal_periods'])

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

        class StrayWriter(_NoChart, CopyWriter):
            def _sale_values(self, s):
                return dict(super()._sale_values(s), department=1)

        class FuzzyWriter(_NoChart, CopyWriter):
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

        class BrokenWriter(_NoChart, CopyWriter):
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
