#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite (Debian's postgresql package; nothing else).
#
# Usage: scripts/pg-test-cluster.sh start|stop|env|server-stop|server-start [DIR]
#   start         initdb into DIR, start the server on 127.0.0.1:<free port> (and a unix socket in
#                 DIR/socket), create the superuser role `chitragupt` with a random password, and
#                 write DIR/env, which exports CHITRAGUPT_TEST_PG_URL and friends
#   stop          stop the server and delete DIR (only a DIR this script made)
#   env           print DIR/env:  eval "$(scripts/pg-test-cluster.sh env DIR)"
#   server-stop   stop the server, keeping its data (for restart tests)
#   server-start  start it again on the same port
# DIR defaults to $CHITRAGUPT_PG_CLUSTER_DIR, else /tmp/chitragupt-pg-cluster.
#
# PostgreSQL refuses to run as root, so as root (CI) the server runs as the `postgres` OS user.
# Authentication: TCP from 127.0.0.1 with scram-sha-256 only; on the socket the admin role
# `postgres` is trusted (setup only) and everyone else needs a password too.
set -euo pipefail

cmd=${1:-}
dir=${2:-${CHITRAGUPT_PG_CLUSTER_DIR:-/tmp/chitragupt-pg-cluster}}
marker="$dir/.chitragupt-pg-test-cluster"
data="$dir/data"
socket="$dir/socket"
log="$dir/server.log"

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}

find_bindir() {
  if [[ -n "${CHITRAGUPT_PG_BINDIR:-}" ]]; then
    echo "$CHITRAGUPT_PG_BINDIR"
    return
  fi
  local best=""
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && best=$d
  done
  # The glob sorts 15 < 16 < 17: the last one found is the newest.
  [[ -n "$best" ]] || die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (install the postgresql package: scripts/install-deps.sh --test)"
  echo "$best"
}

# Runs a command as the server's OS user: `postgres` when we are root, else ourselves.
as_pg() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_busy() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

start() {
  local bindir
  bindir=$(find_bindir)
  if [[ $(id -u) -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    die "running as root needs the postgres OS user (install the postgresql package)"
  fi
  if [[ -e "$marker" ]]; then
    echo "pg-test-cluster: removing the stale cluster in $dir" >&2
    stop
  fi
  mkdir -p "$dir"
  [[ -z "$(ls -A "$dir")" ]] || die "$dir exists and is not empty"
  touch "$marker"
  mkdir -p "$socket"
  if [[ $(id -u) -eq 0 ]]; then chown -R postgres:postgres "$dir"; fi
  chmod 0700 "$dir"

  local password
  password="pw$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c 24)"

  local locale=C.UTF-8
  locale -a 2>/dev/null | grep -qix 'c.utf-\?8' || locale=C
  as_pg "$bindir/initdb" -D "$data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale="$locale" --no-sync --no-instructions >"$dir/initdb.log" 2>&1 ||
    die "initdb failed: $(tail -5 "$dir/initdb.log")"

  as_pg tee "$data/pg_hba.conf" >/dev/null <<EOF
# chitragupt test cluster: the admin on the socket for setup, passwords everywhere else.
local all postgres                trust
local all all                     scram-sha-256
host  all all      127.0.0.1/32   scram-sha-256
EOF
  # A throwaway server: durability is traded for speed (each test creates a database).
  as_pg tee -a "$data/postgresql.conf" >/dev/null <<EOF

# chitragupt test cluster
listen_addresses = '127.0.0.1'
unix_socket_directories = '$socket'
password_encryption = 'scram-sha-256'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
EOF

  local port="" started=""
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 40000))
    port_busy "$port" && continue
    echo "port = $port" | as_pg tee -a "$data/postgresql.conf" >/dev/null
    if as_pg "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null 2>&1; then
      started=yes
      break
    fi
    grep -q "could not bind\|Address already in use\|could not create any TCP/IP sockets" \
      "$log" 2>/dev/null || die "the server did not start: $(tail -5 "$log" 2>/dev/null)"
  done
  [[ -n "$started" ]] || die "no free port found for the server"
  echo "$port" >"$dir/port"

  as_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$socket" -p "$port" -U postgres -d postgres \
    -c "CREATE ROLE chitragupt LOGIN SUPERUSER PASSWORD '$password'" >/dev/null ||
    die "cannot create the chitragupt role"

  cat >"$dir/env" <<EOF
export CHITRAGUPT_TEST_PG_URL='postgresql://chitragupt:$password@127.0.0.1:$port/postgres'
export CHITRAGUPT_TEST_PG_SOCKET_DIR='$socket'
export CHITRAGUPT_TEST_PG_PORT='$port'
export CHITRAGUPT_TEST_PG_CLUSTER_DIR='$dir'
export CHITRAGUPT_TEST_PG_DATA='$data'
export CHITRAGUPT_TEST_PG_BINDIR='$bindir'
EOF
  chmod 0644 "$dir/env"
  echo "pg-test-cluster: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
}

stop() {
  [[ -d "$dir" ]] || return 0
  [[ -e "$marker" ]] || die "$dir was not made by this script: not touching it"
  if [[ -f "$data/postmaster.pid" ]]; then
    local bindir
    bindir=$(find_bindir)
    as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

server_stop() {
  [[ -e "$marker" ]] || die "no test cluster in $dir"
  as_pg "$(find_bindir)/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null
}

server_start() {
  [[ -e "$marker" ]] || die "no test cluster in $dir"
  as_pg "$(find_bindir)/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  env)
    [[ -f "$dir/env" ]] || die "no test cluster in $dir (run: $0 start $dir)"
    cat "$dir/env"
    ;;
  server-stop) server_stop ;;
  server-start) server_start ;;
  *)
    echo "usage: $0 start|stop|env|server-stop|server-start [DIR]" >&2
    exit 2
    ;;
esac
