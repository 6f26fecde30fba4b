# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""What a benchmark module receives: timing, memory and database helpers."""
import contextlib
import gc
import resource
import time
from dataclasses import dataclass

REQUIRED = frozenset([
        'name', 'seconds', 'floor_seconds', 'ratio', 'peak_rss_mb', 'rows'])


def _peak_rss_mb():
    "The peak resident set size since the last reset, in MB"
    try:
        with open('/proc/self/status') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak_rss():
    # Linux >= 4.0: writing 5 resets VmHWM to the current RSS.
    try:
        with open('/proc/self/clear_refs', 'w') as clear_refs:
            clear_refs.write('5')
    except OSError:
        pass


@dataclass
class Measure:
    seconds: float
    peak_rss_mb: float
    value: object = None


class Context:
    "Passed to ``run(ctx)`` of every ``bench/bench_*.py``"

    def __init__(self, database):
        self.database = database
        self._pool = None

    def measure(self, function, *args, **kwargs):
        "Call function and return its wall time, peak RSS and value"
        gc.collect()
        _reset_peak_rss()
        start = time.perf_counter()
        value = function(*args, **kwargs)
        seconds = time.perf_counter() - start
        return Measure(seconds, _peak_rss_mb(), value)

    @staticmethod
    def entry(name, measure, floor, rows, **extra):
        "Build a results.json entry from the measure and its floor"
        return dict(
            name=name,
            seconds=round(measure.seconds, 4),
            floor_seconds=round(floor.seconds, 4),
            ratio=round(measure.seconds / floor.seconds, 2)
            if floor.seconds else None,
            peak_rss_mb=round(max(measure.peak_rss_mb, floor.peak_rss_mb), 1),
            rows=rows,
            **extra)

    @property
    def pool(self):
        if self._pool is None:
            from trytond.pool import Pool
            from trytond.transaction import Transaction
            self._pool = Pool(self.database)
            with Transaction().start(self.database, 0, readonly=True):
                self._pool.init()
        return self._pool

    @contextlib.contextmanager
    def transaction(self, commit=False, **context):
        """A Tryton transaction as root on the bench database, company set.

        Rolled back unless commit: every run starts from the same state.
        """
        from trytond.transaction import Transaction
        pool = self.pool
        with Transaction().start(
                self.database, 0, context=context) as transaction:
            if 'company' not in context:
                Company = pool.get('company.company')
                companies = Company.search([], limit=1, order=[('id', 'ASC')])
                if companies:
                    transaction.set_context(company=companies[0].id)
            try:
                yield transaction
                if commit:
                    transaction.commit()
            finally:
                if not commit:
                    transaction.rollback()
