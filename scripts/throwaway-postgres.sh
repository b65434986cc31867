#!/usr/bin/env bash
# Starts (or stops) a throwaway PostgreSQL cluster for tests, as DEVELOPERS.md describes.
#   scripts/throwaway-postgres.sh start DIR PORT   → prints the connection URL on stdout
#   scripts/throwaway-postgres.sh stop DIR
# initdb refuses to run as root, so when we are root the cluster belongs to `postgres`.
set -euo pipefail
cmd=${1:?start or stop}
dir=${2:?data folder}
port=${3:-55432}

find_bin() {
  local name=$1
  if command -v "$name" >/dev/null 2>&1; then command -v "$name"; return; fi
  local candidate
  for candidate in /usr/lib/postgresql/*/bin/"$name"; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  echo "PostgreSQL's $name was not found; install PostgreSQL 15 (Debian: apt-get install postgresql)" >&2
  exit 1
}

as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    trap 'echo "PostgreSQL did not start; logs in $dir:" >&2; cat "$dir"/*.log >&2 2>/dev/null || true' ERR
    initdb=$(find_bin initdb)
    pg_ctl=$(find_bin pg_ctl)
    mkdir -p "$dir/data" "$dir/socket"
    if [ "$(id -u)" = "0" ]; then
      chown -R postgres:postgres "$dir"
      # The cluster's owner must be able to reach its folder through every parent.
      runuser -u postgres -- test -x "$dir" || { echo "the postgres user cannot enter $dir (check its parents' permissions)" >&2; exit 1; }
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$initdb" -D "$dir/data" -U postgres --auth=trust >"$dir/initdb.log" 2>&1
    fi
    as_owner "$pg_ctl" -D "$dir/data" -l "$dir/server.log" \
      -o "-p $port -k $dir/socket -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      -w start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    pg_ctl=$(find_bin pg_ctl)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: $0 start DIR [PORT] | stop DIR" >&2
    exit 2
    ;;
esac
