# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Bulk-load a dataset into PostgreSQL with COPY (benchmark sizes).

Company, staff and products go through the ORM (:class:`TrytonWriter`);
customers with their addresses, contact mechanisms, departments, export
markets and yearly results, the sales with their lines and the contact log
are streamed with ``COPY ... FROM STDIN``.  The rows are the ORM writer's:
every row starts from the model's ``default_get`` so required columns get
what the ORM would put there, values go through the same ``fit``; ids are
allocated after the current maximum of each table and the id sequences are
moved past them once at the end; the last-contact date of every customer is
the date of its last contact, as ``crm.contact`` maintains it; phone numbers
and e-mails are formatted as ``party.contact_mechanism`` does at create.
``tests/test_copy_writer.py`` reads both loads back through Tryton and
compares them.

Speed (100k customers, ~1.6M sales, ~3M sale lines, ~1.7M contacts in 8 to
12 minutes on two cores shared with test runs, where the former writer
needed an hour):

* one pass over the customers: each customer is generated once and its
  sales and contacts follow it (``Dataset.sales()`` and ``contacts()`` would
  generate every customer again), numbered exactly as ``Dataset.sales()``;
* rows are formatted to COPY text by a function compiled once per table:
  the columns filled from defaults are formatted once, a row only formats
  its own values (no per-row dict of defaults, no adaptation by psycopg);
* the text of a chunk of customers goes to PostgreSQL in one ``COPY`` per
  table from a second thread, so PostgreSQL parses and indexes one chunk
  while Python generates the next;
* the foreign-key triggers are off during the load
  (``session_replication_role = replica``, when the user may set it) and
  every foreign key of the loaded tables is checked once at the end by one
  anti-join (``check_references``).

``python -m demo -d bench --customers bench --copy``.
"""
import datetime as dt
import functools
import logging
import queue
import re
import threading
import time
from decimal import Decimal

from psycopg import sql

from trytond import backend
from trytond.model import fields
from trytond.modules.party import contact_mechanism as mechanism
from trytond.transaction import Transaction

from .tryton_writer import (
    DemoValueError, TrytonWriter, check_value, load as _load)

logger = logging.getLogger(__name__)
CHUNK = 2000  # customers generated before their rows are sent
_SPECIAL = re.compile(r'[\\\t\n\r]')


def copy_text(value):
    """A value in PostgreSQL's COPY text format: None is \\N; backslash,
    tab, newline and carriage return are escaped (anything else, non-ASCII
    included, is written as it is: the connection's encoding is UTF8)."""
    if value is None:
        return r'\N'
    type_ = type(value)
    if type_ is str:
        if _SPECIAL.search(value):
            return (value.replace('\\', '\\\\').replace('\t', '\\t')
                .replace('\n', '\\n').replace('\r', '\\r'))
        return value
    if type_ is int or type_ is Decimal:
        return str(value)
    if type_ is bool:
        return 't' if value else 'f'
    if type_ is float:
        return repr(value)
    if type_ is dt.datetime:
        return value.isoformat(' ')
    if type_ is dt.date:
        return value.isoformat()
    return copy_text(str(value))


# Tryton field types whose values str() writes as COPY text reads them (the
# booleans as True/False)
_PLAIN = {'integer', 'many2one', 'date', 'datetime', 'timestamp', 'numeric',
    'float', 'boolean'}


def _many2one(Model, name, value):
    "A many2one value that is not an int: None or a string check_value refuses"
    check_value(Model, name, value)
    return copy_text(value)


def _selection(Model, name, texts, value):
    "The text of a selection value check_value takes; remembered in texts"
    if value is None:
        return r'\N'
    check_value(Model, name, value)
    texts[value] = copy_text(value)
    return texts[value]


class _Table:
    """The COPY text of the rows of one table.

    ``names`` are the keys a row (dict) may have; the other columns get the
    model's defaults, formatted once.  A missing key takes the default, as
    ``{**defaults, **row}`` would.  With ``fit`` the values are checked as
    ``TrytonWriter.fit`` does: each of names a field of Model, many2one
    values ids, selection values keys (or DemoValueError)."""

    def __init__(self, writer, table, Model, names, fit=False):
        self.table = table
        if fit:
            for name in names:
                check_value(Model, name, None)
        base = {'create_uid': 0, 'create_date': writer.now}
        if Model is not None:
            base.update(writer.defaults(Model))
        known = writer.columns(table)
        self.columns = [n for n in sorted(set(names) | set(base))
            if n in known]
        namespace = {'_text': copy_text, 'N': r'\N'}
        pieces = []
        for i, name in enumerate(self.columns):
            field = Model._fields.get(name) if Model is not None else None
            if name not in names:
                namespace[f'c{i}'] = copy_text(base.get(name))
                pieces.append(f'{{c{i}}}')
                continue
            default = namespace[f'd{i}'] = base.get(name)
            value = f'r.get("{name}", d{i})'
            type_ = field._type if field is not None else None
            if fit and type_ == 'many2one':
                # ids as they are, a string refused
                namespace[f'm{i}'] = functools.partial(_many2one, Model, name)
                pieces.append(f'{{v if (v := {value}).__class__ is int '
                    f'else m{i}(v)}}')
            elif (fit and type_ == 'selection'
                    and isinstance(field.selection, (list, tuple))):
                texts = namespace[f's{i}'] = {}
                namespace[f'f{i}'] = functools.partial(
                    _selection, Model, name, texts)
                pieces.append(f'{{s{i}[v] if (v := {value}) in s{i} '
                    f'else f{i}(v)}}')
            elif type_ in _PLAIN:
                # str() of dates, numbers and booleans is what COPY reads
                pieces.append(f'{{N if (v := {value}) is None else v}}')
            else:
                pieces.append(f'{{_text({value})}}')
        code = "def format(r):\n    return f'%s\\n'\n" % '\\t'.join(pieces)
        exec(code, namespace)
        self.format = namespace['format']
        self.lines = []
        lines, format_ = self.lines, self.format
        columns = set(self.columns)

        def add(row):
            if not row.keys() <= columns:
                self.refuse(row, columns)
            lines.append(format_(row))
        self.add = add
        self.count = 0

    def refuse(self, row, columns):
        "Raise DemoValueError for the first key of row not a column"
        name = min(set(row) - columns)
        raise DemoValueError(self.table, name, row[name], "no such column")

    def take(self):
        "The formatted rows so far as one COPY data block."
        data = ''.join(self.lines)
        self.count += len(self.lines)
        self.lines.clear()
        return data

    @property
    def statement(self):
        return sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(self.table),
            sql.SQL(', ').join(map(sql.Identifier, self.columns)))


