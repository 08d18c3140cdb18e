#!/usr/bin/env bash
# The steps of `npm test`, run by scripts/test.sh inside scripts/with-postgres.sh. What can overlap does: lint with the
# type check; the unit tests with the production build (neither reads the other's files); the benchmark's quick mode
# (a smoke test: it fails on any failed request, its numbers are not for reading) with the end-to-end suite, whose
# browser tests spend most of their time waiting for tokens to expire.
set -euo pipefail

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

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
npx next build > "$logs/build.log" 2>&1 &
build=$!
npx vitest run || status=$?
wait "$build" || { cat "$logs/build.log"; echo 'npm test: next build failed'; exit 1; }
tail -n 30 "$logs/build.log"
[ "$status" = 0 ] || exit "$status"

step 'end-to-end tests, with the quick benchmark alongside'
# --no-build: the build above is the one under test (and the e2e servers run from it), never rebuilt meanwhile.
npm run --silent bench -- --quick --no-build > "$logs/bench.log" 2>&1 &
bench=$!
npx playwright test || status=$?
wait "$bench" || { cat "$logs/bench.log"; echo 'npm test: the quick benchmark failed'; exit 1; }
tail -n 25 "$logs/bench.log"
[ "$status" = 0 ] || exit "$status"

step 'client bundle budget'
npm run --silent size
step 'done'
