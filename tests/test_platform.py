# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The platform files a fresh machine and production depend on."""
import datetime as dt
import json
import re
import shutil
from decimal import Decimal
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend_independent
ROOT = Path(__file__).resolve().parent.parent


def _compose_command():
    "The installed Compose: the docker plugin, else docker-compose v1."
    if shutil.which('docker'):
        probe = subprocess.run(['docker', 'compose', 'version'],
            capture_output=True)
        if probe.returncode == 0:
            return ['docker', 'compose']
    if shutil.which('docker-compose'):
        return ['docker-compose']
    return None


def test_docker_compose_config_is_valid(tmp_path):
    command = _compose_command()
    if command is None:
        pytest.skip("no Compose client (docker compose / docker-compose)")
    compose = tmp_path / 'docker-compose.yml'
    shutil.copy(ROOT / 'docker-compose.yml', compose)
    shutil.copy(ROOT / 'Dockerfile', tmp_path / 'Dockerfile')
    (tmp_path / 'admin_password.txt').write_text('secret\n')
    result = subprocess.run([*command, '-f', str(compose), 'config'],
        capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    config = result.stdout
    for service in ['postgres:', 'trytond:', 'cron:', 'worker:']:
        assert f'  {service}' in config
    assert 'image: postgres:15' in config
    assert 'TRYTOND_DATABASE__URI: postgresql://' in config
    assert 'TRYTOND_QUEUE__WORKER' in config
    assert 'trytond-worker' in config and 'trytond-cron' in config
    assert 'trytond-admin' in config and '--all' in config


def test_dockerfile_serves_web_client_on_all_interfaces():
    dockerfile = (ROOT / 'Dockerfile').read_text()
    assert 'npm ci --omit=dev --legacy-peer-deps' in dockerfile
    assert 'pip install -c requirements.lock' in dockerfile
    assert "'listen = 0.0.0.0:8000'" in dockerfile
    assert 'sao/node_modules/tryton-sao' in dockerfile


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
