#!/usr/bin/env bash
# The one-month aggregate under wrk (issue 14, items 2-4): GET .../chargebacks/aggregate
# (group_by=identity_id, time_bucket=day) over >= 1 M hourly chargeback rows, p50 and p99 at 1
# and at 8 connections, on
#   raw      a SQLite tenant without the daily rollup (NO_ROLLUP seed: the facts alone)
#   rollup   a SQLite tenant with the daily rollup of migration 0004
#   pg       the same data with its rollup on PostgreSQL (PG=1; a throwaway cluster from
#            scripts/pg-test-cluster.sh)
# each served by an engine with report readers (the default) and by one without them
# (CHITRAGUPT_REPORT_READERS=0: the tenant actor answers every report itself, as before).
# Every configuration runs REPS times; the summary gives medians, and in the same run the raw
# path's figures as the limit the rollup is compared with, and the goals (p50 < 100 ms at 1
# connection, p99 < 300 ms at 8). The bodies of raw, rollup and pg are checked to be identical.
#
#   bench/aggregate_bench.sh
#   PG=1 REPS=3 DURATION=5s ROWS=1000000 bench/aggregate_bench.sh
#   BUILD_DIR=build bench/aggregate_bench.sh    use an existing build tree
set -euo pipefail
cd "$(dirname "$0")/.."

ROWS="${ROWS:-1000000}"
DURATION="${DURATION:-5s}"
REPS="${REPS:-3}"
PG="${PG:-0}"

command -v wrk >/dev/null 2>&1 || { echo "aggregate_bench: needs wrk (apt-get install wrk)" >&2; exit 2; }

build="${BUILD_DIR:-build-bench-api}"
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCHITRAGUPT_BUILD_TESTS=OFF >/dev/null
fi
cmake --build "$build" -j"${JOBS:-2}" --target chitragupt seed_report_db

dir="${BENCH_DIR:-$(mktemp -d /tmp/chitragupt-agg-bench-XXXXXX)}"
mkdir -p "$dir"
pids=()
pg_dir=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "$pg_dir" ]; then scripts/pg-test-cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true; fi
  if [ -z "${BENCH_DIR:-}" ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

month="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)"
first="${month}-01"
last="$(date -u -d "${first} +1 month -1 day" +%Y-%m-%d)"

rm -f "$dir/raw.db" "$dir/rollup.db"
NO_ROLLUP=1 "$build"/seed_report_db "$dir/raw.db" "$month" "$ROWS" bench
"$build"/seed_report_db "$dir/rollup.db" "$month" "$ROWS" bench
tenants="raw rollup"
pg_tenant=""
if [ "$PG" = 1 ]; then
  pg_dir="$(mktemp -d /tmp/chitragupt-agg-bench-pg-XXXXXX)"
  rmdir "$pg_dir"
  scripts/pg-test-cluster.sh start "$pg_dir" >/dev/null
  # shellcheck disable=SC1091
  source "$pg_dir/env"
  psql "$CHITRAGUPT_TEST_PG_URL" -qc "CREATE DATABASE bench" >/dev/null
  pg_url="${CHITRAGUPT_TEST_PG_URL%/postgres}/bench"
  "$build"/seed_report_db "$pg_url" "$month" "$ROWS" bench
  psql "$pg_url" -qc "VACUUM ANALYZE" >/dev/null
  tenants="raw rollup pg"
  pg_tenant="  pg:
    ecosystem: confluent_cloud
    tenant_id: bench
    storage:
      connection_string: ${pg_url}
    plugin_settings:
      ccloud_api: { key: bench, secret: bench }  # --mode api: never contacted"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start_engine() {  # name readers -> port
  local name="$1" readers="$2" port; port="$(free_port)"
  cat > "$dir/$name.yaml" <<YAML
logging:
  level: WARNING
api:
  host: 127.0.0.1
  port: ${port}
tenants:
  raw:
    ecosystem: confluent_cloud
    tenant_id: bench
    storage:
      connection_string: sqlite:///${dir}/raw.db
    plugin_settings:
      ccloud_api: { key: bench, secret: bench }  # --mode api: never contacted
  rollup:
    ecosystem: confluent_cloud
    tenant_id: bench
    storage:
      connection_string: sqlite:///${dir}/rollup.db
    plugin_settings:
      ccloud_api: { key: bench, secret: bench }  # --mode api: never contacted
${pg_tenant}
YAML
  if [ -n "$readers" ]; then
    CHITRAGUPT_REPORT_READERS="$readers" "$build"/chitragupt --config-file "$dir/$name.yaml" --mode api >"$dir/$name.log" 2>&1 &
  else
    "$build"/chitragupt --config-file "$dir/$name.yaml" --mode api >"$dir/$name.log" 2>&1 &
  fi
  pids+=("$!")
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:${port}/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:${port}/ready" >/dev/null || { cat "$dir/$name.log" >&2; exit 1; }
  echo "$port"
}
readers_port="$(start_engine readers "")"
single_port="$(start_engine single 0)"

