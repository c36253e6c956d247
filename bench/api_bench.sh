#!/usr/bin/env bash
# HTTP latency of the report API under wrk on loopback (issue 6): GET /health and a one-month
# GET .../chargebacks/aggregate over >= 1 M chargeback rows. Builds Release into build-bench-api,
# seeds a SQLite tenant database (bench/seed_report_db), starts the engine with --mode api on
# 127.0.0.1 and prints wrk's latency distribution and a p50/p99 summary for both routes.
#
#   bench/api_bench.sh                       1 M rows, 10 s per route, 2 threads, 16 connections
#   ROWS=2000000 DURATION=30s CONNECTIONS=64 bench/api_bench.sh
#   BENCH_DIR=/some/disk bench/api_bench.sh  where the database and logs go (default: a temp dir)
#   BUILD_DIR=build bench/api_bench.sh       use an existing build tree
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

ROWS="${ROWS:-1000000}"
DURATION="${DURATION:-10s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
# The aggregate is measured on one connection by default; bench/aggregate_bench.sh measures 1
# and 8 connections, with and without the report readers and the daily rollup.
AGG_CONNECTIONS="${AGG_CONNECTIONS:-1}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "installing wrk (Debian package)" >&2
  if [ "$(id -u)" -eq 0 ]; then apt-get install -y wrk; else sudo apt-get install -y wrk; fi
fi

bench_build chitragupt seed_report_db
bench_workdir api
bench_last_month
bench_seeded_engine

aggregate="/api/v1/tenants/bench/chargebacks/aggregate?start_date=${first}&end_date=${last}&group_by=identity_id&time_bucket=day"
echo "one-month aggregate answer (first 300 bytes):"
curl -fsS "http://127.0.0.1:${port}${aggregate}" -o "$dir/aggregate.json"
head -c 300 "$dir/aggregate.json"; echo
echo "total_amount: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total_amount"])' "$dir/aggregate.json")"

summary=""
for route in "/health" "$aggregate"; do
  t="$THREADS"; c="$CONNECTIONS"
  if [ "$route" = "$aggregate" ]; then c="$AGG_CONNECTIONS"; [ "$t" -gt "$c" ] && t="$c"; fi
  echo "== wrk -t${t} -c${c} -d${DURATION} --latency ${route}"
  out="$(wrk -t"$t" -c"$c" -d"$DURATION" --timeout 10s --latency "http://127.0.0.1:${port}${route}")"
  echo "$out"
  p50="$(wrk_stat "$out" 50%)"
  p99="$(wrk_stat "$out" 99%)"
  rps="$(wrk_stat "$out" rps)"
  non2xx="$(wrk_stat "$out" non2xx)"
  name="$route"; [ "$route" = "$aggregate" ] && name="chargebacks/aggregate (${month}, ${ROWS} rows)"
  summary+="${name}, ${c} connection(s): p50 ${p50}  p99 ${p99}  (${rps} req/s, non-2xx: ${non2xx:-0})"$'\n'
done
echo
echo "== summary (${DURATION} each)"
printf '%s' "$summary"
