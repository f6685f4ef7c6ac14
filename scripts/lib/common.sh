#!/usr/bin/env bash
# Shared steps of the two Quick start commands: check Node, install dependencies, system packages
# and local services. Sourced by scripts/platform.sh and scripts/test-full.sh.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

step() { printf '\n==> %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

require_node() {
  command -v node >/dev/null || die "Node.js >= 20.19 is required (https://nodejs.org)."
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
    die "Node.js >= 20.19 is required; this is $(node --version)."
}

# npm ci when node_modules is missing or older than the lock file.
install_dependencies() {
  if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
    step "installing npm dependencies (npm ci)"
    npm ci --no-audit --no-fund
  fi
}

# Debian packages the sandbox (bubblewrap, Python with numpy and pandas) and browser tests need.
# Installed when missing and apt-get can be used; otherwise the features that need them report
# themselves unavailable.
ensure_system_packages() {
  local missing=()
  for spec in "$@"; do
    local command=${spec%%:*} package=${spec##*:}
    if ! eval "$command" >/dev/null 2>&1; then missing+=("$package"); fi
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    step "installing Debian packages: ${missing[*]}"
    (apt-get update -qq || true) >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    printf 'warning: missing system packages: %s (install them for every feature to work)\n' "${missing[*]}" >&2
  fi
}

SANDBOX_PACKAGES=(
  "command -v bwrap:bubblewrap"
  "/usr/bin/python3 -c 'import numpy':python3-numpy"
  "/usr/bin/python3 -c 'import pandas':python3-pandas"
)

start_services() {
  step "starting local services (FerretDB, Redis, S3) where none is configured"
  bash scripts/services/services.sh up
  eval "$(bash scripts/services/services.sh env)"
}

build() {
  step "building"
  npx nest build
}
