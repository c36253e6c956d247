#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, starts a throwaway PostgreSQL server
# for the PostgreSQL tests (scripts/with-test-postgres.sh), runs every test through ctest, and
# stops the server at the end, also when tests fail or the run is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh
scripts/with-test-postgres.sh ctest --test-dir build --output-on-failure -j"${JOBS:-2}" --timeout 300
