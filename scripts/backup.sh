#!/usr/bin/env bash
# Back up and restore a Tryton database: PostgreSQL custom-format dump
# (pg_dump -Fc) plus the filestore (attachments, reports kept on disk, which
# trytond stores in $TRYTOND_DATABASE__PATH/<database>/, not in PostgreSQL).
#
#   bash scripts/backup.sh dump DATABASE DIR          -> DIR/DATABASE.dump
#                                                        DIR/DATABASE-filestore.tar
#   bash scripts/backup.sh restore DIR/DATABASE.dump NEW_DATABASE
#                                                     (a new database; its
#                                                      filestore beside the others)
#
# It talks to the server of PGHOST/PGPORT/PGUSER (source scripts/pg.sh &&
# pg_start for the loopback one; docs/deploy.md for docker compose).
# Settings: BACKUP_JOBS (parallel restore jobs, default: cores).
set -euo pipefail

filestore_root() {
    if [[ -n ${TRYTOND_DATABASE__PATH:-} ]]; then
        echo "$TRYTOND_DATABASE__PATH"
    else
        python -c 'from trytond.config import config; print(config.get("database", "path"))'
    fi
}

dump() {
    local db="$1" dir="$2" root
    mkdir -p "$dir"
    root="$(filestore_root)"
    # -Fc: compressed, restorable table by table and in parallel
    pg_dump -Fc --no-owner -d "$db" -f "$dir/$db.dump.tmp"
    mv "$dir/$db.dump.tmp" "$dir/$db.dump"
    if [[ -d $root/$db ]]; then
        tar -C "$root" -cf "$dir/$db-filestore.tar.tmp" "$db"
    else
        tar -cf "$dir/$db-filestore.tar.tmp" --files-from /dev/null
    fi
    mv "$dir/$db-filestore.tar.tmp" "$dir/$db-filestore.tar"
    echo "dumped $db to $dir/$db.dump and $dir/$db-filestore.tar"
}

restore() {
    local file="$1" db="$2" root source tmp
    source="$(basename "$file" .dump)"
    root="$(filestore_root)"
    if [[ -e $root/$db ]]; then
        echo "backup.sh: $root/$db exists: restore into a new database" >&2
        return 1
    fi
    createdb -T template0 -E UTF8 "$db"
    pg_restore --no-owner -j "${BACKUP_JOBS:-$(nproc)}" -d "$db" "$file"
    local tar="${file%.dump}-filestore.tar"
    if [[ -f $tar ]]; then
        tmp="$(mktemp -d "$root/.restore.XXXXXX")"
        tar -C "$tmp" -xf "$tar"
        if [[ -d $tmp/$source ]]; then
            mv "$tmp/$source" "$root/$db"
        fi
        rm -rf "$tmp"
    fi
    echo "restored $file into $db"
}

case "${1:-}" in
    dump) shift; dump "$@" ;;
    restore) shift; restore "$@" ;;
    *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
