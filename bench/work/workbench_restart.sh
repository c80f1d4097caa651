#!/usr/bin/env bash
# bench/work/workbench_restart.sh DATA_DIR PORT BIN... — the 工作台 after a restart: for each binary, on its own
# copy of DATA_DIR (a `tonghu demo --children N` data dir; SQLite), starts `tonghu serve`, times the district
# user's first GET /api/v1/workbench (the numbers computed, or read back from workbench_numbers), stops it, starts
# it again and times the first request again, then two more requests (the background recomputation).
# Prints the machine and the load average; results go to docs/PERFORMANCE.md.
set -euo pipefail
SRC="$1" PORT="$2"; shift 2
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
W=/tmp/th-wb-restart.$$
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
echo "# workbench restart: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ)"
start() {
  "$1" serve --data-dir "$W/d" --config-dir "$ROOT/config" --port "$PORT" --login-ip-limit 100000 --no-access-log \
    --sweep-interval 0 --static-dir "$W" >>"$W/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && return; sleep 0.2; done
  echo "server did not start"; tail -5 "$W/server.log"; exit 1
}
stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; }
first() {
  curl -s -c "$W/cj" -H 'Content-Type: application/json' \
    -d '{"username":"district","password":"Demo@2026tonghu"}' "http://127.0.0.1:$PORT/api/v1/auth/login" >/dev/null
  local cookie="th_session=$(awk '$6=="th_session"{print $7}' "$W/cj")"
  curl -s -o "$W/wb.json" -w '%{time_total}' -H "Cookie: $cookie" "http://127.0.0.1:$PORT/api/v1/workbench"
  echo -n " s (children_total $(sed -E 's/.*"children_total":([0-9]+).*/\1/' "$W/wb.json"),"
  echo " computed_at $(grep -o '"computed_at":[^,]*' "$W/wb.json" | cut -d: -f2- || echo absent))"
}
for bin in "$@"; do
  mkdir -p "$W/d" && cp "$SRC"/tonghu.db "$SRC"/tonghu.key "$W/d/"
  echo "## $bin (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  start "$bin"; echo "first start, first request:    $(first)"; stop
  start "$bin"; echo "after a restart, first request: $(first)"
  sleep 2; echo "2 s later:                      $(first)"
  stop
  rm -rf "$W/d"
done
