# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Load on the production WSGI server: Gunicorn with 1 and with 4 workers.

For each worker count a Gunicorn (deploy/gunicorn.conf.py, the image's
server) is started on a free loopback port against the bench database, and
HTTP clients (threads, a new connection per request as through the proxy)
send at 1, 10 and 50 at once:

* ``search_read``: the JSON-RPC call of the customer list's first page
  (``model.party.party.search_read``, 80 rows, the list's fields) as admin;
* ``bare``: ``common.server.version``, a route through trytond that touches
  no database: the cost of the server and the protocol alone.

Each entry: p50 (``seconds``), p95, requests/s; the floor of a search_read
entry is the bare route at the same load (ratio = what the database work
adds). The ``scaling`` entries give req/s with 4 workers ÷ with 1.

The clients run on the same machine: on the shared two-core machine they,
the workers and PostgreSQL compete for two cores, which caps the scaling
well below 4.

Settings: BENCH_WSGI_LOGIN / BENCH_WSGI_PASSWORD (admin / admin),
BENCH_WSGI_WORKERS (1 4), BENCH_WSGI_CLIENTS (1 10 50),
BENCH_WSGI_REQUESTS (requests per client count, default 200).
"""
import base64
import http.client
import json
import os
import pathlib
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIELDS = ['code', 'name', 'rec_name', 'customer_type', 'sales_rep',
    'last_contact_date']


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Server:
    "A Gunicorn of deploy/gunicorn.conf.py, in its own process group"

    def __init__(self, database, workers):
        self.database = database
        self.workers = workers
        self.port = _free_port()
        self.process = None

    def __enter__(self):
        env = dict(os.environ,
            GUNICORN_BIND=f'127.0.0.1:{self.port}',
            WEB_CONCURRENCY=str(self.workers),
            TRYTOND_DATABASE_NAMES=self.database,
            GUNICORN_ACCESSLOG='/dev/null')
        gunicorn = pathlib.Path(sys.executable).parent / 'gunicorn'
        self.log = open(ROOT / 'var' / 'log' / 'bench_wsgi.log', 'ab')
        self.process = subprocess.Popen([str(gunicorn), '--config',
                str(ROOT / 'deploy' / 'gunicorn.conf.py'),
                'trytond.application:app'], env=env, cwd=ROOT,
            stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__()
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + 300
        while True:
            try:
                call(self.port, '/rpc/', 'common.server.version', [])
                break
            except OSError:
                if self.process.poll() is not None or (
                        time.monotonic() > deadline):
                    raise RuntimeError("gunicorn did not start, see "
                        "var/log/bench_wsgi.log")
                time.sleep(0.5)
        # every worker has loaded the pool (TRYTOND_DATABASE_NAMES) once it
        # answered a few calls
        for _ in range(self.workers * 4):
            call(self.port, '/rpc/', 'common.server.version', [])

    def peak_rss_mb(self):
        "Peak RSS of the master and its workers added up, in MB"
        total = 0
        for status in pathlib.Path('/proc').glob('[0-9]*/status'):
            try:
                text = status.read_text()
                if os.getpgid(int(status.parent.name)) != self.process.pid:
                    continue
            except (OSError, ValueError):
                continue
            for line in text.splitlines():
                if line.startswith('VmHWM:'):
                    total += int(line.split()[1]) / 1024
        return round(total, 1)

    def __exit__(self, *exc):
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=60)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


def call(port, path, method, params, headers=None):
    body = json.dumps({'id': 0, 'method': method, 'params': params})
    connection = http.client.HTTPConnection('127.0.0.1', port, timeout=120)
    try:
        connection.request('POST', path, body, {
                'Content-Type': 'application/json', **(headers or {})})
        response = connection.getresponse()
        data = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"{method}: HTTP {response.status} {data[:200]!r}")
    answer = json.loads(data)
    if answer.get('error'):
        raise RuntimeError(f"{method}: {answer['error']}")
    return answer['result']


def login(port, database, username, password):
    user_id, session = call(port, f'/{database}/rpc/', 'common.db.login',
        [username, {'password': password}, 'en'])[:2]
    token = base64.b64encode(
        f'{username}:{user_id}:{session}'.encode()).decode()
    return {'Authorization': f'Session {token}'}


def load(port, clients, requests, request):
    "Latencies of `requests` requests sent by `clients` threads at once"
    latencies = []
    lock = threading.Lock()
    counter = iter(range(requests))
    errors = []

    def client():
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            start = time.perf_counter()
            try:
                request()
            except Exception as exception:  # reported after the run
                errors.append(exception)
                return
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if errors:
        raise errors[0]
    return latencies, wall


def _p(latencies, q):
    return statistics.quantiles(latencies, n=100, method='inclusive')[q - 1]


def measure(port, workers, clients, requests, request):
    """p50, p95, requests/s of request sent by clients at once (at least
    requests of them), every worker's caches warmed first"""
    load(port, min(clients, workers * 2), workers * 4, request)
    latencies, wall = load(port, clients, max(requests, clients * 4), request)
    return {
        'p50': _p(latencies, 50),
        'p95': _p(latencies, 95),
        'rps': len(latencies) / wall,
        'requests': len(latencies),
        }


def _ints(name, default):
    return [int(v) for v in os.environ.get(name, default).split()]


def run(ctx):
    database = ctx.database
    username = os.environ.get('BENCH_WSGI_LOGIN', 'admin')
    password = os.environ.get('BENCH_WSGI_PASSWORD', 'admin')
    worker_counts = _ints('BENCH_WSGI_WORKERS', '1 4')
    client_counts = _ints('BENCH_WSGI_CLIENTS', '1 10 50')
    requests = int(os.environ.get('BENCH_WSGI_REQUESTS', '200'))
    (ROOT / 'var' / 'log').mkdir(parents=True, exist_ok=True)

    figures = {}
    rss = {}
    load_average = {}
    rows = None
    for workers in worker_counts:
        with Server(database, workers) as server:
            headers = login(server.port, database, username, password)
            path = f'/{database}/rpc/'

            def search_read():
                return call(server.port, path,
                    'model.party.party.search_read',
                    [[], 0, 80, None, FIELDS, {}], headers)

            def bare():
                return call(server.port, '/rpc/', 'common.server.version', [])

            rows = len(search_read())
            for clients in client_counts:
                for route, request in [('bare', bare),
                        ('search_read', search_read)]:
                    figures[route, workers, clients] = measure(
                        server.port, workers, clients, requests, request)
            rss[workers] = server.peak_rss_mb()
            load_average[workers] = round(os.getloadavg()[0], 1)

    entries = []
    for (route, workers, clients), figure in sorted(figures.items()):
        if route == 'bare':
            continue
        floor = figures['bare', workers, clients]
        entries.append({
                'name': f'wsgi search_read customers workers={workers} '
                f'clients={clients}',
                'seconds': round(figure['p50'], 4),
                'floor_seconds': round(floor['p50'], 4),
                'ratio': round(figure['p50'] / floor['p50'], 2),
                'peak_rss_mb': rss[workers],
                'rows': rows,
                'p95_seconds': round(figure['p95'], 4),
                'requests_per_second': round(figure['rps'], 1),
                'requests': figure['requests'],
                'bare_p95_seconds': round(floor['p95'], 4),
                'bare_requests_per_second': round(floor['rps'], 1),
                'workers': workers,
                'clients': clients,
                'cores': os.cpu_count(),
                # the machine's 1-minute load at the end of the run: on
                # shared cores, what else ran beside the benchmark
                'load_average': load_average[workers],
                })
    if len(worker_counts) >= 2:
        low, high = worker_counts[0], worker_counts[-1]
        for clients in client_counts:
            for route in ['search_read', 'bare']:
                a = figures[route, low, clients]
                b = figures[route, high, clients]
                entries.append({
                        'name': f'wsgi scaling {route} workers {low}->{high} '
                        f'clients={clients}',
                        # seconds per request at full load, for the table
                        'seconds': round(1 / b['rps'], 4),
                        'floor_seconds': round(1 / a['rps'], 4),
                        'ratio': round(b['rps'] / a['rps'], 2),
                        'peak_rss_mb': rss[high],
                        'rows': rows if route == 'search_read' else 0,
                        'scaling': round(b['rps'] / a['rps'], 2),
                        'requests_per_second_low': round(a['rps'], 1),
                        'requests_per_second_high': round(b['rps'], 1),
                        'cores': os.cpu_count(),
                        })
    return entries
