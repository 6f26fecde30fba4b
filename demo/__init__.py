# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Demo and benchmark data of Longkou Good Season Fruit & Vegetable Co.

Two layers:

* :mod:`demo.generate` -- pure Python, deterministic rows (no Tryton import):
  ``generate(size, seed, months=24, end=None)`` returns a ``Dataset`` whose
  ``customers()``, ``sales()`` and ``contacts()`` stream dicts.
* writers: :mod:`demo.tryton_writer` loads a dataset through the Tryton ORM
  (demo size, any backend); :mod:`demo.copy_writer` bulk-loads the big tables
  into PostgreSQL with ``COPY`` (benchmarks, 100k customers).

Command line: ``python -m demo -d crm --customers 300 --months 24 --seed 42``
(``--copy`` for the PostgreSQL bulk writer, ``--stats`` to only count rows).
"""
from .generate import Dataset, generate  # noqa: F401
