#!/usr/bin/env bash
# bench/visits/run.sh — visits by risk at scale (issue 12): the demo district with 100,000 children on the roll
# (`tonghu demo --children`), graded, and 2,000,000 visit records over five years (`tonghu visits demo-load`);
# then the nightly evaluation of every child (`tonghu visits evaluate`: first run, which opens the work items of
# every visit already due, and a second, steady-state run), and at 16 clients (wrk) the visit-due list:
#   due (district)  — the district's list: pages 1-5, by grade, overdue ≥ 1 / 7 / 30 days, 30 days ahead;
#   due (street)    — the street supervisor's list, same mix;
#   due (community) — the 儿童主任's list, same mix;
# each with the CPU the server and PostgreSQL used per request; and the statistics and one child's history alone (curl).
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
source "$(dirname "$0")/../lib.sh"
th_bench_init visits "$DIR"
th_bench_header visits "bench/visits/run.sh $DIR $PORT $CONN $DUR (children $CHILDREN, visits $VISITS)"
if [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
  "$BIN" demo --fast-hash --children "$CHILDREN" "${COMMON[@]}" | tail -1
  "$BIN" visits demo-load --visits "$VISITS" "${COMMON[@]}"
fi
echo "nightly evaluation, first run (opens the due items):"
"$BIN" visits evaluate "${COMMON[@]}"
echo "nightly evaluation, second run (steady state):"
"$BIN" visits evaluate "${COMMON[@]}"
echo "assessment deadlines, first run (an assessment_due item per child without a risk assessment):"
"$BIN" cases evaluate "${COMMON[@]}"

th_bench_serve
# The server's nightly worker evaluates once at start: measure after it (its time is in the log). So does the cases
# module's deadline evaluation, which on a fresh load opens an assessment_due item for every child on the roll
# (100,000; on PostgreSQL that outlasts the first lists): measure after it too.
for _ in $(seq 1 600); do grep -q "visits: evaluated" "$W/server.log" && break; sleep 0.2; done
for _ in $(seq 1 3000); do grep -q "cases: " "$W/server.log" && break; sleep 0.2; done
echo "server start evaluation: $(grep -o 'visits: evaluated.*' "$W/server.log" | head -1)"
echo "server start deadlines: $(grep -o 'cases: .*' "$W/server.log" | head -1)"

cookie() { th_bench_cookie "$@"; }
run() { TH_BENCH_LABEL_WIDTH=18 th_bench_wrk_cpu "$@"; }
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
