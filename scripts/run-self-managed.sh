#!/usr/bin/env bash
# A self-managed Kafka tenant in a minute, no cluster needed: generates a month of a 3-broker
# cluster's JMX-exporter metrics (kafka-metrics-gen), backfills them into a Prometheus TSDB with
# promtool, starts Prometheus and the engine on free loopback ports with
# deploy/self-managed/config.yaml, waits for the first run and prints a summary. Ctrl-C stops
# both. Everything lives under data/self-managed/ (removed and recreated on each start).
#
# Extra arguments go to kafka-metrics-gen (e.g. --principals 200 --days 30).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh chitragupt kafka-metrics-gen

dir=data/self-managed
rm -rf "$dir"
mkdir -p "$dir"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
prom_port=$(free_port)
api_port=$(free_port)

build/kafka-metrics-gen --out "$dir/metrics.om" --truth "$dir/truth.json" --days 31 \
  --brokers 3 --principals 12 --topics 6 "$@"
promtool tsdb create-blocks-from openmetrics "$dir/metrics.om" "$dir/prometheus" >/dev/null
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' >"$dir/prometheus.yml"
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/prometheus" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$prom_port" \
  --log.level=warn >"$dir/prometheus.log" 2>&1 &
prom_pid=$!
engine_pid=""
stop() {
  [[ -n "$engine_pid" ]] && kill -TERM "$engine_pid" 2>/dev/null || true
  kill -TERM "$prom_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop EXIT
trap 'echo; echo "chitragupt: stopping"; exit 0' INT TERM
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1 && break
  sleep 0.2
done

sed -e "s#sqlite:////app/data/kafka-dc1.db#sqlite:///$PWD/$dir/kafka-dc1.db#" \
    -e "s#port: 8080#port: $api_port#" -e 's#host: "0.0.0.0"#host: "127.0.0.1"#' \
    deploy/self-managed/config.yaml >"$dir/config.yaml"
PROMETHEUS_URL="http://127.0.0.1:$prom_port" build/chitragupt --config-file "$dir/config.yaml" \
  --mode both >"$dir/engine.log" 2>&1 &
engine_pid=$!
api="http://127.0.0.1:$api_port"
for _ in $(seq 1 600); do
  status=$(curl -fsS "$api/api/v1/tenants/kafka-dc1/pipeline/status" 2>/dev/null | jq -r '.last_run.status // empty' 2>/dev/null || true)
  [[ "$status" == "completed" || "$status" == "failed" ]] && break
  sleep 0.5
done
echo "Prometheus: http://127.0.0.1:$prom_port   chitragupt: $api"
build/chitragupt summary --config-file "$dir/config.yaml" --tenant kafka-dc1 || true
echo "Chargebacks: curl '$api/api/v1/tenants/kafka-dc1/chargebacks?page_size=20'"
echo "Ctrl-C stops Prometheus and the engine."
wait "$engine_pid"
