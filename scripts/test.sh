#!/usr/bin/env bash
# The whole test suite: system prerequisites (installed from Debian when missing; as root or in CI one
# that cannot be had stops the run here), type-check and build (bin/layoutof's own tests run the built
# tool), lint (ESLint and Prettier), tests (skipped ones listed at the end). docs/testing.md says what this changes on the system.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
node scripts/build.mjs
npm run --silent lint
node scripts/run-tests.mjs "$@"
