#!/usr/bin/env bash
# notify_deliver.sh TONGHU CONFIG_DIR WORK [PORT]: with SMS delivery on (notify.json), `tonghu demo` queues
# the demo notifications of the accounts with a phone; `tonghu notify deliver` posts each to a local gateway
# (a node receiver on PORT) — the first answer is a 500, retried — and a second run sends nothing; no phone
# number appears in clear in the command's output; an invalid notify.json stops the server, naming the file.
set -euo pipefail
T=$(realpath "$1") CONFIG=$(realpath "$2") WORK=$3 PORT=${4:-18395}
rm -rf "$WORK" && mkdir -p "$WORK/config" && cp -r "$CONFIG"/. "$WORK/config/"
cat >"$WORK/config/notify.json" <<JSON
{"sms": {"enabled": true, "url": "http://127.0.0.1:$PORT/sms", "timeout_ms": 2000, "max_attempts": 3,
         "backoff_ms": 1, "max_backoff_ms": 1},
 "worker": {"batch": 5}}
JSON
node -e '
const http = require("http"), fs = require("fs");
let n = 0;
http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    fs.appendFileSync(process.argv[1], JSON.stringify({ key: req.headers["idempotency-key"], body: JSON.parse(body) }) + "\n");
    res.writeHead(n++ === 0 ? 500 : 200, { "Content-Type": "application/json" });
    res.end("{}");
  });
}).listen(Number(process.argv[2]), "127.0.0.1");
' "$WORK/received.jsonl" "$PORT" &
RX=$!
trap 'kill $RX 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do (echo >/dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
"$T" demo --data-dir "$WORK/d" --config-dir "$WORK/config" --fast-hash >/dev/null
queued=$(sqlite3 "$WORK/d/tonghu.db" "SELECT COUNT(*) FROM notification_outbox")
[ "$queued" -gt 0 ] || { echo "nothing queued"; exit 1; }
sqlite3 "$WORK/d/tonghu.db" "SELECT recipient || recipient_masked || payload FROM notification_outbox" | grep -qE '1380000000[0-9]' \
  && { echo "a phone number in clear in the outbox"; exit 1; }
out=$("$T" notify deliver --data-dir "$WORK/d" --config-dir "$WORK/config" 2>&1)
echo "$out" | grep -q "delivered $queued," || { echo "first run: $out"; exit 1; }
echo "$out" | grep -qE '1380000000[0-9]' && { echo "a phone number in clear in the output: $out"; exit 1; }
echo "$out" | grep -q '138\*\*\*\*000' || { echo "no masked number in the log: $out"; exit 1; }
[ "$(wc -l <"$WORK/received.jsonl")" -eq $((queued + 1)) ] || { echo "requests: $(wc -l <"$WORK/received.jsonl")"; exit 1; }
[ "$(node -e 'const l=require("fs").readFileSync(process.argv[1],"utf8").trim().split("\n").map(JSON.parse);
  console.log(new Set(l.map((x)=>x.key)).size, l.every((x)=>/^1380000000\d$/.test(x.body.to) && x.body.text.startsWith("【童护】")))' \
  "$WORK/received.jsonl")" = "$queued true" ] || { echo "bad requests"; cat "$WORK/received.jsonl"; exit 1; }
again=$("$T" notify deliver --data-dir "$WORK/d" --config-dir "$WORK/config" 2>&1)
echo "$again" | grep -q "delivered 0," || { echo "second run: $again"; exit 1; }
echo '{"sms": {"enabled": true, "url": "ftp://nowhere"}}' >"$WORK/config/notify.json"
if "$T" serve --data-dir "$WORK/d" --config-dir "$WORK/config" --port 0 >"$WORK/invalid.log" 2>&1; then
  echo "started with an invalid notify.json"; exit 1
fi
grep -q "notify.json" "$WORK/invalid.log" || { cat "$WORK/invalid.log"; exit 1; }
echo ok
