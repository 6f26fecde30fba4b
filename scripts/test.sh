#!/usr/bin/env bash
# `make test`: every test of the project, on SQLite and on a real PostgreSQL
# server on loopback, then Tryton's upstream suites with our modules active.
# Extra arguments are passed to every pytest run (e.g. -x, -k name).
#
# At the end it prints the time and the test count of each pass and the ten
# slowest tests of the run (from the JUnit XML each pass writes into
# var/test-reports/), then one closing line "N passed, N failed".
# The exit status is 1 as soon as one pass fails (or runs no test).
#
# Where the time goes: activating our modules
# in a new database costs 40-95 s per set of modules on the shared cores
# (three times that on PostgreSQL), a restore from the DB cache 1-3 s; a set
# is built on top of the largest set it extends (conftest.py). The xdist workers share one DB cache per
# backend (conftest.py: the first worker builds a set, the others wait for
# it and restore it), and the scheduling unit is the test class / file
# (--dist loadscope) so a class's setUpClass (drop + restore) and a
# module-scoped server (browser tests) run on one worker, not on each.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh

# The DB cache holds databases with the modules installed; the key covers
# everything that shapes them so a schema change never reuses a stale one.
KEY="$(python scripts/dbstamp.py fingerprint --extra requirements.lock)"
REPORTS=var/test-reports
mkdir -p var/dbcache tests/artifacts "$REPORTS"
rm -f "$REPORTS"/*.xml "$REPORTS"/times
# Keep only the caches of the current schema.
find var/dbcache -mindepth 1 -maxdepth 1 -not -name "$KEY-*" -exec rm -rf {} +

# Tests are CPU-bound: one pytest-xdist worker per core (each gets its own
# database, see conftest.py).
JOBS="${TEST_JOBS:-$(nproc)}"
status=0
run() {
    local id="$1" label="$2" dist="$3"; shift 3
    echo "=== $label"
    local start=$SECONDS
    python -m pytest -n "$JOBS" --dist "$dist" --durations=10 \
        --junitxml="$REPORTS/$id.xml" -o junit_suite_name="$label" \
        -o junit_family=xunit2 "$@" || status=1
    printf '%s\t%s\t%s\n' "$id" "$((SECONDS - start))" "$label" >> "$REPORTS/times"
}

export DB_CACHE="$PWD/var/dbcache/$KEY-sqlite"
export DB_NAME=":memory:"
mkdir -p "$DB_CACHE"
run sqlite "SQLite: our modules and the cross-module tests" loadscope \
    addons tests --ignore=tests/upstream "$@"

pg_start
trap pg_stop EXIT
export DB_CACHE="$PWD/var/dbcache/$KEY-postgresql"
export DB_NAME="test_crm_fruit"
mkdir -p "$DB_CACHE"
run postgresql "PostgreSQL: our modules and the cross-module tests" loadscope \
    addons tests --ignore=tests/upstream -m "not backend_independent" "$@"

export DB_CACHE="$PWD/var/dbcache/$KEY-sqlite"
export DB_NAME=":memory:"
unset TRYTOND_DATABASE__URI
# One scenario or test case per scheduling unit: they are many and uneven.
run upstream "SQLite: Tryton's upstream suites with our modules active" load \
    tests/upstream "$@"

python scripts/test_report.py "$REPORTS" || status=1
exit $status
