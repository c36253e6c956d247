#!/usr/bin/env bash
# The upgrade drill: docs/upgrading.md followed literally on a SQLite tenant, with the real
# binaries over real HTTP on 127.0.0.1.
#
# Usage: tests/upgrade_drill.sh <chitragupt> <chitragupt-next> <ccloud-sim>
#   chitragupt-next is the same engine built with one more (test-only) migration, head + 1
#   (cmake/next_migrations.cmake): "the new release".
#
# The shell blocks of docs/upgrading.md marked `<!-- drill: NAME -->` are extracted and run as
# they are written, in a directory laid out like the doc's examples (config.yaml, tenant
# `prod`, data/chargeback.db) with `chitragupt` on PATH pointing at the release being run:
#   1. the old release gathers data, then runs periodically (retention runs after the cycle);
#   2. doc: stop; back up DB + -wal + -shm; note the schema version (db current / history);
#   3. the new release starts: automatic migration to head + 1, data intact, /health and
#      `db current` show the new version;
#   4. refusal: the old release on the upgraded database fails that tenant with the documented
#      message (in /health and the log) and keeps serving;
#   5. doc: rollback (restore the backup), the old release runs on the restored database;
#   6. after a crash (kill -9) the -wal holds committed writes: the doc's backup and restore
#      keep them, the main file alone does not have them.
# Every wait is bounded. Needs bash, curl, jq, sqlite3.
set -euo pipefail

OLD=$(realpath "$1")
NEXT=$(realpath "$2")
SIM=$(realpath "$3")
DOC="$(cd "$(dirname "$0")/.." && pwd)/docs/upgrading.md"

for tool in curl jq sqlite3; do
  command -v "$tool" >/dev/null || { echo "upgrade_drill: $tool is required" >&2; exit 1; }
done

# The drill reads the database while an engine runs: like the engine (busy_timeout 5 s), wait for
# a lock it holds for a moment (a commit, a checkpoint) instead of failing with "database is
# locked".
sqlite3() { command sqlite3 -cmd ".timeout 10000" "$@"; }

