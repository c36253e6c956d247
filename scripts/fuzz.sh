#!/usr/bin/env bash
# Runs every libFuzzer target of build-asan/ (scripts/sanitize-test.sh builds them) for a
# bounded time, two at a time, each from its seed corpus fuzz/corpus/<target>/. Fails on any
# crash, hang (-timeout), out-of-memory or sanitizer report; the input that caused it is kept in
# build-asan/fuzz-artifacts/ — replay it with build-asan/fuzz_<target> <file>, then add it to
# the seed corpus and a regular regression test (docs/testing.md).
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 30 s, every target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-${FUZZ_SECONDS:-30}}"
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then targets=(config env report ccloud prometheus); fi
build="${ASAN_BUILD_DIR:-build-asan}"
artifacts="$build/fuzz-artifacts"
mkdir -p "$artifacts"
work=$(mktemp -d /tmp/chitragupt-fuzz-XXXXXX)  # inputs found now; the seed corpus stays as is
trap 'rm -rf "$work"' EXIT
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run_one() {
  local t=$1
  mkdir -p "$work/$t"
  "$build/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/$t-" "$work/$t" "fuzz/corpus/$t" \
    >"$work/$t.log" 2>&1
}

failed=()
for ((i = 0; i < ${#targets[@]}; i += 2)); do
  pids=()
  for t in "${targets[@]:i:2}"; do
    run_one "$t" &
    pids+=("$!:$t")
  done
  for p in "${pids[@]}"; do
    if ! wait "${p%%:*}"; then failed+=("${p#*:}"); fi
  done
done

for t in "${targets[@]}"; do
  runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$work/$t.log" | grep -o '[0-9]*$' || echo "?")
  echo "fuzz_$t: $runs executions in ${seconds} s"
done
for t in "${failed[@]}"; do
  echo "FAILED: fuzz_$t (its log follows; the input is in $artifacts/)" >&2
  tail -n 60 "$work/$t.log" >&2
done
((${#failed[@]} == 0))
