#!/usr/bin/env bash
# `npm test`: lint, typecheck, unit tests, production build, end-to-end tests — on SQLite, and on Postgres too when a
# server is at hand (TEST_DATABASE_URL, or PostgreSQL binaries on this machine, from which a throwaway one is started).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

pg_dir=""
stop_postgres() {
  if [ -n "$pg_dir" ]; then
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap stop_postgres EXIT

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [ -z "${TEST_DATABASE_URL:-}" ]; then
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ]; then
    pg_port=${TEST_PG_PORT:-54329}
    pg_dir=$(mktemp -d /tmp/jwt-session-pg-XXXXXX)
    mkdir -p "$pg_dir/data"
    chmod 700 "$pg_dir/data"
    [ "$(id -u)" = 0 ] && chown -R postgres "$pg_dir"
    as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust >/dev/null
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -w -l "$pg_dir/log" \
      -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c max_connections=200" start >/dev/null
    psql -h 127.0.0.1 -p "$pg_port" -U postgres -q -c "CREATE ROLE app LOGIN PASSWORD 'app'" -c "CREATE DATABASE app OWNER app"
    export TEST_DATABASE_URL="postgres://app:app@127.0.0.1:$pg_port/app"
    echo "test: throwaway PostgreSQL on port $pg_port"
  else
    echo "test: no PostgreSQL found (set TEST_DATABASE_URL to include it); running on SQLite only"
  fi
fi

npm run lint
npm run typecheck
npx vitest run
npx next build
npx playwright test
