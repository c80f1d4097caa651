#!/usr/bin/env bash
# bench/casestats/run.sh — case statistics at the issue's scale (issue 12): the demo district with 100,000
# children (`tonghu demo --children`) and 2,000,000 visit records over five years (`tonghu visits demo-load`,
# with the schedules) and five years of case work (`tonghu cases demo-load`: cases, assessments, plans, service
# records, groups; then the nightly visit evaluation, as bench/cases does), then GET /case-stats over a year as the
# district (its streets), a street supervisor (its communities) and a 儿童主任 (one row): each request alone (curl,
# a period not asked before: the 30 s cache misses), then p50/p90/p99 at 4 clients over 200 distinct periods
# (mostly misses in a 10 s run). The server's start evaluations (visits, the cases' deadlines) are waited for.
#   bench/casestats/run.sh [data_dir=/tmp/casestats/bench] [port=18490] [seconds=10]
# TH_DATABASE=postgresql://... runs on PostgreSQL. TH_BENCH_SKIP_LOAD=1 measures a data dir loaded before.
# Prints the machine, the load average and the commands; results go to docs/PERFORMANCE.md.
set -euo pipefail
DIR="${1:-/tmp/casestats/bench}"
PORT="${2:-18490}"
DUR="${3:-10}"
CHILDREN="${TH_BENCH_CHILDREN:-100000}"
VISITS="${TH_BENCH_VISITS:-2000000}"
source "$(dirname "$0")/../lib.sh"
th_bench_init casestats "$DIR"
th_bench_header casestats "bench/casestats/run.sh $DIR $PORT $DUR (children $CHILDREN, visits $VISITS)"
if [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
  "$BIN" demo --fast-hash --children "$CHILDREN" "${COMMON[@]}" | tail -1
  "$BIN" visits demo-load --visits "$VISITS" "${COMMON[@]}"
  if [ -z "${TH_BENCH_NO_CASES:-}" ]; then
    "$BIN" cases demo-load "${COMMON[@]}"
    "$BIN" visits evaluate "${COMMON[@]}"
  fi
fi
t0=$(date +%s.%N)
th_bench_serve
for _ in $(seq 1 3000); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
# A database of an older build is migrated on this start (0031: the visit rollup backfilled from the visits).
echo "server up (migrations included) in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}') s"
for _ in $(seq 1 600); do grep -q "visits: evaluated" "$W/server.log" && break; sleep 0.2; done
for _ in $(seq 1 3000); do grep -q "cases: " "$W/server.log" && break; sleep 0.2; done
grep -o 'visits: evaluated.*\|cases: .*' "$W/server.log" | sed 's/^/server start: /' || true
echo "load average before the requests: $(cut -d' ' -f1-3 /proc/loadavg)"
TO=$(date -u +%F)
# The server's CPU seconds so far (user + system; the database's own for SQLite, in-process).
server_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$SERVER/stat"; }
periods=""
for d in $(seq 0 199); do periods+="/api/v1/case-stats?from=$(date -u -d "-$((365 + d)) days" +%F)&to=$TO|"; done
for user in district supervisor director; do
  C=$(th_bench_cookie "$user")
  for n in 1 2 3; do
    from=$(date -u -d "-$((600 + n)) days" +%F)
    c0=$(server_cpu)
    t=$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $C" "http://127.0.0.1:$PORT/api/v1/case-stats?from=$from&to=$TO")
    printf 'case-stats %-10s alone (miss %d): %5.0f ms, server CPU %5.0f ms, load %s\n' "$user" "$n" \
      "$(awk -v t="$t" 'BEGIN{print t * 1000}')" "$(awk -v a="$c0" -v b="$(server_cpu)" 'BEGIN{print (b - a) * 1000}')" \
      "$(cut -d' ' -f1 /proc/loadavg)"
  done
  th_bench_wrk "case-stats ($user)" "$user" 4 "$periods"
done
