#!/usr/bin/env bash
# FOCUS export of a large month on the RUNNING ENGINE (issue 17): the API job
# (POST .../focus/exports), then the data file downloaded through GET .../files/{name}. The
# engine's resident memory is sampled every 50 ms from /proc while the job runs and while the
# file streams: the bench prints the engine's RSS before the export, its peak during it, and the
# peak's growth over the idle RSS (the memory the export itself costs). Its limit, measured in
# the same run: the same month exported in a process of its own (focus_export_bench export),
# whose time is the floor for the job; the ratio job / floor is printed.
#
#   bench/focus_engine_bench.sh                 ROWS=1000000 by default
#   ROWS=250000 bench/focus_engine_bench.sh
#   BUILD_DIR=build bench/focus_engine_bench.sh  use an existing build tree
#   BENCH_DIR=/some/disk bench/focus_engine_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

ROWS="${ROWS:-1000000}"
bench_build chitragupt focus_export_bench
bench_workdir focus-engine
bench_last_month
rm -f "$dir/bench.db"*
"$build"/focus_export_bench seed "$dir/bench.db" "$month" "$ROWS"
# The floor: the same export in a process of its own.
floor_out="$("$build"/focus_export_bench export "$dir/bench.db" "$month" "$dir/floor")"
echo "$floor_out"
floor_s="$(sed -n 's/.*rows ([0-9]* lines), \([0-9.]*\) s,.*/\1/p' <<<"$floor_out" | head -1)"
rm -rf "$dir/floor"

port="$(free_port)"
bench_write_config "$dir/config.yaml" "$port" "preview:
  artifact_root: ${dir}/artifacts" "$(bench_tenant_yaml bench "sqlite:///${dir}/bench.db")"
bench_start_engine "$dir/config.yaml" "$dir/engine.log" "$port" 300

idle_kb="$(rss_kb)"
peak_kb="$idle_kb"
base="http://127.0.0.1:${port}/api/v1/tenants/bench/focus/exports"
started="$(date +%s.%N)"
job="$(curl -fsS -X POST -H 'Content-Type: application/json' \
  -d "{\"billing_period\":\"${month}\"}" "$base")"
id="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["id"])' "$job")"
status=running
for _ in $(seq 1 36000); do  # at most an hour
  kb="$(rss_kb)"; (( kb > peak_kb )) && peak_kb=$kb
  status="$(curl -fsS "$base/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')"
  [ "$status" != running ] && break
  sleep 0.05
done
finished="$(date +%s.%N)"
[ "$status" = ready ] || { echo "export ended $status"; curl -fsS "$base/$id"; exit 1; }
name="$(curl -fsS "$base/$id" | python3 -c 'import json,sys; print(json.load(sys.stdin)["files"][0]["name"])')"
curl -fsS "$base/$id/files/$name" -o "$dir/download.csv" &
dl=$!
while kill -0 "$dl" 2>/dev/null; do
  kb="$(rss_kb)"; (( kb > peak_kb )) && peak_kb=$kb
  sleep 0.05
done
wait "$dl"
rows=$(( $(wc -l <"$dir/download.csv") - 1 ))
job_s="$(awk -v a="$started" -v b="$finished" 'BEGIN{printf "%.2f", b-a}')"
ratio="$(awk -v j="$job_s" -v f="$floor_s" 'BEGIN{ if (f > 0) printf "%.2f", j/f; else print "n/a" }')"
echo "engine export: rows=${rows} job_seconds=${job_s} floor_seconds=${floor_s} ratio_to_floor=${ratio}"
echo "engine RSS: idle=$((idle_kb / 1024)) MiB peak_during_export_and_download=$((peak_kb / 1024)) MiB growth=$(((peak_kb - idle_kb) / 1024)) MiB"
