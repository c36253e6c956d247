#!/usr/bin/env bash
# The unit and end-to-end tests again under AddressSanitizer + UndefinedBehaviorSanitizer:
# builds build-asan/ with clang (-O1, line tables; the libFuzzer targets of fuzz/ too, which
# share its objects) and runs its ctest suite with a throwaway PostgreSQL server. Any sanitizer
# report fails the test that caused it. The web UI is left out (it has no C++).
# Usage: scripts/sanitize-test.sh [CTEST_ARGS...]   (e.g. -R Config)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
# No benchmarks here: timing programs under ASan measure nothing useful.
cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
  -DCHITRAGUPT_SANITIZE=ON -DCHITRAGUPT_FUZZ=ON -DCHITRAGUPT_UI=OFF \
  -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON >/dev/null
cmake --build build-asan -j"${JOBS:-2}"

# Leaks are checked too; the processes the end-to-end tests start inherit these.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:strict_string_checks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
scripts/with-test-postgres.sh ctest --test-dir build-asan --output-on-failure -j"${JOBS:-2}" \
  --timeout 600 "$@"
