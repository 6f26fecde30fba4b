# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Backups restore: scripts/backup.sh (pg_dump -Fc + the filestore) on the
loopback PostgreSQL, every table and every attachment's bytes compared.

Runs in the PostgreSQL pass of make test (the SQLite pass skips it: pg_dump
has nothing to dump there).
"""
import hashlib
import os
import subprocess
import unittest
from pathlib import Path

from trytond import backend
from trytond.tests.test_tryton import (
    DB_NAME, activate_module, drop_db, with_transaction)
from trytond.transaction import Transaction

ROOT = Path(__file__).resolve().parent.parent
PHOTO = bytes(range(256)) * 64 + b'\x89PNG\r\n'


def _pg_env():
    from trytond.config import config, parse_uri
    uri = parse_uri(config.get('database', 'uri'))
    env = dict(os.environ)
    if uri.hostname:
        env['PGHOST'] = uri.hostname
    if uri.port:
        env['PGPORT'] = str(uri.port)
    if uri.username:
        env['PGUSER'] = uri.username
    if uri.password:
        env['PGPASSWORD'] = uri.password
    return env


def _psql(database, sql):
    result = subprocess.run(['psql', '-d', database, '-Atc', sql],
        env=_pg_env(), capture_output=True, text=True, check=True)
    return result.stdout


def _row_counts(database):
    tables = _psql(database, "SELECT quote_ident(table_name) FROM "
        "information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY 1").split()
    query = ' UNION ALL '.join(
        f"SELECT '{t}', COUNT(*) FROM {t}" for t in tables)
    return dict(line.split('|') for line in _psql(database, query).split())


def _filestore_digests(root, database):
    base = Path(root) / database
    return {str(p.relative_to(base)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in base.rglob('*') if p.is_file()}


@unittest.skipUnless(backend.name == 'postgresql',
    "pg_dump backups: PostgreSQL pass of make test")
class BackupRestoreTestCase(unittest.TestCase):
    "A dump of a database with our modules restores every row and file"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module('crm_fruit_service')

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    @with_transaction()
    def _fill(self):
        from trytond.pool import Pool
        pool = Pool()
        Party = pool.get('party.party')
        Attachment = pool.get('ir.attachment')
        parties = Party.create([{'name': f'备份客户 {i}'} for i in range(25)])
        Attachment.create([{
                    'name': f'visit-{i}.png', 'type': 'data',
                    'resource': str(party), 'data': PHOTO + bytes([i]),
                    } for i, party in enumerate(parties[:5])])
        Transaction().commit()

    def test_dump_restores_every_table_and_attachment(self):
        self._fill()
        from trytond.config import config
        root = config.get('database', 'path')
        restored = f'{DB_NAME}_restored'
        env = _pg_env()
        backup = Path(root) / f'.backup-{DB_NAME}'
        subprocess.run(['dropdb', '--if-exists', restored], env=env,
            check=True)
        subprocess.run(['rm', '-rf', str(backup), str(Path(root) / restored)],
            check=True)
        try:
            subprocess.run(['bash', str(ROOT / 'scripts' / 'backup.sh'),
                    'dump', DB_NAME, str(backup)], env=env, check=True,
                capture_output=True)
            subprocess.run(['bash', str(ROOT / 'scripts' / 'backup.sh'),
                    'restore', str(backup / f'{DB_NAME}.dump'), restored],
                env=env, check=True, capture_output=True)

            original = _row_counts(DB_NAME)
            self.assertGreater(len(original), 100)
            self.assertEqual(_row_counts(restored), original)
            self.assertGreaterEqual(int(original['ir_attachment']), 5)

            files = _filestore_digests(root, DB_NAME)
            self.assertGreaterEqual(len(files), 5)
            self.assertEqual(_filestore_digests(root, restored), files)
            # the restored database finds its attachments' bytes
            ids = _psql(restored, "SELECT file_id FROM ir_attachment "
                "WHERE name LIKE 'visit-%' ORDER BY name").split()
            self.assertEqual(len(ids), 5)
            for i, file_id in enumerate(ids):
                path = (Path(root) / restored / file_id[0:2] / file_id[2:4]
                    / file_id)
                self.assertEqual(path.read_bytes(), PHOTO + bytes([i]))
        finally:
            subprocess.run(['dropdb', '--if-exists', restored], env=env)
            subprocess.run(['rm', '-rf', str(backup),
                    str(Path(root) / restored)])
