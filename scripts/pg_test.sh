#!/usr/bin/env bash
# A throwaway PostgreSQL 15 (Debian package) for tests: temp dir, free port on 127.0.0.1, unix socket
# in the temp dir, trust auth, fsync off.
#
#   eval "$(scripts/pg_test.sh start)"   # prints: export TH_TEST_PG_URL=postgresql://...
#   scripts/pg_test.sh url               # prints the URL of the running server
#   scripts/pg_test.sh stop              # stops it and deletes the dir (no-op when not running)
#
# State lives in $TH_PG_STATE_FILE (default /tmp/th_pg_test.<uid>.state). Works as root (the server
# then runs as the `postgres` system user, since initdb refuses root) and as an ordinary user.
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
STATE_FILE=${TH_PG_STATE_FILE:-${TMPDIR:-/tmp}/th_pg_test.$(id -u).state}

log() { echo "pg_test: $*" >&2; }
die() { log "$*"; exit 1; }

# Runs a command as the server's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

load_state() {
  [ -f "$STATE_FILE" ] || return 1
  # shellcheck disable=SC1090
  . "$STATE_FILE"
  [ -n "${PG_DIR:-}" ] && [ -n "${PG_URL:-}" ]
}

running() {
  load_state && [ -d "$PG_DIR/data" ] && as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1
}

port_free() {
  ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .
}

pick_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if port_free "$port"; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

start() {
  if running; then
    log "already running in $PG_DIR"
    echo "export TH_TEST_PG_URL=$PG_URL"
    return 0
  fi
  [ -x "$PG_BIN/initdb" ] || die "$PG_BIN/initdb not found: apt-get install -y postgresql-15"
  rm -f "$STATE_FILE"
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/th_pg.XXXXXX")
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' system user (apt-get install -y postgresql-15)"
    chown postgres:postgres "$dir"
  fi
  chmod 700 "$dir"
  if ! as_owner "$PG_BIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
      >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    die "initdb failed"
  fi
  local port="" attempt
  for attempt in 1 2 3 4 5; do
    port=$(pick_port) || die "no free TCP port"
    if as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
        start >/dev/null 2>&1; then
      break
    fi
    # Most likely someone took the port between the check and the bind: try another one.
    log "start on port $port failed (attempt $attempt); see $dir/server.log"
    port=""
  done
  if [ -z "$port" ]; then
    tail -20 "$dir/server.log" >&2 || true
    rm -rf "$dir"
    die "could not start PostgreSQL"
  fi
  local url="postgresql://postgres@127.0.0.1:$port/postgres"
  {
    echo "PG_DIR='$dir'"
    echo "PG_PORT='$port'"
    echo "PG_URL='$url'"
  } >"$STATE_FILE"
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') running in $dir on port $port"
  echo "export TH_TEST_PG_URL=$url"
}

stop() {
  if ! load_state; then
    log "not running (no $STATE_FILE)"
    rm -f "$STATE_FILE"
    return 0
  fi
  if [ -d "$PG_DIR/data" ]; then
    as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  case "$PG_DIR" in
    */th_pg.*) rm -rf "$PG_DIR" ;;
    *) log "refusing to delete unexpected dir '$PG_DIR'" ;;
  esac
  rm -f "$STATE_FILE"
  log "stopped"
}

url() {
  running || die "not running; start it with: eval \"\$($0 start)\""
  echo "$PG_URL"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
