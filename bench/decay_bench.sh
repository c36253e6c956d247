#!/usr/bin/env bash
# No slow-down over time (issue 14, item 1): RUNS consecutive wrk runs (default 10 x 5 s,
# -t2 -c8) on the engine's /health and on a report route, each run next to the same run on a
# bare cpp-httplib server (bench/bare_http_server: the limit, measured in the same run). Prints
# per run the engine's req/s, p99, its ratio to the bare server and the engine's RSS; then the
# last run's req/s against the first one's and the RSS growth after the first run.
#
# Goals: last run within 10 % of the first, RSS growth < 5 MB after the first run, /health at
# >= 0.37 x the bare server with p99 < 5 ms.
#
#   bench/decay_bench.sh
#   RUNS=10 DURATION=5s CONNECTIONS=8 ROWS=100000 bench/decay_bench.sh
#   BENCH_DIR=/some/disk bench/decay_bench.sh   where the database and logs go
#   BUILD_DIR=build bench/decay_bench.sh         use an existing build tree
#
# Needs wrk (Debian package `wrk`: apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

RUNS="${RUNS:-10}"
DURATION="${DURATION:-5s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-8}"
ROWS="${ROWS:-100000}"

bench_need_wrk decay_bench
# BUILD_DIR: an existing build tree to use (e.g. build, RelWithDebInfo); default a Release one.
bench_build chitragupt seed_report_db bare_http_server
bench_workdir decay
bench_last_month
bench_seeded_engine
bare_port="$(free_port)"
"$build"/bare_http_server "$bare_port" >"$dir/bare.log" 2>&1 &
BENCH_PIDS+=("$!")
bench_wait_ready "http://127.0.0.1:${bare_port}/health" "$dir/bare.log"

wrk_run() {  # url -> "req/s p99_ms non2xx"
  local out; out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$1")"
  local rps p99 bad
  rps="$(wrk_stat "$out" rps)"
  p99="$(to_ms "$(wrk_stat "$out" 99%)")"
  bad="$(wrk_stat "$out" non2xx)"
  echo "$rps $p99 ${bad:-0}"
}

report_route="/api/v1/tenants/bench/chargebacks/aggregate?start_date=${first}&end_date=${last}&group_by=identity_id&time_bucket=month"
summary=""
for name in health report; do
  route="/health"; [ "$name" = report ] && route="$report_route"
  echo "== ${RUNS} x wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION} on ${route} (engine) and /health (bare)"
  printf '%4s %12s %10s %12s %8s %10s %8s\n' run engine_rps p99_ms bare_rps ratio rss_kb non2xx
  rps_list=(); ratio_list=(); p99_list=(); rss_list=()
  for i in $(seq 1 "$RUNS"); do
    read -r bare_rps _ _ < <(wrk_run "http://127.0.0.1:${bare_port}/health")
    read -r rps p99 bad < <(wrk_run "http://127.0.0.1:${port}${route}")
    rss="$(rss_kb)"
    ratio="$(awk -v a="$rps" -v b="$bare_rps" 'BEGIN{printf "%.3f", a/b}')"
    printf '%4d %12s %10s %12s %8s %10s %8s\n' "$i" "$rps" "$p99" "$bare_rps" "$ratio" "$rss" "$bad"
    rps_list+=("$rps"); ratio_list+=("$ratio"); p99_list+=("$p99"); rss_list+=("$rss")
  done
  last_over_first="$(awk -v a="${rps_list[-1]}" -v b="${rps_list[0]}" 'BEGIN{printf "%.3f", a/b}')"
  growth_mb="$(awk -v a="${rss_list[-1]}" -v b="${rss_list[0]}" 'BEGIN{printf "%.1f", (a-b)/1024}')"
  summary+="${name}: last/first req/s ${last_over_first} (goal >= 0.90), RSS growth after run 1 ${growth_mb} MB (goal < 5), median ratio to bare $(median "${ratio_list[@]}"), median p99 $(median "${p99_list[@]}") ms, median req/s $(median "${rps_list[@]}")"$'\n'
done
echo
echo "== summary (${RUNS} runs of ${DURATION}, ${ROWS} fact rows; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%s' "$summary"
