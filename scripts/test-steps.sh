#!/usr/bin/env bash
# The steps of `npm test`, run by scripts/test.sh inside scripts/with-postgres.sh. What can overlap does: lint with the
# type check; the unit tests with the production build (neither reads the other's files); the benchmark's quick mode
# (a smoke test: it fails on any failed request, its numbers are not for reading) with the end-to-end suite, whose
# browser tests spend most of their time waiting for tokens to expire. The suite is one Playwright run: its Firefox ESR
# and WebKitGTK projects (the cross-engine flows) share its workers with the Chromium and API projects.
set -euo pipefail

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

# `alongside NAME COMMAND…` starts a command in the background, its output kept in a log; `finish NAME LINES` waits for
# it, fails (printing the whole log) when it failed, else prints the log's last LINES — then fails if the foreground
# command run meanwhile did.
declare -A pids
alongside() { local name=$1; shift; "$@" > "$logs/$name.log" 2>&1 & pids[$name]=$!; }
finish() {
  wait "${pids[$1]}" || { cat "$logs/$1.log"; echo "npm test: $1 failed"; exit 1; }
  tail -n "$2" "$logs/$1.log"
  [ "$status" = 0 ] || exit "$status"
}

logs=$(mktemp -d "${TMPDIR:-/tmp}/jwt-session-test-XXXXXX")
trap 'rm -rf "$logs"' EXIT
status=0

step 'lint and types'
npm run --silent lint &
lint=$!
npm run --silent typecheck || status=$?
wait "$lint" || status=$?
[ "$status" = 0 ] || exit "$status"

step 'unit tests, with the production build alongside'
alongside build npx next build
npx vitest run || status=$?
finish build 30

step 'end-to-end tests, with the quick benchmark alongside'
# --no-build: the build above is the one under test (and the e2e servers run from it), never rebuilt meanwhile.
alongside bench npm run --silent bench -- --quick --no-build
npx playwright test || status=$?
finish bench 40

step 'client bundle budget'
npm run --silent size
step 'done'