query="chargebacks/aggregate?start_date=${first}&end_date=${last}&group_by=identity_id&time_bucket=day"
for t in $tenants; do
  curl -fsS "http://127.0.0.1:${readers_port}/api/v1/tenants/${t}/${query}" -o "$dir/answer-$t.json"
done
for t in $tenants; do
  if ! cmp -s "$dir/answer-raw.json" "$dir/answer-$t.json"; then
    echo "aggregate_bench: the $t answer differs from the raw one" >&2; exit 1
  fi
done
echo "answers of ${tenants// /, } are byte-identical ($(wc -c < "$dir/answer-raw.json") bytes)"

to_ms() { awk -v v="$1" 'BEGIN{ n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%.2f", n }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
declare -A P50 P99 RPS
for rep in $(seq 1 "$REPS"); do
  for t in $tenants; do
    for engine in single readers; do
      port="$single_port"; [ "$engine" = readers ] && port="$readers_port"
      for c in 1 8; do
        th=2; [ "$c" = 1 ] && th=1
        out="$(wrk -t"$th" -c"$c" -d"$DURATION" --timeout 10s --latency "http://127.0.0.1:${port}/api/v1/tenants/${t}/${query}")"
        key="$t/$engine/$c"
        P50[$key]+="$(to_ms "$(echo "$out" | awk '$1=="50%"{print $2}')") "
        P99[$key]+="$(to_ms "$(echo "$out" | awk '$1=="99%"{print $2}')") "
        RPS[$key]+="$(echo "$out" | awk '$1=="Requests/sec:"{print $2}') "
        bad="$(echo "$out" | awk '/Non-2xx/{print $NF}')"
        [ -n "$bad" ] && echo "  $key: ${bad} non-2xx answers" >&2
        echo "rep $rep $key: p50 $(echo ${P50[$key]} | awk '{print $NF}') ms, p99 $(echo ${P99[$key]} | awk '{print $NF}') ms"
      done
    done
  done
done

echo
echo "== summary: one-month aggregate, ${ROWS} rows, medians of ${REPS} x ${DURATION} ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-8s %-8s %5s %10s %10s %10s\n' tenant engine conns p50_ms p99_ms req/s
for t in $tenants; do
  for engine in single readers; do
    for c in 1 8; do
      key="$t/$engine/$c"
      # shellcheck disable=SC2086
      printf '%-8s %-8s %5s %10s %10s %10s\n' "$t" "$engine" "$c" "$(median ${P50[$key]})" "$(median ${P99[$key]})" "$(median ${RPS[$key]})"
    done
  done
done
# shellcheck disable=SC2086
raw1="$(median ${P50[raw/single/1]})"
for t in $tenants; do
  [ "$t" = raw ] && continue
  # shellcheck disable=SC2086
  p50="$(median ${P50[$t/readers/1]})"; p99="$(median ${P99[$t/readers/8]})"
  echo "$t: p50 ${p50} ms at 1 connection (goal < 100; raw facts in the same run ${raw1} ms, ratio $(awk -v a="$p50" -v b="$raw1" 'BEGIN{printf "%.3f", a/b}')), p99 ${p99} ms at 8 connections with readers (goal < 300)"
done
