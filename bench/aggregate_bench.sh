#!/usr/bin/env bash
# The one-month aggregate under wrk (issue 14, items 2-4): GET .../chargebacks/aggregate
# (group_by=identity_id, time_bucket=day) over >= 1 M hourly chargeback rows, p50 and p99 at 1
# and at 8 connections, on
#   raw      a SQLite tenant without the daily rollup (NO_ROLLUP seed: the facts alone)
#   rollup   a SQLite tenant with the daily rollup of migration 0004
#   pg       the same data with its rollup on PostgreSQL (PG=1; a throwaway cluster from
#            scripts/pg-test-cluster.sh)
# each served by an engine with report readers (the default) and by one without them
# (CHITRAGUPT_REPORT_READERS=0: the tenant actor answers every report itself, as before).
# Every configuration runs REPS times; the summary gives medians, and in the same run the raw
# path's figures as the limit the rollup is compared with, and the goals (p50 < 100 ms at 1
# connection, p99 < 300 ms at 8). The bodies of raw, rollup and pg are checked to be identical.
#
#   bench/aggregate_bench.sh
#   PG=1 REPS=3 DURATION=5s ROWS=1000000 bench/aggregate_bench.sh
#   BUILD_DIR=build bench/aggregate_bench.sh    use an existing build tree
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

ROWS="${ROWS:-1000000}"
DURATION="${DURATION:-5s}"
REPS="${REPS:-3}"
PG="${PG:-0}"

bench_need_wrk aggregate_bench
bench_build chitragupt seed_report_db
bench_workdir agg
bench_last_month

rm -f "$dir/raw.db" "$dir/rollup.db"
NO_ROLLUP=1 "$build"/seed_report_db "$dir/raw.db" "$month" "$ROWS" bench
"$build"/seed_report_db "$dir/rollup.db" "$month" "$ROWS" bench
tenants="raw rollup"
if [ "$PG" = 1 ]; then
  pg_dir="$(mktemp -d /tmp/chitragupt-agg-bench-pg-XXXXXX)"
  rmdir "$pg_dir"
  BENCH_ON_EXIT+=("scripts/pg-test-cluster.sh stop \"$pg_dir\" >/dev/null 2>&1")
  scripts/pg-test-cluster.sh start "$pg_dir" >/dev/null
  # shellcheck disable=SC1091
  source "$pg_dir/env"
  psql "$CHITRAGUPT_TEST_PG_URL" -qc "CREATE DATABASE bench" >/dev/null
  pg_url="${CHITRAGUPT_TEST_PG_URL%/postgres}/bench"
  "$build"/seed_report_db "$pg_url" "$month" "$ROWS" bench
  psql "$pg_url" -qc "VACUUM ANALYZE" >/dev/null
  tenants="raw rollup pg"
fi
tenants_yaml="$(bench_tenant_yaml raw "sqlite:///${dir}/raw.db")
$(bench_tenant_yaml rollup "sqlite:///${dir}/rollup.db")"
[ -n "${pg_url:-}" ] && tenants_yaml+=$'\n'"$(bench_tenant_yaml pg "$pg_url")"
# Two engines: with report readers (the default) and without them (each in this shell, so that
# the exit trap stops both).
readers_port="$(free_port)"
bench_write_config "$dir/readers.yaml" "$readers_port" "" "$tenants_yaml"
bench_start_engine "$dir/readers.yaml" "$dir/readers.log" "$readers_port" 300
single_port="$(free_port)"
bench_write_config "$dir/single.yaml" "$single_port" "" "$tenants_yaml"
bench_start_engine "$dir/single.yaml" "$dir/single.log" "$single_port" 300 CHITRAGUPT_REPORT_READERS=0

query="chargebacks/aggregate?start_date=${first}&end_date=${last}&group_by=identity_id&time_bucket=day"
for t in $tenants; do
  curl -fsS "http://127.0.0.1:${readers_port}/api/v1/tenants/${t}/${query}" -o "$dir/answer-$t.json"
done
for t in $tenants; do
  if ! cmp -s "$dir/answer-raw.json" "$dir/answer-$t.json"; then
    echo "aggregate_bench: the $t answer differs from the raw one" >&2; exit 1
  fi
done
echo "answers of ${tenants// /, } are byte-identical ($(wc -c < "$dir/answer-raw.json") bytes)"

declare -A P50 P99 RPS
for rep in $(seq 1 "$REPS"); do
  for t in $tenants; do
    for engine in single readers; do
      port="$single_port"; [ "$engine" = readers ] && port="$readers_port"
      for c in 1 8; do
        th=2; [ "$c" = 1 ] && th=1
        out="$(wrk -t"$th" -c"$c" -d"$DURATION" --timeout 10s --latency "http://127.0.0.1:${port}/api/v1/tenants/${t}/${query}")"
        key="$t/$engine/$c"
        P50[$key]+="$(to_ms "$(wrk_stat "$out" 50%)" 2) "
        P99[$key]+="$(to_ms "$(wrk_stat "$out" 99%)" 2) "
        RPS[$key]+="$(wrk_stat "$out" rps) "
        bad="$(wrk_stat "$out" non2xx)"
        [ -n "$bad" ] && echo "  $key: ${bad} non-2xx answers" >&2
        echo "rep $rep $key: p50 $(echo ${P50[$key]} | awk '{print $NF}') ms, p99 $(echo ${P99[$key]} | awk '{print $NF}') ms"
      done
    done
  done
done

echo
echo "== summary: one-month aggregate, ${ROWS} rows, medians of ${REPS} x ${DURATION} ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-8s %-8s %5s %10s %10s %10s\n' tenant engine conns p50_ms p99_ms req/s
for t in $tenants; do
  for engine in single readers; do
    for c in 1 8; do
      key="$t/$engine/$c"
      # shellcheck disable=SC2086
      printf '%-8s %-8s %5s %10s %10s %10s\n' "$t" "$engine" "$c" "$(median ${P50[$key]})" "$(median ${P99[$key]})" "$(median ${RPS[$key]})"
    done
  done
done
# shellcheck disable=SC2086
raw1="$(median ${P50[raw/single/1]})"
for t in $tenants; do
  [ "$t" = raw ] && continue
  # shellcheck disable=SC2086
  p50="$(median ${P50[$t/readers/1]})"; p99="$(median ${P99[$t/readers/8]})"
  echo "$t: p50 ${p50} ms at 1 connection (goal < 100; raw facts in the same run ${raw1} ms, ratio $(awk -v a="$p50" -v b="$raw1" 'BEGIN{printf "%.3f", a/b}')), p99 ${p99} ms at 8 connections with readers (goal < 300)"
done
