# Source me: a throw-away PostgreSQL server on loopback for tests and benchmarks.
#   source scripts/pg.sh && pg_start   # exports TRYTOND_DATABASE__URI
#   pg_stop
# Debian's postgresql is installed when missing. The cluster lives in
# $PG_DIR (default var/pg) and listens on 127.0.0.1:$PG_PORT only.
# Durability is off (a throw-away cluster); random_page_cost is the one of
# production (docker-compose.yml) so that plans are the same.
_pg_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_DIR="${PG_DIR:-$_pg_root/var/pg}"
PG_PORT="${PG_PORT:-55432}"

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

# PostgreSQL refuses to run as root: run its tools as the postgres user then.
_pg_as() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

pg_start() {
    _pg_install || { echo "pg.sh: PostgreSQL is not available" >&2; return 1; }
    local bin; bin="$(_pg_bin)"
    mkdir -p "$PG_DIR"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_DIR"
    if [ ! -f "$PG_DIR/data/PG_VERSION" ]; then
        _pg_as "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust \
            -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
            || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    fi
    if ! _pg_as "$bin/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        _pg_as "$bin/pg_ctl" -D "$PG_DIR/data" -w -t 60 -l "$PG_DIR/server.log" \
            -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c random_page_cost=1.1" \
            start >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
    fi
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
