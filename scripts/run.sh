#!/usr/bin/env bash
# make run: create the demo database once, then start trytond + trytond-cron.
#
#   bash scripts/run.sh           start (foreground; Ctrl-C stops both servers)
#   CRM_DETACH=1 bash scripts/run.sh   start and return, servers keep running
#   bash scripts/run.sh --stop    stop servers started detached
#
# Settings (environment):
#   CRM_DB        database name (default crm -> var/db/crm.sqlite)
#   CRM_MODULES   modules to activate (default: crm_fruit_customer
#                 crm_fruit_service crm_fruit_portal; those without a
#                 tryton.cfg are skipped)
#   CRM_DEMO_MODULES  extra Tryton modules activated beside them (default
#                 none; incoterm, for the export orders, always comes as a
#                 dependency of crm_fruit_customer)
#   CRM_CUSTOMERS, CRM_MONTHS, CRM_SEED   size of the demo data (300, 24, 42)
#   CRM_DEMO_FULFILMENT=1  ship, invoice and collect the demo sales too (the
#                 ORM load of 300 customers then takes over half an hour)
#   CRM_LISTEN    host:port of the web client (default from trytond.conf)
#   CRM_ADMIN_PASSWORD  password of "admin" at creation (default admin)
#   CRM_ADMIN_EMAIL     e-mail of "admin" at creation (none by default:
#                 trytond-admin checks that its domain receives mail)
#   CRM_SMTP_PORT port of the local mail sink (default: a free one)
#   CRM_RUN_DIR   where the pid files are (default var/run)
#
# Mail: a local SMTP sink (scripts/mailsink.py) is started on loopback and
# trytond / trytond-cron send to it (TRYTOND_EMAIL__URI): every notification
# is kept as a .eml file in var/mail/ instead of being delivered.
# Each server runs in a process group of its own (scripts/procs.sh): stopping
# it stops its children too (trytond-cron's job processes).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

DB=${CRM_DB:-crm}
MODULES=${CRM_MODULES:-crm_fruit_customer crm_fruit_service crm_fruit_portal}
DEMO_MODULES=${CRM_DEMO_MODULES-}
RUN_DIR=${CRM_RUN_DIR:-var/run}
LOG_DIR=var/log
MAIL_DIR=var/mail
STAMPS=var/stamp
mkdir -p "$RUN_DIR" "$LOG_DIR" "$STAMPS"
source scripts/procs.sh

SERVERS=(trytond trytond-cron mailsink)
stop_servers() {
    stop_groups "${SERVERS[@]}"
}

if [[ ${1:-} == --stop ]]; then
    stop_servers
    exit 0
fi

available=()
for module in $MODULES; do
    if [[ -f addons/$module/tryton.cfg ]]; then
        available+=("$module")
    else
        echo "skipping $module: addons/$module/tryton.cfg does not exist" >&2
    fi
