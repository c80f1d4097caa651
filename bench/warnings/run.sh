#!/usr/bin/env bash
# bench/warnings/run.sh — the nightly early-warning evaluation at scale (issue 12): the demo district with 100,000
# children on the roll (`tonghu demo --children`), graded, with 2,000,000 visit records over five years
# (`tonghu visits demo-load`), then the warning facts (`tonghu warnings demo-load`: grades on the children,
# one father in 97 imprisoned, one mother in 89 missing, one child in 131 out of school, three reports each on
# one child in 50) and the visit schedules' work items (`tonghu visits evaluate`); then `tonghu warnings evaluate`
# three times: the first run (raises every warning), a second (steady state: nothing changes) and, after a
# day's worth of changes (visits that clear red-no-visit warnings, parents back home), a third (clears them).
# Goal (issue 12): the nightly evaluation over all children ≤ 60 s on SQLite and PostgreSQL.
#   bench/warnings/run.sh [data_dir=/tmp/warn/bench]
# TH_DATABASE=postgresql://... runs on PostgreSQL. TH_BENCH_SKIP_LOAD=1 measures a data dir loaded before;
# TH_BENCH_SEED_DIR=dir (SQLite) copies a data dir bench/visits/run.sh loaded instead of loading again.
# Prints the machine, the load average and the commands; results go to docs/PERFORMANCE.md.
set -euo pipefail
DIR="${1:-/tmp/warn/bench}"
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
echo "children on the roll: $(q "SELECT COUNT(*) FROM child WHERE roll_status = 'on_roll'"), visits: $(q "SELECT COUNT(*) FROM visit"), reports: $(q "SELECT COUNT(*) FROM report"), open work items: $(q "SELECT COUNT(*) FROM work_item WHERE is_open = 1")"
echo "nightly evaluation, first run (raises every warning):  load $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" warnings evaluate "${COMMON[@]}"
echo "nightly evaluation, second run (steady state):  load $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" warnings evaluate "${COMMON[@]}"
# A day's changes: every red child visited today, the imprisoned fathers of one child in 291 home again.
TODAY=$(TZ=Asia/Shanghai date +%Y%m%d)
q "INSERT INTO visit (child_id, district_id, street_id, community_id, grid_id, unit_path, visited_on, month, place, child_state, home_state, guardian_care, created_at) SELECT c.id, c.district_id, c.street_id, c.community_id, c.grid_id, '/', $TODAY, ${TODAY:0:6}, 'home', 'good', 'good', 'good', 0 FROM child c WHERE c.risk_grade = 'red' AND c.id % 2 = 0" >/dev/null
q "UPDATE family_member SET state = 'at_home' WHERE relation = 'father' AND state = 'imprisoned' AND child_id % 291 = 0" >/dev/null
echo "nightly evaluation, third run (half the red children visited: their warnings cleared):  load $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" warnings evaluate "${COMMON[@]}"
echo "open warnings by rule: $(q "SELECT rule_code || '=' || COUNT(*) FROM warning WHERE is_open = 1 GROUP BY rule_code ORDER BY rule_code" | tr '\n' ' ')"
