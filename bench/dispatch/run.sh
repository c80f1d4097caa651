#!/usr/bin/env bash
# bench/dispatch/run.sh — dispatch orders at scale (issue 11): the demo district with 100,000 reports and
# 300,000 dispatch orders (`tonghu dispatch demo-load`), then at 16 clients (wrk):
#   queue  — the center's queue (all, pending acceptance, handling; pages 1-5), a department liaison's
#            queue and a street supervisor's queue;
#   search — the center's filters: a report's orders, a department's handling orders, overdue now;
# and the statistics (by department, street, month, category, channel over a year): the time of each
# request alone (curl) and p99 at 4 clients.
#   bench/dispatch/run.sh [data_dir=/tmp/dispatch/bench] [port=18590] [connections=16] [seconds=10]
# TH_DATABASE=postgresql://... runs on PostgreSQL. TH_BENCH_SKIP_LOAD=1 measures a data dir loaded before.
# Prints the machine, the load average and the commands; results go to docs/PERFORMANCE.md.
set -euo pipefail
DIR="${1:-/tmp/dispatch/bench}"
PORT="${2:-18590}"
CONN="${3:-16}"
DUR="${4:-10}"
REPORTS="${TH_BENCH_REPORTS:-100000}"
ORDERS="${TH_BENCH_ORDERS:-300000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="$ROOT/build/src/app/tonghu"
for t in wrk curl; do command -v "$t" >/dev/null || { echo "missing $t (apt-get install wrk curl)"; exit 1; }; done
DB=()
[ -n "${TH_DATABASE:-}" ] && DB=(--database "$TH_DATABASE")
COMMON=(--data-dir "$DIR" --config-dir "$ROOT/config" "${DB[@]}")
W=$(mktemp -d /tmp/th-bench-dispatch.XXXXXX)
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT

echo "# tonghu dispatch bench: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), engine $([ -n "${TH_DATABASE:-}" ] && echo postgresql || echo sqlite)"
echo "# command: bench/dispatch/run.sh $DIR $PORT $CONN $DUR (reports $REPORTS, orders $ORDERS)"
mkdir -p "$DIR"
if [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
  "$BIN" demo --fast-hash "${COMMON[@]}" | tail -1
  "$BIN" dispatch demo-load --reports "$REPORTS" --orders "$ORDERS" "${COMMON[@]}"
fi

"$BIN" serve "${COMMON[@]}" --port "$PORT" --login-ip-limit 100000 --no-access-log --sweep-interval 0 \
  --static-dir "$W" >"$W/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done

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
  printf '%-22s %-10s c=%-3s p50=%-9s p90=%-9s p99=%-9s rps=%-9s %s\n' "$name" "$user" "$conn" \
    "$(awk '$1=="50%"{print $2}' <<<"$out")" "$(awk '$1=="90%"{print $2}' <<<"$out")" \
    "$(awk '$1=="99%"{print $2}' <<<"$out")" "$(awk '/Requests\/sec/{print $2}' <<<"$out")" \
    "$(grep -E "Non-2xx|Socket errors|non-200" <<<"$out" | tr '\n' ' ' || true)"
}
Q=/api/v1/dispatch-orders
queue=""; for p in 1 2 3 4 5; do queue+="$Q?page=$p&page_size=20|$Q?status=pending_accept&page=$p&page_size=20|$Q?status=handling&page=$p&page_size=20|"; done
mine=""; for p in 1 2 3 4 5; do mine+="$Q?page=$p&page_size=20|$Q?status=handling&page=$p&page_size=20|"; done
DC=$(cookie district)
agency=$(curl -s -H "Cookie: $DC" "http://127.0.0.1:$PORT/api/v1/agencies?page_size=200" | grep -o '"id":[0-9]*,[^}]*"dept_type":"education"' | head -1 | sed -E 's/"id":([0-9]+).*/\1/')
search=""; for r in 17 4242 33333 51234 77777 99001; do search+="$Q?report_id=$r|"; done
search+="$Q?agency_id=$agency&status=handling|$Q?overdue=1|$Q?status=feedback&overdue=0|$Q?status=extension_requested"
echo "orders: $(curl -s -H "Cookie: $DC" "http://127.0.0.1:$PORT$Q?page_size=1" | grep -o '"total":[0-9]*,"page[^,]*' | head -1)"
run "queue (center)" district "$CONN" "$queue"
run "queue (liaison)" liaison "$CONN" "$mine"
run "queue (street)" supervisor "$CONN" "$mine"
run "search (center)" district "$CONN" "$search"
FROM=$(date -u -d '-365 days' +%F); TO=$(date -u +%F)
for by in department street month category channel; do
  t=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $DC" "http://127.0.0.1:$PORT/api/v1/dispatch/stats?from=$FROM&to=$TO&by=$by")
  printf 'stats by %-10s alone: %5.0f ms\n' "$by" "$(awk -v t="$t" 'BEGIN{print t * 1000}')"
done
stats=""; for by in department street month category channel; do stats+="/api/v1/dispatch/stats?from=$FROM&to=$TO&by=$by|"; done
run "statistics" district 4 "$stats"
