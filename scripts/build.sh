#!/usr/bin/env bash
# Configures and builds chitragupt into build/ (the layout tooling expects).
# Usage: scripts/build.sh [TARGET...]   (default: everything, tests included)
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE="${CMAKE_BUILD_TYPE:-RelWithDebInfo}" >/dev/null
if (($# > 0)); then
  cmake --build build -j"${JOBS:-2}" --target "$@"
else
  cmake --build build -j"${JOBS:-2}"
fi
