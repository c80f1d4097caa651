#!/usr/bin/env bash
# Times a 100,000-row CSV import (children with parents and guardians) over HTTP on SQLite:
# dry run, then the committing import (one transaction, one child.create audit entry per child
# plus one child.import entry).
#   bench/registry/import_100k.sh [rows] [port] [build-dir]
# Needs node. Uses a fresh data dir under /tmp; prints the machine and the timings.
set -euo pipefail
ROWS=${1:-100000}
PORT=${2:-18410}
BUILD=${3:-build}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN="$ROOT/$BUILD/src/app/tonghu"
DATA=$(mktemp -d /tmp/th_import_bench.XXXXXX)
echo "# command: bench/registry/import_100k.sh $ROWS $PORT $BUILD"
echo "# machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(uname -sr)"
"$BIN" demo --data-dir "$DATA" --fast-hash >/dev/null
"$BIN" serve --data-dir "$DATA" --port "$PORT" --login-ip-limit 10000 --no-access-log >"$DATA/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
TH_SERVER_PID=$PID TH_BASE_URL="http://127.0.0.1:$PORT" node "$ROOT/bench/registry/import_100k.mjs" "$ROWS" district
# Shared machines drift: the server's CPU time (login, preview-free dry run and commit) is the
# steadier number; the load average says how contended the run was.
echo "server CPU time: $(ps -o cputimes= -p $PID | tr -d ' ') s; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "database size: $(du -sh "$DATA" | cut -f1); server RSS: $(ps -o rss= -p $PID | awk '{printf "%.0f MB", $1/1024}'), peak (VmHWM): $(awk '/VmHWM/ {printf "%.0f MB", $2/1024}' /proc/$PID/status)"
