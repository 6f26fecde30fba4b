# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""scripts/dbstamp.py: the code fingerprint of a database and its
create-or-update step, shared by make run, make bench, make test's DB
cache and the browser tests."""
import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import dbstamp

pytestmark = pytest.mark.backend_independent
ROOT = Path(__file__).resolve().parent.parent

_FILES = {
    'addons/crm_x/tryton.cfg': '[tryton]\n',
    'addons/crm_x/party.py': 'X = 1\n',
    'addons/crm_x/party.xml': '<tryton/>\n',
    'addons/crm_x/view/party_form.xml': '<form/>\n',
    'addons/crm_x/locale/zh_CN.po': 'msgid ""\n',
    'addons/crm_x/doc/index.rst': 'Layout\n',
    'addons/crm_x/tests/test_module.py': 'Y = 1\n',
    'addons/crm_x/tests/scenario.xml': '<x/>\n',
    'demo/generate.py': 'Z = 1\n',
    'requirements.lock': 'trytond==8.0.0\n',
    }


@pytest.fixture
def checkout(tmp_path):
    "A checkout with a space in its path, inside a mode-700 folder"
    private = tmp_path / 'private'
    private.mkdir(mode=0o700)
    root = private / 'my clone'
    for name, text in _FILES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / 'scripts').mkdir()
    shutil.copy(ROOT / 'scripts' / 'dbstamp.py', root / 'scripts')
    return root


def _command_line(root, *args):
    "The fingerprint as a shell script gets it, from another folder"
    result = subprocess.run(
        [sys.executable, str(root / 'scripts' / 'dbstamp.py'),
            'fingerprint', *args],
        cwd='/', capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_module_code_changes_the_fingerprint(checkout):
    before = dbstamp.fingerprint(checkout)
    assert _command_line(checkout) == before
    for name in ['addons/crm_x/party.py', 'addons/crm_x/party.xml',
            'addons/crm_x/view/party_form.xml',
            'addons/crm_x/locale/zh_CN.po', 'addons/crm_x/tryton.cfg']:
        path = checkout / name
        text = path.read_text()
        path.write_text(text + '\n')
        assert dbstamp.fingerprint(checkout) != before, name
        path.write_text(text)
        assert dbstamp.fingerprint(checkout) == before, name
    (checkout / 'addons/crm_x/party.py').rename(
        checkout / 'addons/crm_x/party2.py')
    assert dbstamp.fingerprint(checkout) != before, "a renamed file"


def test_tests_and_docs_do_not_change_the_fingerprint(checkout):
    before = dbstamp.fingerprint(checkout)
    for name in ['addons/crm_x/tests/test_module.py',
            'addons/crm_x/tests/scenario.xml', 'addons/crm_x/doc/index.rst',
            'demo/generate.py', 'requirements.lock']:
        (checkout / name).write_text('changed\n')
    (checkout / 'addons/crm_x/tests/new.py').write_text('new\n')
    assert dbstamp.fingerprint(checkout) == before
    assert _command_line(checkout) == before


def test_callers_choose_extensions_extra_files_and_words(checkout):
    "bench leaves .po out; the browser and test caches add demo/, the lock"
    base = dbstamp.fingerprint(checkout)
    without_po = dbstamp.fingerprint(checkout, extensions=('py', 'xml', 'cfg'))
    (checkout / 'addons/crm_x/locale/zh_CN.po').write_text('other\n')
    assert dbstamp.fingerprint(checkout,
        extensions=('py', 'xml', 'cfg')) == without_po
    assert _command_line(checkout, '--ext', 'py', 'xml', 'cfg') == without_po

    extra = ['demo/*.py', 'requirements.lock']
    with_extra = dbstamp.fingerprint(checkout, extra=extra)
    assert with_extra != dbstamp.fingerprint(checkout)
    assert _command_line(checkout, '--extra', *extra) == with_extra
    (checkout / 'demo/generate.py').write_text('Z = 2\n')
    assert dbstamp.fingerprint(checkout, extra=extra) != with_extra

    words = ['crm_x', 'incoterm']
    assert dbstamp.fingerprint(checkout, words=words) not in {
        base, dbstamp.fingerprint(checkout, words=['crm_x'])}
    assert _command_line(checkout, '--word', *words) == (
        dbstamp.fingerprint(checkout, words=words))


_FAKE_ADMIN = '''import json, os, sys
with open({log!r}, 'a') as log:
    log.write(json.dumps(dict(argv=sys.argv[1:], stdin=sys.stdin.read(),
        password=open(os.environ['TRYTONPASSFILE']).read()
            if 'TRYTONPASSFILE' in os.environ else None)) + '\\n')
sys.exit(int(os.environ.get('FAKE_ADMIN_STATUS', '0')))
'''


def test_ensure_creates_then_updates_on_a_new_key(tmp_path, monkeypatch):
    log = tmp_path / 'admin.log'
    script = tmp_path / 'fake_admin.py'
    script.write_text(_FAKE_ADMIN.format(log=str(log)))
    # Not a '#!python' line: a checkout path with a space breaks it.
    admin = tmp_path / 'trytond-admin'
    admin.write_text('#!/bin/sh\nexec %s %s "$@"\n' % (
            shlex.quote(sys.executable), shlex.quote(str(script))))
    admin.chmod(0o755)
    monkeypatch.setattr(dbstamp, '_admin', lambda: str(admin))
    stamp = tmp_path / 'my stamps' / 'db-crm'
    stamp.parent.mkdir()

    def calls():
        return [json.loads(line) for line in log.read_text().splitlines()]

    monkeypatch.setenv('FAKE_ADMIN_STATUS', '1')
    with pytest.raises(subprocess.CalledProcessError):
        dbstamp.ensure('crm', stamp, ['crm_x'], 'k1', ['zh_CN', 'en'])
    assert not stamp.exists(), "a failed creation leaves no stamp"
    monkeypatch.setenv('FAKE_ADMIN_STATUS', '0')

    assert dbstamp.ensure('crm', stamp, ['crm_x'], 'k1', ['zh_CN', 'en'],
        password='s3cret') == 'created'
    created = calls()[-1]
    assert created['argv'] == ['-d', 'crm', '-u', 'crm_x',
        '--activate-dependencies', '-l', 'zh_CN', 'en']
    assert created['password'] == 's3cret\n'
    assert created['stdin'] == '\n', "no e-mail for the admin"
    assert stamp.read_text() == 'k1\n'

    assert dbstamp.ensure('crm', stamp, ['crm_x'], 'k1') is None
    assert len(calls()) == 2

    assert dbstamp.ensure('crm', stamp, ['crm_x'], 'k2', ['zh_CN'],
        update_all=True) == 'updated'
    updated = calls()[-1]
    assert updated['argv'] == ['-d', 'crm', '-u', 'crm_x',
        '--activate-dependencies', '--all', '-l', 'zh_CN']
    assert updated['password'] is None
    assert stamp.read_text() == 'k2\n'


def test_scripts_use_the_helper():
    "One fingerprint: no script computes its own any more"
    for name in ['scripts/run.sh', 'bench/run.sh', 'scripts/test.sh']:
        text = (ROOT / name).read_text()
        assert 'scripts/dbstamp.py' in text, name
        assert 'sha1sum' not in text and 'sha256sum' not in text, name
        assert 'TRYTONPASSFILE' not in text, name
    assert 'dbstamp.fingerprint' in (ROOT / 'tests' / 'browser.py').read_text()
