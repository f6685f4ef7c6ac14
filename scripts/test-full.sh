#!/usr/bin/env bash
# Quick start: runs the whole suite the way CI does — installs what is missing, starts the local
# services, checks lint and the build, then runs unit and end-to-end tests against real services.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

require_node
install_dependencies
ensure_system_packages "${SANDBOX_PACKAGES[@]}" "test -x /usr/bin/chromium:chromium"
start_services

step "lint (eslint, prettier)"
npm run --silent lint

build

step "tests (unit and end-to-end)"
mkdir -p .data
results=.data/jest-results.json
status=0
NODE_OPTIONS=--no-node-snapshot npx jest --ci --forceExit --json --outputFile="$results" "$@" || status=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$ROOT/$results" || true
exit $status
