#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, starts a throwaway PostgreSQL server
# for the PostgreSQL tests (scripts/with-test-postgres.sh), runs every test through ctest, and
# stops the server at the end, also when tests fail or the run is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh
# --repeat until-pass:2: a test that fails is run once more. Known intermittent failure under
# load: a run asked for through the API that never completes (seen in MetricsE2E and the
# upgrade drill since tenants moved onto the blocking pool; issue 19, under investigation).
scripts/with-test-postgres.sh ctest --test-dir build --output-on-failure -j"${JOBS:-2}" --timeout 300 --repeat until-pass:2
