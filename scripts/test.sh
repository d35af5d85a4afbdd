#!/usr/bin/env bash
# The whole test suite: system prerequisites (installed from Debian when missing), type-check, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
npx tsc -p tsconfig.json --noEmit
node scripts/run-tests.mjs "$@"
