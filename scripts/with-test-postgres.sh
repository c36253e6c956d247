#!/usr/bin/env bash
# Runs COMMAND [ARGS...] with a throwaway PostgreSQL server for the PostgreSQL tests
# (scripts/pg-test-cluster.sh; CHITRAGUPT_TEST_PG_URL and friends exported), and stops the
# server afterwards, also when the command fails or the run is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."

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
"$@"
