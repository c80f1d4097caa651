#!/usr/bin/env bash
# bench/warnings/run.sh — the nightly early-warning evaluation at scale (issue 12): the demo district with 100,000
# children on the roll (`tonghu demo --children`), graded, with 2,000,000 visit records over five years
# (`tonghu visits demo-load`), then the warning facts (`tonghu warnings demo-load`: grades on the children,
# one father in 97 imprisoned, one mother in 89 missing, one child in 131 out of school, three reports each on
# one child in 50) and the visit schedules' work items (`tonghu visits evaluate`); then `tonghu warnings evaluate`
# three times: the first run (raises every warning), a second (steady state: nothing changes) and, after a
# day's worth of changes (visits that clear red-no-visit warnings, parents back home), a third (clears them).
# The load also needs the cases module's assessment_due items (overdue for every child on the roll: the
# assessment_overdue rule's ~100,000 raises): when none is open after the load, `tonghu serve` runs once until its
# start-up deadline evaluation has opened them (as bench/visits/run.sh's server did for a seeded SQLite dir).
# Goal (issue 12): the nightly evaluation over all children ≤ 60 s on SQLite and PostgreSQL.
#   bench/warnings/run.sh [data_dir=/tmp/warn/bench] [port=18650]
# TH_BENCH_COMPARE=1: the three runs twice on copies of the same load, first with `--one-by-one` (the raise path
# before the bulk raise, hit by hit) then as shipped (in bulk), with the command's CPU; TH_BENCH_PGSS=1 adds
# PostgreSQL's top statements and executor time per run (pg_stat_statements loaded and created in the database).
# TH_DATABASE=postgresql://... runs on PostgreSQL. TH_BENCH_SKIP_LOAD=1 measures a data dir loaded before;
# TH_BENCH_SEED_DIR=dir (SQLite) copies a data dir bench/visits/run.sh loaded instead of loading again.
# Prints the machine, the load average and the commands; results go to docs/PERFORMANCE.md.
set -euo pipefail
DIR="${1:-/tmp/warn/bench}"
PORT="${2:-18650}"
CHILDREN="${TH_BENCH_CHILDREN:-100000}"
VISITS="${TH_BENCH_VISITS:-2000000}"
source "$(dirname "$0")/../lib.sh"
th_bench_init warnings "$DIR"
th_bench_header warnings "bench/warnings/run.sh $DIR (children $CHILDREN, visits $VISITS)"
if [ -n "${TH_BENCH_SEED_DIR:-}" ] && [ -z "${TH_DATABASE:-}" ]; then
  # A copy of a data dir bench/visits/run.sh loaded (SQLite): the same 100,000 children and 2,000,000 visits.
  cp "$TH_BENCH_SEED_DIR/tonghu.db" "$TH_BENCH_SEED_DIR/tonghu.key" "$DIR/"
  echo "seeded from $TH_BENCH_SEED_DIR (a bench/visits load)"
  "$BIN" warnings demo-load "${COMMON[@]}"
  "$BIN" visits evaluate "${COMMON[@]}" | tail -1
