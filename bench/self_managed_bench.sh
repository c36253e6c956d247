#!/usr/bin/env bash
# Self-managed Kafka at scale on a real Prometheus: kafka-metrics-gen writes DAYS days of a
# BROKERS-broker, PRINCIPALS-principal cluster; promtool backfills it; Prometheus serves it on a
# free loopback port; the engine runs once over the whole window (SQLite).
#
# Reported, all measured in the same run:
#   engine_run         wall time of `chitragupt --run-once` (gather + calculate, SQLite)
#   in_prometheus      the time Prometheus itself spent answering the engine's requests: the
#                      growth of its own prometheus_http_request_duration_seconds_sum for
#                      /api/v1/query and /api/v1/query_range over the run (server side: the
#                      engine's JSON parsing is not in it; parallel prefetch requests overlap)
#   share              in_prometheus / engine_run: the share of the run spent in Prometheus
#                      queries (the limit: a run can be no faster than its queries; ratio
#                      engine_run / in_prometheus printed too)
#   gather / calculate the pipeline's own stage figures from its log, when it prints them
#
#   bench/self_managed_bench.sh [BUILD_DIR]   (DAYS=30 BROKERS=20 PRINCIPALS=2000 TOPICS=50)
#   DATA_DIR=/var/tmp/smk30 bench/self_managed_bench.sh   keeps the generated Prometheus data
#       (and the generator's truth) in DATA_DIR and reuses it on the next run with the same
#       DAYS/BROKERS/PRINCIPALS/TOPICS, so repeated runs measure the engine only
#   RUNS=3 ...   runs the engine that many times (a fresh database each time) and prints each
#       run and the median
# Run it niced on a shared machine: nice -n 10 bench/self_managed_bench.sh
#
# Measured 2026-12-02 (DAYS=30, 20 brokers, 2,000 principals, 50 topics; RelWithDebInfo build,
# 2-core machine, RUNS=3): engine_run 11.2 s median (10.8-11.4 s), in_prometheus 8.4 s over 64
# requests, share 0.75; 30 dates, 2,000 principals, 240,000 chargeback rows; generate 1.4 s
# (1,097 MiB OpenMetrics), backfill 189 s with one-day blocks (over an hour with promtool's
# default two-hour blocks).
set -euo pipefail
build=${1:-build}
days=${DAYS:-30}
brokers=${BROKERS:-20}
principals=${PRINCIPALS:-2000}
topics=${TOPICS:-50}
runs=${RUNS:-1}
dir=$(mktemp -d /tmp/chitragupt-smk-bench-XXXXXX)
data=${DATA_DIR:-$dir/data}
shape="days=$days brokers=$brokers principals=$principals topics=$topics"
prom_pid=""
cleanup() {
  if [[ -n "$prom_pid" ]]; then kill "$prom_pid" 2>/dev/null || true; wait "$prom_pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
now() { date +%s.%N; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

t0=$(now)
if [[ -f "$data/shape" && "$(cat "$data/shape")" == "$shape" ]]; then
  echo "reusing the Prometheus data in $data ($shape)"
  om_bytes=0
  t1=$t0
  t2=$t0
else
  rm -rf "$data/tsdb" "$data/shape"
  mkdir -p "$data"
  "$build/kafka-metrics-gen" --out "$dir/m.om" --truth "$data/truth.json" --days "$((days + 1))" \
    --brokers "$brokers" --principals "$principals" --topics "$topics" --partitions 3 >/dev/null
  om_bytes=$(stat -c %s "$dir/m.om")
  t1=$(now)
  # One-day blocks: promtool reads the whole input once per block, so its default 2-hour blocks
  # mean 12 passes per day of data (a 30-day backfill took over an hour that way).
  promtool tsdb create-blocks-from openmetrics --max-block-duration=24h "$dir/m.om" "$data/tsdb" \
    >/dev/null
  rm -f "$dir/m.om"
  echo "$shape" >"$data/shape"
  t2=$(now)
fi
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' >"$dir/p.yml"
prometheus --config.file="$dir/p.yml" --storage.tsdb.path="$data/tsdb" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" --log.level=warn \
  >"$dir/prom.log" 2>&1 &
prom_pid=$!
for _ in $(seq 1 600); do curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break; sleep 0.2; done

cat >"$dir/config.yaml" <<YAML
tenants:
  bench:
    ecosystem: self_managed_kafka
    tenant_id: bench
    lookback_days: $((days + 1))
    cutoff_days: 1
    tenant_execution_timeout_seconds: 0
    storage:
      connection_string: "sqlite:///$dir/bench.db"
    plugin_settings:
      cluster_id: kafka-bench
      broker_count: $brokers
      discovery_window_hours: 24
      cost_model:
        compute_hourly_rate: "0.50"
        storage_per_gib_hourly: "0.000125"
        network_ingress_per_gib: "0.01"
        network_egress_per_gib: "0.09"
      metrics:
        url: "http://127.0.0.1:$port"
YAML

# Prometheus' own account of the time it spent answering queries (sum over both query handlers).
prom_query_seconds() {
  curl -fsS "http://127.0.0.1:$port/metrics" | awk '
    /^prometheus_http_request_duration_seconds_sum\{handler="\/api\/v1\/query(_range)?"\}/ { s += $2 }
    /^prometheus_http_request_duration_seconds_count\{handler="\/api\/v1\/query(_range)?"\}/ { n += $2 }
    END { printf "%.6f %d\n", s, n }'
}
for run in $(seq 1 "$runs"); do
  rm -f "$dir"/bench.db*
  read -r q_before n_before < <(prom_query_seconds)
  t3=$(now)
  "$build/chitragupt" --config-file "$dir/config.yaml" --mode worker --run-once >"$dir/engine.log" 2>&1
  t4=$(now)
  read -r q_after n_after < <(prom_query_seconds)
  status=$(sqlite3 "$dir/bench.db" "SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1")
  rows=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM chargeback_facts")
  dates=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM pipeline_state WHERE chargeback_calculated = 1")
  identities=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM identities WHERE identity_type = 'principal'")
  stages=$(grep -oE 'event=(gather_completed|calculate_completed|pipeline_completed|run_completed)[^"]*' "$dir/engine.log" | sed -E 's/ +/ /g' | head -3 || true)

  python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$q_before" "$q_after" "$n_before" "$n_after" \
    "$status" "$rows" "$dates" "$identities" "$days" "$brokers" "$principals" "$om_bytes" "$run" <<'PY' | tee -a "$dir/results"
import sys
t0, t1, t2, t3, t4, qb, qa = map(float, sys.argv[1:8])
nb, na = int(sys.argv[8]), int(sys.argv[9])
status, rows, dates, identities, days, brokers, principals, om, run_no = sys.argv[10:19]
run = t4 - t3
inprom = qa - qb
print(f"run {run_no}: self_managed_kafka days={days} brokers={brokers} principals={principals} "
      f"status={status} dates_calculated={dates} principals_found={identities} chargeback_rows={rows}")
if run_no == "1" and om == "0":
    print("generate, backfill: reused the data kept in DATA_DIR")
elif run_no == "1":
    print(f"generate={t1-t0:.1f}s ({int(om)/2**20:.0f} MiB OpenMetrics) backfill={t2-t1:.1f}s")
print(f"engine_run={run:.2f}s in_prometheus={inprom:.2f}s over {na-nb} requests")
print(f"share_of_run_in_prometheus_queries={inprom/run:.2f} (ratio engine_run / in_prometheus = {run/inprom:.2f})"
      if inprom > 0 else "share_of_run_in_prometheus_queries=n/a (no query time recorded)")
PY
  if [[ -n "$stages" ]]; then echo "$stages"; fi
done
if ((runs > 1)); then
  python3 - "$dir/results" <<'PY'
import re, statistics, sys
text = open(sys.argv[1]).read()
runs = [float(x) for x in re.findall(r"engine_run=([0-9.]+)s", text)]
shares = [float(x) for x in re.findall(r"share_of_run_in_prometheus_queries=([0-9.]+)", text)]
print(f"median of {len(runs)} runs: engine_run={statistics.median(runs):.2f}s"
      + (f" share_of_run_in_prometheus_queries={statistics.median(shares):.2f}" if shares else ""))
PY
fi
