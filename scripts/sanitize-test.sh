#!/usr/bin/env bash
# The unit and end-to-end tests again under AddressSanitizer + UndefinedBehaviorSanitizer:
# builds build-asan/ with clang (-O0 with line tables; the libFuzzer targets of fuzz/ too, which
# share its objects) and runs its ctest suite with a throwaway PostgreSQL server. Any sanitizer
# report fails the test that caused it. The web UI is left out (it has no C++).
# Usage: scripts/sanitize-test.sh [--build-only | --test-only] [CTEST_ARGS...]   (e.g. -R Config)
#   --build-only   only build build-asan/ (.ci/run builds it while the main tests run)
#   --test-only    only run the tests of an existing build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
test=1
case "${1:-}" in
  --build-only) test=0; shift ;;
  --test-only) build=0; shift ;;
esac

if ((build)); then
  scripts/install-deps.sh --test
  # -O0: the build is CPU time CI pays twice (docs/testing.md, "Build time"); at -O1 the same
  # objects took about twice as long to compile, for tests that mostly wait on processes and
  # sockets. No benchmarks here: timing programs under ASan measure nothing useful.
  cmake -S . -B build-asan -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -gline-tables-only -DNDEBUG" \
    -DCHITRAGUPT_SANITIZE=ON -DCHITRAGUPT_FUZZ=ON -DCHITRAGUPT_UI=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON >/dev/null
  cmake --build build-asan -j"${JOBS:-2}"
fi

if ((test)); then
  # Leaks are checked too; the processes the end-to-end tests start inherit these.
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:strict_string_checks=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  scripts/with-test-postgres.sh ctest --test-dir build-asan --output-on-failure -j"${JOBS:-2}" \
    --timeout 600 "$@"
fi
