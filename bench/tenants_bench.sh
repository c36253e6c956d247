#!/usr/bin/env bash
# Many tenants in one process (issue 19). Prints each figure with its limit and the ratio
# figure/limit (< 1 meets the goal):
#   1. 1,000 SQLite tenants, --mode api, fresh files: time to all `ready`, RSS, threads, open
#      files per idle tenant (after features.database_idle_timeout), /health p99 under wrk.
#   2. 10,000 idle tenants, the same figures (measured, no limit).
#   3. 100 tenants running their pipelines at once against ccloud-sim with
#      max_parallel_tenants 4 (--mode worker --run-once): each tenant's chargeback totals equal
#      those of one tenant run alone.
#
#   bench/tenants_bench.sh                         all three
#   TENANTS=1000 BIG=0 PIPELINES=0 bench/tenants_bench.sh   only the first
#   CHITRAGUPT_BIN=build/chitragupt SIM_BIN=build/ccloud-sim bench/tenants_bench.sh
#                                                  binaries already built (default: a Release
#                                                  build in build-bench-api)
#   BENCH_DIR=/some/disk                           where databases and logs go
set -euo pipefail
cd "$(dirname "$0")/.."

TENANTS="${TENANTS:-1000}"
BIG="${BIG:-10000}"
PIPELINES="${PIPELINES:-100}"

if [ -z "${CHITRAGUPT_BIN:-}" ]; then
  cmake -S . -B build-bench-api -DCMAKE_BUILD_TYPE=Release -DCHITRAGUPT_BUILD_TESTS=OFF \
    -DCHITRAGUPT_UI=OFF >/dev/null
  cmake --build build-bench-api -j"${JOBS:-2}" --target chitragupt ccloud-sim
  CHITRAGUPT_BIN=build-bench-api/chitragupt
  SIM_BIN="${SIM_BIN:-build-bench-api/ccloud-sim}"
fi
SIM_BIN="${SIM_BIN:-$(dirname "$CHITRAGUPT_BIN")/ccloud-sim}"

dir="${BENCH_DIR:-$(mktemp -d /tmp/chitragupt-tenants-bench-XXXXXX)}"
mkdir -p "$dir"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -z "${BENCH_DIR:-}" ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wrk_ms PERCENTILE < wrk --latency output: that latency in ms.
wrk_ms() {
  awk -v p="$1" '$1==p {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; print v}'
}

# ratio NAME VALUE LIMIT UNIT: one line of the report.
ratio() {
  python3 - "$@" <<'PY'
import sys
n, v, l, u = sys.argv[1:]
v, l = float(v), float(l)
met = v <= l if n == "threads" else v < l
print(f"{n:<34} {v:>10.2f} {u:<4} limit {l:>8.2f} {u:<4} ratio {v / l:.3f}  {'ok' if met else 'MISSED'}")
PY
}

# api_config N PORT IDLE: N --mode api tenants with fresh SQLite files in $dir/N/.
api_config() {
  local n="$1" port="$2" sub="$dir/api-$1"
  rm -rf "$sub"; mkdir -p "$sub"
  python3 - "$n" "$port" "$sub" <<'PY'
import sys
n, port, sub = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with open(f"{sub}/config.yaml", "w") as f:
    f.write(f"logging:\n  level: WARNING\nfeatures:\n  database_idle_timeout: 1\n"
            f"api:\n  host: 127.0.0.1\n  port: {port}\ntenants:\n")
    for i in range(n):
        f.write(f"  t{i}:\n    ecosystem: confluent_cloud\n    tenant_id: t{i}\n"
                f"    storage:\n      connection_string: sqlite:///{sub}/t{i}.db\n"
                f"    plugin_settings:\n      ccloud_api: {{ key: bench, secret: bench }}\n")
PY
  echo "$sub/config.yaml"
}

# ready_probe PORT: 0 once /ready answers 200 (every tenant migrated, none failed); polled, so
# kept cheap (no JSON parsing while the engine starts).
ready_probe() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/ready")" = 200 ]
}

# all_ready PORT N: 0 when /health lists N tenants, all ready.
all_ready() {
  curl -s "http://127.0.0.1:$1/health" | python3 -c 'import json,sys
try:
  h=json.load(sys.stdin)
except Exception:
  sys.exit(1)
t=h.get("tenants",[])
sys.exit(0 if len(t)==int(sys.argv[1]) and all(x["state"]=="ready" for x in t) else 1)' "$2"
}

