#!/usr/bin/env bash
# `npm test`: lint, typecheck, unit tests, production build, end-to-end tests — on SQLite, and on Postgres too when one
# is at hand (TEST_DATABASE_URL, or PostgreSQL binaries on this machine: see with-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

# Playwright uses Debian's chromium where it is installed (see playwright.config.ts); elsewhere, its own browser.
if [ -z "${PLAYWRIGHT_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  npx playwright install chromium
fi

# Last, the benchmark in its quick mode (it fails on any failed request; its numbers are not for reading) and the
# client bundle budget.
exec scripts/with-postgres.sh bash -c 'set -e; npm run lint; npm run typecheck; npx vitest run; npx next build; npx playwright test; npm run bench -- --quick; npm run size'
