# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The access matrix of tests/access/*.csv, checked through the RPC path.

A row ``model, role, read, create, write, delete, scope, buttons`` says
what a user of ``role`` may do through JSON-RPC on ``model``:

- ``read``/``create``/``write``/``delete``: ``yes`` or ``no``;
- ``scope``: which records, seen from the fixture's sales rep of the fruit
  department (``tests/access_fixture.py``): ``own`` (customers whose rep
  or second contact he is, and their records), ``department`` (customers of
  the departments he manages, plus own), ``all``, ``none``. It applies to
  every mode that is ``yes``: read/search (records of the other rep and of
  the other department must not be found or read), create (on a customer of
  that scope), write and delete;
- ``buttons``: the buttons the role may click: ``all``, ``none`` or their
  names separated by spaces.

``party.party:non_customer`` holds the parties that are no customer (the
company, employees, suppliers).
"""
import csv
import glob
import os

from trytond.pool import Pool

import pytest

from trytond.tests.test_tryton import drop_db
from trytond.transaction import Transaction

from access_fixture import (
    ALLOWED, CRASH, DENIED, OUR_MODULES, ROLES, SINGLETONS, VARIANTS, build,
    employee_of, extended_by_us, factory, is_table_query, model_names_of,
    outcome, rpc_call, rpc_transaction, storable)

HERE = os.path.dirname(__file__)
MATRIX_DIR = os.path.join(HERE, 'access')
COLUMNS = ['model', 'role', 'read', 'create', 'write', 'delete', 'scope',
    'buttons']
MODES = ['read', 'create', 'write', 'delete']
SCOPES = {
    'own': {'own'},
    'department': {'own', 'other'},
    'all': {'own', 'other', 'dept', 'global', 'outside'},
    'none': set(),
    }
NON_CUSTOMER = 'party.party:non_customer'

# Core models our users reach (the matrix must have them)
CORE_MODELS = [
    'party.party', 'party.address', 'party.contact_mechanism',
    'company.employee',
    'sale.sale', 'sale.line', 'sale.opportunity', 'sale.opportunity.line',
    'account.invoice', 'account.invoice.line',
    'stock.shipment.out', 'stock.shipment.out.return', 'stock.move',
    'stock.lot', 'sale.complaint', 'sale.complaint.action',
    # the customers' bank accounts of their credit files (bank)
    'bank.account', 'bank.account.number',
    # the portal's users (web_user): who acts for which parties, sessions,
    # failed logins
    'web.user', 'web.user-party.party.secondary', 'web.user.session',
    'web.user.authenticate.attempt',
    ]
CORE_PREFIXES = ('sale.reporting.', 'sale.opportunity.reporting.')
# framework models we extend but that are administration, not CRM data
ADMIN_PREFIXES = ('ir.', 'res.')
#: Administration models our modules extend (only administrators change them)
ADMIN_MODELS = {'company.company', 'country.postal_code'}


class MatrixError(Exception):
    pass


def load_matrix(directory=MATRIX_DIR):
    "{(model, role): row} of every CSV file of the directory"
    matrix = {}
    problems = []
    for path in sorted(glob.glob(os.path.join(directory, '*.csv'))):
        with open(path, newline='', encoding='utf-8') as f:
            reader = csv.DictReader(
                (line for line in f if not line.startswith('#')))
            if reader.fieldnames != COLUMNS:
                problems.append(
                    f"{path}: columns {reader.fieldnames} != {COLUMNS}")
                continue
            for n, row in enumerate(reader, 2):
                row = {k: (v or '').strip() for k, v in row.items()}
                where = f"{os.path.basename(path)}:{n}"
                key = row['model'], row['role']
                if key in matrix:
                    problems.append(f"{where}: {key} twice")
                if row['role'] not in ROLES:
                    problems.append(f"{where}: unknown role {row['role']}")
                for mode in MODES:
                    if row[mode] not in {'yes', 'no'}:
                        problems.append(f"{where}: {mode}={row[mode]!r}")
                if row['scope'] not in SCOPES:
                    problems.append(f"{where}: scope={row['scope']!r}")
                row['where'] = where
                matrix[key] = row
    if problems:
        raise MatrixError('\n'.join(problems))
    return matrix


def matrix_models(directory=MATRIX_DIR):
    try:
        return sorted({m for m, _ in load_matrix(directory)})
    except MatrixError:
        return []


def required_models():
    """Models the matrix must cover: every storable model of our modules,
    the core models our users reach, the sale and opportunity analyses, and
    any model our modules extend (but administration models)"""
    pool = Pool()
    names = {n for n in model_names_of(OUR_MODULES) if storable(n)}
    names.update(CORE_MODELS)
    for name, Model in pool.iterobject():
        if not storable(name):
            continue
        if name.startswith(CORE_PREFIXES):
            names.add(name)
        elif (not name.startswith(ADMIN_PREFIXES)
                and name not in ADMIN_MODELS
                and extended_by_us(name)):
            names.add(name)
    names.add(NON_CUSTOMER)
    return names


def real_name(model):
    return model.split(':')[0]


def probe_classes(fixture, model, report_rows=None):
    "{class: [ids]} of the fixture records to probe"
    if model == NON_CUSTOMER:
        return {'global': list(fixture.non_customers)}
    if report_rows is not None:
        return report_rows
    classes = {}
    for (name, klass), id_ in fixture.records.items():
        if name == model:
            classes.setdefault(klass, []).append(id_)
    return classes


def _buttons(Model):
    from trytond.model.modelstorage import is_instance_method
    return sorted(b for b in getattr(Model, '_buttons', {})
        if b in Model.__rpc__ and not is_instance_method(Model, b))


def expected_buttons(row, buttons):
    value = row['buttons']
    if value == 'all':
        return set(buttons)
    if value in {'none', ''}:
        return set()
    return set(value.split())


class Probe:
    "Checks every cell of one model and collects the mismatches"

    def __init__(self, fixture, model, context=None, report_rows=None):
        self.fixture = fixture
        self.model = model
        self.name = real_name(model)
        self.context = context or {}
        self.classes = probe_classes(fixture, model, report_rows)
        self.mismatches = []
        self.cells = 0

    def mismatch(self, role, mode, expected, got, detail=''):
        self.mismatches.append((self.model, role, mode, expected, got, detail))

    def check(self, role, mode, expected, got, detail=''):
        self.cells += 1
        if expected != got:
            self.mismatch(role, mode, expected, got, detail)

    def run(self, role, row):
        scope = SCOPES[row['scope']]
        with rpc_transaction(self.fixture, role, self.context):
            Model = Pool().get(self.name)
            table_query = is_table_query(self.name)
            buttons = _buttons(Model)
        if table_query and scope:
            # a row of no customer, employee or department sums the
            # records the user may read: any scope may show it
            scope = scope | {'global'}
        visible = scope & set(self.classes)
        self._read(role, row, visible)
        if table_query:
            for mode in ['create', 'write', 'delete']:
                if row[mode] != 'no':
                    self.mismatch(role, mode, row[mode], 'no',
                        "a report (table_query) is never written")
            return
        self._modify(role, 'write', row, visible,
            lambda M, ids: M.write(M.browse(ids), {}))
        self._modify(role, 'delete', row, visible, self._delete)
        if self.name not in SINGLETONS:
            self._create(role, row, visible)
        self._buttons(role, row, buttons)

    def read_only(self, role, row):
        "Search and read only, as role (a variant of a role of ROLES)"
        visible = SCOPES[row['scope']] & set(self.classes)
        self._read(role, row, visible)

    def _read(self, role, row, visible):
        fixture = self.fixture
        allowed = row['read'] == 'yes'
        expected = visible if allowed else set()
        with rpc_transaction(fixture, role, self.context):
            Model = Pool().get(self.name)
            found = []
            state, msg = outcome(lambda: found.extend(Model.search([])))
            if state == CRASH:
                self.check(role, 'search', 'yes' if allowed else 'no',
                    'crash', msg)
                return
            if state == DENIED:
                got = set()
                if allowed:
                    self.check(role, 'search', 'yes', 'no', msg)
                    return
            else:
                ids = set(map(int, found))
                got = {k for k, k_ids in self.classes.items()
                    if ids & set(k_ids)}
                counted = []
                state, msg = outcome(
                    lambda: counted.append(Model.search_count([])))
                self.check(role, 'search_count',
                    len(ids), counted[0] if counted else state, msg or '')
            self.check(role, 'search', fmt(expected), fmt(got))
            readable = set()
            details = []
            for klass, ids in sorted(self.classes.items()):
                state, msg = outcome(
                    lambda: Model.read(ids, ['rec_name']))
                if state == ALLOWED:
                    readable.add(klass)
                elif state == CRASH:
                    details.append(f"{klass}: {msg}")
            self.check(role, 'read', fmt(expected), fmt(readable),
                '; '.join(details))

    def _modify(self, role, mode, row, visible, call):
        expected = visible if row[mode] == 'yes' else set()
        got, details = set(), []
        for klass, ids in sorted(self.classes.items()):
            state, msg = rpc_call(self.fixture, role, self.name,
                lambda Model: call(Model, ids), self.context)
            if state == ALLOWED:
                got.add(klass)
            elif state == CRASH:
                details.append(f"{klass}: {msg}")
            elif klass in expected:
                details.append(f"{klass}: {msg}")
        self.check(role, mode, fmt(expected), fmt(got), '; '.join(details))

    def _delete(self, Model, ids):
        """Delete a fresh record of the class made as root in the same
        transaction (no dependent record to refuse it), else the fixture's.
        The access right is checked first, as Model.delete does: no record
        is made to be refused (most cells)"""
        Pool().get('ir.model.access').check(self.name, 'delete')
        make = factory(self.name)
        klass = self._klass_of(ids)
        if make is not None and self.name not in SINGLETONS:
            transaction = Transaction()
            with transaction.set_user(0), transaction.set_context(
                    _check_access=False):
                ids = [r.id for r in Model.create(
                        [make(self.fixture, klass, None)])]
        Model.delete(Model.browse(ids))

    def _klass_of(self, ids):
        for klass, k_ids in self.classes.items():
            if k_ids == ids:
                return klass

    def _create(self, role, row, visible):
        make = factory(self.name)
        if make is None:
            self.mismatch(role, 'create', row['create'], '?',
                "no factory in tests/access_fixture.py")
            return
        fixture = self.fixture
        me = employee_of(fixture, role)
        expected = visible if row['create'] == 'yes' else set()
        got, details = set(), []
        for klass in sorted(self.classes):
            state, msg = rpc_call(fixture, role, self.name,
                lambda Model: Model.create([make(fixture, klass, me)]),
                self.context)
            if state == ALLOWED:
                got.add(klass)
            elif state == CRASH or klass in expected:
                details.append(f"{klass}: {msg}")
        self.check(role, 'create', fmt(expected), fmt(got),
            '; '.join(details))

    def _buttons(self, role, row, buttons):
        if not buttons:
            return
        expected = expected_buttons(row, buttons) if row['read'] == 'yes' \
            else set()
        got, details = set(), []
        for button in buttons:
            state, msg = rpc_call(self.fixture, role, self.name,
                lambda Model: getattr(Model, button)([]), self.context)
            # a crash or a business error means the access checks passed
            if state != DENIED:
                got.add(button)
            elif button in expected:
                details.append(f"{button}: {msg}")
        self.check(role, 'buttons', fmt(expected), fmt(got),
            '; '.join(details))


def variant_row(row):
    """What a variant of a role reads: nothing (the portal without its
    portal user), but what the role reads whoever the customer (scope all)"""
    if row['scope'] == 'all':
        return row
    return dict(row, read='no', scope='none')


def fmt(value):
    if isinstance(value, (set, frozenset)):
        return '{' + ', '.join(sorted(value)) + '}'
    return str(value)


def format_mismatches(mismatches, cells):
    lines = [f"{len(mismatches)} of {cells} cells differ from the matrix:",
        f"{'model':32} {'role':16} {'mode':12} expected -> got"]
    for model, role, mode, expected, got, detail in mismatches:
        line = f"{model:32} {role:16} {mode:12} {expected} -> {got}"
        if detail:
            line += f"  ({detail[:300]})"
        lines.append(line)
    return '\n'.join(lines)


def report_context(fixture, name):
    """The context of the report's window: the defaults of its context model
    as the CRM manager computes them (the widest; a context never narrows
    the scope as it comes from the client)"""
    context = {'company': fixture.company}
    with rpc_transaction(fixture, 'crm_manager'):
        pool = Pool()
        Action = pool.get('ir.action.act_window')
        for action in Action.search([('res_model', '=', name)]):
            if action.context_model:
                Context = pool.get(action.context_model)
                defaults = Context.default_get(
                    list(Context._fields), with_rec_name=False)
                context.update(
                    {k: v for k, v in defaults.items() if v is not None})
                # the widest choice of the report ("show all")
                if 'all_' in Context._fields:
                    context['all_'] = True
                break
    return context


ROW_OWNERS = [
    ('party.party', ['party', 'customer'], 'klass_of_party'),
    ('company.employee', ['employee', 'sales_rep'], 'klass_of_employee'),
    ('crm.department', ['department'], 'klass_of_department'),
    ]


def classify_row(fixture, Model, row):
    for target, names, method in ROW_OWNERS:
        for name in names:
            field = Model._fields.get(name)
            if (field is not None and field._type == 'many2one'
                    and field.model_name == target):
                value = getattr(row, name)
                klass = getattr(fixture, method)(value.id if value else None)
                # of a customer, employee or department out of the three
                # classes (e.g. the department nobody manages): all only
                return 'outside' if klass == 'global' else klass
    return 'global'


def report_rows(fixture, name, context):
    "{class: [ids]} of the rows of a report as root"
    classes = {}
    with rpc_transaction(fixture, None, context):
        Model = Pool().get(name)
        for row in Model.search([]):
            classes.setdefault(
                classify_row(fixture, Model, row), []).append(row.id)
    return classes


MODELS = matrix_models()


@pytest.fixture(scope='module')
def access_db(request):
    fixture = build()
    stats = {'cells': 0, 'mismatches': 0, 'models': 0, 'empty': []}
    yield fixture, stats
    message = (f"access matrix: {stats['cells']} cells checked on "
        f"{stats['models']} models, {stats['mismatches']} differ")
    if stats['empty']:
        message += ("; reports without rows in the fixture (scope not "
            "exercised): " + ', '.join(stats['empty']))
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin('terminalreporter')
    capture = plugins.get_plugin('capturemanager')
    if reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line('')
            reporter.write_line(message)
    else:
        print(message)
    drop_db()


def test_matrix_file():
    "The CSV files parse, with valid values and no duplicate row"
    load_matrix()
    assert MODELS


def test_matrix_complete(access_db):
    "Every storable model of ours and every core model we reach has a row "
    "for every role (a new model cannot arrive open)"
    from trytond.tests.test_tryton import DB_NAME
    matrix = load_matrix()
    with Transaction().start(DB_NAME, 0):
        required = required_models()
        known = {n for n, _ in Pool().iterobject()}
    missing = sorted(f"{m} / {r}" for m in required for r in ROLES
        if (m, r) not in matrix)
    unknown = sorted({m for m, _ in matrix if real_name(m) not in known})
    assert not missing and not unknown, (
        f"missing rows in tests/access/*.csv: {missing}; "
        f"rows of unknown models: {unknown}")


@pytest.mark.parametrize('model', MODELS)
def test_access(access_db, model):
    fixture, stats = access_db
    matrix = load_matrix()
    name = real_name(model)
    context = rows = None
    with rpc_transaction(fixture, None):
        table_query = is_table_query(name)
    if table_query:
        context = report_context(fixture, name)
        rows = report_rows(fixture, name, context)
        if not rows:
            stats['empty'].append(model)
    probe = Probe(fixture, model, context, rows)
    if not table_query and not probe.classes:
        pytest.fail(f"{model}: no record in the fixture: add a factory "
            "to tests/access_fixture.py")
    for role in ROLES:
        row = matrix.get((model, role))
        if row is not None:
            probe.run(role, row)
    for variant, (role, _) in VARIANTS.items():
        row = matrix.get((model, role))
        if row is not None:
            probe.read_only(variant, variant_row(row))
    stats['cells'] += probe.cells
    stats['mismatches'] += len(probe.mismatches)
    stats['models'] += 1
    if probe.mismatches:
        pytest.fail(format_mismatches(probe.mismatches, probe.cells),
            pytrace=False)


def test_secondary_party_scope(access_db):
    "A CRM role links a portal user of its customers to its customers only "
    "(the matrix's records link a portal user to his own customer)"
    fixture, _ = access_db
    model = 'web.user-party.party.secondary'
    web_user = fixture.rec('web.user', 'own')
    link = fixture.rec(model, 'own')
    cases = [
        ('rep', 'own', ALLOWED), ('rep', 'other', DENIED),
        ('rep', 'dept', DENIED),
        ('dept_manager', 'other', ALLOWED), ('dept_manager', 'dept', DENIED),
        ('crm_manager', 'dept', ALLOWED),
        ]
    wrong = []
    for role, klass, expected in cases:
        party = fixture.customers[klass]
        for mode, call in [
                ('create', lambda M: M.create(
                        [{'user': web_user, 'party': party}])),
                ('write', lambda M: M.write([M(link)], {'party': party})),
                ]:
            got, msg = rpc_call(fixture, role, model, call)
            if got != expected:
                wrong.append(f"{role} {mode} own portal user -> {klass} "
                    f"party: {got} ({msg})")
    assert not wrong, '\n'.join(wrong)


def test_portal_reads_itself_only(access_db):
    "The portal reads its own portal user, not a colleague's of the same "
    "customer (the matrix's customers have one portal user each)"
    fixture, _ = access_db
    own = fixture.rec('web.user', 'own')
    with rpc_transaction(fixture, 'portal') as transaction:
        WebUser = Pool().get('web.user')
        with transaction.set_user(0), transaction.set_context(
                _check_access=False):
            colleague, = WebUser.create(
                [factory('web.user')(fixture, 'own', None)])
            colleague = colleague.id
        found = [u.id for u in WebUser.search([])]
        state, msg = outcome(lambda: WebUser.read([colleague], ['email']))
    assert found == [own]
    assert state == DENIED, msg
