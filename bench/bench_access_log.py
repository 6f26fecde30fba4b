# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The customer list first page as a rep against the same page as the CRM
manager, both logged in the archive access log.

Each call is what the web client does when it opens *CRM ‣ Customers*: in a
read-only transaction of the user with the access check on (as the RPC
dispatcher runs it), the search of the action's domain with the client's page
size (sao's limit, 1000) and the read of the list view's columns; the log is
written once that transaction is over, in a transaction of its own, as in
production, and counted in the time. The rep sees his own customers through
the record rules, the CRM manager every customer.

The floor of this benchmark is not hand-written SQL: it is the manager's page,
so the ratio is what a rep pays more than the manager (record rules plus the
log of his rows); target ≤ 1.5. A second entry compares the rep's page with
the same page with the log switched off: the price of the log itself.

Both are called REPEAT times in turns and the medians compared. The log rows
written by the run are deleted at the end.
"""
import statistics
from unittest.mock import patch

from trytond.pyson import PYSONDecoder
from trytond.transaction import Transaction, check_access

PAGE = 1000
REPEAT = 7
REP = 'rep_fruit1'
MANAGER = 'crm_manager'


def _user(ctx, login):
    "The user id and the context the client sends for login"
    pool = ctx.pool
    User = pool.get('res.user')
    with Transaction().start(ctx.database, 0, readonly=True) as transaction:
        user, = User.search([('login', '=', login)])
        with transaction.set_user(user.id):
            context = User.get_preferences(context_only=True)
    return user.id, context


def _list_fields(ctx):
    "The fields the client reads for the customer list, as sao names them"
    pool = ctx.pool
    Party = pool.get('party.party')
    with Transaction().start(ctx.database, 0, readonly=True):
        view = Party.fields_view_get(view_type='tree')
    names = []
    for name, field in view['fields'].items():
        names.append(name)
        if field['type'] in {'many2one', 'reference'}:
            names.append(name + '.rec_name')
    return names + ['rec_name', '_timestamp', '_write', '_delete']


def _domain(ctx):
    pool = ctx.pool
    ModelData = pool.get('ir.model.data')
    Action = pool.get('ir.action.act_window')
    with Transaction().start(ctx.database, 0, readonly=True):
        action = Action(
            ModelData.get_id('crm_fruit_customer', 'act_customer_form'))
        return action.pyson_domain


def _page(ctx, user, context, domain, fields):
    pool = ctx.pool
    Party = pool.get('party.party')
    domain = PYSONDecoder(context).decode(domain)

    def call():
        with Transaction().start(
                ctx.database, user, readonly=True, context=context), \
                check_access():
            ids = [p.id for p in Party.search(domain, limit=PAGE)]
            rows = Party.read(ids, fields)
        return len(rows)
    return call


def run(ctx):
    pool = ctx.pool
    AccessLog = pool.get('crm.archive.access')
    rep, rep_context = _user(ctx, REP)
    manager, manager_context = _user(ctx, MANAGER)
    domain, fields = _domain(ctx), _list_fields(ctx)
    rep_page = _page(ctx, rep, rep_context, domain, fields)
    manager_page = _page(ctx, manager, manager_context, domain, fields)

    with ctx.transaction() as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute('SELECT COALESCE(MAX(id), 0) FROM crm_archive_access')
        last_id, = cursor.fetchone()

    def unlogged():
        with patch.object(AccessLog, 'record', lambda *a, **k: None):
            return rep_page()

    try:
        measures = {name: [] for name in ['rep', 'manager', 'unlogged']}
        calls = {'rep': rep_page, 'manager': manager_page,
            'unlogged': unlogged}
        rows = {name: call() for name, call in calls.items()}
        for _ in range(REPEAT):
            for name, call in calls.items():
                measures[name].append(ctx.measure(call))
        with ctx.transaction() as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute(
                'SELECT COUNT(*), COALESCE(SUM(list_rows), 0) '
                'FROM crm_archive_access WHERE id > %s AND "user" = %s',
                (last_id, rep))
            logged, list_rows = cursor.fetchone()
    finally:
        with ctx.transaction(commit=True) as transaction:
            cursor = transaction.connection.cursor()
            cursor.execute(
                'DELETE FROM crm_archive_access WHERE id > %s', (last_id,))
    if logged != rows['rep'] or list_rows != rows['rep'] * (REPEAT + 1):
        raise AssertionError(
            f"the rep's pages logged {logged} customers and {list_rows} "
            f"list rows for {rows['rep']} rows × {REPEAT + 1} pages")

    def median(name):
        values = measures[name]
        seconds = statistics.median(m.seconds for m in values)
        return type(values[0])(
            seconds, max(m.peak_rss_mb for m in values), None)

    return [
        ctx.entry('access_log_customer_list_rep_vs_manager',
            median('rep'), median('manager'), rows['rep'],
            repeat=REPEAT, page=PAGE, manager_rows=rows['manager']),
        ctx.entry('access_log_customer_list_log_overhead',
            median('rep'), median('unlogged'), rows['rep'],
            repeat=REPEAT, page=PAGE),
        ]
