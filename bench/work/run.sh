#!/usr/bin/env bash
# bench/work/run.sh — the work engine at scale (issue 10): 1,000,000 open work items in the demo district,
# GET /api/v1/inbox, the 工作台's calls and (supervisor, district) the overdue list p50/p90/p99 at 16 clients (wrk)
# for a 儿童主任, a 街道督导员 and the district, and one
# escalation sweep over the 1,000,000 open items (then a second one, which finds nothing due).
#   bench/work/run.sh [data_dir=/tmp/engine/work1m] [port=18250] [connections=16] [seconds=10] [items=1000000]
# TH_DATABASE=postgresql://... runs on PostgreSQL (the data dir then holds only the key). TH_BENCH_SKIP_LOAD=1
# measures the HTTP calls only, on a data dir loaded before.
# Prints the machine, the load average and the commands; results go to docs/PERFORMANCE.md.
# To compare builds on the first sweep, load once (this script, or `tonghu demo` + `tonghu work demo-load`) and
# run bench/work/sweep_ab.sh on copies of that data dir.
set -euo pipefail
DIR="${1:-/tmp/engine/work1m}"
PORT="${2:-18250}"
CONN="${3:-16}"
DUR="${4:-10}"
ITEMS="${5:-1000000}"
source "$(dirname "$0")/../lib.sh"
th_bench_init work "$DIR"
th_bench_header work "bench/work/run.sh $DIR $PORT $CONN $DUR $ITEMS"
if [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
"$BIN" demo --fast-hash "${COMMON[@]}" | tail -1
t0=$(date +%s.%N)
"$BIN" work demo-load --items "$ITEMS" "${COMMON[@]}"
t1=$(date +%s.%N)
echo "load: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b - a}') s wall for $ITEMS items"
echo "sweep (first, over every open item):  $("$BIN" work sweep --batch 50000 --sqlite-cache-mb 512 "${COMMON[@]}")"
echo "sweep (second, nothing due):          $("$BIN" work sweep "${COMMON[@]}")"
fi

th_bench_serve
for who in director:screening_verify supervisor:roll_review district:roll_confirm; do
  user="${who%%:*}"; kind="${who##*:}"
  COOKIE=$(th_bench_cookie "$user")
  total=$(curl -s -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT/api/v1/inbox?page_size=1" | sed -E 's/.*"total":([0-9]+).*/\1/')
  # Pages 1-5 of the inbox, all kinds and one kind.
  paths=""; for p in 1 2 3 4 5; do paths+="/api/v1/inbox?page=$p&page_size=20|/api/v1/inbox?page=$p&page_size=20&kind=$kind|"; done
  th_bench_wrk "inbox $user ($total items)" "$user" "$CONN" "$paths"
  # The 工作台 as the user opens it (GET /workbench and the first 50 of the inbox with its counts by kind: the
  # two calls it makes at once) and, for the supervisor and the district, the overdue list of their subtree (督办).
  th_bench_wrk "workbench $user" "$user" "$CONN" "/api/v1/workbench|/api/v1/inbox?page=1&page_size=50"
  [ "$user" = director ] || th_bench_wrk "overdue $user" "$user" "$CONN" "/api/v1/inbox/overdue?page=1&page_size=20|/api/v1/inbox/overdue?page=2&page_size=20"
done
