#!/usr/bin/env bash
# Brings a fresh clone to a runnable state: npm dependencies, then Redis and
# the MongoDB-wire server (scripts/services.sh). Safe to run again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
bash scripts/services.sh start
