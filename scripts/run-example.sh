#!/usr/bin/env bash
# The main job on the embedded default, no credentials needed: installs what is missing, builds,
# starts the bundled Confluent Cloud simulator (build/ccloud-sim) on 127.0.0.1:8081 and the
# engine with the shipped two-tenant SQLite config (config/example.yaml), serving
# http://127.0.0.1:8080. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p data

build/ccloud-sim --port 8081 --seed 42 --preset small >data/ccloud-sim.log 2>&1 &
sim_pid=$!
engine_pid=""
stop() {
  [[ -n "$engine_pid" ]] && kill -TERM "$engine_pid" 2>/dev/null && wait "$engine_pid" 2>/dev/null
  kill -TERM "$sim_pid" 2>/dev/null || true
  wait "$sim_pid" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 0' INT TERM

for _ in $(seq 1 50); do  # wait (at most 5 s) until the simulator answers
  grep -q "listening on" data/ccloud-sim.log 2>/dev/null && break
  sleep 0.1
done

cat <<'MSG'
chitragupt: simulator on http://127.0.0.1:8081, engine on http://127.0.0.1:8080 (Ctrl-C stops both)
  curl http://127.0.0.1:8080/health
  curl http://127.0.0.1:8080/ready
  curl http://127.0.0.1:8080/api/v1/tenants
MSG
build/chitragupt --config-file config/example.yaml "$@" &
engine_pid=$!
wait "$engine_pid"
