# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Workflow, audit, SLA and KPI fields are never written from outside.

``readonly`` and ``states`` are enforced by the client only: through
JSON-RPC a user may ``write({'state': 'done'})`` or set ``done_by``. For every
``Workflow`` model of our modules (found in the pool) this test writes
``state`` to every other value, and creates a record directly in every
non-initial state, as every role of the access matrix (none is an
administrator); then it writes the audit fields (``*_by``, ``done_date``,
the dates of history/log models), the SLA fields and the customer KPIs. Each
attempt must be refused with a UserError (the translated refusals of
Tryton and of our guards), never accepted and never a crash.
"""
import datetime as dt
from decimal import Decimal

import pytest

from trytond.model import Workflow
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, drop_db
from trytond.transaction import Transaction

from access_fixture import (
    ALLOWED, CRASH, OUR_MODULES, ROLES, TODAY, build, employee_of, factory,
    is_table_query, model_names_of, rpc_call, storable)

NOW = dt.datetime.now().replace(microsecond=0)
# models whose rows are a history: their dates are audit data
HISTORY_MARKS = ('history', 'log', 'archive', 'version', 'snapshot', '.use')
# SLA and workflow marks of our records
SLA_MARKS = ('deadline', 'escalat', 'risk_date', 'response_date',
    'resolution_date', 'reopen', 'done_date', 'first_response')
# computed customer KPIs our modules add to party.party
# fields set only by a manager's button
BUTTON_FIELDS = {
    'service.knowledge.article': ['public', 'version'],
    }
PARTY_KPIS = ['value_class', 'profit_class', 'core_customer',
    'lifecycle_stage', 'pipeline_class', 'rfm_recency', 'rfm_frequency',
    'rfm_monetary', 'last_contact_date']


def workflow_models():
    pool = Pool()
    return sorted(name for name in model_names_of(OUR_MODULES)
        if storable(name) and not is_table_query(name)
        and issubclass(pool.get(name), Workflow)
        and 'state' in pool.get(name)._fields)


def _stored(field):
    return not getattr(field, 'getter', None)


def audit_fields():
    "{model: [field names]} of the audit, SLA and KPI fields"
    pool = Pool()
    result = {}
    for name in sorted(model_names_of(OUR_MODULES)):
        if not storable(name) or is_table_query(name):
            continue
        Model = pool.get(name)
        history = any(m in name for m in HISTORY_MARKS)
        # SLA marks on the records of a workflow (not their configuration)
        workflow = issubclass(Model, Workflow)
        names = []
        for fname, field in sorted(Model._fields.items()):
            if not _stored(field) or fname in {
                    'create_date', 'write_date', 'create_uid', 'write_uid'}:
                continue
            if (fname.endswith('_by')
                    or fname == 'done_date'
                    or (workflow and any(m in fname for m in SLA_MARKS))
                    or (history and field._type in {'date', 'datetime'})):
                names.append(fname)
        names += [f for f in BUTTON_FIELDS.get(name, [])
            if f in Model._fields and f not in names]
        if names:
            result[name] = names
    Party = pool.get('party.party')
    result['party.party'] = [f for f in PARTY_KPIS
        if f in Party._fields and _stored(Party._fields[f])]
    return result


def other_value(fixture, field, current):
    "A value for field that differs from current"
    kind = field._type
    if kind == 'many2one':
        if field.model_name == 'res.user':
            return fixture.users['crm_manager']
        if field.model_name == 'company.employee':
            return fixture.employees['crm_manager']
        return None
    if kind == 'date':
        return TODAY - dt.timedelta(days=7)
    if kind == 'datetime':
        return NOW - dt.timedelta(days=7)
    if kind == 'timedelta':
        return dt.timedelta(hours=1)
    if kind == 'boolean':
        return not current
    if kind in {'integer', 'float'}:
        return (current or 0) + 1
    if kind == 'numeric':
        return (current or Decimal(0)) + 1
    if kind == 'selection':
        values = [v for v, _ in selection(field) if v and v != current]
        return values[0] if values else None
    if kind in {'char', 'text'}:
        return "forged"
    return None


def selection(field, Model=None):
    values = field.selection
    if isinstance(values, str):
        values = getattr(Model, values)()
    return values


class Checker:

    def __init__(self, fixture):
        self.fixture = fixture
        self.refused = 0
        self.cells = 0

    def expect_refused(self, mismatches, model, role, mode, what, call):
        self.cells += 1
        state, msg = rpc_call(self.fixture, role, model, call)
        if state == ALLOWED:
            mismatches.append((model, role, mode, what, 'accepted', msg or ''))
        elif state == CRASH:
            mismatches.append((model, role, mode, what, 'crash', msg))
        elif not msg or 'Traceback' in msg:
            mismatches.append((model, role, mode, what, 'no message', msg))
        else:
            self.refused += 1

    def records(self, model):
        return {klass: id_ for (name, klass), id_
            in self.fixture.records.items() if name == model}

    def current(self, model, ids, fname):
        with Transaction().start(DB_NAME, 0):
            Model = Pool().get(model)
            return {r.id: getattr(r, fname) for r in Model.browse(ids)}

    def states(self, model, mismatches):
        with Transaction().start(DB_NAME, 0):
            Model = Pool().get(model)
            values = [v for v, _ in selection(Model._fields['state'], Model)
                if v]
            initial = Model.default_state() \
                if hasattr(Model, 'default_state') else None
        records = self.records(model)
        make = factory(model)
        if not records or make is None:
            mismatches.append((model, '-', 'write', 'state', 'untested',
                    "no record or factory in tests/access_fixture.py"))
            return
        current = self.current(model, list(records.values()), 'state')
        for role in ROLES:
            for klass, id_ in sorted(records.items()):
                for value in values:
                    if value == current[id_]:
                        continue
                    self.expect_refused(mismatches, model, role, 'write',
                        f"{klass} {current[id_]} -> state={value}",
                        lambda M: M.write([M(id_)], {'state': value}))
            me = employee_of(self.fixture, role)
            klass = 'own' if 'own' in records else 'global'
            for value in values:
                if value == initial:
                    continue
                self.expect_refused(mismatches, model, role, 'create',
                    f"{klass} state={value}",
                    lambda M: M.create([dict(
                                make(self.fixture, klass, me),
                                state=value)]))

    def fields(self, model, fnames, mismatches):
        records = self.records(model)
        if model == 'party.party':
            records = {k: v for k, v in records.items() if k != 'global'}
        if not records:
            mismatches.append((model, '-', 'write', ', '.join(fnames),
                    'untested', "no record in tests/access_fixture.py"))
            return
        for fname in fnames:
            current = self.current(model, list(records.values()), fname)
            with Transaction().start(DB_NAME, 0):
                field = Pool().get(model)._fields[fname]
                values = {id_: other_value(self.fixture, field, v)
                    for id_, v in current.items()}
            for role in ROLES:
                for klass, id_ in sorted(records.items()):
                    value = values[id_]
                    if value is None:
                        continue
                    self.expect_refused(mismatches, model, role, 'write',
                        f"{klass} {fname}={value}",
                        lambda M: M.write([M(id_)], {fname: value}))


def report(mismatches):
    lines = [f"{len(mismatches)} writes not refused:",
        f"{'model':28} {'role':16} {'mode':7} what -> got"]
    for model, role, mode, what, got, msg in mismatches:
        line = f"{model:28} {role:16} {mode:7} {what} -> {got}"
        if msg:
            line += f"  ({msg[:200]})"
        lines.append(line)
    return '\n'.join(lines)


@pytest.fixture(scope='module')
def checker(request):
    checker = Checker(build())
    yield checker
    message = (f"workflow writes: {checker.cells} writes tried, "
        f"{checker.refused} refused")
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin('terminalreporter')
    capture = plugins.get_plugin('capturemanager')
    if reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line('')
            reporter.write_line(message)
    drop_db()


def test_state_writes_refused(checker, subtests):
    "No role writes a workflow state or creates a record past its start"
    with Transaction().start(DB_NAME, 0):
        models = workflow_models()
    assert models, "no Workflow model found in our modules"
    for model in models:
        with subtests.test(msg=model):
            mismatches = []
            checker.states(model, mismatches)
            if mismatches:
                pytest.fail(report(mismatches), pytrace=False)


def test_audit_writes_refused(checker, subtests):
    "No role writes an audit, SLA or KPI field"
    with Transaction().start(DB_NAME, 0):
        fields = audit_fields()
    assert fields, "no audit field found in our modules"
    for model, fnames in sorted(fields.items()):
        with subtests.test(msg=f"{model}: {', '.join(fnames)}"):
            mismatches = []
            checker.fields(model, fnames, mismatches)
            if mismatches:
                pytest.fail(report(mismatches), pytrace=False)