WORK=$(mktemp -d /tmp/chitragupt-upgrade-drill-XXXXXX)
SIM_PID=""
ENGINE_PID=""
cleanup() {
  [[ -n "$ENGINE_PID" ]] && kill -KILL "$ENGINE_PID" 2>/dev/null
  [[ -n "$SIM_PID" ]] && kill -TERM "$SIM_PID" 2>/dev/null && wait "$SIM_PID" 2>/dev/null
  if [[ "${KEEP_DRILL_DIR:-}" == "" ]]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT

step() { echo "== $*"; }
fail() {
  echo "FAIL: $*" >&2
  for log in "$WORK"/logs/*.log; do
    [[ -f "$log" ]] && { echo "--- $log (last 30 lines)" >&2; tail -n 30 "$log" >&2; }
  done
  exit 1
}
expect_contains() {  # <text> <needle> <what>
  [[ "$1" == *"$2"* ]] || fail "$3: expected to contain '$2', got: $1"
}

# A shell block of the doc, by its marker.
doc_block() {
  local block
  block=$(awk -v marker="<!-- drill: $1 -->" '
    index($0, marker) { found = 1; next }
    found && /^[[:space:]]*```/ { if (inside) exit; inside = 1; next }
    inside { print }' "$DOC")
  [[ -n "$block" ]] || fail "docs/upgrading.md has no shell block marked 'drill: $1'"
  printf '%s\n' "$block"
}
# Runs a doc block in the work directory (or in DIR=...), as an operator would paste it.
run_doc_block() {
  echo "-- docs/upgrading.md [$1]:" >&2
  doc_block "$1" | sed 's/^/   $ /' >&2
  (cd "${DIR:-$WORK}" && PATH="$WORK/bin:$PATH" bash -c "$(doc_block "$1")")
}

free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  fail "no free port found"
}

use_release() {  # old|next: what `chitragupt` on PATH runs
  ln -sfn "$([[ $1 == old ]] && echo "$OLD" || echo "$NEXT")" "$WORK/bin/chitragupt"
}

health() { curl -fsS --max-time 5 "http://127.0.0.1:$PORT/health" 2>/dev/null || true; }
tenant_field() {  # <jq path under the prod tenant>
  health | jq -r ".tenants[] | select(.name == \"prod\") | $1" 2>/dev/null || true
}
wait_for() {  # <description> <seconds> <command...>: polls every 0.2 s
  local what=$1 limit=$2
  shift 2
  for _ in $(seq 1 $((limit * 5))); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  fail "timed out after ${limit}s waiting for: $what"
}

start_engine() {  # <log name> <args...>
  local name=$1
  shift
  # Tests running beside this one pick free ports too: one may take ours between two starts.
  # Then the engine exits at once with api_bind_failed, and it starts again on a new port.
  for _ in 1 2 3; do
    (cd "$WORK" && exec "$WORK/bin/chitragupt" --config-file config.yaml "$@") \
      >"$WORK/logs/$name.log" 2>&1 &
    ENGINE_PID=$!
    for _ in $(seq 1 20); do
      grep -q "event=api_bind_failed" "$WORK/logs/$name.log" && break
      kill -0 "$ENGINE_PID" 2>/dev/null || break
      sleep 0.1
    done
    grep -q "event=api_bind_failed" "$WORK/logs/$name.log" || return 0
    wait "$ENGINE_PID" || true
    local new_port
    new_port=$(free_port)
    sed -i "s/port: $PORT }/port: $new_port }/" "$WORK/config.yaml"
    PORT=$new_port
  done
  fail "the engine could not listen on a free port three times"
}
# "Stop the engine": SIGTERM, as systemctl stop does.
stop_engine() {
  kill -TERM "$ENGINE_PID"
  local code=0
  for _ in $(seq 1 150); do
    kill -0 "$ENGINE_PID" 2>/dev/null || break
    sleep 0.2
  done
  kill -0 "$ENGINE_PID" 2>/dev/null && fail "the engine did not stop within 30 s of SIGTERM"
  wait "$ENGINE_PID" || code=$?
  ENGINE_PID=""
  [[ $code -eq 0 ]] || fail "the engine exited with $code after SIGTERM"
}

# What the tenant's data looks like (run counts excluded: every start adds a run).
fingerprint() {
  sqlite3 "$WORK/data/chargeback.db" \
    "SELECT (SELECT COUNT(*) FROM ccloud_billing) || ' billing lines, ' ||
            (SELECT COUNT(*) FROM chargeback_facts) || ' facts summing ' ||
            (SELECT COALESCE(SUM(amount), 0) FROM chargeback_facts) || ' units, ' ||
            (SELECT COUNT(*) FROM resources) || ' resources, ' ||
            (SELECT COUNT(*) FROM identities) || ' identities, ' ||
            (SELECT COUNT(*) FROM pipeline_state) || ' dates'"
}
has_table() {
  [[ $(sqlite3 "$WORK/data/chargeback.db" \
    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '$1'") == 1 ]]
}

# ------------------------------------------------------------------------------ set-up
mkdir -p "$WORK/bin" "$WORK/data" "$WORK/logs"
: >"$WORK/logs/probe.db"  # an empty database: `db current` says "(head N)"
HEAD=$("$OLD" db current --database-url "sqlite:///$WORK/logs/probe.db" |
  sed -n 's/.*(head \([0-9]*\)).*/\1/p')
rm -f "$WORK/logs/probe.db"*
[[ "$HEAD" =~ ^[0-9]+$ ]] || fail "cannot tell the old binary's head version from 'db current'"
NEXT_HEAD=$((HEAD + 1))
NEXT_LABEL=$(printf '%04d' "$NEXT_HEAD")
step "old release: head $HEAD; next release: head $NEXT_HEAD"

"$SIM" --port 0 --seed 7 --preset small >"$WORK/logs/sim.out" 2>"$WORK/logs/sim.log" &
SIM_PID=$!
wait_for "the simulator to listen" 10 grep -q "listening on" "$WORK/logs/sim.out"
SIM_PORT=$(sed -n 's/.*listening on .*:\([0-9]*\)$/\1/p' "$WORK/logs/sim.out" | head -1)
PORT=$(free_port)

cat >"$WORK/config.yaml" <<YAML
logging: { level: INFO, format: text }
features: { enable_periodic_refresh: true, refresh_interval: 3600 }
api: { host: 127.0.0.1, port: $PORT }
tenants:
  prod:
    ecosystem: confluent_cloud
    tenant_id: prod
    lookback_days: 4
    cutoff_days: 1
    storage: { connection_string: "sqlite:///data/chargeback.db" }
    plugin_settings:
      ccloud_api: { key: sim-key, secret: sim-secret, base_url: "http://127.0.0.1:$SIM_PORT" }
      metrics:
        type: prometheus
        url: "http://127.0.0.1:$SIM_PORT"
        auth_type: basic
        username: sim-key
        password: sim-secret
YAML

# ------------------------------------------------------------------ 1. the old release
step "1. old release: first data (--run-once), then periodic with retention"
use_release old
(cd "$WORK" && PATH="$WORK/bin:$PATH" chitragupt --config-file config.yaml --validate) \
  >/dev/null || fail "the drill's config does not validate"
start_engine run-once --mode worker --run-once
wait "$ENGINE_PID" || fail "the --run-once run exited with $?"
ENGINE_PID=""
[[ $(sqlite3 "$WORK/data/chargeback.db" "SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1") \
  == completed ]] || fail "the first run did not complete"
grep -q "event=retention_cleanup" "$WORK/logs/run-once.log" &&
  fail "retention ran under --run-once"
# A date far outside retention_days (250): the periodic cycle's retention removes it.
sqlite3 "$WORK/data/chargeback.db" \
  "INSERT INTO pipeline_state (ecosystem, tenant_id, tracking_date) VALUES ('confluent_cloud', 'prod', '2001-01-01')"

start_engine old-periodic
wait_for "the old release to finish its periodic run" 120 \
  grep -q "tenant=prod event=retention_cleanup" "$WORK/logs/old-periodic.log"
expect_contains "$(grep "event=retention_cleanup" "$WORK/logs/old-periodic.log")" \
  "pipeline_state=1" "the retention log line"
[[ $(sqlite3 "$WORK/data/chargeback.db" \
  "SELECT COUNT(*) FROM pipeline_state WHERE tracking_date = '2001-01-01'") == 0 ]] ||
  fail "retention left the 2001-01-01 pipeline_state row"
[[ $(sqlite3 "$WORK/data/chargeback.db" "SELECT COUNT(*) FROM pipeline_runs") -ge 2 ]] ||
  fail "pipeline_runs lost rows"
[[ $(tenant_field .schema_version) == "$HEAD" ]] || fail "/health: $(health)"

# ------------------------------------------------------- 2. before you upgrade (the doc)
step "2. before you upgrade (docs/upgrading.md): stop, back up, note the schema version"
stop_engine
for f in chargeback.db-wal chargeback.db-shm; do
  if [[ -f "$WORK/data/$f" ]]; then
    echo "   sidecar present after the stop: $f ($(stat -c %s "$WORK/data/$f") bytes)"
  fi
done
BEFORE=$(fingerprint)
step "   data before the upgrade: $BEFORE"
run_doc_block backup-sqlite || true  # the doc's cp of an absent sidecar fails: by design
[[ -f "$WORK/data/chargeback.db.bak" ]] || fail "no backup of the database"
for f in chargeback.db chargeback.db-wal chargeback.db-shm; do
  if [[ -f "$WORK/data/$f" ]]; then
    cmp -s "$WORK/data/$f" "$WORK/data/$f.bak" || fail "the backup of $f differs or is missing"
  fi
done
VERSION_OUT=$(run_doc_block schema-version)
echo "$VERSION_OUT" | sed 's/^/   /'
expect_contains "$VERSION_OUT" "version $HEAD (" "db current before the upgrade"
expect_contains "$VERSION_OUT" "— head" "db current before the upgrade"

# -------------------------------------------------------------- 3. the new release
step "3. new release: automatic migration to $NEXT_HEAD"
use_release next
start_engine next
wait_for "the new release to migrate and run" 120 \
  bash -c "[[ \$(curl -fsS --max-time 5 http://127.0.0.1:$PORT/health 2>/dev/null |
    jq -r '.tenants[] | select(.name == \"prod\") | \"\(.schema_version) \(.state)\"' \
    2>/dev/null) =~ ^$NEXT_HEAD\ (ready|running)$ ]]"
