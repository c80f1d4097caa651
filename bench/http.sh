#!/usr/bin/env bash
# bench/http.sh — our server against nginx serving the same bytes, in one run, with wrk on loopback.
#   1. authenticated GET /api/v1/me and an org-unit listing vs nginx serving files of the same bytes
#   2. login (argon2id) throughput, and GET /api/v1/me latency while a login storm runs
# Usage: bench/http.sh [duration_seconds=10] [connections=64]
# Needs: a built tonghu (build/src/app/tonghu), wrk, nginx (apt-get install wrk nginx-light), curl.
set -euo pipefail
cd "$(dirname "$0")/.."
DUR="${1:-10}"
CONN="${2:-64}"
BIN=./build/src/app/tonghu
for t in wrk nginx curl; do command -v "$t" >/dev/null || { echo "missing $t (apt-get install wrk nginx-light curl)"; exit 1; }; done
[ -x "$BIN" ] || { echo "build first: ./run.sh or cmake+ninja"; exit 1; }

W=$(mktemp -d /tmp/th-bench-http.XXXXXX)
chmod 755 "$W"  # nginx workers run as another user
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; [ -f "$W/nginx.pid" ] && kill "$(cat "$W/nginx.pid")" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
echo "# command: bench/http.sh $DUR $CONN"
"$BIN" demo --data-dir "$W/data" >/dev/null
PORT=$(free_port)
"$BIN" serve --data-dir "$W/data" --port "$PORT" --no-access-log --login-ip-limit 100000000 --static-dir "$W/none" >"$W/server.log" 2>&1 &
SPID=$!; PIDS+=("$SPID")
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.1; done
BASE="http://127.0.0.1:$PORT"
curl -s -c "$W/cj" -H 'Content-Type: application/json' -d '{"username":"supervisor","password":"Demo@2026tonghu"}' "$BASE/api/v1/auth/login" >/dev/null
COOKIE="th_session=$(awk '$6=="th_session"{print $7}' "$W/cj")"
curl -s -H "Cookie: $COOKIE" "$BASE/api/v1/me" >"$W/me.json"
UNIT=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$W/me.json')).org_unit.id)")
ORG_PATH="/api/v1/org-units?parent_id=$UNIT"
curl -s -H "Cookie: $COOKIE" "$BASE$ORG_PATH" >"$W/org.json"

# nginx serving files with exactly the same bytes, keep-alive, one worker per core.
NPORT=$(free_port)
mkdir -p "$W/www" "$W/ntmp"
cp "$W/me.json" "$W/www/me.json"; cp "$W/org.json" "$W/www/org.json"
cat >"$W/nginx.conf" <<NGX
worker_processes auto;
pid $W/nginx.pid;
error_log $W/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $W/ntmp; proxy_temp_path $W/ntmp; fastcgi_temp_path $W/ntmp; uwsgi_temp_path $W/ntmp; scgi_temp_path $W/ntmp;
  keepalive_requests 1000000;
  default_type application/json;
  server { listen 127.0.0.1:$NPORT; root $W/www; }
}
NGX
nginx -c "$W/nginx.conf"
sleep 0.3

run_wrk() {  # run_wrk LABEL URL [extra wrk args...] -> "rps p99_ms"
  local out
  out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --latency "${@:2}" "$1" 2>&1)
  local rps p99
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  local non2xx; non2xx=$(awk '/Non-2xx/{print $5}' <<<"$out")
  echo "$rps $(to_ms "$p99") ${non2xx:-0}"
}
to_ms() { local v="$1"; case "$v" in *us) awk -v x="${v%us}" 'BEGIN{printf "%.3f", x/1000}';; *ms) echo "${v%ms}";; *s) awk -v x="${v%s}" 'BEGIN{printf "%.1f", x*1000}';; *) echo "$v";; esac; }

printf "\n%-34s %12s %10s %8s\n" "target ($CONN connections, ${DUR}s)" "requests/s" "p99 ms" "non-2xx"
read -r a_rps a_p99 a_bad <<<"$(run_wrk "$BASE/api/v1/me" -H "Cookie: $COOKIE")"
printf "%-34s %12s %10s %8s\n" "tonghu GET /api/v1/me" "$a_rps" "$a_p99" "$a_bad"
read -r n_rps n_p99 n_bad <<<"$(run_wrk "http://127.0.0.1:$NPORT/me.json")"
printf "%-34s %12s %10s %8s\n" "nginx  same bytes ($(stat -c%s "$W/me.json") B)" "$n_rps" "$n_p99" "$n_bad"
read -r b_rps b_p99 b_bad <<<"$(run_wrk "$BASE$ORG_PATH" -H "Cookie: $COOKIE")"
printf "%-34s %12s %10s %8s\n" "tonghu GET org-units (children)" "$b_rps" "$b_p99" "$b_bad"
read -r m_rps m_p99 m_bad <<<"$(run_wrk "http://127.0.0.1:$NPORT/org.json")"
printf "%-34s %12s %10s %8s\n" "nginx  same bytes ($(stat -c%s "$W/org.json") B)" "$m_rps" "$m_p99" "$m_bad"
awk -v a="$a_rps" -v n="$n_rps" -v b="$b_rps" -v m="$m_rps" 'BEGIN{printf "ratio /me: %.2f of nginx   ratio org-units: %.2f of nginx\n", a/n, b/m}'
echo "server peak RSS: $(awk '/VmHWM/{printf "%.1f MB", $2/1024}' /proc/$SPID/status)"

# Login storm: argon2id is capped at (cores-1) concurrent hashes; others wait briefly or get 429.
cat >"$W/login.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"username":"director","password":"Demo@2026tonghu"}'
wrk.headers["Content-Type"] = "application/json"
LUA
echo
wrk -t1 -c16 -d"${DUR}s" --latency -s "$W/login.lua" "$BASE/api/v1/auth/login" >"$W/login.out" 2>&1 &
LPID=$!
sleep 1
read -r s_rps s_p99 s_bad <<<"$(DUR=$((DUR - 2)) run_wrk "$BASE/api/v1/me" -H "Cookie: $COOKIE")"
wait "$LPID" || true
l_rps=$(awk '/Requests\/sec/{print $2}' "$W/login.out"); l_bad=$(awk '/Non-2xx/{print $5}' "$W/login.out")
l_total=$(awk '/requests in/{print $1}' "$W/login.out")
printf "%-34s %12s %10s %8s\n" "login storm (16 conn) POST login" "$l_rps" "" "${l_bad:-0}"
printf "%-34s %12s %10s %8s\n" "  meanwhile GET /api/v1/me" "$s_rps" "$s_p99" "$s_bad"
echo "  (login: ${l_total} attempts, ${l_bad:-0} answered 429 by the hashing cap; successful logins = attempts - 429s)"
echo "server peak RSS after the storm: $(awk '/VmHWM/{printf "%.1f MB", $2/1024}' /proc/$SPID/status)"
