# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Backup and restore time of the bench database (scripts/backup.sh).

* dump: ``pg_dump -Fc`` of the database plus the tar of its filestore, as
  documented in docs/deploy.md; floor: the same dump uncompressed
  (``-Z0``), what reading and writing the rows costs without compression;
* restore: ``pg_restore -j <cores>`` into a new database plus the filestore;
  floor: ``CREATE DATABASE … TEMPLATE`` (PostgreSQL copying the files, no
  SQL), the fastest full copy the server can do. The restored database's row
  counts of every table are compared with the original's.

The restored database and the dump files are removed afterwards.
"""
import os
import pathlib
import shutil
import subprocess
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _psql(database, sql):
    return subprocess.run(['psql', '-d', database, '-Atc', sql],
        capture_output=True, text=True, check=True).stdout


def _row_counts(database):
    tables = _psql(database, "SELECT quote_ident(table_name) FROM "
        "information_schema.tables WHERE table_schema = 'public' "
        "AND table_type = 'BASE TABLE' ORDER BY 1").split()
    query = ' UNION ALL '.join(
        f"SELECT '{t}', COUNT(*) FROM {t}" for t in tables)
    return dict(line.split('|') for line in _psql(database, query).split())


def _timed(command, **kwargs):
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, **kwargs)
    return time.perf_counter() - start


class _Measure:
    def __init__(self, seconds):
        self.seconds = seconds
        self.peak_rss_mb = 0


def run(ctx):
    database = ctx.database
    restored = f'{database}_restore_bench'
    clone = f'{database}_clone_bench'
    script = str(ROOT / 'scripts' / 'backup.sh')
    root = os.environ.get('TRYTOND_DATABASE__PATH', str(ROOT / 'var' / 'db'))
    work = pathlib.Path(tempfile.mkdtemp(prefix='bench-backup-',
            dir=os.environ.get('BENCH_BACKUP_DIR', '/var/tmp')))
    for name in (restored, clone):
        subprocess.run(['dropdb', '--if-exists', name], check=True)
    shutil.rmtree(pathlib.Path(root) / restored, ignore_errors=True)
    try:
        dump = _timed(['bash', script, 'dump', database, str(work)])
        size = (work / f'{database}.dump').stat().st_size
        raw = _timed(['pg_dump', '-Fc', '-Z0', '--no-owner', '-d', database,
                '-f', str(work / 'raw.dump')])
        raw_size = (work / 'raw.dump').stat().st_size
        (work / 'raw.dump').unlink()

        restore = _timed(['bash', script, 'restore',
                str(work / f'{database}.dump'), restored])
        original = _row_counts(database)
        copied = _row_counts(restored)
        if copied != original:
            differ = [t for t in original if copied.get(t) != original[t]]
            raise AssertionError(f"restored row counts differ: {differ[:5]}")
        rows = sum(int(c) for c in original.values())
        try:
            floor = _timed(['psql', '-d', 'postgres', '-qc',
                    f'CREATE DATABASE "{clone}" TEMPLATE "{database}"'])
        except subprocess.CalledProcessError:
            # a server still connected to the database forbids the copy
            floor = None
    finally:
        for name in (restored, clone):
            subprocess.run(['dropdb', '--if-exists', name])
        shutil.rmtree(pathlib.Path(root) / restored, ignore_errors=True)
        shutil.rmtree(work, ignore_errors=True)

    mb = 1024 * 1024
    return [
        ctx.entry('backup pg_dump -Fc + filestore', _Measure(dump),
            _Measure(raw), rows, floor_kind='pg_dump -Fc -Z0',
            dump_mb=round(size / mb, 1),
            uncompressed_mb=round(raw_size / mb, 1), tables=len(original)),
        ctx.entry(f'restore pg_restore -j {os.cpu_count()} + filestore',
            _Measure(restore), _Measure(floor if floor else restore), rows,
            tables=len(original), floor_kind='CREATE DATABASE TEMPLATE'
            if floor else 'none (database in use): restore itself'),
        ]
