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
source "$(dirname "$0")/../lib.sh"
th_bench_init dispatch "$DIR"
th_bench_header dispatch "bench/dispatch/run.sh $DIR $PORT $CONN $DUR (reports $REPORTS, orders $ORDERS)"
if [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
  "$BIN" demo --fast-hash "${COMMON[@]}" | tail -1
  "$BIN" dispatch demo-load --reports "$REPORTS" --orders "$ORDERS" "${COMMON[@]}"
fi
th_bench_serve
cookie() { th_bench_cookie "$@"; }
run() { th_bench_wrk "$@"; }
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
