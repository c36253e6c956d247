#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, starts a throwaway PostgreSQL server
# for the PostgreSQL tests (scripts/pg-test-cluster.sh), runs every test through ctest, and stops
# the server at the end, also when tests fail or the run is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh

# Under /tmp, not $TMPDIR: the server runs as the postgres user, who must reach the directory.
pg_dir=$(mktemp -d /tmp/chitragupt-pg-XXXXXX)
stop_pg() { scripts/pg-test-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || rmdir "$pg_dir" 2>/dev/null || true; }
trap stop_pg EXIT
trap 'exit 130' INT TERM
if scripts/pg-test-cluster.sh start "$pg_dir"; then
  # shellcheck source=/dev/null
  source "$pg_dir/env"  # exports CHITRAGUPT_TEST_PG_URL and friends
else
  echo "WARNING: the PostgreSQL test server did not start: the PostgreSQL tests will be" \
    "SKIPPED (and fail when CI=true)" >&2
fi

ctest --test-dir build --output-on-failure -j"${JOBS:-2}" --timeout 300
