# Source me: a throw-away PostgreSQL server on loopback for tests and benchmarks.
#   source scripts/pg.sh && pg_start   # exports TRYTOND_DATABASE__URI, PGHOST, PGPORT
#   pg_stop                            # stop it (the data stays)
#   pg_destroy                         # stop it and remove its directory
# Debian's postgresql is installed when missing. Durability is off (a
# throw-away cluster); random_page_cost and jit are those of production
# (docker-compose.yml) so that plans are the same.
#
# Where the cluster lives (PG_DIR) works wherever the checkout is: PostgreSQL
# refuses to run as root, so as root the cluster runs as the `postgres` user,
# who cannot enter a checkout under /root (mode 700), a `mktemp -d` folder or
# another user's home. PG_DIR is therefore a directory of its own under
# /var/tmp named by a hash of the checkout path
# (/var/tmp/crm-fruit-pg-<uid>-<hash>), owned by the user running the
# server; its socket lives there too (no space, short path). A checkout
# that already has a cluster in var/pg keeps it (and its port 55432).
#
# The port (PG_PORT) is derived from the same hash (25433-26432, below the
# kernel's ephemeral ports 32768-60999: there the client side of any
# connection — the test suites make thousands — may hold the port when the
# server binds it), then the next free one if another program holds it; the
# chosen port is kept in $PG_DIR/port, so two checkouts on one machine each
# get their own server. Should the bind fail all the same, the next port is
# tried.
_pg_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_pg_hash="$(printf '%s' "$_pg_root" | sha1sum | cut -c1-10)"
if [ -z "${PG_DIR:-}" ]; then
    if [ -f "$_pg_root/var/pg/data/PG_VERSION" ]; then
        PG_DIR="$_pg_root/var/pg"          # a cluster made by earlier pg.sh
        PG_PORT="${PG_PORT:-55432}"
    else
        PG_DIR="/var/tmp/crm-fruit-pg-$(id -u)-$_pg_hash"
    fi
fi

_pg_bin() {
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

_pg_install() {
    [ -n "$(_pg_bin)" ] && return 0
    echo "pg.sh: installing Debian's postgresql" >&2
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    else
        sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
    fi
    [ -n "$(_pg_bin)" ]
}

# PostgreSQL refuses to run as root: run its tools as the postgres user then,
# else as the invoking user (who owns PG_DIR).
_pg_as() {
    if [ "$(id -u)" = 0 ]; then
        # from /: postgres may not enter the current directory
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

_pg_port_busy() {
    # true when something listens on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The port of the cluster: the running server's, else the one kept in
# $PG_DIR/port, else one derived from the checkout hash (next free one).
_pg_choose_port() {
    local pidfile="$PG_DIR/data/postmaster.pid" port
    if [ -n "${PG_PORT:-}" ]; then
        return 0
    fi
    if [ -f "$pidfile" ] && _pg_as "$(_pg_bin)/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        PG_PORT="$(sed -n 4p "$pidfile")"
        return 0
    fi
    if [ -f "$PG_DIR/port" ]; then
        port="$(cat "$PG_DIR/port")"
        # a port kept from before is dropped when ephemeral (see above)
        if [ "$port" -lt 32768 ] && ! _pg_port_busy "$port"; then
            PG_PORT="$port"
            return 0
        fi
    fi
    port=$((25433 + 0x${_pg_hash:0:6} % 1000))
    local tries=0
    while _pg_port_busy "$port"; do
        tries=$((tries + 1))
        if [ "$tries" -ge 100 ]; then
            echo "pg.sh: no free port from $((port - tries)) to $port; set PG_PORT" >&2
            return 1
        fi
        port=$((port + 1))
    done
    PG_PORT="$port"
}

pg_start() {
    _pg_install || { echo "pg.sh: PostgreSQL is not available" >&2; return 1; }
    local bin; bin="$(_pg_bin)"
    mkdir -p "$PG_DIR"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$PG_DIR"
        chmod 700 "$PG_DIR"
    fi
    if ! _pg_as test -w "$PG_DIR"; then
        echo "pg.sh: $PG_DIR is not writable by $( [ "$(id -u)" = 0 ] && echo postgres || id -un); unset PG_DIR to use /var/tmp" >&2
        return 1
    fi
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
        _pg_as "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust \
            -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    fi
    _pg_choose_port || return 1
    if ! _pg_as "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        if _pg_port_busy "$PG_PORT"; then
            echo "pg.sh: port $PG_PORT is already used by another program (another checkout's cluster?); set PG_PORT" >&2
            return 1
        fi
        local attempt
        for attempt in 1 2 3 4 5; do
            _pg_as "$bin/pg_ctl" -D "$PG_DIR/data" -w -t 60 -l "$PG_DIR/server.log" \
                -o "-p $PG_PORT -k '$PG_DIR' -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c random_page_cost=1.1 -c jit=off" \
                start >/dev/null && break
            if [ "$attempt" -lt 5 ] && tail -n 20 "$PG_DIR/server.log" \
                    | grep -q 'could not bind\|could not create any TCP/IP sockets'; then
                echo "pg.sh: port $PG_PORT taken meanwhile, trying $((PG_PORT + 1))" >&2
                PG_PORT=$((PG_PORT + 1))
                continue
            fi
            cat "$PG_DIR/server.log" >&2
            return 1
        done
    fi
    echo "$PG_PORT" | _pg_as tee "$PG_DIR/port" >/dev/null
    export PG_DIR PG_PORT
    export TRYTOND_DATABASE__URI="postgresql://postgres@127.0.0.1:$PG_PORT/"
    export PGHOST=127.0.0.1 PGPORT="$PG_PORT" PGUSER=postgres
}

pg_stop() {
    local bin; bin="$(_pg_bin)"
    [ -n "$bin" ] && [ -f "$PG_DIR/data/PG_VERSION" ] \
        && _pg_as "$bin/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1
    unset TRYTOND_DATABASE__URI
    return 0
}

# Stop the cluster and remove its directory (what pg_start created).
pg_destroy() {
    pg_stop
    case "$PG_DIR" in
        /var/tmp/crm-fruit-pg-*|"$_pg_root"/var/pg) rm -rf "$PG_DIR" ;;
        *) echo "pg.sh: not removing $PG_DIR (not made by pg.sh)" >&2 ;;
    esac
}