# The collector logs retention once its periodic run has ended.
wait_for "the new release's first run" 120 \
  grep -q "tenant=prod event=retention_cleanup" "$WORK/logs/next.log"
[[ $(sqlite3 "$WORK/data/chargeback.db" "SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1") \
  == completed ]] || fail "the new release's run did not complete"
grep -q "event=migration_completed" "$WORK/logs/next.log" ||
  fail "no event=migration_completed in the new release's log"
stop_engine
[[ -f "$WORK/data/chargeback.db.pre-$NEXT_LABEL.bak" ]] ||
  fail "no automatic backup data/chargeback.db.pre-$NEXT_LABEL.bak"
has_table upgrade_drill || fail "the new migration's table is missing"
AFTER=$(fingerprint)
[[ "$AFTER" == "$BEFORE" ]] || fail "data changed across the upgrade: '$BEFORE' -> '$AFTER'"
VERSION_OUT=$(run_doc_block schema-version)
expect_contains "$VERSION_OUT" "version $NEXT_HEAD (${NEXT_LABEL} upgrade_drill) — head" \
  "db current after the upgrade"
expect_contains "$VERSION_OUT" "upgrade_drill" "db history after the upgrade"

# ---------------------------------------------- 4. the old release on the upgraded database
step "4. refusal: the old release on the upgraded database"
use_release old
start_engine refused
wait_for "the old release to fail the tenant" 60 \
  bash -c "[[ \$(curl -fsS --max-time 5 http://127.0.0.1:$PORT/health 2>/dev/null |
    jq -r '.tenants[] | select(.name == \"prod\") | .state' 2>/dev/null) == failed ]]"