idle_tenants() {
  local n="$1" limits="$2" port cfg pid start ready_ms rss threads fds
  port="$(free_port)"
  cfg="$(api_config "$n" "$port")"
  start="$(date +%s%N)"
  "$CHITRAGUPT_BIN" --config-file "$cfg" --mode api >"$dir/api-$n/engine.log" 2>&1 &
  pid=$!; pids+=("$pid")
  until ready_probe "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "engine died:"; tail "$dir/api-$n/engine.log"; return 1; fi
    sleep 0.02
  done
  ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
  # /health may lag /ready by its snapshot age (100 ms): then every tenant shows ready.
  for _ in $(seq 50); do all_ready "$port" "$n" && break; sleep 0.1; done
  all_ready "$port" "$n" || { echo "/ready said ready but /health does not list $n ready tenants"; return 1; }
  # CPU the engine used until then (utime + stime): what a loaded machine inflates least.
  cpu_ms=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$pid/stat")
  sleep 3  # database_idle_timeout 1 s: every connection closed
  rss=$(awk '/VmRSS/ {print $2/1024}' "/proc/$pid/status")
  threads=$(ls "/proc/$pid/task" | wc -l)
  fds=$(ls "/proc/$pid/fd" | wc -l)
  echo "== $n SQLite tenants, --mode api (process $pid)"
  if [ "$limits" = yes ]; then
    ratio "ready after" "$ready_ms" 3000 ms
    ratio "RSS" "$rss" 256 MiB
    ratio "threads" "$threads" 64 ""
    ratio "open fds per idle tenant" "$(python3 -c "print($fds/$n)")" 2 ""
    if command -v wrk >/dev/null 2>&1; then
      for route in /health /ready; do
        wrk -t2 -c8 -d5s --latency "http://127.0.0.1:$port$route" >"$dir/wrk$(tr / - <<<"$route").txt"
        p50=$(wrk_ms 50% <"$dir/wrk$(tr / - <<<"$route").txt")
        p99=$(wrk_ms 99% <"$dir/wrk$(tr / - <<<"$route").txt")
        rps=$(awk '/^Requests\/sec/ {print $2}' "$dir/wrk$(tr / - <<<"$route").txt")
        ratio "$route p99 (wrk, 8 connections)" "$p99" 10 ms
        echo "($route p50 ${p50} ms, ${rps} requests/s)"
      done
    fi
    # The UI's readiness document asks every tenant for its pipeline status: once, timed.
    curl -s -o "$dir/readiness.json" -w '%{time_total}\n' \
      "http://127.0.0.1:$port/api/v1/readiness" >"$dir/readiness.time"
    python3 - "$dir/readiness.json" "$(cat "$dir/readiness.time")" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
t = doc.get("tenants", [])
print(f"/api/v1/readiness once: {float(sys.argv[2]) * 1000:.0f} ms, status {doc.get('status')}, "
      f"{sum(1 for x in t if x.get('tables_ready'))}/{len(t)} tenants tables_ready")
PY
  else
    printf '%-34s %10d ms\n%-34s %10.1f MiB\n%-34s %10d\n%-34s %10d (%.3f per tenant)\n' \
      "ready after" "$ready_ms" "RSS" "$rss" "threads" "$threads" "open fds" "$fds" \
      "$(python3 -c "print($fds/$n)")"
  fi
  echo "(fds total $fds, threads $threads; CPU used until ready ${cpu_ms} ms)"
  kill -TERM "$pid"; wait "$pid" || true
}

# totals DB: the tenant's chargeback facts (count and sum of amounts) and billing lines.
totals() {
  sqlite3 "$1" "SELECT (SELECT count(*) || '/' || coalesce(sum(amount),0) FROM chargeback_facts) || ' ' || (SELECT count(*) FROM ccloud_billing);"
}

pipelines() {
  local n="$1" simport sub
  sub="$dir/pipelines"; rm -rf "$sub"; mkdir -p "$sub"
  "$SIM_BIN" --seed 31 --days 3 >"$sub/sim.out" 2>"$sub/sim.err" &
  pids+=("$!")
  for _ in $(seq 100); do simport=$(grep -o '127.0.0.1:[0-9]*' "$sub/sim.out" | head -1 | cut -d: -f2 || true); [ -n "$simport" ] && break; sleep 0.1; done
  run() {  # run NAME COUNT PARALLEL
    local name="$1" count="$2" parallel="$3" cfg="$sub/$1.yaml" t0
    {
      printf 'logging:\n  level: WARNING\nfeatures:\n  max_parallel_tenants: %s\n  enable_periodic_refresh: false\ntenants:\n' "$parallel"
      for i in $(seq "$count"); do
        printf '  %s%s:\n    ecosystem: confluent_cloud\n    tenant_id: sim\n    lookback_days: 2\n    cutoff_days: 1\n    storage:\n      connection_string: sqlite:///%s/%s%s.db\n    plugin_settings:\n      ccloud_api: { key: sim-key, secret: sim-secret, base_url: "http://127.0.0.1:%s" }\n' \
          "$name" "$i" "$sub" "$name" "$i" "$simport"
      done
    } >"$cfg"
    t0="$(date +%s%N)"
    "$CHITRAGUPT_BIN" --config-file "$cfg" --mode worker --run-once >"$sub/$name.log" 2>&1
    echo "$(( ($(date +%s%N) - t0) / 1000000 ))"
  }
  local alone_ms many_ms reference differ=0
  alone_ms=$(run alone 1 1)
  reference="$(totals "$sub/alone1.db")"
  many_ms=$(run many "$n" 4)
  for i in $(seq "$n"); do
    [ "$(totals "$sub/many$i.db")" = "$reference" ] || differ=$((differ + 1))
  done
  echo "== $n tenants' pipelines against ccloud-sim, max_parallel_tenants 4"
  echo "one tenant alone: ${alone_ms} ms, totals (facts/amount billing) $reference"
  echo "$n tenants: ${many_ms} ms; tenants whose totals differ from the one alone: $differ"
  [ "$differ" -eq 0 ] && echo "same results: ok" || echo "same results: MISSED"
}

nproc_now="$(nproc)"; load="$(cut -d' ' -f1 /proc/loadavg)"
echo "machine: $nproc_now cores, load average $load (figures on a loaded machine are noisier)"
[ "$TENANTS" -gt 0 ] && idle_tenants "$TENANTS" yes
[ "$BIG" -gt 0 ] && idle_tenants "$BIG" no
[ "$PIPELINES" -gt 0 ] && pipelines "$PIPELINES"
exit 0
