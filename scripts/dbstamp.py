# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""The code fingerprint of our modules and the "create or update" step.

A database built from our modules (make run's demo database, make bench's,
the browser tests' cached one, the DB cache of make test) must be rebuilt or
updated when the code that shapes it changes.  Its fingerprint covers the
module files under addons/ (outside tests/) with the given extensions, their
paths relative to the checkout, any extra files, and words (the activated
modules, a cluster id) given by the caller.

From Python (tests/browser.py)::

    from scripts import dbstamp
    dbstamp.fingerprint(root, words=modules, extra=['demo/*.py'])

From a shell script::

    python scripts/dbstamp.py fingerprint [--ext py xml] [--extra GLOB...]
        [--word WORD...]
    python scripts/dbstamp.py ensure -d DB --stamp FILE -m MODULE...
        [-l zh_CN en] [--update-all] [--password-env VAR]
        [--email ADDRESS] [--ext ...] [--extra ...] [--word ...]

``ensure`` creates the database's modules when the stamp file is missing,
updates them when it holds another fingerprint, then writes the stamp; the
caller creates the empty database (SQLite file, PostgreSQL CREATE DATABASE)
and removes the stamp when it does.
"""
import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: the module files that shape a database (code, data, views, translations)
SOURCES = ('py', 'xml', 'cfg', 'po')


def module_files(root, extensions=SOURCES):
    "The files of addons/ with one of extensions, outside any tests folder"
    suffixes = {f'.{e}' for e in extensions}
    addons = Path(root) / 'addons'
    for path in addons.rglob('*'):
        relative = path.relative_to(addons)
        if (path.suffix in suffixes and 'tests' not in relative.parts[:-1]
                and path.is_file()):
            yield path


def fingerprint(root=ROOT, words=(), extensions=SOURCES, extra=()):
    """16 hex digits of the files (paths and contents) and the words.

    extra: glob patterns relative to root (``demo/*.py``,
    ``requirements.lock``) of more files that shape the database."""
    root = Path(root)
    files = set(module_files(root, extensions))
    for pattern in extra:
        files.update(p for p in root.glob(pattern) if p.is_file())
    digest = hashlib.sha1()
    for word in words:
        digest.update(f'{word}\0'.encode())
    for path in sorted(files, key=lambda p: p.relative_to(root).as_posix()):
        digest.update(f'{path.relative_to(root).as_posix()}\0'.encode())
        digest.update(path.read_bytes())
        digest.update(b'\0')
    return digest.hexdigest()[:16]


def _admin():
    "trytond-admin of the running Python's environment, else of PATH"
    local = Path(sys.executable).parent / 'trytond-admin'
    return str(local) if local.exists() else 'trytond-admin'


def create_database(database, modules, languages=(), password='admin',
        email=None, env=None, cwd=None, capture=False):
    """Activate modules (and their dependencies) in the empty database,
    with the admin's password; trytond-admin's question for the admin's
    e-mail gets an empty answer unless email is given (it checks its domain
    in DNS before our modules could switch that off)."""
    with tempfile.TemporaryDirectory(prefix='dbstamp-') as private:
        passfile = Path(private) / 'admin.pass'
        passfile.write_text(f'{password}\n')
        command = [_admin(), '-d', database, '-u', *modules,
            '--activate-dependencies']
        if languages:
            command += ['-l', *languages]
        if email:
            command += ['--email', email]
        return subprocess.run(command, input='\n', text=True, cwd=cwd,
            env={**(os.environ if env is None else env),
                'TRYTONPASSFILE': str(passfile)}, capture_output=capture)


def update_database(database, modules, languages=(), update_all=False,
        env=None, cwd=None, capture=False):
    "Update modules (and their dependencies, all modules with update_all)"
    command = [_admin(), '-d', database, '-u', *modules,
        '--activate-dependencies']
    if update_all:
        command.append('--all')
    if languages:
        command += ['-l', *languages]
    return subprocess.run(command, text=True, cwd=cwd, env=env,
        capture_output=capture)


def ensure(database, stamp, modules, key, languages=(), update_all=False,
        password='admin', email=None):
    """Create or update the database as its stamp file says; write the key
    in the stamp when done.  Returns 'created', 'updated' or None (up to
    date); raises CalledProcessError when trytond-admin fails."""
    stamp = Path(stamp)
    modules = list(modules)
    if not stamp.exists():
        print(f"== creating database {database} with {' '.join(modules)}"
            + (f" ({', '.join(languages)})" if languages else ''),
            flush=True)
        result = create_database(database, modules, languages, password,
            email)
        done = 'created'
    elif stamp.read_text().strip() != key:
        print(f"== module code changed: updating database {database}",
            flush=True)
        result = update_database(database, modules, languages, update_all)
        done = 'updated'
    else:
        return None
    result.check_returncode()
    stamp.write_text(f'{key}\n')
    return done


def _key_arguments(parser):
    parser.add_argument('--ext', nargs='+', default=list(SOURCES),
        help="extensions of the module files (default: %(default)s)")
    parser.add_argument('--extra', action='extend', nargs='+', default=[],
        help="glob of more files, relative to the checkout")
    parser.add_argument('--word', action='extend', nargs='+', default=[],
        help="words of the key (the modules, a cluster id)")


def main(argv=None):
    parser = argparse.ArgumentParser(prog='dbstamp.py',
        description=__doc__.split('\n\n')[0])
    commands = parser.add_subparsers(dest='command', required=True)
    key_parser = commands.add_parser('fingerprint',
        help="print the fingerprint")
    _key_arguments(key_parser)
    ensure_parser = commands.add_parser('ensure',
        help="create or update the database as its stamp says")
    _key_arguments(ensure_parser)
    ensure_parser.add_argument('-d', '--database', required=True)
    ensure_parser.add_argument('--stamp', required=True)
    ensure_parser.add_argument('-m', '--modules', nargs='+', required=True)
    ensure_parser.add_argument('-l', '--language', nargs='+', default=[])
    ensure_parser.add_argument('--update-all', action='store_true',
        help="update every activated module (trytond-admin --all)")
    ensure_parser.add_argument('--password-env', metavar='VARIABLE',
        help="environment variable holding the admin's password at "
        "creation (default: admin)")
    ensure_parser.add_argument('--email',
        help="e-mail of the admin at creation")
    args = parser.parse_args(argv)
    key = fingerprint(ROOT, args.word, args.ext, args.extra)
    if args.command == 'fingerprint':
        print(key)
        return 0
    password = (os.environ.get(args.password_env) or 'admin'
        if args.password_env else 'admin')
    try:
        ensure(args.database, args.stamp, args.modules, key, args.language,
            args.update_all, password, args.email)
    except subprocess.CalledProcessError as error:
        print(f"dbstamp.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
