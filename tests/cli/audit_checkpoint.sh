#!/usr/bin/env bash
# audit_checkpoint.sh TONGHU DATA_DIR WORK: on a copy of the test server's SQLite database, a
# checkpoint taken and kept apart verifies; after the last two entries are cut and the head row is
# put back as it was before them (a copy taken earlier), verify without the checkpoint cannot tell,
# and verify with it fails (exit 1).
set -euo pipefail
T=$1 DATA=$2 WORK=$3
mkdir -p "$WORK"
db="$WORK/copy.db"
"$T" backup --data-dir "$DATA" --out "$db" >/dev/null
"$T" audit verify --data-dir "$DATA" --database "sqlite:$db"
n=$(sqlite3 "$db" "SELECT seq FROM audit_head")
[ "$n" -gt 3 ]
# The attacker's earlier copy of the head row; then a checkpoint, two audited changes (user
# passwd) and a second checkpoint; then the two changes are cut and the old head row put back.
head_row=$(sqlite3 "$db" "SELECT hash || '|' || head_mac FROM audit_head")
"$T" audit checkpoint --data-dir "$DATA" --database "sqlite:$db" --out "$WORK/kept-apart.txt" >/dev/null
"$T" audit verify --data-dir "$DATA" --database "sqlite:$db" --checkpoints "$WORK/kept-apart.txt"
"$T" user passwd --data-dir "$DATA" --database "sqlite:$db" --username director --password 'Check-point-2026' >/dev/null
"$T" user passwd --data-dir "$DATA" --database "sqlite:$db" --username director2 --password 'Check-point-2026' >/dev/null
"$T" audit checkpoint --data-dir "$DATA" --database "sqlite:$db" --out "$WORK/kept-apart.txt" >/dev/null
[ "$(wc -l < "$WORK/kept-apart.txt")" -eq 2 ]
m=$(sqlite3 "$db" "SELECT seq FROM audit_head")
[ "$m" -gt "$n" ]
sqlite3 "$db" "DELETE FROM audit_log WHERE seq > $n; UPDATE audit_head SET seq = $n, hash = '${head_row%%|*}', head_mac = '${head_row#*|}'"
"$T" audit verify --data-dir "$DATA" --database "sqlite:$db"   # the chain alone looks whole
if "$T" audit verify --data-dir "$DATA" --database "sqlite:$db" --checkpoints "$WORK/kept-apart.txt"; then
  echo "a cut end passed the checkpoint"; exit 1
fi