class _Sender(threading.Thread):
    "COPY the data blocks of a queue while the main thread generates."

    def __init__(self, connection):
        super().__init__(name='copy-sender', daemon=True)
        self.cursor = connection.cursor()
        self.queue = queue.Queue(maxsize=2)
        self.error = None
        self.bytes = 0
        self.seconds = {}

    def run(self):
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error:
                continue
            try:
                for table, statement, data in item:
                    start = time.monotonic()
                    data = data.encode()
                    with self.cursor.copy(statement) as copy:
                        copy.write(data)
                    self.bytes += len(data)
                    self.seconds[table] = self.seconds.get(table, 0) + (
                        time.monotonic() - start)
            except Exception as exception:  # reported by send/close
                self.error = exception

    def send(self, blocks):
        if self.error:
            raise self.error
        self.queue.put(blocks)

    def close(self):
        self.queue.put(None)
        self.join()
        if self.error:
            raise self.error


_KEEP, _MANY2ONE = object(), object()


class CopyWriter(TrytonWriter):

    def __init__(self, dataset):
        super().__init__(dataset)
        transaction = Transaction()
        if backend.name != 'postgresql':
            raise RuntimeError("the COPY writer needs PostgreSQL")
        self.connection = transaction.connection
        self.cursor = self.connection.cursor()
        self.now = dt.datetime.now()
        self._columns = {}
        self._defaults = {}
        self._next_id = {}
        self._plans = {}

    # -- low level ---------------------------------------------------------
    def fit(self, Model, values):
        "TrytonWriter.fit with the check per field and value cached"
        plan = self._plans.get(Model.__name__)
        if plan is None:
            plan = self._plans[Model.__name__] = {}
        for name, value in values.items():
            kind = plan.get(name)
            if kind is None:
                kind = plan[name] = self._fit_kind(Model, name)
            if kind is _KEEP:
                continue
            if kind is _MANY2ONE:
                if isinstance(value, str):
                    check_value(Model, name, value)
            elif value not in kind:  # selection: the values checked
                check_value(Model, name, value)
                kind.add(value)
        return dict(values)

    @staticmethod
    def _fit_kind(Model, name):
        check_value(Model, name, None)
        field = Model._fields[name]
        if field._type == 'many2one':
            return _MANY2ONE
        if (field._type == 'selection'
                and isinstance(field.selection, (list, tuple))):
            return set()
        return _KEEP

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

    def next_id(self, table):
        if table not in self._next_id:
            self.cursor.execute(sql.SQL(
                    "SELECT COALESCE(MAX(id), 0) FROM {}").format(
                    sql.Identifier(table)))
            self._next_id[table] = self.cursor.fetchone()[0] + 1
        return self._next_id[table]

    def allocate(self, table):
        "The next id of table (ids follow the current maximum)."
        id_ = self._next_id[table]
        self._next_id[table] = id_ + 1
        return id_

    def relation_table(self, Model, field_name):
        "(table, origin, target) of the Many2Many Model.field_name or None"
        field = Model._fields.get(field_name)
        if field is None:
            return None
        Relation = self.model(field.relation_name)
        return Relation._table, field.origin, field.target

    # -- customers, their sales and their contacts -------------------------
    def load_customers(self):
        "Customers, sales and contact log in one pass (see load_sales)."
        Party = self.model('party.party')
        Address = self.model('party.address')
        Mechanism = self.model('party.contact_mechanism')
        Sale = self.model('sale.sale')
        Line = self.model('sale.line')
        Location = self.model('stock.location')
        Contact = (self.model('crm.contact')
            if self.has_model('crm.contact') else None)
        warehouse, = Location.search([('type', '=', 'warehouse')], limit=1)
        self.warehouse = warehouse.id
        self.cached_states = {'confirmed', 'processing', 'done', 'cancelled'}
        self.last_contact = ('last_contact_date' in Party._fields
            and 'last_contact_date' in self.columns(Party._table)
            and Contact is not None)

        if self.data.customer_count:  # ids of languages, grades, etc.
            self._party_row(self.data.customer(0))
        tables = {
            'party': _Table(self, Party._table, Party,
                set(Party._fields) | {'id', 'code', 'last_contact_date'}),
            'address': _Table(self, Address._table, Address, {
                    'id', 'party', 'street_unstructured', 'postal_code',
                    'city', 'country'}),
            'mechanism': _Table(self, Mechanism._table, Mechanism, {
                    'id', 'party', 'type', 'value', 'value_compact'}),
            }
        for key, name in [('departments', 'departments'),
                ('markets', 'export_markets'),
                ('main_categories', 'main_product_categories')]:
            relation = self.relation_table(Party, name)
            if relation:
                table, origin, target = relation
                tables[key] = _Table(self, table, None,
                    {'id', origin, target})
                tables[key].fields = origin, target
        if 'yearly_results' in Party._fields:
            Result = self.model('party.yearly_result')
            tables['yearly'] = _Table(self, Result._table, Result,
                {'id', 'party'} | set(Result._fields))
        sale_names = {'id', 'company', 'number', 'party', 'invoice_party',
            'invoice_address', 'shipment_address', 'warehouse', 'currency',
            'sale_date', 'quotation_date', 'reference', 'description',
            'state', 'quoted_by', 'confirmed_by',
            'shipment_state', 'invoice_state', 'untaxed_amount_cache',
            'tax_amount_cache', 'total_amount_cache'}
        tables['sale'] = _Table(self, Sale._table, Sale, sale_names, fit=True)
        tables['line'] = _Table(self, Line._table, Line, {
                'id', 'sale', 'type', 'product', 'quantity',
                'unit', 'unit_price', 'description'}, fit=True)
        if Contact is not None:
            tables['contact'] = _Table(self, Contact._table, Contact,
                {'id', 'party', 'employee', 'department', 'company'}
                | set(Contact._fields), fit=True)
        self.tables = tables
        for table in tables.values():
            self.next_id(table.table)

        replica = self._foreign_keys_off()
        sender = _Sender(self.connection)
        sender.start()
        try:
            number = 0
            done = 0
            chunk = []
            for customer in self.data.customers():
                chunk.append(customer)
                if len(chunk) >= CHUNK:
                    number = self._load_chunk(chunk, number, sender)
                    done += len(chunk)
                    chunk = []
                    self._log(done)
            if chunk:
                number = self._load_chunk(chunk, number, sender)
                done += len(chunk)
                self._log(done)
        finally:
            sender.close()
        if replica:
            self.cursor.execute("SET LOCAL session_replication_role = origin")
            self.check_references([t.table for t in tables.values()])
        logger.info("%d MB of COPY text; seconds of COPY by table: %s",
            sender.bytes // 2 ** 20, ', '.join(
                f'{k} {v:.1f}' for k, v in sender.seconds.items()))

    def _foreign_keys_off(self):
        """Leave the foreign keys unchecked while the rows are copied (the
        triggers cost PostgreSQL more than the rows); False when the user may
        not (not a superuser)."""
        self.cursor.execute("SAVEPOINT copy_writer")
        try:
            self.cursor.execute("SET LOCAL session_replication_role = replica")
        except Exception:
            self.cursor.execute("ROLLBACK TO SAVEPOINT copy_writer")
            logger.info("foreign keys checked row by row (not superuser)")
            return False
        self.cursor.execute("RELEASE SAVEPOINT copy_writer")
        return True

    def check_references(self, tables):
        """Raise unless every foreign key of tables holds (they were not
        checked while copying): one anti-join per constraint."""
        self.cursor.execute(
            "SELECT c.conrelid::regclass::text, a.attname, "
                "c.confrelid::regclass::text, f.attname "
            "FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid "
                "AND a.attnum = c.conkey[1] "
            "JOIN pg_attribute f ON f.attrelid = c.confrelid "
                "AND f.attnum = c.confkey[1] "
            "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1 "
                "AND c.conrelid = ANY(%s::regclass[])",
            ([f'"{t}"' for t in tables],))
        start = time.monotonic()
        constraints = self.cursor.fetchall()
        for table, column, target, key in constraints:
            self.cursor.execute(sql.SQL(
                    "SELECT COUNT(*) FROM {table} t WHERE t.{column} IS NOT "
                    "NULL AND NOT EXISTS (SELECT 1 FROM {target} r "
                    "WHERE r.{key} = t.{column})").format(
                    table=sql.SQL(table), column=sql.Identifier(column),
                    target=sql.SQL(target), key=sql.Identifier(key)))
            missing, = self.cursor.fetchone()
            if missing:
                raise RuntimeError(f"{missing} rows of {table}.{column} "
                    f"reference no {target}.{key}")
        logger.info("%d foreign keys checked in %.1fs", len(constraints),
            time.monotonic() - start)

    def _log(self, done):
        t = self.tables
        logger.info("%d customers, %d sales, %d lines, %d contacts", done,
            t['sale'].count, t['line'].count,
            t['contact'].count if 'contact' in t else 0)

    def load_sales(self):
        "Loaded with their customers by load_customers."

    def load_contacts(self):
        "Loaded with their customers by load_customers."

    def _party_row(self, c):
        values = self._customer_values(c)
        for key in ['addresses', 'contact_mechanisms', 'departments',
                'export_markets', 'yearly_results',
                'main_product_categories',
                # multi-values of tables of their own, not copied: the
                # bench customers have the default language and no term
                'lang', 'customer_payment_term']:
            values.pop(key, None)
        return values

    def _load_chunk(self, chunk, number, sender):
        "Rows of the customers of chunk, their sales and contacts; COPY."
        t = self.tables
        ids = self.ids
        for c in chunk:
            party_id = self.allocate(t['party'].table)
            address_id = self.allocate(t['address'].table)
            code = c['code']
            ids['party', code] = party_id
            ids['address', code] = address_id
            last_contact = None
            # sales as Dataset.sales() numbers them
            for s in self.data.customer_sales(c):
                number += 1
                s['number'] = 'SO%07d' % number
                self._add_sale(s)
            if 'contact' in t:
                for contact in self.data.customer_contacts(c):
                    date = self._add_contact(contact)
                    if last_contact is None or date > last_contact:
                        last_contact = date
            values = self._party_row(c)
            values.update(id=party_id, code=code)
            if self.last_contact and last_contact is not None:
                values['last_contact_date'] = last_contact.date()
            t['party'].add(values)
            t['address'].add(dict(id=address_id, party=party_id,
                    street_unstructured=c['street'],
                    postal_code=c['postal_code'], city=c['city'],
                    country=ids['country', c['country']]))
            for type_, value in [('phone', c['phone']),
                    ('mobile', c['mobile']), ('fax', c['fax']),
                    ('email', c['email'])]:
                if value:
                    value, compact = self._mechanism_values(
                        type_, value, c['country'])
                    t['mechanism'].add(dict(
                            id=self.allocate(t['mechanism'].table),
                            party=party_id, type=type_, value=value,
                            value_compact=compact))
            for key, targets in [
                    ('departments', [ids['department', d]
                            for d in c['departments']
                            if ids['department', d]]),
                    ('markets', [ids['country', m]
                            for m in c['export_markets']]),
                    ('main_categories', [ids['season_category', k]
                            for k in c['main_product_categories']
                            if ids.get(('season_category', k))]),
                    ]:
                if key in t:
                    table = t[key]
                    origin, target = table.fields
                    for target_id in targets:
                        table.add({'id': self.allocate(table.table),
                                origin: party_id, target: target_id})
            if 'yearly' in t:
                Result = self.model('party.yearly_result')
                for r in c['yearly_results']:
                    t['yearly'].add(self.fit(Result, r) | {
                            'id': self.allocate(t['yearly'].table),
                            'party': party_id})
        # parents before children (the foreign keys may be checked)
        order = ['party', 'address', 'mechanism', 'departments', 'markets',
            'main_categories', 'yearly', 'sale', 'line', 'contact']
        sender.send([(t[k].table, t[k].statement, t[k].take())
                for k in order if k in t and t[k].lines])
        return number

    def _mechanism_values(self, type_, value, country):
        """value and value_compact of a contact mechanism of a customer of
        country as party.contact_mechanism computes them at create
        (format_value and format_value_compact: phone numbers parsed with
        the country of the address, then written in the international and
        E.164 formats; e-mails normalised), the number parsed once."""
        if mechanism.phonenumbers and type_ in mechanism._PHONE_TYPES:
            phonenumbers = mechanism.phonenumbers
            for code in [country, None]:
                try:
                    number = phonenumbers.parse(value, code)
                except phonenumbers.NumberParseException:
                    continue
                if phonenumbers.is_valid_number(number):
                    Format = phonenumbers.PhoneNumberFormat
                    return (
                        phonenumbers.format_number(
                            number, Format.INTERNATIONAL),
                        phonenumbers.format_number(number, Format.E164))
            return value, value
        if type_ == 'email' and value:
            return mechanism.normalize_email(value), value
        return value, value

    def _sale_values(self, s):
        "The values of sale s as the ORM writer's create + write leave them"
        ids = self.ids
        employee = ids['employee', s['rep']]
        party = ids['party', s['party']]
        address = ids['address', s['party']]
        state = s['state']
        cached = state in self.cached_states
        return dict(
            company=ids['company'], number=s['number'],
            party=party, invoice_party=party,
            invoice_address=address, shipment_address=address,
            warehouse=self.warehouse, currency=ids['currency', 'CNY'],
            sale_date=s['sale_date'], quotation_date=s['sale_date'],
            reference=s['reference'], description=s['description'],
            state=state,
            quoted_by=employee if state != 'draft' else None,
            confirmed_by=(employee if state in {
                    'confirmed', 'processing', 'done'} else None),
            shipment_state='sent' if state == 'done' else 'none',
            invoice_state='paid' if state == 'done' else 'none',
            untaxed_amount_cache=s['untaxed_amount'] if cached else None,
            tax_amount_cache=s['tax_amount'] if cached else None,
            total_amount_cache=s['total_amount'] if cached else None)

    def _line_values(self, sale_id, line):
        # no sequence: the ORM writer leaves it empty (lines ordered by id)
        return dict(
            sale=sale_id, type='line',
            product=self.ids['product', line['product']],
            quantity=line['quantity'], unit=self.ids['kg'],
            unit_price=line['unit_price'], description=line['description'])

    def _add_sale(self, s):
        t = self.tables
        row = self._sale_values(s)
        row['id'] = sale_id = self.allocate(t['sale'].table)
        t['sale'].add(row)
        lines = t['line']
        for line in s['lines']:
            row = self._line_values(sale_id, line)
            row['id'] = self.allocate(lines.table)
            lines.add(row)

    def _add_contact(self, c):
        table = self.tables['contact']
        ids = self.ids
        row = dict(c, party=ids['party', c['party']],
            employee=ids['employee', c['employee']],
            department=ids['department', c['department']],
            company=ids['company'])
        row['id'] = self.allocate(table.table)
        table.add(row)
        return c['date']

    # -- end ---------------------------------------------------------------
    def finish(self):
        "Move the id sequences past the loaded rows, ANALYZE."
        for table, next_id in self._next_id.items():
            self.cursor.execute(
                "SELECT to_regclass(%s)", (f'"{table}_id_seq"',))
            sequence, = self.cursor.fetchone()
            if sequence and next_id > 1:
                self.cursor.execute(
                    "SELECT setval(%s::regclass, %s)",
                    (f'"{table}_id_seq"', next_id - 1))
        self.cursor.execute("ANALYZE")


def load(database, dataset):
    _load(database, dataset, writer=CopyWriter)
