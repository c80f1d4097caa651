#!/usr/bin/env bash
# bench/work/run.sh — the work engine at scale (issue 10): 1,000,000 open work items in the demo district,
# GET /api/v1/inbox p50/p90/p99 at 16 clients (wrk) for a 儿童主任, a 街道督导员 and the district, and one
# escalation sweep over the 1,000,000 open items (then a second one, which finds nothing due).
#   bench/work/run.sh [data_dir=/tmp/engine/work1m] [port=18250] [connections=16] [seconds=10] [items=1000000]
# TH_DATABASE=postgresql://... runs on PostgreSQL (the data dir then holds only the key). TH_BENCH_SKIP_LOAD=1
# measures the inbox only, on a data dir loaded before.
# Prints the machine, the load average and the commands; results go to docs/PERFORMANCE.md.
# To compare builds on the first sweep, load once (this script, or `tonghu demo` + `tonghu work demo-load`) and
# run bench/work/sweep_ab.sh on copies of that data dir.
set -euo pipefail
DIR="${1:-/tmp/engine/work1m}"
PORT="${2:-18250}"
CONN="${3:-16}"
DUR="${4:-10}"
ITEMS="${5:-1000000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="$ROOT/build/src/app/tonghu"
for t in wrk curl; do command -v "$t" >/dev/null || { echo "missing $t (apt-get install wrk curl)"; exit 1; }; done
DB=()
[ -n "${TH_DATABASE:-}" ] && DB=(--database "$TH_DATABASE")
COMMON=(--data-dir "$DIR" --config-dir "$ROOT/config" "${DB[@]}")
W=$(mktemp -d /tmp/th-bench-work.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT

echo "# tonghu work bench: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), engine $([ -n "${TH_DATABASE:-}" ] && echo postgresql || echo sqlite)"
echo "# command: bench/work/run.sh $DIR $PORT $CONN $DUR $ITEMS"
mkdir -p "$DIR"
if [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
"$BIN" demo --fast-hash "${COMMON[@]}" | tail -1
t0=$(date +%s.%N)
"$BIN" work demo-load --items "$ITEMS" "${COMMON[@]}"
t1=$(date +%s.%N)
echo "load: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b - a}') s wall for $ITEMS items"
echo "sweep (first, over every open item):  $("$BIN" work sweep --batch 50000 --sqlite-cache-mb 512 "${COMMON[@]}")"
echo "sweep (second, nothing due):          $("$BIN" work sweep "${COMMON[@]}")"
fi

"$BIN" serve "${COMMON[@]}" --port "$PORT" --login-ip-limit 100000 --no-access-log --sweep-interval 0 \
  --static-dir "$W" >"$W/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
cat >"$W/inbox.lua" <<'LUA'
-- Pages 1-5 of the inbox, all kinds or one kind; non-200 answers are counted.
local paths, i, bad = {}, 0, 0
function init(args)
  for p = 1, 5 do
    paths[#paths + 1] = "/api/v1/inbox?page=" .. p .. "&page_size=20"
    paths[#paths + 1] = "/api/v1/inbox?page=" .. p .. "&page_size=20&kind=" .. args[2]
  end
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
for who in director:screening_verify supervisor:roll_review district:roll_confirm; do
  user="${who%%:*}"; kind="${who##*:}"
  curl -s -c "$W/cj" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"Demo@2026tonghu\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" >/dev/null
  COOKIE="th_session=$(awk '$6=="th_session"{print $7}' "$W/cj")"
  total=$(curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/api/v1/inbox?page_size=1" | sed -E 's/.*"total":([0-9]+).*/\1/')
  out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --latency -s "$W/inbox.lua" "http://127.0.0.1:$PORT" -- "$COOKIE" "$kind" 2>&1)
  p50=$(awk '$1=="50%"{print $2}' <<<"$out"); p90=$(awk '$1=="90%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out"); rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  errs=$(grep -E "Non-2xx|Socket errors|non-200" <<<"$out" | tr '\n' ' ' || true)
  printf 'inbox %-10s (%7s items) p50=%-9s p90=%-9s p99=%-9s rps=%-9s %s\n' "$user" "$total" "$p50" "$p90" "$p99" "$rps" "$errs"
done
