# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The customers' portal under load, through the production WSGI server.

A customer of the data set (the one with the most orders) is given at least
500 orders (copies of his own, in their states) and 200 service tickets, and
50 portal users (buyers). A Gunicorn of deploy/gunicorn.conf.py (the image's
server, ``BENCH_PORTAL_WORKERS`` workers, default 4) is started on a free
loopback port; each HTTP client thread logs in as its own portal user (a
session per user, as in life: every page bumps its session), then the
clients send at 1, 10 and 50 at once, a connection per request as through
the proxy:

* ``orders``: ``GET /<db>/portal/orders``, the first page of the order list
  (20 orders of 500+, their count and pager);
* ``tickets``: ``GET /<db>/portal/tickets``, the first page of the tickets;
* ``session page``: ``GET /<db>/portal/password``, the portal's bare
  route: the session checked and bumped, the user and his parties read, a
  form without records rendered with the page's headers — what every page
  costs before its own work: the floor of the entries;
* ``login page``: ``GET /<db>/portal/login`` without a session (no record
  read) and ``rpc version``: ``common.server.version`` on ``/rpc/``, no
  database: the server and the protocol alone (recorded beside).

Each entry: p50 (``seconds``; floor = the session page's p50 at the same
load), p95, requests/s and their ratio to the session page's
(``throughput_ratio``). The targets of the portal issue: p95 ≤ 150 ms at 50
users, throughput ≥ 0.3× the bare route's.

