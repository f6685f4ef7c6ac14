#!/usr/bin/env bash
# bash scripts/build-to.sh DIR -> compiles the project into DIR instead of dist/ (same Nest
# build, Swagger plugin included). Lets several people or agents build and run e2e tests and
# benchmarks side by side without deleting each other's dist/: point NML_DIST_DIR at DIR.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${1:?usage: scripts/build-to.sh DIR}
out=$(realpath -m "$out")
config=".tsconfig.build-to.$$.json"
trap 'rm -f "$config"' EXIT
cat >"$config" <<JSON
{
  "extends": "./tsconfig.build.json",
  "compilerOptions": { "outDir": "$out", "tsBuildInfoFile": "$out/tsconfig.build.tsbuildinfo" }
}
JSON
npx nest build -p "$config"
# Compiled files resolve packages upwards from DIR: give them the checkout's node_modules.
ln -sfn "$PWD/node_modules" "$out/node_modules"
