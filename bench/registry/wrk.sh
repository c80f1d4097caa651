#!/usr/bin/env bash
# bench/registry/wrk.sh — registry latency under 16 concurrent clients with wrk (C, about 0.05 ms of
# CPU per request) instead of node's fetch (bench.mjs, about 0.8 ms per request): on a 2-core
# machine the load generator shares the cores with the server, so a heavy client inflates the
# server's latency. Same six query types and samples as bench.mjs (prefix: what is typed so far).
#   tonghu demo --data-dir /tmp/reg1m --children 1000000 --fast-hash
#   tonghu serve --data-dir /tmp/reg1m --port 18210 --login-ip-limit 10000 --no-access-log &
#   [TH_SERVER_PID=<pid>] bench/registry/wrk.sh [base_url=http://127.0.0.1:18210] [connections=16] [seconds=10]
# With TH_SERVER_PID, each line also gives the server's CPU time per request (user + system, from
# /proc): the steadier number when other work shares the machine. TH_BENCH_QUERIES="open list"
# runs only those query types.
set -euo pipefail
BASE="${1:-http://127.0.0.1:18210}"
CONN="${2:-16}"
DUR="${3:-10}"
for t in wrk curl node; do command -v "$t" >/dev/null || { echo "missing $t (apt-get install wrk curl)"; exit 1; }; done
W=$(mktemp -d /tmp/th-bench-reg.XXXXXX)
trap 'rm -rf "$W"' EXIT

curl -s -c "$W/cj" -H 'Content-Type: application/json' \
  -d '{"username":"district","password":"Demo@2026tonghu"}' "$BASE/api/v1/auth/login" >/dev/null
COOKIE="th_session=$(awk '$6=="th_session"{print $7}' "$W/cj")"
for p in 1 2 3 4 5; do
  curl -sf -H "Cookie: $COOKIE" "$BASE/api/v1/children?page=$((p * 37))&page_size=100&sort=id" >"$W/sample$p.json"
done
# One file of request paths per query type, in the order bench.mjs uses them.
node - "$W" <<'JS'
const fs = require('fs');
const w = process.argv[2];
let sample = [];
for (let p = 1; p <= 5; p++) sample.push(...JSON.parse(fs.readFileSync(`${w}/sample${p}.json`)).items);
const n = sample.length;
const pick = (k) => sample[(k * 7) % n];
const initials = ['zw', 'wl', 'lj', 'cy', 'zy', 'wj', 'lx', 'zh', 'hm', 'lyx', 'zzh', 'wzy'];
const cats = ['migrant', 'left_behind', 'poor_family'];
// Typed so far (issue 9 item 16): pinyin prefixes, given-name initials, the first characters of a name.
const typed = ['z', 'zh', 'zhang', 'wan', 'wangh', 'li', 'chen', 'liuz', 'xu', 'zw', 'hy', 'y'];
const lines = { name: [], initials: [], prefix: [], last4: [], open: [], list: [], workbench: [] };
for (let k = 0; k < 500; k++) {
  lines.name.push(`/api/v1/children?q=${encodeURIComponent(pick(k).name)}`);
  lines.initials.push(`/api/v1/children?q=${initials[k % initials.length]}`);
  lines.prefix.push(`/api/v1/children?q=${encodeURIComponent(k % 3 === 2 ? [...pick(k).name].slice(0, 2).join('') : typed[k % typed.length])}`);
  lines.last4.push(`/api/v1/children?q=${pick(k).id_number_masked.slice(-4)}`);
  lines.open.push(`/api/v1/children/${pick(k).id}`);
  lines.list.push(`/api/v1/children?category=${cats[k % 3]}&age_min=6&age_max=12&page=${1 + (k % 5)}`);
  lines.workbench.push('/api/v1/workbench');  // issue 10: the 工作台 (TH_BENCH_QUERIES=workbench)
}
for (const [k, v] of Object.entries(lines)) fs.writeFileSync(`${w}/${k}.paths`, v.join('\n') + '\n');
JS
cat >"$W/paths.lua" <<'LUA'
-- Each connection walks the path list from its own offset; non-200 answers are counted.
local paths, i, bad = {}, 0, 0
function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  i = math.random(#paths)
  wrk.headers["Cookie"] = args[2]
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status)
  if status ~= 200 then bad = bad + 1; if bad == 1 then print("non-200 answer: " .. status) end end
end
LUA
echo "# tonghu registry bench (wrk): $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
  "$(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $CONN connections x ${DUR}s per query type"
echo "# command: bench/registry/wrk.sh $BASE $CONN $DUR"
cpu_ticks() { [ -n "${TH_SERVER_PID:-}" ] && awk '{print $14 + $15}' "/proc/$TH_SERVER_PID/stat" || echo 0; }
for q in ${TH_BENCH_QUERIES:-name initials prefix last4 open list}; do
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c"$CONN" -d"${DUR}s" --latency -s "$W/paths.lua" "$BASE" -- "$W/$q.paths" "$COOKIE" 2>&1)
  t1=$(cpu_ticks)
  p50=$(awk '$1=="50%"{print $2}' <<<"$out"); p90=$(awk '$1=="90%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out"); rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  n=$(awk '/requests in/{print $1}' <<<"$out")
  cpu=""
  [ -n "${TH_SERVER_PID:-}" ] && [ "${n:-0}" -gt 0 ] && \
    cpu=$(awk -v t="$((t1 - t0))" -v n="$n" -v hz="$(getconf CLK_TCK)" 'BEGIN{printf "server_cpu=%.2fms/req", t * 1000 / hz / n}')
  errs=$(grep -E "Non-2xx|Socket errors|non-200" <<<"$out" | tr '\n' ' ' || true)
  printf '%-10s p50=%-9s p90=%-9s p99=%-9s rps=%-9s %s %s\n' "$q" "$p50" "$p90" "$p99" "$rps" "$cpu" "$errs"
done
[ -n "${TH_SERVER_PID:-}" ] && grep -E "^(VmRSS|VmHWM|RssAnon|RssFile)" "/proc/$TH_SERVER_PID/status" | tr -s ' \t' ' ' | tr '\n' ';' && echo
true