elif [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
  "$BIN" demo --fast-hash --children "$CHILDREN" "${COMMON[@]}" | tail -1
  "$BIN" visits demo-load --visits "$VISITS" "${COMMON[@]}"
  "$BIN" warnings demo-load "${COMMON[@]}"
  "$BIN" visits evaluate "${COMMON[@]}" | tail -1
fi
q() {  # one SQL statement on the bench database
  if [ -n "${TH_DATABASE:-}" ]; then psql -qtA "$TH_DATABASE" -c "$1"; else sqlite3 "$DIR/tonghu.db" "$1"; fi
}
ON_ROLL=$(q "SELECT COUNT(*) FROM child WHERE roll_status = 'on_roll'")
if [ "$(q "SELECT COUNT(*) FROM work_item WHERE kind = 'assessment_due' AND is_open = 1")" -lt $((ON_ROLL / 2)) ]; then
  th_bench_serve
  for _ in $(seq 1 6000); do grep -q "cases: " "$W/server.log" && break; sleep 0.2; done
  echo "server start deadlines: $(grep -o 'cases: .*' "$W/server.log" | head -1)"
  kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
  SERVER=""
  # The server's own evaluation at start may have raised some warnings: the first run below starts from none.
  for t in work_item_clock work_step work_escalation_log; do
    q "DELETE FROM $t WHERE item_id IN (SELECT id FROM work_item WHERE subject_type = 'warning')" >/dev/null
  done
  q "DELETE FROM work_item WHERE subject_type = 'warning'" >/dev/null
  q "DELETE FROM warning" >/dev/null
  if [ -n "${TH_DATABASE:-}" ]; then
    for t in work_item work_item_clock warning audit_log; do q "VACUUM (ANALYZE) $t" >/dev/null; done
  fi
fi
echo "children on the roll: $(q "SELECT COUNT(*) FROM child WHERE roll_status = 'on_roll'"), visits: $(q "SELECT COUNT(*) FROM visit"), reports: $(q "SELECT COUNT(*) FROM report"), open work items: $(q "SELECT COUNT(*) FROM work_item WHERE is_open = 1") (assessment_due $(q "SELECT COUNT(*) FROM work_item WHERE kind = 'assessment_due' AND is_open = 1"))"

evaluate() {  # label, extra arguments: one timed `tonghu warnings evaluate` with its CPU (and PostgreSQL's statements)
  local label=$1 out
  shift
  echo "$label:  load $(cut -d' ' -f1-3 /proc/loadavg)"
  # TH_BENCH_PGSS=1 (PostgreSQL with pg_stat_statements loaded and created): the run's top statements.
  [ -n "${TH_BENCH_PGSS:-}" ] && q "SELECT pg_stat_statements_reset()" >/dev/null
  out=$( { /usr/bin/time -f "command cpu %U user %S sys" "$BIN" warnings evaluate "${COMMON[@]}" "$@"; } 2>&1)
  echo "$out"
  if [ -n "${TH_BENCH_PGSS:-}" ]; then
    q "SELECT calls || ' calls ' || round(total_exec_time) || ' ms ' || round((total_exec_time / calls)::numeric, 3) || ' ms/call: ' || left(regexp_replace(query, '\s+', ' ', 'g'), 110) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' ORDER BY total_exec_time DESC LIMIT 8"
    q "SELECT 'statements ' || SUM(calls) || ', executor ' || round(SUM(total_exec_time)) || ' ms' FROM pg_stat_statements"
  fi
  return 0
}
three_runs() {  # extra evaluate arguments: the first run, the steady state, a day's changes and the run after
  evaluate "nightly evaluation, first run (raises every warning)" "$@"
  evaluate "nightly evaluation, second run (steady state)" "$@"
  # A day's changes: every red child visited today, the imprisoned fathers of one child in 291 home again.
  TODAY=$(TZ=Asia/Shanghai date +%Y%m%d)
  q "INSERT INTO visit (child_id, district_id, street_id, community_id, grid_id, unit_path, visited_on, month, place, child_state, home_state, guardian_care, created_at) SELECT c.id, c.district_id, c.street_id, c.community_id, c.grid_id, '/', $TODAY, ${TODAY:0:6}, 'home', 'good', 'good', 'good', 0 FROM child c WHERE c.risk_grade = 'red' AND c.id % 2 = 0" >/dev/null
  q "UPDATE family_member SET state = 'at_home' WHERE relation = 'father' AND state = 'imprisoned' AND child_id % 291 = 0" >/dev/null
  evaluate "nightly evaluation, third run (half the red children visited: their warnings cleared)" "$@"
  echo "open warnings by rule: $(q "SELECT rule_code || '=' || COUNT(*) FROM warning WHERE is_open = 1 GROUP BY rule_code ORDER BY rule_code" | tr '\n' ' ')"
}

if [ -z "${TH_BENCH_COMPARE:-}" ]; then
  three_runs
  exit 0
fi
# Before and after on copies of the same load: SQLite copies the file, PostgreSQL clones the database.
th_bench_keep_load "$DIR"
echo "== before: raised one by one (tonghu warnings evaluate --one-by-one, the path before the bulk raise)"
three_runs --one-by-one
restore
echo "== after: raised in bulk (tonghu warnings evaluate)"
three_runs