MESSAGE="database schema is at version $NEXT_HEAD, newer than this binary knows (head $HEAD)"
expect_contains "$(tenant_field .error)" "$MESSAGE" "/health error of the refused tenant"
grep -q "event=tenant_failed.*$MESSAGE" "$WORK/logs/refused.log" ||
  fail "the log does not say: $MESSAGE"
kill -0 "$ENGINE_PID" 2>/dev/null || fail "the old release exited instead of serving"
stop_engine
has_table upgrade_drill || fail "the refused start changed the database"
CURRENT_CODE=0
CURRENT_OUT=$(cd "$WORK" && "$OLD" db current --config-file config.yaml --tenant prod 2>&1) ||
  CURRENT_CODE=$?
[[ $CURRENT_CODE -ne 0 ]] || fail "old 'db current' on the upgraded database exited 0"
expect_contains "$CURRENT_OUT" "newer than this binary" "old db current on the upgraded database"

# ---------------------------------------------------------- 5. rollback (the doc)
step "5. rollback: restore the backup, run the old release"
run_doc_block restore-sqlite
has_table upgrade_drill && fail "the restored database still has the new migration's table"
RESTORED=$(fingerprint)
[[ "$RESTORED" == "$BEFORE" ]] || fail "restored data differs: '$BEFORE' -> '$RESTORED'"
start_engine rolled-back
wait_for "the old release to run on the restored database" 120 \
  grep -q "tenant=prod event=retention_cleanup" "$WORK/logs/rolled-back.log"
