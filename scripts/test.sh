#!/usr/bin/env bash
# `npm test`: set up what is missing, type-check, then run every test on the real servers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
mkdir -p .nuqta && rm -f .nuqta/test-results.json
echo "test: type-checking"
npx tsc --noEmit -p .
npx vitest run "$@"
