# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""A sales rep logs into the web client in Chinese and opens his customers.

trytond serves sao from a fresh SQLite database (our modules + 20 demo
customers) on a free loopback port; headless Debian Chromium drives it.
The database is built once per code version and kept in DB_CACHE.
"""
import datetime as dt
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.backend_independent
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / 'tests' / 'artifacts'
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
SAO = ROOT / 'sao' / 'node_modules' / 'tryton-sao'
DB = 'browser'
CUSTOMERS, MONTHS, END = 20, 6, dt.date(2026, 6, 30)
REP = 'rep_fruit1'


def _modules():
    "CRM_MODULES as for make run, default every module of addons/."
    if os.environ.get('CRM_MODULES'):
        return os.environ['CRM_MODULES'].split()
    return sorted(p.parent.name for p in ROOT.glob('addons/*/tryton.cfg'))


def _fingerprint():
    digest = hashlib.sha1(' '.join(_modules()).encode())
    for pattern in ['addons/*/*.py', 'addons/*/*.xml', 'addons/*/tryton.cfg',
            'addons/*/view/*.xml', 'addons/*/locale/*.po', 'demo/*.py',
            'requirements.lock']:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _env(path):
    env = dict(os.environ)
    env['TRYTOND_CONFIG'] = str(ROOT / 'trytond.conf')
    env['TRYTOND_DATABASE__PATH'] = str(path)
    env.pop('TRYTOND_DATABASE__URI', None)
    env['PYTHONPATH'] = str(ROOT)
    return env


def _build(path):
    (path / f'{DB}.sqlite').touch()
    passfile = path / 'admin.pass'
    passfile.write_text('admin\n')
    bindir = Path(sys.executable).parent
    env = dict(_env(path), TRYTONPASSFILE=str(passfile))
    for command in [
            [bindir / 'trytond-admin', '-d', DB, '-u', *_modules(),
                '--activate-dependencies', '-l', 'zh_CN', 'en'],
            [sys.executable, '-m', 'demo', '-d', DB,
                '--customers', str(CUSTOMERS), '--months', str(MONTHS),
                '--end', END.isoformat()]]:
        # trytond-admin asks for the admin's e-mail: none (its --email
        # is checked in DNS before our modules can switch that off).
        result = subprocess.run(command, env=env, cwd=ROOT, input='\n',
            capture_output=True, text=True)
        if result.returncode:
            pytest.fail(f"{command[0]} failed:\n{result.stderr[-3000:]}")


@pytest.fixture(scope='module')
def database(tmp_path_factory):
    cache = Path(os.environ.get('DB_CACHE') or (
            Path(os.environ.get('TMPDIR', '/tmp'))
            / f'crm-dbcache-{os.getuid()}'))
    cached = cache / f'browser-{_fingerprint()}.sqlite'
    path = tmp_path_factory.mktemp('browser-db')
    if not cached.exists():
        _build(path)
        cache.mkdir(parents=True, exist_ok=True)
        shutil.copy(path / f'{DB}.sqlite', cached.with_suffix('.tmp'))
        os.replace(cached.with_suffix('.tmp'), cached)
    else:
        shutil.copy(cached, path / f'{DB}.sqlite')
    return path


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture(scope='module')
def server(database):
    if not (SAO / 'index.html').exists():
        pytest.fail("web client missing: run `make sao` first")
    if not (SAO / 'node_modules').exists():
        (SAO / 'node_modules').symlink_to('..')
    port = _free_port()
    conf = database / 'web.conf'
    conf.write_text(
        f'[web]\nlisten = 127.0.0.1:{port}\nroot = {SAO}\n')
    log = open(database / 'trytond.log', 'w')
    process = subprocess.Popen(
        [Path(sys.executable).parent / 'trytond', '-c',
            str(ROOT / 'trytond.conf'), str(conf), '-d', DB],
        env=_env(database), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f'http://127.0.0.1:{port}/'
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail((database / 'trytond.log').read_text())
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture(scope='module')
def page(server):
    sync_api = pytest.importorskip('playwright.sync_api')
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian chromium missing: apt-get install -y chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=['--headless', '--no-sandbox', '--disable-gpu',
                '--disable-background-networking',
                '--disable-component-update', '--disable-sync',
                '--no-first-run'])
        context = browser.new_context(
            locale='zh-CN', viewport={'width': 1400, 'height': 900})
        page = context.new_page()
        page.set_default_timeout(30000)
        yield page
        browser.close()


def _dataset():
    sys.path.insert(0, str(ROOT))
    from demo import generate
    return generate(CUSTOMERS, 42, MONTHS, END)


def _login(page, url, login, password):
    page.goto(f'{url}#{DB}')
    page.fill('#login', login)
    page.click('button.btn-primary')
    page.fill('input[type=password]', password)
    page.keyboard.press('Enter')
    page.wait_for_selector('#menu .treeview tbody tr')


# The list of the active tab (a role's home screen is another tab).
LIST_BODY = '#tabcontent > .tab-pane.active .treeview tbody'


def _open_list(page, model):
    # Changing the hash keeps the session (a reload would ask the password).
    page.evaluate(f"window.location.hash = '{DB}/model/{model}'")
    page.wait_for_function(
        f"[...document.querySelectorAll('{LIST_BODY} tr')]"
        ".some(row => row.innerText.trim().length > 0)")
    page.wait_for_timeout(500)
    return page.locator(LIST_BODY).first.inner_text()


@pytest.fixture(scope='module')
def rep_page(server, page):
    _login(page, server, REP, _dataset().password)
    return page


def test_rep_opens_customer_list_in_chinese(rep_page):
    page = rep_page
    data = _dataset()
    mine = [c['name'] for c in data.customers()
        if REP in {c['sales_rep'], c['second_contact']}]
    assert mine, "the demo subset gives the rep customers"

    body = _open_list(page, 'party.party')
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / 'customer_list_rep_zh_CN.png')

    headers = page.locator('#tabs .treeview thead th').all_inner_texts()
    assert '名称' in ' '.join(headers), headers
    visible = [name for name in mine if name in body]
    assert visible, f"none of {mine[:5]} in the list:\n{body[:500]}"


def test_rep_does_not_see_other_department_customers(rep_page):
    page = rep_page
    data = _dataset()
    others = [c['name'] for c in data.customers()
        if REP not in {c['sales_rep'], c['second_contact']}
        and 'fruit' not in c['departments']]
    assert others
    body = _open_list(page, 'party.party')
    assert not [name for name in others if name in body]
