#!/usr/bin/env bash
# Self-managed Kafka at scale on a real Prometheus: kafka-metrics-gen writes DAYS days of a
# BROKERS-broker, PRINCIPALS-principal cluster; promtool backfills it; Prometheus serves it on a
# free loopback port; the engine runs once over the whole window (SQLite). Reported: the run's
# wall time, the time Prometheus alone takes for the same queries (replayed with curl, in the
# same run: the ceiling), and their ratio = the share of the run spent in Prometheus queries.
#
#   bench/self_managed_bench.sh [BUILD_DIR]   (DAYS=30 BROKERS=20 PRINCIPALS=2000 by default)
set -euo pipefail
build=${1:-build}
days=${DAYS:-30}
brokers=${BROKERS:-20}
principals=${PRINCIPALS:-2000}
dir=$(mktemp -d /tmp/chitragupt-smk-bench-XXXXXX)
prom_pid=""
cleanup() {
  [[ -n "$prom_pid" ]] && kill "$prom_pid" 2>/dev/null && wait "$prom_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
now() { date +%s.%N; }
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

t0=$(now)
"$build/kafka-metrics-gen" --out "$dir/m.om" --truth "$dir/truth.json" --days "$((days + 1))" \
  --brokers "$brokers" --principals "$principals" --topics 50 --partitions 3 >/dev/null
t1=$(now)
promtool tsdb create-blocks-from openmetrics "$dir/m.om" "$dir/tsdb" >/dev/null
rm -f "$dir/m.om"
t2=$(now)
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' >"$dir/p.yml"
prometheus --config.file="$dir/p.yml" --storage.tsdb.path="$dir/tsdb" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$port" --log.level=warn \
  >"$dir/prom.log" 2>&1 &
prom_pid=$!
for _ in $(seq 1 300); do curl -fsS "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1 && break; sleep 0.2; done

cat >"$dir/config.yaml" <<YAML
tenants:
  bench:
    ecosystem: self_managed_kafka
    tenant_id: bench
    lookback_days: $days
    cutoff_days: 0
    storage:
      connection_string: "sqlite:///$dir/bench.db"
    plugin_settings:
      cluster_id: kafka-bench
      broker_count: $brokers
      cost_model:
        compute_hourly_rate: "0.50"
        storage_per_gib_hourly: "0.000125"
        network_ingress_per_gib: "0.01"
        network_egress_per_gib: "0.09"
      metrics:
        url: "http://127.0.0.1:$port"
YAML
t3=$(now)
"$build/chitragupt" --config-file "$dir/config.yaml" --mode worker --run-once >"$dir/engine.log" 2>&1
t4=$(now)
status=$(sqlite3 "$dir/bench.db" "SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1")
rows=$(sqlite3 "$dir/bench.db" "SELECT COUNT(*) FROM chargeback_facts")

# The engine's queries, replayed: discovery, 3 cost queries over the window, 2 usage queries per
# day (one prefetch group per day, 24 hourly points each).
q() { curl -fsS -o /dev/null "http://127.0.0.1:$port/api/v1/query_range" --data-urlencode "query=$1" \
        --data-urlencode "start=$2" --data-urlencode "end=$3" --data-urlencode "step=3600"; }
today=$(( $(date +%s) / 86400 * 86400 ))
start=$(( today - days * 86400 ))
t5=$(now)
q 'group by (broker, topic, principal) (kafka_server_brokertopicmetrics_bytesin_total)' $(( $(date +%s) - 3600 )) "$(date +%s)"
for m in 'sum(increase(kafka_server_brokertopicmetrics_bytesin_total[3600s]))' \
         'sum(increase(kafka_server_brokertopicmetrics_bytesout_total[3600s]))' 'sum(kafka_log_log_size)'; do
  q "$m" "$start" $(( today - 3600 ))
done
for ((d = start; d < today; d += 86400)); do
  for dir_ in in out; do
    q "sum by (principal) (increase(kafka_server_brokertopicmetrics_bytes${dir_}_total[3600s]))" "$d" $(( d + 82800 ))
  done
done
t6=$(now)
python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$t5" "$t6" "$status" "$rows" "$days" "$brokers" "$principals" <<'PY'
import sys
t0,t1,t2,t3,t4,t5,t6=map(float,sys.argv[1:8]); status,rows,days,brokers,principals=sys.argv[8:13]
run=t4-t3; queries=t6-t5
print(f"self_managed_kafka days={days} brokers={brokers} principals={principals} status={status} chargeback_rows={rows}")
print(f"generate={t1-t0:.1f}s backfill={t2-t1:.1f}s engine_run={run:.2f}s prometheus_queries_alone={queries:.2f}s")
print(f"share_of_run_in_prometheus_queries={queries/run:.2f} (ratio of the engine run to the queries alone: {run/queries:.2f})")
PY