[[ $(tenant_field .schema_version) == "$HEAD" ]] || fail "/health after the rollback: $(health)"
# A run asked for through the API is not a periodic cycle: no retention after it. Two runs,
# one after the other: once the second has ended, the first one's handling is complete.
runs_completed_at_least() {
  (($(grep -c "tenant=prod event=pipeline_run_completed" "$WORK/logs/rolled-back.log") >= $1))
}
for n in 2 3; do
  # 409 while the previous run is still winding down (its completion is logged a moment before
  # the tenant hears of it): asked again, for at most 10 s.
  for _ in $(seq 50); do
    CODE=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST -d '' \
      "http://127.0.0.1:$PORT/api/v1/tenants/prod/pipeline/run" || true)
    [[ $CODE == 409 ]] || break
    sleep 0.2
  done
  [[ $CODE == 202 ]] || fail "POST /api/v1/tenants/prod/pipeline/run answered $CODE"
  wait_for "API run $((n - 1)) to complete" 120 runs_completed_at_least "$n"
done
[[ $(grep -c "tenant=prod event=retention_cleanup" "$WORK/logs/rolled-back.log") == 1 ]] ||
  fail "retention ran after an API run"
[[ $(sqlite3 "$WORK/data/chargeback.db" "SELECT status FROM pipeline_runs ORDER BY id DESC LIMIT 1") \
  == completed ]] || fail "the old release's run on the restored database did not complete"
stop_engine
[[ $(fingerprint) == "$BEFORE" ]] || fail "data after the rolled-back run: '$(fingerprint)'"
VERSION_OUT=$(run_doc_block schema-version)
expect_contains "$VERSION_OUT" "version $HEAD (" "db current after the rollback"
expect_contains "$VERSION_OUT" "— head" "db current after the rollback"

# ------------------------------------------- 6. sidecars after a crash (the doc's note)
step "6. after a crash the -wal holds committed writes: the doc's backup keeps them"
start_engine crashed
wait_for "the old release's run" 120 \
  grep -q "tenant=prod event=retention_cleanup" "$WORK/logs/crashed.log"
# A write that only the -wal holds: a report request makes the engine open a connection, kept
# for features.database_idle_timeout (60 s), so this one neither checkpoints (autocheckpoint
# off) nor removes the log when it closes.
curl -s -o /dev/null --max-time 10 "http://127.0.0.1:$PORT/api/v1/tenants/prod/chargebacks/dates" || true
sqlite3 "$WORK/data/chargeback.db" "PRAGMA wal_autocheckpoint = 0;
  INSERT INTO tags (tenant_id, entity_type, entity_id, tag_key, tag_value, created_by, created_at)
  VALUES ('prod', 'resource', 'lkc-drill', 'drill', 'only-in-the-wal', 'upgrade_drill',
          '2026-01-01 00:00:00');" >/dev/null
kill -KILL "$ENGINE_PID"
wait "$ENGINE_PID" 2>/dev/null || true
ENGINE_PID=""
[[ -s "$WORK/data/chargeback.db-wal" ]] || fail "no -wal file after the crash"
rm -f "$WORK"/data/*.bak
run_doc_block backup-sqlite || fail "the doc's backup failed although every sidecar exists"
for f in chargeback.db chargeback.db-wal chargeback.db-shm; do
  cmp -s "$WORK/data/$f" "$WORK/data/$f.bak" || fail "the backup of $f differs or is missing"
done
# The backup set alone, restored on another machine as the doc says.
mkdir -p "$WORK/elsewhere/data" "$WORK/main-file-only"
cp "$WORK"/data/*.bak "$WORK/elsewhere/data/"
DIR="$WORK/elsewhere" run_doc_block restore-sqlite
marker() {
  sqlite3 "$1" "SELECT COUNT(*) FROM tags WHERE tag_value = 'only-in-the-wal'"
}
[[ $(marker "$WORK/elsewhere/data/chargeback.db") == 1 ]] ||
  fail "the restored backup lost the write the -wal held"
cp "$WORK/data/chargeback.db.bak" "$WORK/main-file-only/chargeback.db"
[[ $(marker "$WORK/main-file-only/chargeback.db") == 0 ]] ||
  fail "the drill's write reached the main file: the -wal check above proves nothing"

step "upgrade drill passed"
