# This file is part of crm-fruit. Licensed under the GPL-3.0-or-later.
"""Benchmarks of the CRM modules on PostgreSQL (``make bench``).

The contract between the runner and the ``bench_*.py`` modules is in
``bench/README.md``.
"""
