#!/usr/bin/env bash
# The steps of `npm test`, run by scripts/test.sh inside scripts/with-postgres.sh. What can overlap does: lint with the
# type check; the benchmark's quick mode (a smoke test: it fails on any failed request, its numbers are not for
# reading) with the end-to-end suite, whose browser tests spend most of their time waiting for tokens to expire.
set -euo pipefail

step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step 'lint and types'
npm run --silent lint &
lint=$!
npm run --silent typecheck
wait "$lint"

step 'unit tests'
npx vitest run

step 'production build'
npx next build

step 'end-to-end tests, with the quick benchmark alongside'
npm run --silent bench -- --quick > "${TMPDIR:-/tmp}/jwt-session-bench-quick.log" 2>&1 &
bench=$!
status=0
npx playwright test || status=$?
wait "$bench" || { cat "${TMPDIR:-/tmp}/jwt-session-bench-quick.log"; echo 'npm test: the quick benchmark failed'; exit 1; }
tail -n 25 "${TMPDIR:-/tmp}/jwt-session-bench-quick.log"
[ "$status" = 0 ] || exit "$status"

step 'client bundle budget'
npm run --silent size
step 'done'
