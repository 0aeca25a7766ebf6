#!/usr/bin/env bash
# Brings a fresh clone to a runnable state: npm dependencies, then Redis and
# the MongoDB-wire server (scripts/services.sh). Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` honours the lock file; `npm ci` is refused by some npm 11 releases
  # when the lock lists only this platform's optional binaries (esbuild, rollup).
  echo "setup: installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error
fi
bash scripts/services.sh start
