#!/usr/bin/env bash
# The calculate-stage benchmark (issue 5, item 6). Builds Release into build-bench, then runs
# bench/calculate_bench: a synthetic month gathered into a fresh SQLite file, the calculate stage
# over it, and in the same run the SQLite insert ceiling for the same rows. It prints both
# figures, their ratio (the number to quote: machines are noisy), two stricter comparisons (the
# same inserts 64 rows per statement, as the engine writes them; and committed date by date, as
# the stage did before it wrote batches of dates) and the calculate phase's peak RSS. Takes a
# few minutes on 2 cores; with --benchmark_repetitions=3 the figures are medians.
#
#   bench/run.sh                              the month: 20 clusters x 30 days, once
#   bench/run.sh --benchmark_repetitions=3    three rounds; the summary gives medians
#   bench/run.sh --clusters=2 --days=2        a quick smoke run
#   bench/run.sh --dir=/some/disk --keep      where the databases go, and keep them afterwards
#
# Other flags: --principals=2000 --owners=320 --service-accounts=1000, and every --benchmark_*
# flag of Google Benchmark (e.g. --benchmark_filter=calculate_month).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build-bench -j"${JOBS:-2}" --target calculate_bench
exec build-bench/calculate_bench "$@"
