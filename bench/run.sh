#!/usr/bin/env bash
# npm run bench            -> every benchmark, one after the other
# npm run bench -- http    -> only bench/*http*.ts
# Benchmarks print their figures; docs/benchmarks.md records them with the machine and date.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/common.sh"

require_node
install_dependencies
start_services
build
filter=${1:-}
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB, $(node --version), $(date -u +%FT%TZ)"
for script in dist/bench/*.js; do
  name=$(basename "$script" .js)
  [[ $name == support ]] && continue
  [[ -n $filter && $name != *"$filter"* ]] && continue
  printf '\n### %s\n' "$name"
  # A bench with a Python reference (scikit-learn, pandas…) runs it first, in the same run.
  reference="bench/${name//-/_}_reference.py"
  if [[ -f $reference ]]; then
    if [[ -f ".data/bench/${name//-/_}_reference.json" ]]; then
      /usr/bin/python3 "$reference" --timing-only
    else
      /usr/bin/python3 "$reference"
    fi
  fi
  node --no-node-snapshot "$script" "${@:2}"
done