done
if (( ${#available[@]} == 0 )); then
    echo "no module to activate" >&2
    exit 1
fi

available+=($DEMO_MODULES)
db_stamp=$STAMPS/db-$DB
db_file=$TRYTOND_DATABASE__PATH/$DB.sqlite

if [[ ! -f $db_file ]]; then
    # SQLite needs the file to exist before trytond-admin initialises it.
    touch "$db_file"
    rm -f "$db_stamp" "$db_stamp.demo"
fi

# Created once, updated (all modules) when the code fingerprint of our
# modules or the module list changes (scripts/dbstamp.py).
if ! python scripts/dbstamp.py ensure -d "$DB" --stamp "$db_stamp" \
        -m "${available[@]}" -l zh_CN en --update-all \
        --password-env CRM_ADMIN_PASSWORD \
        ${CRM_ADMIN_EMAIL:+--email "$CRM_ADMIN_EMAIL"} \
        --word "${available[@]}"; then
    # a half-created database would not get its admin password next time
    [[ -f $db_stamp ]] || rm -f "$db_file"
    exit 1
fi

if [[ ! -f $db_stamp.demo ]]; then
    echo "== loading demo data (once)"
    # the whole order to cash through the ORM takes over half an hour for
    # 300 customers: by default only the portal customer's and three slow
    # payers' (for the credit screens)
    fulfilment=(--portal-fulfilment)
    [[ ${CRM_DEMO_FULFILMENT:-0} == 1 ]] && fulfilment=()
    python -m demo -d "$DB" --customers "${CRM_CUSTOMERS:-300}" \
        --months "${CRM_MONTHS:-24}" --seed "${CRM_SEED:-42}" "${fulfilment[@]}"
    touch "$db_stamp.demo"
fi

# sao's index.html loads node_modules/... relative to itself; npm hoisted them.
if [[ -d sao/node_modules/tryton-sao && ! -e sao/node_modules/tryton-sao/node_modules ]]; then
    ln -sfn .. sao/node_modules/tryton-sao/node_modules
fi
if [[ -d sao/node_modules/tryton-sao && -f sao/custom.js ]]; then
    ln -sfn ../../custom.js sao/node_modules/tryton-sao/custom.js
fi

stop_servers >/dev/null
configs=("$TRYTOND_CONFIG")
if [[ -n ${CRM_LISTEN:-} ]]; then
    # trytond.conf wins over environment variables: override with a file.
    printf '[web]\nlisten = %s\n' "$CRM_LISTEN" > "$RUN_DIR/listen.conf"
    configs+=("$RUN_DIR/listen.conf")
fi
listen=$(python - "${configs[@]}" <<'EOF'
import sys
from trytond import config
config.update_etc(sys.argv[1:])
print(config.get('web', 'listen'))
EOF
)
port=${listen##*:}
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is already in use (another checkout's make run?):" \
        "start with CRM_LISTEN=127.0.0.1:<free port> make run" >&2
    exit 1
fi
trap 'stop_servers' EXIT
start_mailsink "$MAIL_DIR"
# The mailings' one-click unsubscribe link: the portal's page (trytond.conf
# sets no [marketing] section, so the environment holds)
export TRYTOND_MARKETING__EMAIL_UNSUBSCRIBE_URL="http://$listen/$DB/portal/unsubscribe"
# -d loads the database's pool at start: without it the first login fails
# with KeyError: 'res.user'.
start_group trytond "$LOG_DIR/trytond.log" trytond -c "${configs[@]}" -d "$DB"
start_group trytond-cron "$LOG_DIR/trytond-cron.log" \
    trytond-cron -c "${configs[@]}" -d "$DB"

url="http://$listen/"
for _ in $(seq 1 120); do
    if python -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=2)" "$url" 2>/dev/null; then
        break
    fi
    sleep 0.5
done

cat <<EOF

  Tryton CRM is running: $url   (database "$DB", logs in $LOG_DIR/)
  Mails sent by the CRM: $MAIL_DIR/*.eml  (local sink $TRYTOND_EMAIL__URI)

  Demo logins (password for all: demo1234; admin: ${CRM_ADMIN_PASSWORD:-admin})
    rep_fruit1, rep_fruit2        业务员 水果部 (fruit sales reps)
    rep_veg1, rep_veg2            业务员 蔬菜部 (vegetable sales reps)
    mgr_fruit, mgr_veg            部门经理 (department managers)
    crm_manager                   CRM 经理 (all customers)
    service1                      客服 (service agent)
    admin                         administrator

  Customer portal: ${url}${DB}/portal/   (password for all: demo-portal-2026)
    buyer@portal.example, accountant@portal.example, quality@portal.example

EOF

if [[ -n ${CRM_DETACH:-} ]]; then
    trap - EXIT
    echo "  Stop with: make stop"
    exit 0
fi
echo "  Press Ctrl-C to stop."
trap 'stop_servers; exit 0' INT TERM
wait
