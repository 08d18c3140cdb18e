#!/usr/bin/env bash
# `npm test`: lint, typecheck, unit tests, production build, end-to-end tests with the benchmark's quick mode, the client
# bundle budget (scripts/test-steps.sh) — on SQLite, and on Postgres too when one is at hand (TEST_DATABASE_URL, or
# PostgreSQL binaries on this machine: see with-postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

# Playwright uses Debian's chromium (its headless shell, or the full browser) where it is installed (see
# playwright.config.ts); elsewhere, its own browser.
if [ -z "${PLAYWRIGHT_CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium-headless-shell ] && [ ! -x /usr/bin/chromium ]; then
  npx playwright install chromium
fi

exec scripts/with-postgres.sh scripts/test-steps.sh