The data are committed (the server's workers must see them) and kept: a
second run finds them and adds nothing.

Settings: BENCH_PORTAL_WORKERS (4), BENCH_PORTAL_CLIENTS (1 10 50),
BENCH_PORTAL_REQUESTS (requests per client count, default 200).
"""
import http.client
import os
import re
import threading

from .bench_wsgi import ROOT, Server, _ints, call, measure

ORDERS = 500
TICKETS = 200
USERS = 50
PASSWORD = 'bench-portal-2026'
EMAIL = 'bench-portal-{}@bench.example'
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def _customer(ctx):
    "The party of the data set with the most orders"
    with ctx.transaction() as transaction:
        cursor = transaction.connection.cursor()
        cursor.execute("SELECT party FROM sale_sale WHERE state != 'draft' "
            "GROUP BY party ORDER BY count(*) DESC, party LIMIT 1")
        row = cursor.fetchone()
    if not row:
        raise RuntimeError("the bench database has no sales")
    return row[0]


def _fill_orders(ctx, party_id):
    "Copy the party's own orders, states and dates kept, up to ORDERS"
    from trytond.pool import Pool
    with ctx.transaction(commit=True) as transaction:
        Sale = Pool().get('sale.sale')
        sales = Sale.search([('party', '=', party_id),
                ('state', '!=', 'draft')], order=[('id', 'ASC')])
        missing = ORDERS - len(sales)
        if missing <= 0:
            return len(sales)
        models = [sales[i % len(sales)] for i in range(missing)]
        copies = Sale.copy(models)
        cursor = transaction.connection.cursor()
        # copies are drafts: give each the state, dates and stored amounts
        # of its model, as the workflow would have (its number unique)
        cursor.executemany("UPDATE sale_sale SET state = %s, "
            "sale_date = %s, quotation_date = %s, number = %s, "
            "untaxed_amount_cache = %s, tax_amount_cache = %s, "
            "total_amount_cache = %s WHERE id = %s", [
                (m.state, m.sale_date, m.quotation_date,
                    f'{m.number or m.id}-B{c.id}', m.untaxed_amount,
                    m.tax_amount, m.total_amount, c.id)
                for m, c in zip(models, copies)])
        return ORDERS


def _store_amounts(ctx, party_id):
    "Store the amounts of the party's orders as quoting them does"
    from trytond.pool import Pool
    with ctx.transaction(commit=True):
        Sale = Pool().get('sale.sale')
        sales = Sale.search([('party', '=', party_id),
                ('state', 'in', Sale._states_cached),
                ('total_amount_cache', '=', None)])
        Sale.store_cache(sales)


def _fill_tickets(ctx, party_id):
    "File tickets of the party, up to TICKETS"
    from trytond.pool import Pool
    with ctx.transaction(commit=True):
        pool = Pool()
        Ticket = pool.get('service.ticket')
        ModelData = pool.get('ir.model.data')
        missing = TICKETS - Ticket.search_count([('party', '=', party_id)])
        if missing <= 0:
            return TICKETS
        company_id = _company_id()
        kinds = ['inquiry', 'complaint', 'suggestion', 'quality']
        Ticket.create([{
                    'company': company_id,
                    'party': party_id,
                    'channel': 'portal',
                    'type': ModelData.get_id('crm_fruit_service',
                        f'ticket_type_{kinds[i % len(kinds)]}'),
                    'subject': f"基准工单 {i + 1}",
                    'description': "门户负载测试的工单。",
                    } for i in range(missing)])
        return TICKETS


def _company_id():
    from trytond.pool import Pool
    Company = Pool().get('company.company')
    return Company.search([], limit=1)[0].id


def _users(ctx, party_id):
    "The emails of USERS portal buyers of the party (created when missing)"
    from trytond.pool import Pool
    emails = [EMAIL.format(i) for i in range(USERS)]
    with ctx.transaction(commit=True):
        User = Pool().get('web.user')
        existing = {u.email for u in User.search([('email', 'in', emails)])}
        User.create([{
                    'email': email,
                    'party': party_id,
                    'company': _company_id(),
                    'portal_role': 'buyer',
                    'language': 'zh_CN',
                    'email_valid': True,
                    'password': PASSWORD,
                    } for email in emails if email not in existing])
    return emails


def _cookies(response):
    "name=value of the response's Set-Cookie headers"
    cookies = {}
    for header in response.msg.get_all('Set-Cookie') or []:
        name, _, rest = header.partition('=')
        cookies[name.strip()] = rest.split(';', 1)[0]
    return cookies


def _get(port, path, cookie=''):
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    try:
        connection.request('GET', path, headers={'Cookie': cookie})
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    return response, body


def portal_session(port, database, email):
    "The Cookie header of a portal session of email"
    response, body = _get(port, f'/{database}/portal/login')
    cookies = _cookies(response)
    token = CSRF.search(body.decode()).group(1)
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    try:
        connection.request('POST', f'/{database}/portal/login',
            body=f'csrf={token}&email={email}&password={PASSWORD}'
            f'&next=/{database}/portal/',
            headers={
                'Content-Type': 'application/x-www-form-urlencoded',
                'Cookie': '; '.join(f'{k}={v}' for k, v in cookies.items()),
                })
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    if response.status != 303:
        raise RuntimeError(f"portal login of {email}: HTTP {response.status}")
    cookies.update(_cookies(response))
    return '; '.join(f'{k}={v}' for k, v in cookies.items())


def _page(port, path, cookie, marker):
    "A request of path that fails unless its answer is the expected page"
    def request():
        response, body = _get(port, path, cookie())
        if response.status != 200 or marker not in body:
            raise RuntimeError(f"{path}: HTTP {response.status}")
    return request


def run(ctx):
    database = ctx.database
    workers = int(os.environ.get('BENCH_PORTAL_WORKERS', '4'))
    client_counts = _ints('BENCH_PORTAL_CLIENTS', '1 10 50')
    requests = int(os.environ.get('BENCH_PORTAL_REQUESTS', '200'))
    (ROOT / 'var' / 'log').mkdir(parents=True, exist_ok=True)

    party_id = _customer(ctx)
    orders = _fill_orders(ctx, party_id)
    _store_amounts(ctx, party_id)
    tickets = _fill_tickets(ctx, party_id)
    emails = _users(ctx, party_id)

    figures = {}
    with Server(database, workers) as server:
        port = server.port
        sessions = [portal_session(port, database, e)
            for e in emails[:max(client_counts)]]
        local = threading.local()
        counter = iter(range(10 ** 9))
        lock = threading.Lock()

        def cookie():
            # each client thread (load() starts new ones) keeps the session
            # of one user
            if not hasattr(local, 'cookie'):
                with lock:
                    local.cookie = sessions[next(counter) % len(sessions)]
            return local.cookie

        routes = {
            'session page': _page(port, f'/{database}/portal/password',
                cookie, b'type="password"'),
            'login page': _page(port, f'/{database}/portal/login',
                lambda: '', b'name="password"'),
            'orders first page': _page(port,
                f'/{database}/portal/orders', cookie, b'class="list"'),
            'tickets first page': _page(port,
                f'/{database}/portal/tickets', cookie, b'class="cards"'),
            'rpc version': lambda: call(
                port, '/rpc/', 'common.server.version', []),
            }
        for clients in client_counts:
            for route, request in routes.items():
                figures[route, clients] = measure(
                    port, workers, clients, requests, request)
        rss = server.peak_rss_mb()
    load_average = round(os.getloadavg()[0], 1)

    entries = []
    for (route, clients), figure in sorted(figures.items()):
        if route == 'session page':
            continue
        floor = figures['session page', clients]
        rows = {'orders first page': orders,
            'tickets first page': tickets}.get(route, 0)
        entries.append({
                'name': f'portal {route} workers={workers} '
                f'clients={clients}',
                'seconds': round(figure['p50'], 4),
                'floor_seconds': round(floor['p50'], 4),
                'ratio': round(figure['p50'] / floor['p50'], 2),
                'peak_rss_mb': rss,
                'rows': rows,
                'p95_seconds': round(figure['p95'], 4),
                'requests_per_second': round(figure['rps'], 1),
                'throughput_ratio': round(figure['rps'] / floor['rps'], 2),
                'requests': figure['requests'],
                'floor_p95_seconds': round(floor['p95'], 4),
                'floor_requests_per_second': round(floor['rps'], 1),
                'workers': workers,
                'clients': clients,
                'cores': os.cpu_count(),
                'load_average': load_average,
                })
    return entries
