#!/usr/bin/env bash
# work_calendar.sh TONGHU CONFIG_DIR WORK: `calendar add-workdays` prints the deadline on its last line (with
# a warning line beyond the loaded years); a missing or invalid calendar file stops the server at start with
# a message naming it.
set -euo pipefail
T=$(realpath "$1") CONFIG=$(realpath "$2") WORK=$3
mkdir -p "$WORK"
last() { "$T" calendar add-workdays --config-dir "$CONFIG" "$@" | tail -1; }
[ "$(last --from 2026-09-30 --days 5)" = 2026-10-13 ] || { echo "National Day: $(last --from 2026-09-30 --days 5)"; exit 1; }
[ "$(last --from 2026-02-13 --days 2)" = 2026-02-24 ] || { echo "Spring Festival"; exit 1; }
[ "$(last --from 2025-12-31 --days 1)" = 2026-01-04 ] || { echo "make-up Sunday"; exit 1; }
out=$("$T" calendar add-workdays --config-dir "$CONFIG" --from 2026-12-30 --days 3)
[ "$(tail -1 <<<"$out")" = 2027-01-04 ] && grep -q "warning" <<<"$out" || { echo "beyond: $out"; exit 1; }
"$T" calendar add-workdays --config-dir "$CONFIG" --from 2026-02-30 --days 1 >/dev/null 2>&1 && { echo "accepted 02-30"; exit 1; }
rm -rf "$WORK/partial" && mkdir -p "$WORK/partial" && cp -r "$CONFIG"/. "$WORK/partial/"
sed -i 's/"2026-10-07"/"2025-10-07"/' "$WORK/partial/calendar/cn-2026.json"
if "$T" serve --data-dir "$WORK/d1" --config-dir "$WORK/partial" --port 0 >"$WORK/invalid.log" 2>&1; then
  echo "started with an invalid calendar"; exit 1
fi
grep -q "partial/calendar/cn-2026.json" "$WORK/invalid.log" || { cat "$WORK/invalid.log"; exit 1; }
rm "$WORK/partial/workflows/screening.json"
cp "$CONFIG/calendar/cn-2026.json" "$WORK/partial/calendar/"
if "$T" serve --data-dir "$WORK/d1" --config-dir "$WORK/partial" --port 0 >"$WORK/missing.log" 2>&1; then
  echo "started without workflows/screening.json"; exit 1
fi
grep -q "screening_verify" "$WORK/missing.log" || { cat "$WORK/missing.log"; exit 1; }
echo ok
