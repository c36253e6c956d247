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

RUNS="${RUNS:-10}"
DURATION="${DURATION:-5s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-8}"
ROWS="${ROWS:-100000}"

command -v wrk >/dev/null 2>&1 || { echo "decay_bench: needs wrk (apt-get install wrk)" >&2; exit 2; }

# BUILD_DIR: an existing build tree to use (e.g. build, RelWithDebInfo); default a Release one.
build="${BUILD_DIR:-build-bench-api}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCHITRAGUPT_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j"${JOBS:-2}" --target chitragupt seed_report_db bare_http_server

dir="${BENCH_DIR:-$(mktemp -d /tmp/chitragupt-decay-bench-XXXXXX)}"
mkdir -p "$dir"
engine_pid=""; bare_pid=""
cleanup() {
  for p in $engine_pid $bare_pid; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -z "${BENCH_DIR:-}" ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

month="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)"
first="${month}-01"
last="$(date -u -d "${first} +1 month -1 day" +%Y-%m-%d)"
rm -f "$dir/bench.db"
"$build"/seed_report_db "$dir/bench.db" "$month" "$ROWS" bench

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port="$(free_port)"; bare_port="$(free_port)"
cat > "$dir/config.yaml" <<YAML
logging:
  level: WARNING
api:
  host: 127.0.0.1
  port: ${port}
tenants:
  bench:
    ecosystem: confluent_cloud
    tenant_id: bench
    storage:
      connection_string: sqlite:///${dir}/bench.db
    plugin_settings:
      ccloud_api: { key: bench, secret: bench }  # --mode api: never contacted
YAML
"$build"/chitragupt --config-file "$dir/config.yaml" --mode api >"$dir/engine.log" 2>&1 &
engine_pid=$!
"$build"/bare_http_server "$bare_port" >"$dir/bare.log" 2>&1 &
bare_pid=$!
for _ in $(seq 1 200); do
  curl -fsS "http://127.0.0.1:${port}/ready" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:${bare_port}/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fsS "http://127.0.0.1:${port}/ready" >/dev/null || { cat "$dir/engine.log"; exit 1; }

rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$engine_pid/status"; }
# wrk's latency value ("1.23ms", "850.00us", "1.02s") in ms.
to_ms() { awk -v v="$1" 'BEGIN{ n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.3f", n }'; }
wrk_run() {  # url -> "req/s p99_ms non2xx"
  local out; out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s --latency "$1")"
  local rps p99 bad
  rps="$(echo "$out" | awk '$1=="Requests/sec:"{print $2}')"
  p99="$(to_ms "$(echo "$out" | awk '$1=="99%"{print $2}')")"
  bad="$(echo "$out" | awk '/Non-2xx/{print $NF}')"
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
  median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
  last_over_first="$(awk -v a="${rps_list[-1]}" -v b="${rps_list[0]}" 'BEGIN{printf "%.3f", a/b}')"
  growth_mb="$(awk -v a="${rss_list[-1]}" -v b="${rss_list[0]}" 'BEGIN{printf "%.1f", (a-b)/1024}')"
  summary+="${name}: last/first req/s ${last_over_first} (goal >= 0.90), RSS growth after run 1 ${growth_mb} MB (goal < 5), median ratio to bare $(median "${ratio_list[@]}"), median p99 $(median "${p99_list[@]}") ms, median req/s $(median "${rps_list[@]}")"$'\n'
done
echo
echo "== summary (${RUNS} runs of ${DURATION}, ${ROWS} fact rows; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%s' "$summary"
