#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds, then runs the engine
# with the shipped two-tenant SQLite config (config/example.yaml), serving
# http://127.0.0.1:8080/health. Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
mkdir -p data
echo "chitragupt: serving http://127.0.0.1:8080/health and http://127.0.0.1:8080/ready (Ctrl-C stops)"
exec build/chitragupt --config-file config/example.yaml "$@"
