#!/usr/bin/env bash
# bench/cases/run.sh — the child's case page at scale (issue 12): the demo district with 100,000 children on the roll
# (`tonghu demo --children`), 2,000,000 visits over five years (`tonghu visits demo-load`) and five years of case work
# (`tonghu cases demo-load`: a case per child, earlier closed cases, timelines, risk/needs/guardianship assessments,
# plans in versions, service records, groups); then, at 16 clients, the calls the web case page makes when it opens
# (web/src/modules/cases/views/CaseDetailView.vue and the sections it hosts, all three at once since session 7):
#   GET /api/v1/cases/{id}              — the case, its timeline and the child's assessments
#   GET /api/v1/cases/{id}/plans        — the plan in force, its versions, service records and groups
#   GET /api/v1/cases/{id}/conferences  — the 个案会商 section: the case's conferences, the count of the child's others
# for a district, a street supervisor and a 儿童主任 (each over cases of their own scope): wrk per call (with the server's
# and PostgreSQL's CPU per request), then the page with bench/cases/page.mjs (node), with the CPU per page: "par" as the
# browser opens it since session 7 (the three calls together), "par6" as it did in session 6 (the case and its plans
# together, GET /children/{child}/conferences after the case), "seq" as before session 6; TH_BENCH_PAGE_MODES picks
# (default "par6 par": before and after on one server); each mode with the page openers asking by fetch (as in
# sessions 5-7) and by node:http (a fraction of fetch's CPU, which the openers otherwise take from the server on the
# same cores); TH_BENCH_PAGE_CLIENTS picks (default "fetch http"); and the child file's case-work tabs (cases,
# assessments, visit schedule and history, conferences) per call with wrk.
#   bench/cases/run.sh [data_dir=/tmp/cases/bench] [port=18600] [connections=16] [seconds=10]
# TH_DATABASE=postgresql://... runs on PostgreSQL. TH_BENCH_SKIP_LOAD=1 measures a data dir loaded before.
# Prints the machine, the load average and the commands; results go to docs/PERFORMANCE.md.
set -euo pipefail
DIR="${1:-/tmp/cases/bench}"
PORT="${2:-18600}"
CONN="${3:-16}"
DUR="${4:-10}"
CHILDREN="${TH_BENCH_CHILDREN:-100000}"
VISITS="${TH_BENCH_VISITS:-2000000}"
source "$(dirname "$0")/../lib.sh"
th_bench_init cases "$DIR"
th_bench_header cases "bench/cases/run.sh $DIR $PORT $CONN $DUR (children $CHILDREN, visits $VISITS)"
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}'; }
if [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
  t0=$(date +%s.%N); "$BIN" demo --fast-hash --children "$CHILDREN" "${COMMON[@]}" | tail -1; echo "demo: $(secs "$t0") s"
  "$BIN" visits demo-load --visits "$VISITS" "${COMMON[@]}"
  "$BIN" cases demo-load "${COMMON[@]}"
  # The nightly visit evaluation and the assessment deadlines once by hand, so that the server's start evaluations
  # find nothing to open.
  "$BIN" visits evaluate "${COMMON[@]}"
  "$BIN" cases evaluate "${COMMON[@]}"
  # PostgreSQL: statistics and the visibility map as autovacuum would leave them in service (without it the index-only
  # scans read table pages: docs/PERFORMANCE.md, helper vdue, session 6).
  if [ -n "${TH_DATABASE:-}" ]; then t0=$(date +%s.%N); psql "$TH_DATABASE" -qc 'VACUUM ANALYZE'; echo "vacuum analyze: $(secs "$t0") s"; fi
fi

th_bench_serve
# The server's workers evaluate at start (visits' schedules, the cases' assessment deadlines): measure after them.
for _ in $(seq 1 600); do grep -q "visits: evaluated" "$W/server.log" && break; sleep 0.2; done
for _ in $(seq 1 3000); do grep -q "cases: " "$W/server.log" && break; sleep 0.2; done
grep -o 'visits: evaluated.*\|cases: .*' "$W/server.log" | sed 's/^/server start: /' || true

# 16 case ids in USER's scope with their child ids ("case:child"): 14 open cases spread over the user's list
# (seven pages from the first to the last, two each) and 2 closed ones (the list's first page).
case_ids() {
  local c total pages p ids="" i
  c=$(th_bench_cookie "$1")
  total=$(curl -s -H "Cookie: $c" "http://127.0.0.1:$PORT/api/v1/cases?open=1&page_size=20" | grep -o '"total":[0-9]*' | head -1 | cut -d: -f2)
  pages=$(( (total + 19) / 20 ))
  for i in 0 1 2 3 4 5 6; do
    p=$(( 1 + i * (pages - 1) / 6 ))
    ids+=" $(curl -s -H "Cookie: $c" "http://127.0.0.1:$PORT/api/v1/cases?open=1&page=$p&page_size=20" |
      grep -o '{"id":[0-9]*,"child":{"id":[0-9]*' | sed -n '3p;13p' | sed -E 's/\{"id":([0-9]+),"child":\{"id":([0-9]+)/\1:\2/' | tr '\n' ' ')"
  done
  ids+=" $(curl -s -H "Cookie: $c" "http://127.0.0.1:$PORT/api/v1/cases?status=closed&page_size=20" |
    grep -o '{"id":[0-9]*,"child":{"id":[0-9]*' | sed -n '1p;11p' | sed -E 's/\{"id":([0-9]+),"child":\{"id":([0-9]+)/\1:\2/' | tr '\n' ' ')"
  echo $ids
}
# bench/cases/page.mjs in MODE, then the server's and the database's CPU per page opened, and the load after it.
page_cpu() {  # user pairs mode [client]
  local before after out n
  before=$(th_bench_ticks)
  out=$(TH_BENCH_CLIENT="${4:-fetch}" TH_BASE_URL="http://127.0.0.1:$PORT" node "$ROOT/bench/cases/page.mjs" "$1" "$2" "$CONN" "$DUR" "$3")
  after=$(th_bench_ticks)
  printf '%s\n' "$out"
  n=$(grep -o ' n=[0-9]*' <<<"$out" | head -1 | cut -d= -f2)
  awk -v b="$before" -v a="$after" -v n="${n:-0}" -v hz="$(getconf CLK_TCK)" -v mode="$3" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN{
    split(b, x, " "); split(a, y, " "); if (n == 0) n = 1
    tot = (y[1] - x[1]) * 1000 / hz / n; srv = (y[2] - x[2]) * 1000 / hz / n
    printf "  cpu per page (%s): %.2f ms (server %.2f ms, database %.2f ms), %d pages, load %s\n", mode, tot, srv, tot - srv, n, load }'
}
for who in district supervisor director; do
  pairs=$(case_ids "$who")
  cases=""; page=""; tabs=""
  for pr in $pairs; do
    k=${pr%%:*}; ch=${pr##*:}
    cases+="${cases:+,}$k"
    page+="/api/v1/cases/$k|/api/v1/cases/$k/plans|/api/v1/cases/$k/conferences|"
    tabs+="/api/v1/cases?child_id=$ch&page_size=50|/api/v1/children/$ch/assessments|/api/v1/children/$ch/visit-schedule|"
    tabs+="/api/v1/children/$ch/visits?page=1&page_size=50|/api/v1/children/$ch/conferences|"
  done
  echo "$who: $(wc -w <<<"$pairs") cases ($cases)"
  th_bench_wrk_cpu "case page calls" "$who" "$CONN" "$page"
  for mode in ${TH_BENCH_PAGE_MODES:-par6 par}; do
    for client in ${TH_BENCH_PAGE_CLIENTS:-fetch http}; do
      page_cpu "$who" "$(tr ' ' ',' <<<"$pairs")" "$mode" "$client"
    done
  done
  th_bench_wrk_cpu "child file tabs" "$who" "$CONN" "$tabs"
done
