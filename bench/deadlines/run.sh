#!/usr/bin/env bash
# bench/deadlines/run.sh — the first run of the two deadline evaluations that open a work item per child (issue 12:
# the nightly evaluations over all children ≤ 60 s on SQLite and PostgreSQL), before and after they open their items
# with work::OpenMany (helper bulkopen, session 7), on copies of one load: the demo district with 100,000 children
# on the roll (`tonghu demo --children`) and TH_BENCH_VISITS visits (`tonghu visits demo-load`, default 300,000: the
# evaluations depend on the children, not on the visits), then
#   tonghu visits evaluate   — the nightly visit evaluation: a visit_due item for every schedule already due;
#   tonghu cases evaluate    — the assessment deadlines (as at server start and hourly): an assessment_due item for
#                              every child on the roll without a completed risk assessment (all of them here);
# each a first run (opens the items) and a second run (steady state), "before" with --one-by-one (work::Open per
# item, the path before) and "after" as shipped; each with its wall time, the command's CPU, PostgreSQL's CPU (the
# postmaster's and its children's, from /proc: backends, and autovacuum if it ran) and the load average; and the
# open items by kind with a checksum of their owners and deadlines, which must agree between before and after.
#   bench/deadlines/run.sh [data_dir=/tmp/deadlines/bench]
# TH_DATABASE=postgresql://... runs on PostgreSQL (the copy: CREATE DATABASE ... TEMPLATE). TH_BENCH_SKIP_LOAD=1
# measures a data dir loaded before. Results go to docs/PERFORMANCE.md.
set -euo pipefail
DIR="${1:-/tmp/deadlines/bench}"
CHILDREN="${TH_BENCH_CHILDREN:-100000}"
VISITS="${TH_BENCH_VISITS:-300000}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BIN="${TH_BENCH_BIN:-$ROOT/build/src/app/tonghu}"
DB=()
[ -n "${TH_DATABASE:-}" ] && DB=(--database "$TH_DATABASE")
COMMON=(--data-dir "$DIR" --config-dir "$ROOT/config" "${DB[@]}")
mkdir -p "$DIR"
echo "# tonghu deadlines bench: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), engine $([ -n "${TH_DATABASE:-}" ] && echo postgresql || echo sqlite)"
echo "# command: bench/deadlines/run.sh $DIR (children $CHILDREN, visits $VISITS)"
if [ -z "${TH_BENCH_SKIP_LOAD:-}" ]; then
  "$BIN" demo --fast-hash --children "$CHILDREN" "${COMMON[@]}" | tail -1
  "$BIN" visits demo-load --visits "$VISITS" "${COMMON[@]}"
fi
q() {  # one SQL statement on the bench database
  if [ -n "${TH_DATABASE:-}" ]; then psql -qtA "$TH_DATABASE" -c "$1"; else sqlite3 "$DIR/tonghu.db" "$1"; fi
}
PM=""
KIDS=0
if [ -n "${TH_DATABASE:-}" ]; then
  PM=$(head -1 "$(q 'SHOW data_directory')/postmaster.pid")
  KIDS=$(ps -o pid= --ppid "$PM" | wc -l)  # the postmaster's own workers (checkpointer, walwriter, ...)
fi
pg_ticks() {  # CPU ticks of the postmaster, its reaped children and its live children
  [ -z "$PM" ] && { echo 0; return; }
  local s p
  s=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$PM/stat")
  for p in $(ps -o pid= --ppid "$PM"); do
    [ -r "/proc/$p/stat" ] && s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$s"
}
timed() {  # label, command arguments: one timed tonghu command with its CPU and PostgreSQL's
  local label=$1 before after out
  shift
  before=$(pg_ticks)
  echo "$label:  load $(cut -d' ' -f1-3 /proc/loadavg)"
  out=$( { /usr/bin/time -f "wall %e s, command cpu %U user %S sys" "$BIN" "$@" "${COMMON[@]}"; } 2>&1)
  # The command's backends end after it: wait until the postmaster has reaped them (their CPU is then its cutime).
  if [ -n "$PM" ]; then
    for _ in $(seq 1 50); do [ "$(ps -o pid= --ppid "$PM" | wc -l)" -le "$KIDS" ] && break; sleep 0.1; done
  fi
  after=$(pg_ticks)
  echo "$out" | sed 's/^/  /'
  [ -n "$PM" ] && awk -v a="$after" -v b="$before" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "  postgresql cpu %.1f s\n", (a - b) / hz}'
  return 0
}
items() {  # the open items of the two kinds: count and a checksum of owners, starts and deadlines
  q "SELECT kind || ' ' || COUNT(*) || ' items, checksum ' || SUM((subject_id % 1000) * 7 + owner_unit_id * 3 + (started_at % 100000) + (due_at % 100000) + (warn_at % 99991) + (district_at % 99989) + length(label) + length(title)) FROM work_item WHERE is_open = 1 AND kind IN ('visit_due', 'assessment_due', 'guardianship_due') GROUP BY kind ORDER BY kind"
}
echo "children on the roll: $(q "SELECT COUNT(*) FROM child WHERE roll_status = 'on_roll'"), visits: $(q "SELECT COUNT(*) FROM visit"), open work items: $(q "SELECT COUNT(*) FROM work_item WHERE is_open = 1")"

# PostgreSQL: the work item tables' statistics after a first run, as autovacuum takes them within a minute or two
# (the second run follows at once; with the statistics of the empty tables the deadline query's anti-join on
# work_item reads the 100,000 new items once per child: minutes).
analyze() { if [ -n "${TH_DATABASE:-}" ]; then q "ANALYZE work_item; ANALYZE work_item_clock" >/dev/null; fi; }
# Before and after on copies of the same load.
th_bench_keep_load "$DIR"
for mode in before after; do
  flag=()
  if [ "$mode" = before ]; then
    flag=(--one-by-one)
    echo "== before: one by one (--one-by-one: work::Open per item, the path before work::OpenMany)"
  else
    restore
    echo "== after: work::OpenMany per batch (as shipped)"
  fi
  timed "visits evaluate, first run" visits evaluate "${flag[@]}"
  analyze
  timed "visits evaluate, second run (steady state)" visits evaluate "${flag[@]}"
  timed "cases evaluate, first run" cases evaluate "${flag[@]}"
  analyze
  timed "cases evaluate, second run (steady state)" cases evaluate "${flag[@]}"
  items
done
