#!/usr/bin/env bash
# config_dir.sh TONGHU CONFIG_DIR WORK: every configuration file comes from --config-dir. A
# directory without the screening rules (or without roles.json) stops the server at start with a
# message naming the file; a server started in another working directory with --config-dir serves
# the screening routes.
set -euo pipefail
T=$(realpath "$1") CONFIG=$(realpath "$2") WORK=$3
mkdir -p "$WORK/partial"
cp -r "$CONFIG"/. "$WORK/partial/"
rm "$WORK/partial/screening/rules.json"
if "$T" serve --data-dir "$WORK/d1" --config-dir "$WORK/partial" --port 0 >"$WORK/partial.log" 2>&1; then
  echo "started without screening/rules.json"; exit 1
fi
grep -q "partial/screening/rules.json" "$WORK/partial.log"
echo '{"rules": 5}' > "$WORK/partial/screening/rules.json"
if "$T" serve --data-dir "$WORK/d1" --config-dir "$WORK/partial" --port 0 >"$WORK/invalid.log" 2>&1; then
  echo "started with an invalid screening/rules.json"; exit 1
fi
grep -q "partial/screening/rules.json" "$WORK/invalid.log"
# The roles and their permissions are configuration too (config/roles.json).
cp "$CONFIG/screening/rules.json" "$WORK/partial/screening/rules.json"
rm "$WORK/partial/roles.json"
if "$T" serve --data-dir "$WORK/d1" --config-dir "$WORK/partial" --port 0 >"$WORK/roles.log" 2>&1; then
  echo "started without roles.json"; exit 1
fi
grep -q "partial/roles.json" "$WORK/roles.log"
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
(cd / && exec "$T" serve --data-dir "$WORK/d2" --config-dir "$CONFIG" --port "$port" --no-access-log) >"$WORK/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
code=$(node -e "
const url='http://127.0.0.1:$port/api/v1/screening/sources';
(async()=>{for(let i=0;i<100;i++){try{const r=await fetch(url);console.log(r.status);return}catch{await new Promise(r=>setTimeout(r,100))}}console.log('down')})()")
[ "$code" = 401 ] || { echo "GET /api/v1/screening/sources answered $code (404: routes missing)"; cat "$WORK/serve.log"; exit 1; }
