#!/usr/bin/env bash
# Quick start: installs what is missing, starts the local services, builds, and runs the API and
# the worker on local defaults until Ctrl-C. Configure with environment variables (README).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

require_node
install_dependencies
ensure_system_packages "${SANDBOX_PACKAGES[@]}"
start_services
build

step "starting API (http://127.0.0.1:${PORT:-3000}, docs at /docs) and worker"
node --no-node-snapshot dist/src/main.js &
api=$!
node --no-node-snapshot dist/src/worker.js &
worker=$!
trap 'kill -TERM $api $worker 2>/dev/null; wait $api $worker 2>/dev/null' INT TERM EXIT
# Stop both when either stops.
wait -n $api $worker
