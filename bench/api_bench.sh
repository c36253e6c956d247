#!/usr/bin/env bash
# HTTP latency of the report API under wrk on loopback (issue 6): GET /health and a one-month
# GET .../chargebacks/aggregate over >= 1 M chargeback rows. Builds Release into build-bench-api,
# seeds a SQLite tenant database (bench/seed_report_db), starts the engine with --mode api on
# 127.0.0.1 and prints wrk's latency distribution and a p50/p99 summary for both routes.
#
#   bench/api_bench.sh                       1 M rows, 10 s per route, 2 threads, 16 connections
#   ROWS=2000000 DURATION=30s CONNECTIONS=64 bench/api_bench.sh
#   BENCH_DIR=/some/disk bench/api_bench.sh  where the database and logs go (default: a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."

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

cmake -S . -B build-bench-api -DCMAKE_BUILD_TYPE=Release -DCHITRAGUPT_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench-api -j"${JOBS:-2}" --target chitragupt seed_report_db

dir="${BENCH_DIR:-$(mktemp -d /tmp/chitragupt-api-bench-XXXXXX)}"
mkdir -p "$dir"
engine_pid=""
cleanup() {
  if [ -n "$engine_pid" ]; then kill "$engine_pid" 2>/dev/null || true; wait "$engine_pid" 2>/dev/null || true; fi
  if [ -z "${BENCH_DIR:-}" ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

# The last full calendar month (UTC).
month="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)"
first="${month}-01"
last="$(date -u -d "${first} +1 month -1 day" +%Y-%m-%d)"

rm -f "$dir/bench.db"
build-bench-api/seed_report_db "$dir/bench.db" "$month" "$ROWS" bench

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
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
build-bench-api/chitragupt --config-file "$dir/config.yaml" --mode api >"$dir/engine.log" 2>&1 &
engine_pid=$!
for _ in $(seq 1 200); do
  if curl -fsS "http://127.0.0.1:${port}/ready" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
curl -fsS "http://127.0.0.1:${port}/ready" >/dev/null || { cat "$dir/engine.log"; exit 1; }

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
  p50="$(echo "$out" | awk '$1=="50%"{print $2}')"
  p99="$(echo "$out" | awk '$1=="99%"{print $2}')"
  rps="$(echo "$out" | awk '$1=="Requests/sec:"{print $2}')"
  non2xx="$(echo "$out" | awk '/Non-2xx/{print $NF}')"
  name="$route"; [ "$route" = "$aggregate" ] && name="chargebacks/aggregate (${month}, ${ROWS} rows)"
  summary+="${name}, ${c} connection(s): p50 ${p50}  p99 ${p99}  (${rps} req/s, non-2xx: ${non2xx:-0})"$'\n'
done
echo
echo "== summary (${DURATION} each)"
printf '%s' "$summary"
