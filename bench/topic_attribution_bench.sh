#!/usr/bin/env bash
# The topic-attribution stage's time and its share of a run (issue 20). Starts ccloud-sim with a
# preset, runs `chitragupt --run-once` against it with topic attribution on (SQLite), and prints
# the stage's wall time (event=topic_attribution_completed seconds=…), the whole run's wall time
# and their ratio: the figure to quote, as machines are noisy.
#
#   bench/topic_attribution_bench.sh [medium|large] [lookback_days]    (defaults: medium 10)
#   BUILD=build bench/topic_attribution_bench.sh large                 an existing build dir
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-medium}"
lookback="${2:-10}"
build="${BUILD:-build-bench}"
if [[ -z "${BUILD:-}" ]]; then
  cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCHITRAGUPT_UI=OFF >/dev/null
  cmake --build "$build" -j"${JOBS:-2}" --target chitragupt ccloud-sim
fi
dir=$(mktemp -d /tmp/chitragupt-ta-bench-XXXXXX)
trap 'kill "$sim_pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$build/ccloud-sim" --preset "$preset" --seed 7 --port "$port" >"$dir/sim.log" 2>&1 &
sim_pid=$!
for _ in $(seq 1 100); do
  curl -sf -u sim-key:sim-secret "http://127.0.0.1:$port/sim/v1/truth" >/dev/null 2>&1 && break
  sleep 0.2
done
cat >"$dir/config.yaml" <<YAML
tenants:
  bench:
    ecosystem: confluent_cloud
    tenant_id: bench
    lookback_days: $lookback
    cutoff_days: 1
    storage:
      connection_string: sqlite:///$dir/bench.db
    plugin_settings:
      ccloud_api: { key: sim-key, secret: sim-secret, base_url: "http://127.0.0.1:$port" }
      metrics: { url: "http://127.0.0.1:$port", auth_type: basic, username: sim-key, password: sim-secret }
      topic_attribution: { enabled: true }
YAML
start=$(date +%s.%N)
"$build/chitragupt" --config-file "$dir/config.yaml" --mode worker --run-once >"$dir/run.log" 2>&1
end=$(date +%s.%N)
stage=$(grep -o 'event=topic_attribution_completed.*' "$dir/run.log" | grep -o 'seconds=[0-9.]*' | tail -1 | cut -d= -f2)
rows=$(grep -o 'event=topic_attribution_completed.*' "$dir/run.log" | grep -o ' rows=[0-9]*' | tail -1 | cut -d= -f2)
run=$(python3 -c "print(f'{$end-$start:.3f}')")
echo "preset=$preset lookback_days=$lookback topic_rows=$rows stage_s=$stage run_s=$run" \
     "share=$(python3 -c "print(f'{$stage/$run:.3f}')")"
