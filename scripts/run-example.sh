#!/usr/bin/env bash
# The main job on the embedded default, no credentials needed: installs what is missing, builds
# the engine and the bundled Confluent Cloud simulator, starts the simulator on 127.0.0.1:8081 and
# the engine (--mode both) with the shipped two-tenant SQLite config (config/example.yaml), waits
# for the first pipeline run of every tenant, prints a summary of the last full month (top
# identities by cost, total billed = total allocated) and leaves the API on
# http://127.0.0.1:8080. Ctrl-C stops both.
#
# Extra arguments go to the engine (e.g. --mode api). WAIT_SECONDS (default 1200) bounds the
# wait for the first run.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh chitragupt ccloud-sim
mkdir -p data

config=config/example.yaml
api=http://127.0.0.1:8080
build/ccloud-sim --port 8081 --seed 42 --preset small >data/ccloud-sim.log 2>&1 &
sim_pid=$!
engine_pid=""
stop() {
  if [[ -n "$engine_pid" ]]; then
    kill -TERM "$engine_pid" 2>/dev/null || true
    wait "$engine_pid" 2>/dev/null || true
  fi
  kill -TERM "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
}
trap stop EXIT
trap 'echo; echo "chitragupt: stopping"; exit 0' INT TERM

for _ in $(seq 1 50); do  # at most 5 s until the simulator listens
  grep -q "listening on" data/ccloud-sim.log 2>/dev/null && break
  sleep 0.1
done
if ! kill -0 "$sim_pid" 2>/dev/null; then
  echo "chitragupt: the simulator did not start:" >&2
  cat data/ccloud-sim.log >&2
  exit 1
fi

echo "chitragupt: simulator on http://127.0.0.1:8081; starting the engine (log: data/engine.log)"
build/chitragupt --config-file "$config" --mode both "$@" >data/engine.log 2>&1 &
engine_pid=$!

# The first run of every tenant: /health lists each tenant with "last_run": null until then.
tenants=$(grep -c '^  [A-Za-z0-9_.-]*:$' <(sed -n '/^tenants:/,$p' "$config"))
deadline=$((SECONDS + ${WAIT_SECONDS:-1200}))
echo -n "chitragupt: waiting for the first pipeline run of $tenants tenants "
while :; do
  if ! kill -0 "$engine_pid" 2>/dev/null; then
    echo
    echo "chitragupt: the engine stopped; its log:" >&2
    tail -n 30 data/engine.log >&2
    engine_pid=""
    exit 1
  fi
  health=$(curl -fsS --max-time 2 "$api/health" 2>/dev/null || true)
  done_runs=$(grep -o '"last_run":{' <<<"$health" | wc -l || true)
  ((done_runs >= tenants)) && break
  if ((SECONDS >= deadline)); then
    echo
    echo "chitragupt: no complete first run after ${WAIT_SECONDS:-1200} s; see data/engine.log" >&2
    break
  fi
  echo -n "."
  sleep 2
done
echo

build/chitragupt summary --config-file "$config" || true

cat <<MSG

chitragupt is serving $api (Ctrl-C stops the engine and the simulator).
Open $api/ in a browser for the web UI ($api/docs: the API reference), or try:
  curl $api/health
  curl $api/api/v1/tenants
  curl '$api/api/v1/tenants/example-prod/chargebacks/aggregate?group_by=identity_id&time_bucket=month'
  curl '$api/api/v1/tenants/example-prod/chargebacks?page_size=5'
  curl $api/metrics
  curl $api/openapi.json
MSG
wait "$engine_pid"
