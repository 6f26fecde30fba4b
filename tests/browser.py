# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""What the browser tests share: the demo server, Chromium, the JSON-RPC log.

trytond serves sao from a fresh SQLite database (our modules + 20 demo
customers) on a free loopback port; headless Debian Chromium drives it.
The database is built once per code version and kept in DB_CACHE.

Not a test module: the test_browser*.py, test_i18n_browser.py and
test_role_day.py modules import its fixtures and helpers.
"""
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from scripts import dbstamp

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / 'tests' / 'artifacts'
CHROMIUM = shutil.which('chromium') or '/usr/bin/chromium'
SAO = ROOT / 'sao' / 'node_modules' / 'tryton-sao'
DB = 'browser'
CUSTOMERS, MONTHS, END = 20, 6, dt.date(2026, 6, 30)
REP = 'rep_fruit1'
AGENT = 'service1'
#: The tab of the current screen
ACTIVE = '#tabcontent > .tab-pane.active'
DIALOG = '.modal-dialog'


def _modules():
    """CRM_MODULES as for make run, default every module of addons/, and
    any extra Tryton modules (CRM_DEMO_MODULES, default none: incoterm, for
    the export orders, comes as a dependency of crm_fruit_customer)."""
    if os.environ.get('CRM_MODULES'):
        modules = os.environ['CRM_MODULES'].split()
    else:
        modules = sorted(
            p.parent.name for p in ROOT.glob('addons/*/tryton.cfg'))
    return modules + os.environ.get('CRM_DEMO_MODULES', '').split()


def _fingerprint():
    "The modules, their code and the demo's: what the cached database holds"
    return dbstamp.fingerprint(ROOT, words=_modules(),
        extra=['demo/*.py', 'requirements.lock'])


def _env(path):
    env = dict(os.environ)
    env['TRYTOND_CONFIG'] = str(ROOT / 'trytond.conf')
    env['TRYTOND_DATABASE__PATH'] = str(path)
    env.pop('TRYTOND_DATABASE__URI', None)
    env['PYTHONPATH'] = str(ROOT)
    return env


def _build(path):
    (path / f'{DB}.sqlite').touch()
    env = _env(path)
    result = dbstamp.create_database(DB, _modules(), ['zh_CN', 'en'],
        env=env, cwd=ROOT, capture=True)
    if result.returncode:
        pytest.fail(f"trytond-admin failed:\n{result.stderr[-3000:]}")
    result = subprocess.run([sys.executable, '-m', 'demo', '-d', DB,
            '--customers', str(CUSTOMERS), '--months', str(MONTHS),
            '--end', END.isoformat(),
            # as make run: the order to cash of the portal's customer and
            # three slow payers (all of it is tests/test_demo_fulfilment's)
            '--portal-fulfilment'],
        env=env, cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        pytest.fail(f"python -m demo failed:\n{result.stderr[-3000:]}")


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
        context = new_context(browser)
        page = context.new_page()
        page.set_default_timeout(30000)
        yield page
        browser.close()


def _dataset():
    sys.path.insert(0, str(ROOT))
    from demo import generate
    return generate(CUSTOMERS, 42, MONTHS, END)


def wait_for_database(page):
    "Wait until sao's login dialog knows the database"
    # Until its common.db.list call answers, the dialog has no database and
    # a click on its button does nothing (on the loaded CI machine the
    # click once came first and no password prompt ever showed).
    page.wait_for_function(
        "[...document.querySelectorAll('#database')]"
        ".some(field => field.value)")


def _login(page, url, login, password):
    page.goto(f'{url}#{DB}')
    wait_for_database(page)
    page.fill('#login', login)
    page.click('button.btn-primary')
    page.fill('input[type=password]', password)
    page.keyboard.press('Enter')
    page.wait_for_selector('#menu .treeview tbody tr')


# The list of the active tab (a role's home screen is another tab).
LIST_BODY = '#tabcontent > .tab-pane.active .treeview tbody'


def _open_list(page, model):
    # The home action's tab (a rep's visits of the day) may hold rows too:
    # wait for the new tab, not for any list with rows.
    # sao shows the model's tab again when it is open already.
    page.evaluate(
        "model => document.querySelectorAll('#tabcontent > .tab-pane')"
        ".forEach(pane => pane.dataset.seen ="
        " window.location.hash.includes(`/model/${model}`) ? '' : '1')",
        model)
    # Changing the hash keeps the session (a reload would ask the password).
    page.evaluate(f"window.location.hash = '{DB}/model/{model}'")
    page.wait_for_function(
        "(document.querySelector('#tabcontent > .tab-pane.active')"
        " || {dataset: {seen: '1'}}).dataset.seen !== '1'"
        f" && [...document.querySelectorAll('{LIST_BODY} tr')]"
        ".some(row => row.innerText.trim().length > 0)")
    page.wait_for_timeout(500)
    return page.locator(LIST_BODY).first.inner_text()


class RPC:
    """The JSON-RPC calls a page posts: (method, params), the bodies sent,
    and the requests still pending"""

    def __init__(self, page):
        self.page = page
        self.calls = []
        self.sent = []
        self.pending = set()
        page.on('request', self._request)
        page.on('requestfinished', self._done)
        page.on('requestfailed', self._done)

    def _request(self, request):
        if request.method != 'POST':
            return
        self.pending.add(request)
        try:
            body = json.loads(request.post_data or 'null')
        except ValueError:
            return
        self.sent.append(body)
        if isinstance(body, dict) and 'method' in body:
            self.calls.append((body['method'], body.get('params', [])))

    def _done(self, request):
        self.pending.discard(request)

    def settle(self, quiet=0.3, timeout=20):
        "Wait until no call has been pending for quiet seconds"
        end = time.monotonic() + timeout
        calm = None
        while time.monotonic() < end:
            self.page.wait_for_timeout(100)
            if self.pending:
                calm = None
            elif calm is None:
                calm = time.monotonic()
            elif time.monotonic() - calm >= quiet:
                return

    def params(self, method):
        return [p for m, p in self.calls if m == method]

    def mark(self):
        return len(self.sent)

    def since(self, mark):
        return [c for c in self.sent[mark:] if isinstance(c, dict)]


def new_context(browser):
    "A browser context of its own: zh-CN, no session"
    return browser.new_context(
        locale='zh-CN', viewport={'width': 1400, 'height': 900})


@pytest.fixture
def new_page(page):
    "A fresh page per user, each in its own context, with its RPC log"
    contexts = []

    def new():
        context = new_context(page.context.browser)
        contexts.append(context)
        fresh = context.new_page()
        fresh.set_default_timeout(30000)
        return fresh, RPC(fresh)
    yield new
    for context in contexts:
        context.close()


def choose(select, label_part):
    "Choose the option whose Chinese label contains label_part"
    select.page.wait_for_function(
        '([select, part]) => [...select.options].some('
        'option => option.text.includes(part))',
        arg=[select.element_handle(), label_part])
    labels = select.evaluate(
        'select => [...select.options].map(option => option.text)')
    matching = [text for text in labels if label_part in text]
    assert len(matching) == 1, (label_part, labels)
    label, = matching
    select.click()
    select.select_option(label=label)


def complete(scope, name, text, timeout=None):
    "Type text in a Many2One and pick the first completion showing it"
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    entry = scope.locator(f'input[name={name}]').first
    entry.fill(text)
    # An earlier field's completion stays in the page, hidden.
    choice = scope.locator('.dropdown-completion li.completion a:visible',
        has_text=text).first
    try:
        choice.wait_for(timeout=10_000)
    except PlaywrightTimeoutError:
        # sao drops a completion whose search failed (only a console
        # warning): on the loaded CI machine the browser server's SQLite
        # file was once busy with the form's other calls. A user types
        # again; a completion that never comes still fails below.
        entry.fill('')
        entry.fill(text)
    choice.click(timeout=timeout)
    scope.page.wait_for_function(
        'entry => entry.value.length > 0', arg=entry.element_handle())
