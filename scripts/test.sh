#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --test
scripts/build.sh
ctest --test-dir build --output-on-failure -j"${JOBS:-2}" --timeout 300
