# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Bulk-load a dataset into PostgreSQL with COPY (benchmark sizes).

Company, staff and products go through the ORM (:class:`TrytonWriter`);
customers with their addresses, contact mechanisms, departments, export
markets and yearly results, the sales with their lines and the contact log
are streamed with ``COPY ... FROM STDIN`` in chunks.  Every row starts from
the model's ``default_get`` so required columns get what the ORM would put
there; ids are allocated after the current maximum and the id sequences are
moved past them at the end; the last-contact dates are then computed by the
module's own set-based ``crm.contact.update_last_contact_date``.

100k customers (~3M sale lines, ~1.5M contacts) load in minutes instead of
hours: ``python -m demo -d bench --customers bench --copy``.
"""
import datetime as dt
import logging

from psycopg import sql
from sql import Cast, Table
from sql.aggregate import Max

from trytond import backend
from trytond.model import fields
from trytond.transaction import Transaction

from .tryton_writer import TrytonWriter, _batches, load as _load

logger = logging.getLogger(__name__)
CHUNK = 20000

class CopyWriter(TrytonWriter):

    def __init__(self, dataset):
        super().__init__(dataset)
        transaction = Transaction()
        if backend.name != 'postgresql':
            raise RuntimeError("the COPY writer needs PostgreSQL")
        self.cursor = transaction.connection.cursor()
        self.now = dt.datetime.now()
        self._columns = {}
        self._defaults = {}
        self._next_id = {}

    # -- low level ---------------------------------------------------------
    def columns(self, table):
        if table not in self._columns:
            self.cursor.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s", (table,))
            self._columns[table] = {r[0] for r in self.cursor.fetchall()}
        return self._columns[table]

    def defaults(self, Model):
        "Stored defaults of Model as the ORM would apply them at create."
        if Model.__name__ not in self._defaults:
            names = [n for n, f in Model._fields.items()
                if not isinstance(f, (fields.Function, fields.One2Many,
                        fields.Many2Many)) and n != 'id']
            values = Model.default_get(names, with_rec_name=False)
            self._defaults[Model.__name__] = {
                k: v for k, v in values.items() if not isinstance(v, list)}
        return self._defaults[Model.__name__]

    def allocate(self, table, count):
        if table not in self._next_id:
            self.cursor.execute(sql.SQL(
                    "SELECT COALESCE(MAX(id), 0) FROM {}").format(
                    sql.Identifier(table)))
            self._next_id[table] = self.cursor.fetchone()[0] + 1
        start = self._next_id[table]
        self._next_id[table] += count
        return range(start, start + count)

    def copy(self, table, rows, Model=None):
        "COPY rows (dicts) into table; values of unknown columns dropped."
        if not rows:
            return
        base = {'create_uid': 0, 'create_date': self.now}
        if Model is not None:
            base.update(self.defaults(Model))
        known = self.columns(table)
        names = sorted({k for row in rows for k in row} | set(base))
        names = [n for n in names if n in known]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table),
            sql.SQL(', ').join(map(sql.Identifier, names)))
        with self.cursor.copy(statement) as copy:
            for row in rows:
                values = {**base, **row}
                copy.write_row([values.get(n) for n in names])

    def relation(self, Model, field_name, pairs):
        "Rows of the Many2Many table of Model.field_name for (origin, target)."
        field = Model._fields.get(field_name)
        if field is None or not pairs:
            return
        Relation = self.model(field.relation_name)
        rows = [{field.origin: o, field.target: t} for o, t in pairs]
        for row, id_ in zip(rows, self.allocate(
                    Relation._table, len(rows))):
            row['id'] = id_
        self.copy(Relation._table, rows)

    # -- customers ---------------------------------------------------------
    def load_customers(self):
        Party = self.model('party.party')
        Address = self.model('party.address')
        Mechanism = self.model('party.contact_mechanism')
        count = 0
        for chunk in _batches(self.data.customers(), CHUNK):
            parties, addresses, mechanisms, departments, markets = (
                [], [], [], [], [])
            yearly, main_categories = [], []
            party_ids = self.allocate(Party._table, len(chunk))
            address_ids = self.allocate(Address._table, len(chunk))
            for c, party_id, address_id in zip(chunk, party_ids, address_ids):
                self.ids['party', c['code']] = party_id
                self.ids['address', c['code']] = address_id
                values = self._customer_values(c)
                for key in ['addresses', 'contact_mechanisms', 'departments',
                        'export_markets', 'yearly_results',
                        'main_product_categories']:
                    values.pop(key, None)
                values.update(id=party_id, code=c['code'])
                parties.append(values)
                addresses.append(dict(id=address_id, party=party_id,
                        street_unstructured=c['street'],
                        postal_code=c['postal_code'], city=c['city'],
                        country=self.ids['country', c['country']]))
                for type_, value in [('phone', c['phone']),
                        ('mobile', c['mobile']), ('fax', c['fax']),
                        ('email', c['email'])]:
                    if value:
                        mechanisms.append(dict(party=party_id, type=type_,
                                value=value, value_compact=(
                                    value.replace(' ', '') if type_ != 'email'
                                    else value.lower())))
                departments.extend((party_id, self.ids['department', d])
                    for d in c['departments']
                    if self.ids['department', d])
                markets.extend((party_id, self.ids['country', m])
                    for m in c['export_markets'])
                main_categories.extend(
                    (party_id, self.ids['season_category', k])
                    for k in c['main_product_categories']
                    if self.ids.get(('season_category', k)))
                yearly.extend(dict(r, party=party_id)
                    for r in c['yearly_results'])
            for row, id_ in zip(mechanisms, self.allocate(
                        Mechanism._table, len(mechanisms))):
                row['id'] = id_
            self.copy(Party._table, parties, Party)
            self.copy(Address._table, addresses, Address)
            self.copy(Mechanism._table, mechanisms, Mechanism)
            self.relation(Party, 'departments', departments)
            self.relation(Party, 'export_markets', markets)
            self.relation(Party, 'main_product_categories', main_categories)
            if 'yearly_results' in Party._fields:
                Result = self.model('party.yearly_result')
                for row, id_ in zip(yearly, self.allocate(
                            Result._table, len(yearly))):
                    row['id'] = id_
                self.copy(Result._table,
                    [self.fit(Result, r) | {'id': r['id'],
                            'party': r['party']} for r in yearly], Result)
            count += len(chunk)
            logger.info("%d customers", count)

    # -- sales -------------------------------------------------------------
    def load_sales(self):
        Sale = self.model('sale.sale')
        Line = self.model('sale.line')
        Location = self.model('stock.location')
        warehouse, = Location.search([('type', '=', 'warehouse')], limit=1)
        count = lines_count = 0
        for chunk in _batches(self.data.sales(), CHUNK):
            sales, lines = [], []
            for s, sale_id in zip(chunk, self.allocate(
                        Sale._table, len(chunk))):
                employee = self.ids['employee', s['rep']]
                state = s['state']
                cached = state in {'confirmed', 'processing', 'done',
                    'cancelled'}
                sales.append(self.fit(Sale, dict(
                            company=self.ids['company'], number=s['number'],
                            party=self.ids['party', s['party']],
                            invoice_party=self.ids['party', s['party']],
                            invoice_address=self.ids['address', s['party']],
                            shipment_address=self.ids['address', s['party']],
                            warehouse=warehouse.id,
                            currency=self.ids['currency', 'CNY'],
                            sale_date=s['sale_date'],
                            quotation_date=s['sale_date'],
                            reference=s['reference'],
                            description=s['description'], state=state,
                            quoted_by=employee if state != 'draft' else None,
                            confirmed_by=(employee if state in {
                                    'confirmed', 'processing', 'done'}
                                else None),
                            shipment_state=('sent' if state == 'done'
                                else 'none'),
                            invoice_state=('paid' if state == 'done'
                                else 'none'),
                            untaxed_amount_cache=(
                                s['untaxed_amount'] if cached else None),
                            tax_amount_cache=(
                                s['tax_amount'] if cached else None),
                            total_amount_cache=(
                                s['total_amount'] if cached else None),
                            )) | {'id': sale_id})
                for sequence, l in enumerate(s['lines'], 1):
                    lines.append(self.fit(Line, dict(
                                sale=sale_id, sequence=sequence, type='line',
                                product=self.ids['product', l['product']],
                                quantity=l['quantity'], unit=self.ids['kg'],
                                unit_price=l['unit_price'],
                                description=l['description'])))
            for row, id_ in zip(lines, self.allocate(
                        Line._table, len(lines))):
                row['id'] = id_
            self.copy(Sale._table, sales, Sale)
            self.copy(Line._table, lines, Line)
            count += len(sales)
            lines_count += len(lines)
            logger.info("%d sales, %d lines", count, lines_count)

    # -- contact log -------------------------------------------------------
    def load_contacts(self):
        if not self.has_model('crm.contact'):
            return
        Contact = self.model('crm.contact')
        count = 0
        for chunk in _batches(self.data.contacts(), CHUNK):
            rows = []
            for c, id_ in zip(chunk, self.allocate(
                        Contact._table, len(chunk))):
                rows.append(self.fit(Contact, dict(
                            c, party=self.ids['party', c['party']],
                            employee=self.ids['employee', c['employee']],
                            department=self.ids['department', c['department']],
                            company=self.ids['company'])) | {'id': id_})
            self.copy(Contact._table, rows, Contact)
            count += len(rows)
            logger.info("%d contacts", count)

    def finish(self):
        for table, next_id in self._next_id.items():
            self.cursor.execute(
                "SELECT to_regclass(%s)", (f'"{table}_id_seq"',))
            sequence, = self.cursor.fetchone()
            if sequence:
                self.cursor.execute(
                    "SELECT setval(%s::regclass, %s)",
                    (f'"{table}_id_seq"', next_id - 1))
        self.update_last_contact_date()
        self.cursor.execute("ANALYZE")

    def update_last_contact_date(self):
        "One UPDATE ... FROM for all parties (the module's works by batch)."
        if (not self.has_model('crm.contact')
                or 'last_contact_date' not in self.columns('party_party')):
            return
        party = Table(self.model('party.party')._table)
        contact = Table(self.model('crm.contact')._table)
        last = contact.select(contact.party,
            Max(contact.date).as_('last_date'), group_by=[contact.party])
        self.cursor.execute(*party.update(
                [party.last_contact_date], [Cast(last.last_date, 'DATE')],
                from_=[last], where=party.id == last.party))

def load(database, dataset):
    _load(database, dataset, writer=CopyWriter)
