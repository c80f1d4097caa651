#!/usr/bin/env bash
# work_two_servers.sh TONGHU CONFIG_DIR WORK PG_URL: two `tonghu serve` processes on one PostgreSQL database
# (created here) sweep 20,000 overdue work items at the same moment, every second. Each escalation step
# is recorded once: no duplicate (item, round, level, target) and the steps both servers report adding
# sum to the rows added while they ran (`tonghu demo` already swept its own work once); a third,
# command-line sweep then finds nothing to add.
set -euo pipefail
T=$(realpath "$1") CONFIG=$(realpath "$2") WORK=$3 URL=$4
mkdir -p "$WORK"
psql "${URL%/*}/postgres" -qc "DROP DATABASE IF EXISTS ${URL##*/}" -c "CREATE DATABASE ${URL##*/}"
C=(--database "$URL" --config-dir "$CONFIG")
"$T" demo --data-dir "$WORK/d" --fast-hash "${C[@]}" >/dev/null
"$T" work demo-load --items 20000 --data-dir "$WORK/d" "${C[@]}" >/dev/null
q() { psql "$URL" -tAc "$1"; }
base=$(q "SELECT COUNT(*) FROM work_escalation")  # the demo's own closing sweep
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
for n in 1 2; do
  "$T" serve --data-dir "$WORK/d" "${C[@]}" --port 0 --sweep-interval 1 --static-dir "$WORK" >"$WORK/s$n.log" 2>&1 &
  pids+=($!)
done
prev=-1
for _ in $(seq 1 120); do
  sleep 1
  now=$(q "SELECT COUNT(*) FROM work_escalation")
  [ "$now" -gt "$base" ] && [ "$now" = "$prev" ] && break
  prev=$now
done
kill "${pids[@]}"; wait 2>/dev/null || true
dups=$(q "SELECT COUNT(*) FROM (SELECT 1 FROM work_escalation GROUP BY item_id, round, level, target_unit_id HAVING COUNT(*) > 1) d")
total=$(q "SELECT COUNT(*) FROM work_escalation")
reported=$(cat "$WORK"/s1.log "$WORK"/s2.log | sed -nE 's/.*work sweep: [0-9]+ items, ([0-9]+) escalation steps.*/\1/p' | awk '{s+=$1} END{print s+0}')
both=$(grep -l "escalation steps" "$WORK"/s1.log "$WORK"/s2.log | wc -l)
again=$("$T" work sweep --data-dir "$WORK/d" "${C[@]}")
echo "escalations=$total (demo $base) duplicates=$dups reported_by_servers=$reported servers_that_swept=$both; then: $again"
[ "$dups" = 0 ] && [ "$total" -gt "$base" ] && [ "$reported" = "$((total - base))" ] && grep -q " 0 escalation steps" <<<"$again"
