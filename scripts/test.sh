#!/usr/bin/env bash
# The whole test suite: system prerequisites (installed from Debian when missing), type-check and
# build (bin/layoutof's own tests run the built tool), tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
node scripts/build.mjs
node scripts/run-tests.mjs "$@"
