#!/usr/bin/env bash
# make serve: the production WSGI server (Gunicorn, deploy/gunicorn.conf.py,
# several worker processes on trytond.application:app) outside Docker,
# against the loopback PostgreSQL of scripts/pg.sh.
#
#   bash scripts/serve.sh            create the database once, serve (Ctrl-C stops)
#   SERVE_DETACH=1 bash scripts/serve.sh   serve in the background
#   bash scripts/serve.sh --stop     stop a detached server (its whole group)
#
# Settings (environment):
#   SERVE_DB          database (default crm_serve; created with our modules and
#                     the demo data when missing)
#   SERVE_CUSTOMERS   demo size at creation (default 300)
#   SERVE_LISTEN      host:port (default 127.0.0.1:8010)
#   WEB_CONCURRENCY   Gunicorn worker processes (default 4)
#   GUNICORN_THREADS  threads per worker (default 1)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
source scripts/pg.sh
RUN_DIR=${CRM_RUN_DIR:-var/run}
LOG_DIR=var/log
mkdir -p "$RUN_DIR" "$LOG_DIR"
source scripts/procs.sh

if [[ ${1:-} == --stop ]]; then
    stop_group gunicorn
    exit 0
fi

DB=${SERVE_DB:-crm_serve}
MODULES="crm_fruit_customer crm_fruit_service crm_fruit_portal"
pg_start
exists=$(psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$DB'")
if [[ -z $exists ]]; then
    echo "== creating database $DB with $MODULES and ${SERVE_CUSTOMERS:-300} demo customers (minutes)"
    psql -d postgres -qc "CREATE DATABASE \"$DB\" ENCODING 'UTF8' TEMPLATE template0"
    passfile=$(mktemp)
    echo "${CRM_ADMIN_PASSWORD:-admin}" > "$passfile"
    if ! printf '\n' | TRYTONPASSFILE=$passfile trytond-admin -d "$DB" -u $MODULES \
            --activate-dependencies -l zh_CN en ${CRM_ADMIN_EMAIL:+--email "$CRM_ADMIN_EMAIL"}; then
        rm -f "$passfile"
        psql -d postgres -qc "DROP DATABASE \"$DB\""
        exit 1
    fi
    rm -f "$passfile"
    python -m demo -d "$DB" --customers "${SERVE_CUSTOMERS:-300}"
fi

listen=${SERVE_LISTEN:-127.0.0.1:8010}
stop_group gunicorn >/dev/null
export GUNICORN_BIND=$listen WEB_CONCURRENCY=${WEB_CONCURRENCY:-4}
export TRYTOND_DATABASE_NAMES=$DB
start_group gunicorn "$LOG_DIR/gunicorn.log" \
    gunicorn --config deploy/gunicorn.conf.py trytond.application:app
for _ in $(seq 1 240); do
    if python -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "http://$listen/" 2>/dev/null; then
        break
    fi
    sleep 0.5
done
echo "  Gunicorn: http://$listen/ ($WEB_CONCURRENCY workers, database $DB, log $LOG_DIR/gunicorn.log)"
if [[ -n ${SERVE_DETACH:-} ]]; then
    echo "  Stop with: make serve-stop"
    exit 0
fi
trap 'stop_group gunicorn; exit 0' INT TERM
wait
