#!/usr/bin/env bash
# Time to first render of the web UI's dashboard on a seeded tenant (default 1 M chargeback rows
# in the last full month), in Debian's chromium. Builds Release into build-bench-api (like
# bench/api_bench.sh), seeds a SQLite tenant (bench/seed_report_db), starts the engine with
# --mode api on 127.0.0.1 and runs ui/browser/first_render.mjs; the limit it reports against is
# one aggregate call of the same month measured in the same run.
#   bench/ui_bench.sh            ROWS=2000000 bench/ui_bench.sh
#   BUILD_DIR=build bench/ui_bench.sh   use an existing build tree (built with the UI)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROWS="${ROWS:-1000000}"
bench_build chitragupt seed_report_db
bench_workdir ui
bench_last_month
bench_seeded_engine
(cd ui && node browser/first_render.mjs --base "http://127.0.0.1:${port}" --tenant bench \
  --start "$first" --end "$last" --runs "${RUNS:-3}")
