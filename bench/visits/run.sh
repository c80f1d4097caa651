#!/usr/bin/env bash
# bench/visits/run.sh — visits by risk at scale (issue 12): the demo district with 100,000 children on the roll
# (`tonghu demo --children`), graded, and 2,000,000 visit records over five years (`tonghu visits demo-load`);
# then the nightly evaluation of every child (`tonghu visits evaluate`: first run, which opens the work items of
# every visit already due, and a second, steady-state run), and at 16 clients (wrk) the visit-due list:
#   due (district)  — the district's list: pages 1-5, by grade, overdue ≥ 1 / 7 / 30 days, 30 days ahead;
#   due (street)    — the street supervisor's list, same mix;
#   due (community) — the 儿童主任's list, same mix;
# and the statistics and one child's history alone (curl).
#   bench/visits/run.sh [data_dir=/tmp/visits/bench] [port=18590] [connections=16] [seconds=10]
# TH_DATABASE=postgresql://... runs on PostgreSQL. TH_BENCH_SKIP_LOAD=1 measures a data dir loaded before.
# Prints the machine, the load average and the commands; results go to docs/PERFORMANCE.md.
set -euo pipefail
DIR="${1:-/tmp/visits/bench}"
PORT="${2:-18590}"
CONN="${3:-16}"
DUR="${4:-10}"
CHILDREN="${TH_BENCH_CHILDREN:-100000}"
VISITS="${TH_BENCH_VISITS:-2000000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="$ROOT/build/src/app/tonghu"
for t in wrk curl; do command -v "$t" >/dev/null || { echo "missing $t (apt-get install wrk curl)"; exit 1; }; done
DB=()
[ -n "${TH_DATABASE:-}" ] && DB=(--database "$TH_DATABASE")
COMMON=(--data-dir "$DIR" --config-dir "$ROOT/config" "${DB[@]}")
W=$(mktemp -d /tmp/th-bench-visits.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT

echo "# tonghu visits bench: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), engine $([ -n "${TH_DATABASE:-}" ] && echo postgresql || echo sqlite)"
echo "# command: bench/visits/run.sh $DIR $PORT $CONN $DUR (children $CHILDREN, visits $VISITS)"
mkdir -p "$DIR"
if [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
  "$BIN" demo --fast-hash --children "$CHILDREN" "${COMMON[@]}" | tail -1
  "$BIN" visits demo-load --visits "$VISITS" "${COMMON[@]}"
fi
echo "nightly evaluation, first run (opens the due items):"
"$BIN" visits evaluate "${COMMON[@]}"
echo "nightly evaluation, second run (steady state):"
"$BIN" visits evaluate "${COMMON[@]}"

"$BIN" serve "${COMMON[@]}" --port "$PORT" --login-ip-limit 100000 --no-access-log --sweep-interval 0 \
  --static-dir "$W" >"$W/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
# The server's nightly worker evaluates once at start: measure after it (its time is in the log).
for _ in $(seq 1 600); do grep -q "visits: evaluated" "$W/server.log" && break; sleep 0.2; done
echo "server start evaluation: $(grep -o 'visits: evaluated.*' "$W/server.log" | head -1)"

cookie() {
  curl -s -c "$W/cj" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Demo@2026tonghu\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" >/dev/null
  echo "th_session=$(awk '$6=="th_session"{print $7}' "$W/cj")"
}
cat >"$W/paths.lua" <<'LUA'
-- Cycles through the paths given (separated by '|'); non-200 answers are counted.
local paths, i, bad = {}, 0, 0
function init(args)
  for p in string.gmatch(args[2], "[^|]+") do paths[#paths + 1] = p end
  i = math.random(#paths)
  wrk.headers["Cookie"] = args[1]
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status)
  if status ~= 200 then bad = bad + 1; if bad == 1 then print("non-200 answer: " .. status) end end
end
LUA
run() {  # name user connections paths
  local name=$1 user=$2 conn=$3 paths=$4 c out
  c=$(cookie "$user")
  out=$(wrk -t2 -c"$conn" -d"${DUR}s" --latency -s "$W/paths.lua" "http://127.0.0.1:$PORT" -- "$c" "$paths" 2>&1)
  printf '%-18s %-10s c=%-3s p50=%-9s p90=%-9s p99=%-9s rps=%-9s %s\n' "$name" "$user" "$conn" \
    "$(awk '$1=="50%"{print $2}' <<<"$out")" "$(awk '$1=="90%"{print $2}' <<<"$out")" \
    "$(awk '$1=="99%"{print $2}' <<<"$out")" "$(awk '/Requests\/sec/{print $2}' <<<"$out")" \
    "$(grep -E "Non-2xx|Socket errors|non-200" <<<"$out" | tr '\n' ' ' || true)"
}
Q=/api/v1/visits/due
mix=""
for p in 1 2 3 4 5; do mix+="$Q?page=$p&page_size=20|"; done
for g in red orange yellow blue green none; do mix+="$Q?grade=$g&page_size=20|"; done
for d in 1 7 30; do mix+="$Q?overdue_days=$d&page_size=20|"; done
mix+="$Q?within_days=30&page_size=20|$Q?within_days=30&page=3&page_size=20"
DC=$(cookie district)
echo "due now (district): $(curl -s -H "Cookie: $DC" "http://127.0.0.1:$PORT$Q?page_size=1" | grep -o '"total":[0-9]*' | head -1)," \
  "overdue ≥ 1 day: $(curl -s -H "Cookie: $DC" "http://127.0.0.1:$PORT$Q?overdue_days=1&page_size=1" | grep -o '"total":[0-9]*' | head -1)"
run "due (district)" district "$CONN" "$mix"
run "due (street)" supervisor "$CONN" "$mix"
run "due (community)" director "$CONN" "$mix"
t=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $DC" "http://127.0.0.1:$PORT/api/v1/visits/stats")
printf 'stats (6 months, district) alone: %5.0f ms\n' "$(awk -v t="$t" 'BEGIN{print t * 1000}')"
child=$(curl -s -H "Cookie: $DC" "http://127.0.0.1:$PORT$Q?page_size=1" | grep -o '"child_id":[0-9]*' | head -1 | cut -d: -f2)
t=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $DC" "http://127.0.0.1:$PORT/api/v1/children/$child/visits")
printf 'history of child %s alone: %5.0f ms\n' "$child" "$(awk -v t="$t" 'BEGIN{print t * 1000}')"
