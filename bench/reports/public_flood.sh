#!/usr/bin/env bash
# bench/reports/public_flood.sh — the public report page under a flood from one address (issue 11):
# while wrk sends POST /api/v1/public/reports from 127.0.0.1 as fast as it can (valid small bodies,
# then 64 KiB bodies over the 16 KiB limit), a signed-in center user reads the report queue
# (GET /api/v1/reports) with 4 connections. Prints the staff latency alone and during each flood, the
# flood's answers (429 throttled, 413 too large), the reports stored, and the server's RSS sampled
# every second. The server runs with the default public budget (5 per address per 10 minutes).
#   bench/reports/public_flood.sh [port=18450] [seconds=15] [flood connections=64]
# Run from the repository root after building the tonghu binary.
set -euo pipefail
PORT="${1:-18450}"
DUR="${2:-15}"
CONN="${3:-64}"
BIN=./build/src/app/tonghu
BASE="http://127.0.0.1:$PORT"
for t in wrk curl; do command -v "$t" >/dev/null || { echo "missing $t (apt-get install wrk curl)"; exit 1; }; done
W=$(mktemp -d /tmp/th-bench-flood.XXXXXX)
"$BIN" demo --data-dir "$W/db" --fast-hash >/dev/null
"$BIN" serve --data-dir "$W/db" --port "$PORT" --no-access-log --login-ip-limit 10000 >"$W/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null; rm -rf "$W"' EXIT
for _ in $(seq 1 100); do curl -sf "$BASE/api/v1/health" >/dev/null && break; sleep 0.2; done

curl -s -c "$W/cj" -H 'Content-Type: application/json' \
  -d '{"username":"district","password":"Demo@2026tonghu"}' "$BASE/api/v1/auth/login" >/dev/null
COOKIE="th_session=$(awk '$6=="th_session"{print $7}' "$W/cj")"
rss() { awk '/VmRSS/{print $2}' "/proc/$PID/status"; }
sample_rss() {  # sample_rss SECONDS FILE: the server's RSS (KiB) every second
  for _ in $(seq 1 "$1"); do rss >>"$2"; sleep 1; done
}
staff() {  # staff SECONDS: p50/p99 of the report queue with 4 connections
  wrk -t2 -c4 -d"$1"s --latency -H "Cookie: $COOKIE" "$BASE/api/v1/reports?page_size=20" 2>&1 |
    awk '/ 50%/{p50=$2} / 99%/{p99=$2} /Requests\/sec/{rps=$2} END{printf "staff p50 %s p99 %s (%s req/s)\n", p50, p99, rps}'
}
cat >"$W/flood.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"description":"公园里有个孩子独自过夜，看起来很饿","place":"布吉中心公园","situations":["s6"]}'
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) codes = {} end
function response(status) codes[status] = (codes[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("codes")) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do parts[#parts + 1] = k .. ":" .. v end
  io.write("flood answers (status:count) " .. table.concat(parts, " ") .. "\n")
end
LUA
sed 's/^wrk.body = .*/wrk.body = string.rep("x", 65536)/' "$W/flood.lua" >"$W/flood_big.lua"
flood() { wrk -t2 -c"$CONN" -d"$DUR"s -s "$1" "$BASE/api/v1/public/reports" 2>&1 | grep -E "Requests/sec|flood answers|Socket errors" || true; }

echo "== $(nproc) cores, $(uname -r); $(date -u +%FT%TZ); SQLite; ${CONN} flood connections for ${DUR}s"
echo "RSS at start: $(rss) KiB"
echo "-- alone"; staff "$DUR"
echo "-- during a flood of valid reports"
sample_rss "$DUR" "$W/rss1" & S=$!; flood "$W/flood.lua" & F=$!; staff "$DUR"; wait $S $F
echo "RSS during (KiB): min $(sort -n "$W/rss1" | head -1) max $(sort -n "$W/rss1" | tail -1)"
echo "-- during a flood of 64 KiB bodies"
sample_rss "$DUR" "$W/rss2" & S=$!; flood "$W/flood_big.lua" & F=$!; staff "$DUR"; wait $S $F
echo "RSS during (KiB): min $(sort -n "$W/rss2" | head -1) max $(sort -n "$W/rss2" | tail -1)"
echo "-- alone again"; staff "$DUR"
echo "RSS at end: $(rss) KiB"
kill -0 $PID && echo "server still up"
stored=$(curl -s -H "Cookie: $COOKIE" "$BASE/api/v1/reports?channel=public&page_size=1" | sed -E 's/.*"total":([0-9]+).*/\1/')
echo "public reports stored: $stored (the demo has 1; the budget lets 5 more through)"
