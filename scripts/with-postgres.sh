#!/usr/bin/env bash
# Runs a command with TEST_DATABASE_URL (and TEST_REVOCATION_DATABASE_URL, a second database) pointing at a throwaway PostgreSQL, started from the PostgreSQL binaries on
# this machine and removed afterwards. When TEST_DATABASE_URL is already set, or no PostgreSQL is installed, it just
# runs the command (saying so). Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

pg_dir=""
pg_bin=""
stop_postgres() {
  if [ -n "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap stop_postgres EXIT

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]; then
    pg_port=${TEST_PG_PORT:-54329}
    pg_dir=$(mktemp -d /tmp/jwt-session-pg-XXXXXX)
    mkdir -p "$pg_dir/data"
    chmod 700 "$pg_dir/data"
    if [ "$(id -u)" = 0 ]; then chown -R postgres "$pg_dir"; fi
    as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust >/dev/null
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/log" \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200" start >/dev/null
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -q -c "CREATE ROLE app LOGIN PASSWORD 'app'" -c "CREATE DATABASE app OWNER app" \
      -c "CREATE DATABASE app_revocation OWNER app"
    export TEST_DATABASE_URL="postgres://app:app@127.0.0.1:$pg_port/app"
    # A second database, for the end-to-end servers whose memory of revocations must be the revocation suite's alone.
    export TEST_REVOCATION_DATABASE_URL="postgres://app:app@127.0.0.1:$pg_port/app_revocation"
    echo "with-postgres: throwaway PostgreSQL on port $pg_port"
  else
    echo "with-postgres: no PostgreSQL found (set TEST_DATABASE_URL to include it); SQLite only"
  fi
fi

"$@"
