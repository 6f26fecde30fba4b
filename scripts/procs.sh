# Source me (scripts/run.sh, scripts/serve.sh): start and stop the servers of
# this checkout as whole process groups.
#
# trytond-cron runs its jobs in a ProcessPoolExecutor and Gunicorn forks its
# workers: killing only the pid that `&` gave left those children running,
# orphaned (parent 1), still running cron jobs on the database. Each server
# is therefore started in a session of its own (setsid: its pid is the id of
# its process group) and stopped by signalling the whole group.
#
#   RUN_DIR=var/run
#   start_group NAME LOG COMMAND...   start, pid in $RUN_DIR/NAME.pid
#   stop_group NAME                   TERM the group, KILL it after 10 s
#   stop_groups NAME...
#   start_mailsink MAIL_DIR           SMTP sink on loopback, exports
#                                     TRYTOND_EMAIL__URI=smtp://127.0.0.1:PORT
RUN_DIR="${RUN_DIR:-var/run}"

start_group() {
    local name="$1" log="$2"; shift 2
    mkdir -p "$RUN_DIR"
    # `&` in a non-interactive shell: the child is no group leader, so
    # setsid makes it one without forking and $! is the group id.
    setsid "$@" >>"$log" 2>&1 </dev/null &
    echo $! > "$RUN_DIR/$name.pid"
}

_group_alive() {
    kill -0 -- "-$1" 2>/dev/null
}

stop_group() {
    local name="$1" pidfile="$RUN_DIR/$1.pid" pgid
    [[ -f $pidfile ]] || return 0
    pgid="$(cat "$pidfile")"
    if [[ $pgid =~ ^[0-9]+$ ]] && (( pgid > 1 )) && _group_alive "$pgid"; then
        kill -TERM -- "-$pgid" 2>/dev/null || true
        local waited=0
        while _group_alive "$pgid" && (( waited < 100 )); do
            sleep 0.1
            waited=$((waited + 1))
        done
        if _group_alive "$pgid"; then
            kill -KILL -- "-$pgid" 2>/dev/null || true
            echo "killed $name (process group $pgid)"
        else
            echo "stopped $name (process group $pgid)"
        fi
    fi
    rm -f "$pidfile"
}

stop_groups() {
    local name
    for name in "$@"; do
        stop_group "$name"
    done
}

start_mailsink() {
    local mail_dir="$1" port_file="$RUN_DIR/mailsink.port"
    mkdir -p "$mail_dir" "$RUN_DIR"
    rm -f "$port_file"
    start_group mailsink "${LOG_DIR:-var/log}/mailsink.log" \
        python "$(dirname "${BASH_SOURCE[0]}")/mailsink.py" \
        --dir "$mail_dir" --port "${CRM_SMTP_PORT:-0}" --port-file "$port_file"
    local _i
    for _i in $(seq 1 100); do
        [[ -s $port_file ]] && break
        sleep 0.1
    done
    if [[ ! -s $port_file ]]; then
        echo "the mail sink did not start (see ${LOG_DIR:-var/log}/mailsink.log)" >&2
        return 1
    fi
    export TRYTOND_EMAIL__URI="smtp://127.0.0.1:$(cat "$port_file")"
}
