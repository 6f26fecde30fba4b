#!/usr/bin/env bash
# `make test`: every test of the project, on SQLite and on a real PostgreSQL
# server on loopback, then Tryton's upstream suites with our modules active.
# Extra arguments are passed to every pytest run (e.g. -x, -k name).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh

# The DB cache holds databases with the modules installed; the key covers
# everything that shapes them so a schema change never reuses a stale one.
schema_key() {
    { cat requirements.lock 2>/dev/null
      find addons -type f \( -name '*.py' -o -name '*.xml' -o -name '*.cfg' -o -name '*.po' \) \
          -not -path '*/tests/*' -print0 | sort -z | xargs -0 cat
    } | sha256sum | cut -c1-16
}
KEY="$(schema_key)"
mkdir -p var/dbcache tests/artifacts
# Keep only the caches of the current schema.
find var/dbcache -mindepth 1 -maxdepth 1 -not -name "$KEY-*" -exec rm -rf {} +

# Tests are CPU-bound: one pytest-xdist worker per core (each gets its own
# database and DB cache, see conftest.py).
JOBS="${TEST_JOBS:-$(nproc)}"
status=0
run() {
    local label="$1"; shift
    echo "=== $label"
    python -m pytest -n "$JOBS" --dist load "$@" || status=1
}

export DB_CACHE="$PWD/var/dbcache/$KEY-sqlite"
export DB_NAME=":memory:"
mkdir -p "$DB_CACHE"
run "SQLite: our modules and the cross-module tests" addons tests --ignore=tests/upstream "$@"

pg_start
trap pg_stop EXIT
export DB_CACHE="$PWD/var/dbcache/$KEY-postgresql"
export DB_NAME="test_crm_fruit"
mkdir -p "$DB_CACHE"
run "PostgreSQL: our modules and the cross-module tests" addons tests --ignore=tests/upstream -m "not backend_independent" "$@"

export DB_CACHE="$PWD/var/dbcache/$KEY-sqlite"
export DB_NAME=":memory:"
unset TRYTOND_DATABASE__URI
run "SQLite: Tryton's upstream suites with our modules active" tests/upstream "$@"

exit $status
