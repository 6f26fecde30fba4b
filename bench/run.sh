#!/usr/bin/env bash
# make bench: build the benchmark database once, then run every bench/bench_*.py
# and write bench/results.json (see bench/README.md).
#
# Settings (environment):
#   BENCH_DB         database name (default crm_bench)
#   BENCH_CUSTOMERS  number of customers or a demo size name (default bench = 100k)
#   BENCH_MONTHS, BENCH_SEED, BENCH_END   data set shape (24, 42, today)
#   BENCH_ONLY       run only the bench_<name>.py modules listed (space separated)
#   BENCH_LOADER     demo (default: the team's generator and its COPY writer,
#                    100k customers in 8-12 minutes on two shared cores) or sql
#                    (bench/dataset.py: a cruder set by generate_series inside
#                    PostgreSQL)
#   BENCH_KEEP_PG=1  leave a PostgreSQL server this script started running
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh

DB=${BENCH_DB:-crm_bench}
CUSTOMERS=${BENCH_CUSTOMERS:-bench}
MODULES="crm_fruit_customer crm_fruit_service crm_fruit_portal"
STAMPS=var/stamp
mkdir -p "$STAMPS"

pg_was_running=0
if [[ -f ${PG_DIR}/data/PG_VERSION ]] \
        && _pg_as "$(_pg_bin)/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
    pg_was_running=1
fi
pg_start
if (( ! pg_was_running )) && [[ -z ${BENCH_KEEP_PG:-} ]]; then
    trap pg_stop EXIT
fi

available=()
for module in $MODULES; do
    [[ -f addons/$module/tryton.cfg ]] && available+=("$module")
done

db_stamp=$STAMPS/bench-$DB
exists=$(psql -d postgres -Atc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB'")
if [[ -z $exists ]]; then
    psql -d postgres -qc "CREATE DATABASE \"$DB\" ENCODING 'UTF8' TEMPLATE template0"
    rm -f "$db_stamp" "$db_stamp".data-*
fi
# A stamp per database cluster: a new cluster (rm -r var/pg) rebuilds all.
# No translations are loaded: the .po files are not in the fingerprint.
# English is activated all the same: account loads its chart templates
# (account_chart_en.xml) for an active language only, and without a chart
# the data set has no shipment, invoice nor payment.
cluster=$(cat "$PG_DIR/data/PG_VERSION")-$(stat -c %Y "$PG_DIR/data/PG_VERSION")
python scripts/dbstamp.py ensure -d "$DB" --stamp "$db_stamp" \
    -m "${available[@]}" -l en --ext py xml cfg --word "$cluster" en

LOADER=${BENCH_LOADER:-demo}
data_stamp=$db_stamp.data-$LOADER-$CUSTOMERS-${BENCH_MONTHS:-24}-${BENCH_SEED:-42}
if [[ ! -f $data_stamp ]]; then
    load_start=$SECONDS
    if [[ $LOADER == sql ]]; then
        echo "== building the data set inside PostgreSQL (once)"
        [[ $CUSTOMERS == bench ]] && CUSTOMERS=100000
        args=(-d "$DB" --customers "$CUSTOMERS")
        [[ -n ${BENCH_END:-} ]] && args+=(--end "$BENCH_END")
        python -m bench.dataset "${args[@]}"
    else
        echo "== loading the data set ($CUSTOMERS customers) with the demo generator and PostgreSQL COPY (once)"
        args=(-d "$DB" --customers "$CUSTOMERS" --months "${BENCH_MONTHS:-24}"
            --seed "${BENCH_SEED:-42}" --copy)
        [[ -n ${BENCH_END:-} ]] && args+=(--end "$BENCH_END")
        python -m demo "${args[@]}"
    fi
    psql -d "$DB" -qc 'VACUUM ANALYZE'
    echo "== data set loaded and vacuumed in $((SECONDS - load_start))s"
    touch "$data_stamp"
fi

python -m bench -d "$DB" ${BENCH_ONLY:+--only $BENCH_ONLY}
