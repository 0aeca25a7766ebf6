#!/usr/bin/env bash
# `npm run demo`: set up what is missing, then play an emulated campaign end to end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
exec node bin/nuqta.js demo "$@"
