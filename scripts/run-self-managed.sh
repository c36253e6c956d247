#!/usr/bin/env bash
# A self-managed Kafka tenant in a minute, no cluster needed: generates a month of a 3-broker
# cluster's JMX-exporter metrics (kafka-metrics-gen), backfills them into a Prometheus TSDB with
# promtool, starts Prometheus and the engine on free loopback ports with
# deploy/self-managed/config.yaml, waits for the first run and prints a summary. Ctrl-C stops
# both. Everything lives under data/self-managed/ (removed and recreated on each start).
#
#   scripts/run-self-managed.sh [--check] [kafka-metrics-gen options, e.g. --principals 200 --days 30]
#
# --check: non-interactive (for tests and CI): after the first run, checks that the API answers
#   the tenant's chargebacks (non-empty, and billing = allocated to the cent in the summary),
#   then stops both and exits 0, or 1 saying what is wrong. Its data goes to a temporary
#   directory, removed at the end.
# CHITRAGUPT_BIN_DIR=DIR: use the chitragupt and kafka-metrics-gen already built in DIR (no
#   package installation, no build).
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
if [[ "${1:-}" == "--check" ]]; then
  check=1
  shift
fi
if [[ -n "${CHITRAGUPT_BIN_DIR:-}" ]]; then
  bin=$CHITRAGUPT_BIN_DIR
else
  scripts/install-deps.sh
  scripts/build.sh chitragupt kafka-metrics-gen
  bin=build
fi
for tool in prometheus promtool curl jq python3; do
  if ! command -v "$tool" >/dev/null; then
    echo "run-self-managed: $tool is not installed" >&2
    # 77: "skipped" for ctest (--check), unless CI=true demands every dependency.
    ((check)) && [[ "${CI:-}" != "true" ]] && exit 77
    exit 1
  fi
done

if ((check)); then
  dir=$(mktemp -d /tmp/chitragupt-self-managed-XXXXXX)
else
  dir=data/self-managed
  rm -rf "$dir"
  mkdir -p "$dir"
fi
dir=$(cd "$dir" && pwd)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
prom_port=$(free_port)
api_port=$(free_port)

prom_pid=""
engine_pid=""
stop() {
  [[ -n "$engine_pid" ]] && kill -TERM "$engine_pid" 2>/dev/null || true
  [[ -n "$prom_pid" ]] && kill -TERM "$prom_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if ((check)); then rm -rf "$dir"; fi
}
trap stop EXIT
trap 'echo; echo "chitragupt: stopping"; exit 0' INT TERM

"$bin/kafka-metrics-gen" --out "$dir/metrics.om" --truth "$dir/truth.json" --days 31 \
  --brokers 3 --principals 12 --topics 6 "$@" >/dev/null
promtool tsdb create-blocks-from openmetrics "$dir/metrics.om" "$dir/prometheus" >/dev/null
rm -f "$dir/metrics.om"
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' >"$dir/prometheus.yml"
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/prometheus" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$prom_port" \
  --log.level=warn >"$dir/prometheus.log" 2>&1 &
prom_pid=$!
ready=0
for _ in $(seq 1 150); do
  if curl -fsS "http://127.0.0.1:$prom_port/-/ready" >/dev/null 2>&1; then ready=1; break; fi
  sleep 0.2
done
if ((!ready)); then
  echo "run-self-managed: Prometheus did not start:" >&2
  cat "$dir/prometheus.log" >&2
  exit 1
fi

sed -e "s#sqlite:////app/data/kafka-dc1.db#sqlite:///$dir/kafka-dc1.db#" \
    -e "s#port: 8080#port: $api_port#" -e 's#host: "0.0.0.0"#host: "127.0.0.1"#' \
    deploy/self-managed/config.yaml >"$dir/config.yaml"
export PROMETHEUS_URL="http://127.0.0.1:$prom_port"
"$bin/chitragupt" --config-file "$dir/config.yaml" --mode both >"$dir/engine.log" 2>&1 &
engine_pid=$!
api="http://127.0.0.1:$api_port"
status=""
for _ in $(seq 1 600); do
  status=$(curl -fsS "$api/api/v1/tenants/kafka-dc1/pipeline/status" 2>/dev/null |
    jq -r '.last_run.status // empty' 2>/dev/null || true)
  [[ "$status" == "completed" || "$status" == "failed" ]] && break
  kill -0 "$engine_pid" 2>/dev/null || break
  sleep 0.5
done
echo "Prometheus: http://127.0.0.1:$prom_port   chitragupt: $api"
summary_ok=1
"$bin/chitragupt" summary --config-file "$dir/config.yaml" --tenant kafka-dc1 || summary_ok=0

if ((check)); then
  fail() { echo "run-self-managed --check: $*" >&2; tail -n 30 "$dir/engine.log" >&2; exit 1; }
  [[ "$status" == "completed" ]] || fail "the first run did not complete (status '$status')"
  ((summary_ok)) || fail "chitragupt summary failed (billed != allocated?)"
  body=$(curl -fsS "$api/api/v1/tenants/kafka-dc1/chargebacks?page_size=5") ||
    fail "GET chargebacks failed"
  total=$(jq -r '.total' <<<"$body")
  [[ "$total" =~ ^[0-9]+$ && "$total" -gt 0 ]] || fail "no chargebacks: $body"
  identities=$(curl -fsS "$api/api/v1/tenants/kafka-dc1/identities" | jq -r '.total')
  echo "run-self-managed --check: ok: $total chargeback rows, $identities identities"
  exit 0
fi
echo "Chargebacks: curl '$api/api/v1/tenants/kafka-dc1/chargebacks?page_size=20'"
echo "Ctrl-C stops Prometheus and the engine."
wait "$engine_pid"
