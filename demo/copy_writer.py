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

The processing and done sales go from order to cash as the ORM writer's
``load_fulfilment`` takes them through Tryton's workflows: each sale's
customer shipment with its outgoing and inventory moves (lots, states and
dates of the waiting, shipped and delivered ones, export documents), its
invoice (draft until its date, then posted with its move, paid in part or
in full with the payments' moves, reconciled when paid), the sale's own
states as ``Sale.process`` leaves them, and at the end the lots' intake
into the cold store.  Numbers come from the same sequences: shipments in
the order of the sales, invoices, moves and reconciliations in the order
the ORM writer posts them (by date, ``BATCH`` invoices then their payments)
and written once the last sale is known; the sequences are moved past
them.  Only the ids differ in order: they follow the sales.
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
from array import array
from decimal import Decimal

from psycopg import sql

from trytond import backend
from trytond.model import fields
from trytond.modules.company.model import CompanyValueMixin
from trytond.modules.party import contact_mechanism as mechanism
from trytond.transaction import Transaction

from . import tryton_writer
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


class _Numbering:
    """The numbers an incremental sequence (ir.sequence or
    ir.sequence.strict) gives from its next number, formatted as get_many
    does; save() moves the sequence past them."""

    def __init__(self, sequence):
        if sequence.type != 'incremental':
            raise NotImplementedError(
                f"numbers of the {sequence.type} sequence {sequence.rec_name}")
        self.sequence = sequence
        self.start = self.next = sequence.number_next
        self.increment = sequence.number_increment
        self.padding = sequence.padding
        self.affixes = {}

    def take(self, date=None):
        "The next number, its prefix and suffix of date (default today)"
        affixes = self.affixes.get(date)
        if affixes is None:
            process = self.sequence._process
            affixes = self.affixes[date] = (
                process(self.sequence.prefix, date=date),
                process(self.sequence.suffix, date=date))
        number = self.next
        self.next += self.increment
        return f'{affixes[0]}{number:0>{self.padding}d}{affixes[1]}'

    def save(self):
        if self.next == self.start:
            return
        sequence = self.sequence
        if sequence._strict or not backend.Database.has_sequence():
            sequence.__class__.write([sequence], {'number_next': self.next})
        else:
            # as nextval leaves it: the last number given
            cursor = Transaction().connection.cursor()
            cursor.execute("SELECT setval(%s, %s)", (
                    sequence._sql_sequence_name, self.next - self.increment))


def _number_columns(number):
    "number_alnum and number_digit of an invoice number (compute_fields)"
    try:
        digit = int(re.sub(r'\D', '', number)[-18:])
    except ValueError:
        digit = None
    return re.sub(r'[\W_]', '', number), digit


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
        # the states whose amounts the sale stores (crm_fruit_customer adds
        # the quotation)
        self.cached_states = set(Sale._states_cached)
        self.last_contact = ('last_contact_date' in Party._fields
            and 'last_contact_date' in self.columns(Party._table)
            and Contact is not None)

        tables = {}
        if self.data.customer_count:  # ids of languages, grades, etc.
            tables.update(self._party_value_tables(
                    Party, self.data.customer(0)))
        tables.update({
            'party': _Table(self, Party._table, Party,
                set(Party._fields) | {'id', 'code', 'last_contact_date'}),
            'address': _Table(self, Address._table, Address, {
                    'id', 'party', 'street_unstructured', 'postal_code',
                    'city', 'country'}),
            'mechanism': _Table(self, Mechanism._table, Mechanism, {
                    'id', 'party', 'type', 'value', 'value_compact'}),
            })
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
        sale_names = {'id', 'company', 'number', 'party',
            'invoice_address', 'shipment_address', 'warehouse', 'currency',
            'sale_date', 'quotation_date', 'reference', 'description',
            'payment_term', 'incoterm', 'incoterm_location',
            'state', 'quoted_by', 'confirmed_by',
            'shipment_state', 'invoice_state', 'untaxed_amount_cache',
            'tax_amount_cache', 'total_amount_cache'}
        tables['sale'] = _Table(self, Sale._table, Sale, sale_names, fit=True)
        tables['line'] = _Table(self, Line._table, Line, {
                'id', 'sale', 'type', 'product', 'quantity',
                'unit', 'unit_price', 'description', 'actual_quantity',
                'quantity_to_invoice', 'quantity_to_ship'}, fit=True)
        if Contact is not None:
            tables['contact'] = _Table(self, Contact._table, Contact,
                {'id', 'party', 'employee', 'department', 'company'}
                | set(Contact._fields), fit=True)
        if self.fulfil:
            tables.update(self._fulfilment_tables(warehouse))
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
        if self.fulfil:
            self._finish_fulfilment()
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
        logger.info("%d customers, %d sales, %d lines, %d contacts, "
            "%d shipments, %d invoices", done,
            t['sale'].count, t['line'].count,
            t['contact'].count if 'contact' in t else 0,
            t['shipment'].count if 'shipment' in t else 0,
            t['invoice'].count if 'invoice' in t else 0)

    def load_sales(self):
        "Loaded with their customers by load_customers."

    def load_contacts(self):
        "Loaded with their customers by load_customers."

    def _party_row(self, c):
        """The values of customer c's row and of its multi-values (language,
        payment term), which have tables of their own"""
        values = self._customer_values(c)
        for key in ['addresses', 'contact_mechanisms', 'departments',
                'export_markets', 'yearly_results',
                'main_product_categories']:
            values.pop(key, None)
        Party = self.model('party.party')
        multivalues = {n: values.pop(n) for n, f in Party._fields.items()
            if isinstance(f, fields.MultiValue) and n in values}
        return values, multivalues

    def _party_value_tables(self, Party, c):
        """The tables of the multi-values of the customers (language,
        accounts, locations, payment terms): as Party.create sets each
        multi-value given (as for customer c) or with a default, a row per
        value model and customer, of the context's company for a company
        value (CompanyMultiValueMixin.set_multivalue)"""
        names = [n for n, f in Party._fields.items()
            if isinstance(f, fields.MultiValue)]
        _, given = self._party_row(c)
        defaults = Party.default_get(names, with_rec_name=False)
        models = {Party.multivalue_model(n) for n in names
            if n in given or n in defaults}
        tables = {}
        for Value in sorted(models, key=lambda m: m.__name__):
            pattern = {}
            if issubclass(Value, CompanyValueMixin):
                pattern['company'] = Transaction().context.get('company')
            value_names = [n for n in names
                if Party.multivalue_model(n) == Value]
            table = _Table(self, Value._table, Value,
                {'id', 'party', *pattern, *value_names})
            # the multi-values not given get their default
            table.values = dict(pattern, **{
                    n: getattr(Party, f'default_{n}', lambda **p: None)(
                        **pattern)
                    for n in value_names})
            tables[f'party_value:{Value.__name__}'] = table
        return tables

    def _add_party_values(self, party_id, given):
        "The rows of the multi-values given of a customer"
        for key, table in self.tables.items():
            if key.startswith('party_value:'):
                row = {n: given.get(n, v) for n, v in table.values.items()}
                row.update(id=self.allocate(table.table), party=party_id)
                table.add(row)

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
            self.customer_terms(c)
            if self.fulfil:
                self.customer_countries[code] = c['country']
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
            values, multivalues = self._party_row(c)
            values.update(id=party_id, code=code)
            if self.last_contact and last_contact is not None:
                values['last_contact_date'] = last_contact.date()
            t['party'].add(values)
            self._add_party_values(party_id, multivalues)
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
        order = ['party', *(k for k in t if k.startswith('party_value:')),
            'address', 'mechanism', 'departments', 'markets',
            'main_categories', 'yearly', 'sale', 'line', 'contact',
            'lot', 'shipment', 'move', 'account_move', 'reconciliation',
            'invoice', 'invoice_line', 'invoice_line_move', 'move_line',
            'payment_line']
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
        if self.fulfil and s['shipment']:
            state, shipment_state, invoice_state = self._sale_states(s)
        else:
            shipment_state = 'sent' if state == 'done' else 'none'
            invoice_state = 'paid' if state == 'done' else 'none'
        return dict(
            company=ids['company'], number=s['number'],
            party=party, invoice_address=address, shipment_address=address,
            warehouse=self.warehouse, currency=ids['currency', 'CNY'],
            sale_date=s['sale_date'], quotation_date=s['sale_date'],
            reference=s['reference'], description=s['description'],
            payment_term=self.terms.get(s['party']),
            **self._incoterm_values(s['party']),
            state=state,
            quoted_by=employee if state != 'draft' else None,
            confirmed_by=(employee if state in {
                    'confirmed', 'processing', 'done'} else None),
            shipment_state=shipment_state, invoice_state=invoice_state,
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
        fulfilled = self.fulfil and s['shipment']
        line_ids = []
        for line in s['lines']:
            row = self._line_values(sale_id, line)
            row['id'] = line_id = self.allocate(lines.table)
            if fulfilled:
                # as the processing of the sale sets them
                row.update(actual_quantity=line['quantity'],
                    quantity_to_invoice=0.0, quantity_to_ship=0.0)
            lines.add(row)
            line_ids.append(line_id)
        if fulfilled:
            self._add_fulfilment(s, line_ids)

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

    # -- order to cash -------------------------------------------------------
    def _fulfilment_tables(self, warehouse):
        """The tables of the shipments, invoices and payments of the
        processing and done sales (TrytonWriter.load_fulfilment), and what
        their rows share: locations, accounts, journals, sequences."""
        Date = self.model('ir.date')
        Party = self.model('party.party')
        Product = self.model('product.product')
        Shipment = self.model('stock.shipment.out')
        Move = self.model('stock.move')
        Invoice = self.model('account.invoice')
        InvoiceLine = self.model('account.invoice.line')
        AccountMove = self.model('account.move')
        MoveLine = self.model('account.move.line')
        Reconciliation = self.model('account.move.reconciliation')
        Configuration = self.model('account.configuration')
        StockConfiguration = self.model('stock.configuration')
        Method = self.model('account.invoice.payment.method')
        company = self.model('company.company')(self.ids['company'])
        self.today = Date.today()
        self.company_record = company
        self.storage = warehouse.storage_location.id
        self.output = warehouse.output_location.id
        self.customer_location = Party.default_customer_location()
        self.supplier_location = self.ref('stock', 'location_supplier')
        # in the order of a shipment's outgoing moves, the order of the
        # inventory moves wait() creates for them
        products = Product.search([],
            order=[('rec_name', 'ASC'), ('id', 'ASC')])
        self.product_rank = {p.id: i for i, p in enumerate(products)}
        self.products = {p.id: p for p in products}
        self.cost_prices = {p.id: p.cost_price for p in products}
        self.revenue_accounts = {}
        receivable = Configuration(1).get_multivalue(
            'default_account_receivable', company=company.id).current()
        self.receivable = receivable.id, receivable.party_required
        invoice = Invoice(type='out', company=company)
        invoice.set_journal()
        self.invoice_journal = invoice.journal.id
        method = Method(self.ids['payment_method'])
        self.payment_journal = method.journal.id
        self.cash_account = method.debit_account.id
        self.shipment_numbers = _Numbering(
            StockConfiguration(1).get_multivalue(
                'shipment_out_sequence', company=company.id))
        self.reconciliation_numbers = _Numbering(
            Configuration(1).get_multivalue(
                'reconciliation_sequence', company=company.id))
        self.numberings = {}  # strict sequence id -> _Numbering
        self.periods = {}  # date -> period id
        self.move_sequences = {}  # period id -> move sequence
        self.invoice_sequences = {}  # date -> invoice sequence
        self.costs = {p['code']: p['cost_price'] for p in self.data.products}
        self.customer_countries = {}  # customer code -> country code
        self.planned_dates = {}
        self.maturities = {}
        self.tax_identifiers = {}
        self.lots = {}  # (product code, number) -> [id, quantity, intake]
        # per posted invoice: date ordinal, id, move, period, first payment,
        # payments, reconciliation; per payment: move, period
        self.posted = array('q')
        self.payments = array('q')
        Lot = self.model('stock.lot') if self.has_model('stock.lot') else None
        moves = {'id', 'product', 'unit', 'quantity', 'internal_quantity',
            'from_location', 'to_location', 'planned_date',
            'origin_planned_date', 'effective_date', 'state', 'company',
            'unit_price', 'currency', 'cost_price', 'origin', 'shipment'}
        tables = {}
        if Lot is not None:
            tables['lot'] = _Table(self, Lot._table, Lot,
                {'id', 'number', 'product'}, fit=True)
            moves.add('lot')
        tables['shipment'] = _Table(self, Shipment._table, Shipment, {
                'id', 'number', 'company', 'customer', 'delivery_address',
                'warehouse', 'warehouse_storage', 'warehouse_output',
                'planned_date', 'origin_planned_date', 'effective_date',
                'state', 'incoterm', 'incoterm_location', 'container_number',
                'bill_of_lading', 'eta'}, fit=True)
        tables['move'] = _Table(self, Move._table, Move, moves, fit=True)
        tables['invoice'] = _Table(self, Invoice._table, Invoice, {
                'id', 'company', 'type', 'party', 'invoice_address',
                'currency', 'account', 'journal', 'payment_term',
                'invoice_date', 'state', 'sequence', 'sequence_type_cache',
                'move', 'untaxed_amount_cache', 'tax_amount_cache',
                'total_amount_cache', 'tax_identifier'}, fit=True)
        tables['invoice_line'] = _Table(self, InvoiceLine._table,
            InvoiceLine, {'id', 'invoice', 'type', 'currency', 'company',
                'description', 'origin', 'quantity', 'unit', 'product',
                'unit_price', 'invoice_type', 'account'}, fit=True)
        tables['account_move'] = _Table(self, AccountMove._table,
            AccountMove, {'id', 'company', 'journal', 'period', 'date',
                'origin', 'state', 'post_date'}, fit=True)
        tables['reconciliation'] = _Table(self, Reconciliation._table,
            Reconciliation, {'id', 'company', 'date', 'number'}, fit=True)
        tables['move_line'] = _Table(self, MoveLine._table, MoveLine, {
                'id', 'move', 'account', 'party', 'debit', 'credit',
                'maturity_date', 'origin', 'state', 'reconciliation'},
            fit=True)
        for key, Model, name in [
                ('invoice_line_move', InvoiceLine, 'stock_moves'),
                ('payment_line', Invoice, 'payment_lines')]:
            table, origin, target = self.relation_table(Model, name)
            tables[key] = _Table(self, table, None, {'id', origin, target})
            tables[key].fields = origin, target
        return tables

    def _sale_states(self, s):
        """state, shipment_state and invoice_state of sale s as Sale.process
        computes them from its shipment and invoice"""
        shipment, invoice = s['shipment'], s['invoice']
        shipment_state = 'sent' if shipment['delivered'] else 'waiting'
        if not shipment['delivered']:
            invoice_state = 'none'
        elif not invoice:
            invoice_state = 'pending'  # a draft invoice
        elif self._paid(s):
            invoice_state = 'paid'
        else:
            invoice_state = 'awaiting payment'
        state = ('done' if (shipment_state, invoice_state) == ('sent', 'paid')
            else 'processing')
        return state, shipment_state, invoice_state

    @staticmethod
    def _paid(s):
        "Whether the payments of sale s pay its invoice in full"
        return bool(s['payments']) and sum(
            p['amount'] for p in s['payments']) == s['invoice']['amount']

    def _add_fulfilment(self, s, line_ids):
        """The rows of the shipment, invoice and payments of sale s (lines
        line_ids) as the ORM writer's load_fulfilment leaves them, the
        numbers given by the sequences in the order of the ORM writer
        (_finish_fulfilment)."""
        t = self.tables
        ids = self.ids
        shipment = s['shipment']
        shipped, delivered = shipment['shipped'], shipment['delivered']
        party = ids['party', s['party']]
        address = ids['address', s['party']]
        company = ids['company']
        currency = ids['currency', 'CNY']
        lines = [(line, line_id, ids['product', line['product']],
                self._lot(line, lot))
            for line, line_id, lot in zip(s['lines'], line_ids,
                shipment['lots'])]
        planned = [self._planned_date(product, s['sale_date'])
            for _, _, product, _ in lines]
        shipment_id = self.allocate(t['shipment'].table)
        row = dict(id=shipment_id, number=self.shipment_numbers.take(),
            company=company, customer=party, delivery_address=address,
            warehouse=self.warehouse, warehouse_storage=self.storage,
            warehouse_output=self.output, planned_date=max(planned),
            origin_planned_date=max(planned),
            state=('done' if delivered else 'shipped' if shipped
                else 'waiting'),
            **self._incoterm_values(s['party']))
        if shipped:
            row.update(effective_date=delivered,
                container_number=shipment['container'],
                bill_of_lading=shipment['bill_of_lading'],
                eta=shipment['eta'])
        t['shipment'].add(row)
        reference = f'stock.shipment.out,{shipment_id}'
        has_lot = 'lot' in t
        moves, outgoing = t['move'], []
        for (line, line_id, product, lot), date in zip(lines, planned):
            move_id = self.allocate(moves.table)
            row = dict(id=move_id, product=product, unit=ids['kg'],
                quantity=line['quantity'],
                internal_quantity=line['quantity'],
                from_location=self.output, to_location=self.customer_location,
                planned_date=date, origin_planned_date=date,
                state=('done' if delivered else 'assigned' if shipped
                    else 'draft'),
                company=company, unit_price=line['unit_price'],
                currency=currency, origin=f'sale.line,{line_id}',
                shipment=reference, effective_date=delivered,
                cost_price=self.cost_prices[product] if delivered else None)
            if has_lot:
                row['lot'] = lot if shipped else None
            moves.add(row)
            outgoing.append((self.product_rank[product], move_id, line,
                    product, lot, date))
        # the inventory moves of wait(), in the order of the outgoing moves
        for _, move_id, line, product, lot, date in sorted(outgoing):
            row = dict(id=self.allocate(moves.table), product=product,
                unit=ids['kg'], quantity=line['quantity'],
                internal_quantity=line['quantity'],
                from_location=self.storage, to_location=self.output,
                planned_date=date, state='done' if shipped else 'draft',
                company=company, origin=f'stock.move,{move_id}',
                shipment=reference, effective_date=shipped)
            if has_lot:
                row['lot'] = lot if shipped else None
            moves.add(row)
        if delivered:
            self._add_invoice(s, party, address,
                [(line, line_id, product, move_id)
                    for (line, line_id, product, _), (_, move_id, *_)
                    in zip(lines, outgoing)])

    def _add_invoice(self, s, party, address, lines):
        """The invoice of the delivered sale s: drafted by the sale, posted
        at its date, paid (lines: sale line, its id, product and move)"""
        t = self.tables
        ids = self.ids
        company = ids['company']
        currency = ids['currency', 'CNY']
        receivable, party_required = self.receivable
        invoice = s['invoice']
        invoice_id = self.allocate(t['invoice'].table)
        row = dict(id=invoice_id, company=company, type='out', party=party,
            invoice_address=address, currency=currency, account=receivable,
            journal=self.invoice_journal,
            payment_term=self.terms.get(s['party']))
        if invoice:
            date = invoice['date']
            period = self._period(date)
            move_id = self.allocate(t['account_move'].table)
            paid = self._paid(s)
            row.update(
                payment_term=ids['payment_term', invoice['payment_term']],
                invoice_date=date, state='paid' if paid else 'posted',
                sequence=self._invoice_sequence(date).id,
                sequence_type_cache='invoice', move=move_id,
                untaxed_amount_cache=s['untaxed_amount'],
                tax_amount_cache=s['tax_amount'],
                total_amount_cache=s['total_amount'],
                tax_identifier=self._tax_identifier(s['party']))
        t['invoice'].add(row)
        relation = t['invoice_line_move']
        origin, target = relation.fields
        invoice_lines = []
        for line, line_id, product, stock_move in lines:
            invoice_line = self.allocate(t['invoice_line'].table)
            t['invoice_line'].add(dict(id=invoice_line, invoice=invoice_id,
                    type='line', currency=currency, company=company,
                    description=line['description'],
                    origin=f'sale.line,{line_id}', quantity=line['quantity'],
                    unit=ids['kg'], product=product,
                    unit_price=line['unit_price'], invoice_type='out',
                    account=self._revenue_account(product)))
            relation.add({'id': self.allocate(relation.table),
                    origin: invoice_line, target: stock_move})
            invoice_lines.append((invoice_line, line['amount'], product))
        if not invoice:
            return
        # posted: the move of the invoice, then the payments' moves
        move_lines = t['move_line']
        reconciliation = None
        if paid:
            reconciliation = self.allocate(t['reconciliation'].table)
            t['reconciliation'].add(dict(id=reconciliation, company=company,
                    date=max([date] + [p['date'] for p in s['payments']]),
                    number=''))  # numbered by _finish_fulfilment
        t['account_move'].add(dict(id=move_id, company=company,
                journal=self.invoice_journal, period=period, date=date,
                origin=f'account.invoice,{invoice_id}', state='posted',
                post_date=self.today))
        for invoice_line, amount, product in invoice_lines:
            account, required = self._revenue_account(product, True)
            move_lines.add(dict(id=self.allocate(move_lines.table),
                    move=move_id, account=account,
                    party=party if required else None,
                    debit=0, credit=amount, state='valid',
                    origin=f'account.invoice.line,{invoice_line}'))
        for maturity, amount in self._maturities(
                invoice['payment_term'], s['total_amount'], date):
            move_lines.add(dict(id=self.allocate(move_lines.table),
                    move=move_id, account=receivable,
                    party=party if party_required else None,
                    debit=amount, credit=0, maturity_date=maturity,
                    state='valid', reconciliation=reconciliation))
        first = len(self.payments) // 2
        payment_lines = t['payment_line']
        origin, target = payment_lines.fields
        for payment in s['payments']:
            payment_move = self.allocate(t['account_move'].table)
            payment_period = self._period(payment['date'])
            t['account_move'].add(dict(id=payment_move, company=company,
                    journal=self.payment_journal, period=payment_period,
                    date=payment['date'],
                    origin=f'account.invoice,{invoice_id}', state='posted',
                    post_date=self.today))
            line_id = self.allocate(move_lines.table)
            move_lines.add(dict(id=line_id, move=payment_move,
                    account=receivable, party=party, debit=0,
                    credit=payment['amount'], state='valid',
                    reconciliation=reconciliation))
            move_lines.add(dict(id=self.allocate(move_lines.table),
                    move=payment_move, account=self.cash_account,
                    debit=payment['amount'], credit=0, state='valid'))
            payment_lines.add({'id': self.allocate(payment_lines.table),
                    origin: invoice_id, target: line_id})
            self.payments.extend((payment_move, payment_period))
        self.posted.extend((date.toordinal(), invoice_id, move_id, period,
                first, len(s['payments']), reconciliation or 0))

    def _lot(self, line, lot):
        """The id of the lot of a sale line (None without stock_lot), its
        intake the quantity of all the lines of the lot (load_stock)"""
        key = line['product'], lot['number']
        entry = self.lots.get(key)
        if entry is None:
            lot_id = None
            if 'lot' in self.tables:
                lot_id = self.allocate(self.tables['lot'].table)
                self.tables['lot'].add(dict(id=lot_id, number=lot['number'],
                        product=self.ids['product', line['product']]))
                self.ids['lot', key] = lot_id
            entry = self.lots[key] = [lot_id, 0, None]
        entry[1] += line['quantity']
        entry[2] = lot['intake']
        return entry[0]

    def _planned_date(self, product, sale_date):
        "The planned date of the move of product (sale.line.get_move)"
        key = product, sale_date
        if key not in self.planned_dates:
            date = self.products[product].compute_shipping_date(
                date=sale_date)
            if date == dt.date.max:
                date = None
            self.planned_dates[key] = max(date or self.today, self.today)
        return self.planned_dates[key]

    def _revenue_account(self, product, party_required=False):
        if product not in self.revenue_accounts:
            account = self.products[product].account_revenue_used
            self.revenue_accounts[product] = account.id, account.party_required
        account, required = self.revenue_accounts[product]
        return (account, required) if party_required else account

    def _period(self, date):
        "The id of the period of date (Period.find)"
        if date not in self.periods:
            Period = self.model('account.period')
            period = Period.find(self.company_record, date=date)
            self.periods[date] = period.id
            self.move_sequences[period.id] = period.move_sequence_used
        return self.periods[date]

    def _invoice_sequence(self, date):
        "The sequence of the customer invoices of date (set_number)"
        if date not in self.invoice_sequences:
            Invoice = self.model('account.invoice')
            invoice = Invoice(type='out', company=self.company_record,
                invoice_date=date, accounting_date=None,
                sequence_type_cache='invoice')
            self.invoice_sequences[date], _ = invoice._number_sequence()
        return self.invoice_sequences[date]

    def _tax_identifier(self, code):
        "The company's tax identifier of an invoice to customer code"
        country = self.ids['country', self.customer_countries[code]]
        if country not in self.tax_identifiers:
            identifier = self.company_record.get_tax_identifier(
                {'country': country})
            self.tax_identifiers[country] = identifier and identifier.id
        return self.tax_identifiers[country]

    def _maturities(self, term, amount, date):
        "(date, amount) of the lines to pay (get_move: PaymentTerm.compute)"
        term_id = self.ids['payment_term', term]
        key = term_id, date
        if key in self.maturities:  # one remainder line: one date
            return [(self.maturities[key], amount)]
        Term = self.model('account.invoice.payment_term')
        term = Term(term_id)
        currency = self.model('currency.currency')(self.ids['currency', 'CNY'])
        lines = term.compute(amount, currency, date)
        if len(term.lines) == 1 and term.lines[0].type == 'remainder':
            (self.maturities[key], _), = lines
        return lines

    def _numbering(self, sequence):
        if sequence.id not in self.numberings:
            self.numberings[sequence.id] = _Numbering(sequence)
        return self.numberings[sequence.id]

    def _finish_fulfilment(self):
        """The cold-store intake of the lots, the numbers of the invoices,
        moves and reconciliations in the order the ORM writer posts them
        (invoices by date, BATCH at a time, each batch's payments after its
        invoices), the journal periods they open, the sequences moved past
        the numbers given."""
        t = self.tables
        ids = self.ids
        moves = t['move']
        for (code, number), (lot, quantity, intake) in sorted(
                self.lots.items()):
            product = ids['product', code]
            row = dict(id=self.allocate(moves.table), product=product,
                unit=ids['kg'], quantity=quantity, internal_quantity=quantity,
                from_location=self.supplier_location,
                to_location=self.storage, planned_date=intake,
                effective_date=intake, state='done', company=ids['company'],
                unit_price=self.costs[code], currency=ids['currency', 'CNY'],
                cost_price=self.cost_prices[product])
            if 'lot' in t:
                row['lot'] = lot
            moves.add(row)
        self._copy(moves)
        logger.info("%d lots taken into the cold store", len(self.lots))

        posted, payments = self.posted, self.payments
        count = len(posted) // 7
        # posted in the order of their dates, then of their sales
        order = sorted(range(count), key=lambda i: (posted[7 * i], i))
        journal_periods = {}

        def invoice_numbers():
            for i in order:
                date = dt.date.fromordinal(posted[7 * i])
                sequence = self._invoice_sequence(date)
                yield posted[7 * i + 1], self._numbering(sequence).take(date)

        def move_numbers():
            batch = tryton_writer.BATCH
            for start in range(0, count, batch):
                chunk = order[start:start + batch]
                for i in chunk:
                    period = posted[7 * i + 3]
                    journal_periods.setdefault((self.invoice_journal, period))
                    yield posted[7 * i + 2], self._move_number(period)
                for i in chunk:
                    first, n = posted[7 * i + 4], posted[7 * i + 5]
                    for j in range(first, first + n):
                        period = payments[2 * j + 1]
                        journal_periods.setdefault(
                            (self.payment_journal, period))
                        yield payments[2 * j], self._move_number(period)

        def reconciliation_numbers():
            for i in order:
                if posted[7 * i + 6]:
                    yield (posted[7 * i + 6],
                        self.reconciliation_numbers.take())
        self._set_numbers(t['invoice'].table, invoice_numbers(),
            extra=_number_columns, columns=['number_alnum', 'number_digit'])
        self._set_numbers(t['account_move'].table, move_numbers())
        self._set_numbers(t['reconciliation'].table,
            reconciliation_numbers())
        JournalPeriod = self.model('account.journal.period')
        table = _Table(self, JournalPeriod._table, JournalPeriod,
            {'id', 'journal', 'period'}, fit=True)
        self.next_id(table.table)
        for journal, period in journal_periods:
            table.add(dict(id=self.allocate(table.table), journal=journal,
                    period=period))
        self._copy(table)
        self.tables['journal_period'] = table
        for numbering in [self.shipment_numbers, self.reconciliation_numbers,
                *self.numberings.values()]:
            numbering.save()
        logger.info("%d shipments, %d invoices posted, %d payments",
            t['shipment'].count, count, len(payments) // 2)

    def _move_number(self, period):
        "The number of a move of period when it is posted (Move.post)"
        return self._numbering(self.move_sequences[period]).take()

    def _copy(self, table):
        "COPY the rows of table so far (after the sender)"
        data = table.take()
        if data:
            with self.cursor.copy(table.statement) as copy:
                copy.write(data.encode())

    def _set_numbers(self, table, numbers, extra=None, columns=()):
        """Write the numbers (id, number) of rows of table through a
        temporary table, and the columns extra computes from a number."""
        names = ['id', 'number', *columns]
        temporary = sql.Identifier(f'{table}_number')
        self.cursor.execute(sql.SQL(
                "CREATE TEMPORARY TABLE {} AS SELECT {} FROM {} "
                "WITH NO DATA").format(temporary,
                sql.SQL(', ').join(map(sql.Identifier, names)),
                sql.Identifier(table)))
        with self.cursor.copy(sql.SQL("COPY {} FROM STDIN").format(
                    temporary)) as copy:
            block = []
            for id_, number in numbers:
                values = (id_, number, *(extra(number) if extra else ()))
                block.append('\t'.join(map(copy_text, values)) + '\n')
                if len(block) >= 10000:
                    copy.write(''.join(block).encode())
                    block.clear()
            copy.write(''.join(block).encode())
        self.cursor.execute(sql.SQL(
                "UPDATE {table} t SET {values} FROM {temporary} n "
                "WHERE t.id = n.id").format(table=sql.Identifier(table),
                temporary=temporary, values=sql.SQL(', ').join(
                    sql.SQL("{0} = n.{0}").format(sql.Identifier(c))
                    for c in names[1:])))
        self.cursor.execute(sql.SQL("DROP TABLE {}").format(temporary))

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
