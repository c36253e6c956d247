#!/usr/bin/env bash
# Time to first render of the web UI's dashboard on a seeded tenant (default 1 M chargeback rows
# in the last full month), in Debian's chromium. Builds Release into build-bench-api (like
# bench/api_bench.sh), seeds a SQLite tenant (bench/seed_report_db), starts the engine with
# --mode api on 127.0.0.1 and runs ui/browser/first_render.mjs; the limit it reports against is
# one aggregate call of the same month measured in the same run.
#   bench/ui_bench.sh            ROWS=2000000 bench/ui_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS="${ROWS:-1000000}"
cmake -S . -B build-bench-api -DCMAKE_BUILD_TYPE=Release -DCHITRAGUPT_BUILD_TESTS=OFF >/dev/null
cmake --build build-bench-api -j"${JOBS:-2}" --target chitragupt seed_report_db
dir="${BENCH_DIR:-$(mktemp -d /tmp/chitragupt-ui-bench-XXXXXX)}"
engine_pid=""
cleanup() {
  if [ -n "$engine_pid" ]; then kill "$engine_pid" 2>/dev/null || true; wait "$engine_pid" 2>/dev/null || true; fi
  if [ -z "${BENCH_DIR:-}" ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT
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
(cd ui && node browser/first_render.mjs --base "http://127.0.0.1:${port}" --tenant bench \
  --start "$first" --end "$last" --runs "${RUNS:-3}")
