#!/usr/bin/env bash
# guardianship_config.sh TONGHU CONFIG_DIR WORK: config/guardianship/guardianship.json's return
# assessment must fit the assessment forms. A pass grade that the guardianship form (config/assessments)
# does not have, or a return kind with no form in use, stops the server at start with a message naming
# the file and the grade (the kind).
set -euo pipefail
T=$(realpath "$1") CONFIG=$(realpath "$2") WORK=$3
rm -rf "$WORK" && mkdir -p "$WORK/bad"
cp -r "$CONFIG"/. "$WORK/bad/"
G="$WORK/bad/guardianship/guardianship.json"
sed -i 's/"pass_grades": \["good", "fair"\]/"pass_grades": ["good", "excellent"]/' "$G"
grep -q '"excellent"' "$G" || { echo "could not edit $G"; exit 1; }
if timeout 60 "$T" serve --data-dir "$WORK/d1" --config-dir "$WORK/bad" --port 0 >"$WORK/grade.log" 2>&1; then
  echo "started with pass grade excellent"; exit 1
fi
grep -q "bad/guardianship/guardianship.json" "$WORK/grade.log" || { echo "file not named:"; cat "$WORK/grade.log"; exit 1; }
grep -q "excellent" "$WORK/grade.log" || { echo "grade not named:"; cat "$WORK/grade.log"; exit 1; }
cp "$CONFIG/guardianship/guardianship.json" "$G"
sed -i 's/"kind": "guardianship", "pass_grades"/"kind": "welfare", "pass_grades"/' "$G"
grep -q '"welfare"' "$G" || { echo "could not edit $G"; exit 1; }
if timeout 60 "$T" serve --data-dir "$WORK/d2" --config-dir "$WORK/bad" --port 0 >"$WORK/kind.log" 2>&1; then
  echo "started with return kind welfare"; exit 1
fi
grep -q "bad/guardianship/guardianship.json" "$WORK/kind.log" && grep -q "welfare" "$WORK/kind.log" ||
  { echo "file or kind not named:"; cat "$WORK/kind.log"; exit 1; }
echo ok
