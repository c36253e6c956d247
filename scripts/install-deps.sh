#!/usr/bin/env bash
# Installs the Debian 12 packages chitragupt needs to build, run and test, if any are missing.
# Usage: scripts/install-deps.sh [--test]   (--test adds what the test suite needs)
set -euo pipefail

packages=(build-essential cmake pkg-config curl
  libcaf-dev libyaml-cpp-dev libsqlite3-dev libpq-dev libcpp-httplib-dev libssl-dev
  libspdlog-dev nlohmann-json3-dev libbenchmark-dev zlib1g-dev librdkafka-dev
  libhowardhinnant-date-dev tzdata)
# The web UI (ui/) is built with npm. This machine image may ship its own Node.js in /usr/bin,
# which Debian's npm package conflicts with: Debian's nodejs/npm only when there is no npm.
if ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--test" ]]; then
  # chromium: the browser the web UI's browser test drives (ui/browser/, via playwright-core).
  # postgresql: the server binaries scripts/pg-test-cluster.sh runs for the PostgreSQL tests.
  # prometheus: promtool and a real server that scrapes /metrics in the tests.
  # curl, jq, sqlite3: the script tests (tests/*.sh).
  # clang, libclang-rt-14-dev: the sanitizer build and the libFuzzer targets
  # (scripts/sanitize-test.sh, scripts/fuzz.sh).
  packages+=(libgtest-dev libgmock-dev sqlite3 postgresql prometheus curl jq chromium
    clang libclang-rt-14-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "Installing missing Debian packages: ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
