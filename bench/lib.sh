# shellcheck shell=bash
# Start-up shared by the engine benchmarks (api, ui, decay, aggregate, focus_engine): the build,
# a work folder removed on exit with every process the bench started, the last full month,
# free loopback ports, an engine in --mode api on a config of seeded tenants, and wrk's figures.
# Sourced from the repository root (the scripts cd there first); bash, `set -euo pipefail`.
#
# Knobs every bench that sources it takes: BUILD_DIR (an existing build tree; default a Release
# one in build-bench-api), JOBS (build parallelism, default 2), BENCH_DIR (where databases and
# logs go and stay; default a temporary folder removed on exit).

BENCH_PIDS=()      # processes to stop on exit
BENCH_ON_EXIT=()   # further commands to run on exit (e.g. stopping a PostgreSQL cluster)

# Builds TARGETS... into $build (BUILD_DIR, else build-bench-api, configured Release once).
bench_build() {
  build="${BUILD_DIR:-build-bench-api}"
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCHITRAGUPT_BUILD_TESTS=OFF >/dev/null
  fi
  cmake --build "$build" -j"${JOBS:-2}" --target "$@"
}

# Exits 2 with a hint when wrk is missing; NAME is the bench's name for the message.
bench_need_wrk() {
  command -v wrk >/dev/null 2>&1 || { echo "$1: needs wrk (apt-get install wrk)" >&2; exit 2; }
}

bench_cleanup() {
  local p c
  for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  for c in "${BENCH_ON_EXIT[@]}"; do eval "$c" || true; done
  if [ -z "${BENCH_DIR:-}" ]; then rm -rf "$dir"; fi
}

# Sets $dir: BENCH_DIR, else a new /tmp/chitragupt-NAME-bench-XXXXXX; and the exit trap that
# stops BENCH_PIDS, runs BENCH_ON_EXIT and removes a temporary $dir.
bench_workdir() {
  dir="${BENCH_DIR:-$(mktemp -d "/tmp/chitragupt-$1-bench-XXXXXX")}"
  mkdir -p "$dir"
  trap bench_cleanup EXIT
}

# Sets $month (YYYY-MM), $first and $last (YYYY-MM-DD): the last full calendar month (UTC).
# shellcheck disable=SC2034  # the sourcing script reads them
bench_last_month() {
  month="$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m)"
  first="${month}-01"
  last="$(date -u -d "${first} +1 month -1 day" +%Y-%m-%d)"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The YAML of one --mode api tenant (tenant_id bench) NAME on the database URL.
bench_tenant_yaml() {
  cat <<YAML
  $1:
    ecosystem: confluent_cloud
    tenant_id: bench
    storage:
      connection_string: $2
    plugin_settings:
      ccloud_api: { key: bench, secret: bench }  # --mode api: never contacted
YAML
}

# Writes FILE: an engine on 127.0.0.1:PORT logging warnings, then EXTRA (YAML sections, may be
# ""), then the tenants of TENANTS_YAML (from bench_tenant_yaml).
bench_write_config() {
  local file="$1" port="$2" extra="$3" tenants="$4"
  {
    printf 'logging:\n  level: WARNING\napi:\n  host: 127.0.0.1\n  port: %s\n' "$port"
    [ -n "$extra" ] && printf '%s\n' "$extra"
    printf 'tenants:\n%s\n' "$tenants"
  } >"$file"
}

# Waits until URL answers 2xx (TRIES x 0.1 s, default 200); otherwise prints LOG and exits 1.
bench_wait_ready() {
  local url="$1" log="$2" tries="${3:-200}"
  for _ in $(seq 1 "$tries"); do
    curl -fsS "$url" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  curl -fsS "$url" >/dev/null 2>&1 || { cat "$log" >&2; exit 1; }
}

# Starts $build/chitragupt --mode api on CONFIG (logging to LOG) and waits for /ready on PORT
# (TRIES as bench_wait_ready); sets $engine_pid and adds it to BENCH_PIDS. Further environment
# for the engine can be given as NAME=VALUE words after TRIES.
bench_start_engine() {
  local config="$1" log="$2" port="$3" tries="${4:-200}"
  shift 4 2>/dev/null || shift $#
  env "$@" "$build"/chitragupt --config-file "$config" --mode api >"$log" 2>&1 &
  engine_pid=$!
  BENCH_PIDS+=("$engine_pid")
  bench_wait_ready "http://127.0.0.1:${port}/ready" "$log" "$tries"
}

# Seeds $dir/bench.db with $ROWS chargeback rows in $month (seed_report_db, tenant bench),
# writes $dir/config.yaml serving it on a free $port and starts the engine there.
bench_seeded_engine() {
  rm -f "$dir/bench.db"
  "$build"/seed_report_db "$dir/bench.db" "$month" "$ROWS" bench
  port="$(free_port)"
  bench_write_config "$dir/config.yaml" "$port" "" "$(bench_tenant_yaml bench "sqlite:///${dir}/bench.db")"
  bench_start_engine "$dir/config.yaml" "$dir/engine.log" "$port"
}

# The engine's resident memory in KiB (from /proc).
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$engine_pid/status"; }

# One figure of wrk --latency OUTPUT: 50% | 99% (latency as wrk prints it), rps, non2xx ("" if none).
wrk_stat() {
  case "$2" in
    rps) awk '$1=="Requests/sec:"{print $2}' <<<"$1" ;;
    non2xx) awk '/Non-2xx/{print $NF}' <<<"$1" ;;
    *) awk -v k="$2" '$1==k{print $2}' <<<"$1" ;;
  esac
}

# wrk's latency value ("1.23ms", "850.00us", "1.02s") in ms, with DECIMALS (default 3) digits.
to_ms() { awk -v v="$1" -v d="${2:-3}" 'BEGIN{ n=v+0; if (v ~ /us$/) n/=1000; else if (v ~ /ms$/) n=n; else if (v ~ /s$/) n*=1000; printf "%." d "f", n }'; }

# The median of the numbers given.
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
