# bench/lib.sh — what the HTTP benches share (sourced by bench/{dispatch,work,visits,cases}/run.sh):
#   th_bench_init NAME DATA_DIR  tools check, ROOT, BIN, COMMON (data dir, config, TH_DATABASE), the work dir
#                                $W removed at exit with the server
#   th_bench_header NAME ARGS... the machine, UTC time, load average, engine and the command line
#   th_bench_serve PORT          starts `tonghu serve` on COMMON (no access log, no sweep) and waits for health
#   th_bench_cookie USER         logs a demo user in; prints "th_session=..."
#   th_bench_wrk LABEL USER CONN PATHS  wrk -t2 over PATHS ('|'-separated, cycled) for $DUR seconds as USER;
#                                prints one line: p50 p90 p99 req/s and any non-200 answers (the label padded
#                                to TH_BENCH_LABEL_WIDTH, default 22)
#   th_bench_wrk_cpu LABEL USER CONN PATHS  th_bench_wrk, then a second line: the CPU the server process and (with
#                                TH_DATABASE on this machine) PostgreSQL's processes used per request during the run,
#                                and the load average after it
#   th_bench_keep_load DATA_DIR  keeps a copy of the loaded data (SQLite: the file; PostgreSQL: a clone of the database,
#                                TEMPLATE) and defines `restore`, which puts it back: before and after on the same load
# The caller sets PORT and DUR before th_bench_serve / th_bench_wrk.
# TH_DATABASE=postgresql://... runs on PostgreSQL; TH_BENCH_BIN=path measures another build of tonghu.

th_bench_init() {
  local name=$1 dir=$2
  ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  BIN="${TH_BENCH_BIN:-$ROOT/build/src/app/tonghu}"  # TH_BENCH_BIN: another build (before/after)
  for t in wrk curl; do command -v "$t" >/dev/null || { echo "missing $t (apt-get install wrk curl)"; exit 1; }; done
  DB=()
  [ -n "${TH_DATABASE:-}" ] && DB=(--database "$TH_DATABASE")
  COMMON=(--data-dir "$dir" --config-dir "$ROOT/config" "${DB[@]}")
  W=$(mktemp -d "/tmp/th-bench-$name.XXXXXX")
  SERVER=""
  trap th_bench_cleanup EXIT
  mkdir -p "$dir"
  th_bench_paths_lua >"$W/paths.lua"
}

th_bench_cleanup() {
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null
  rm -rf "$W"
}

th_bench_header() {
  local name=$1
  shift
  echo "# tonghu $name bench: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)," \
    "$(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg), engine $([ -n "${TH_DATABASE:-}" ] && echo postgresql || echo sqlite)"
  echo "# command: $*"
}

th_bench_serve() {
  "$BIN" serve "${COMMON[@]}" --port "$PORT" --login-ip-limit 100000 --no-access-log --sweep-interval 0 \
    --static-dir "$W" >"$W/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/api/v1/health" >/dev/null && break; sleep 0.2; done
}

th_bench_cookie() {
  curl -s -c "$W/cj" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$1\",\"password\":\"Demo@2026tonghu\"}" "http://127.0.0.1:$PORT/api/v1/auth/login" >/dev/null
  echo "th_session=$(awk '$6=="th_session"{print $7}' "$W/cj")"
}

th_bench_paths_lua() {
  cat <<'LUA'
-- Cycles through the paths given (separated by '|'); non-200 answers are counted.
local paths, i, bad = {}, 0, 0
function init(args)
  for p in string.gmatch(args[2], "[^|]+") do paths[#paths + 1] = p end
  i = math.random(#paths)
  wrk.headers["Cookie"] = args[1]
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
function response(status)
  if status ~= 200 then bad = bad + 1; if bad == 1 then print("non-200 answer: " .. status) end end
end
LUA
}

th_bench_wrk() {  # label user connections paths
  local name=$1 user=$2 conn=$3 paths=$4 c out
  c=$(th_bench_cookie "$user")
  out=$(wrk -t2 -c"$conn" -d"${DUR}s" --latency -s "$W/paths.lua" "http://127.0.0.1:$PORT" -- "$c" "$paths" 2>&1)
  printf '%s\n' "$out" >"$W/wrk.out"  # for th_bench_wrk_cpu
  printf "%-${TH_BENCH_LABEL_WIDTH:-22}s %-10s c=%-3s p50=%-9s p90=%-9s p99=%-9s rps=%-9s %s\n" "$name" "$user" "$conn" \
    "$(awk '$1=="50%"{print $2}' <<<"$out")" "$(awk '$1=="90%"{print $2}' <<<"$out")" \
    "$(awk '$1=="99%"{print $2}' <<<"$out")" "$(awk '/Requests\/sec/{print $2}' <<<"$out")" \
    "$(grep -E "Non-2xx|Socket errors|non-200" <<<"$out" | tr '\n' ' ' || true)"
}

# CPU ticks (user + system) of the server and, for PostgreSQL, of every child of the postmaster (the backends).
th_bench_ticks() {
  local pids="$SERVER" pm
  if [ -n "${TH_DATABASE:-}" ]; then
    pm=$(head -1 "$(psql "$TH_DATABASE" -Atc 'SHOW data_directory' 2>/dev/null)/postmaster.pid" 2>/dev/null || true)
    [ -n "$pm" ] && pids+=" $(ps -o pid= --ppid "$pm" | tr '\n' ' ')"
  fi
  local s=0 p
  for p in $pids; do
    [ -r "/proc/$p/stat" ] || continue
    s=$((s + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$s $(awk '{print $14 + $15}' "/proc/$SERVER/stat")"
}

th_bench_wrk_cpu() {  # label user connections paths
  local before after n hz
  hz=$(getconf CLK_TCK)
  before=$(th_bench_ticks)
  th_bench_wrk "$@"
  after=$(th_bench_ticks)
  n=$(awk '/requests in/{print $1}' "$W/wrk.out")
  awk -v b="$before" -v a="$after" -v n="${n:-0}" -v hz="$hz" -v label="$1" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN{
    split(b, x, " "); split(a, y, " "); if (n == 0) n = 1
    tot = (y[1] - x[1]) * 1000 / hz / n; srv = (y[2] - x[2]) * 1000 / hz / n
    printf "  cpu per request (%s): %.2f ms (server %.2f ms, database %.2f ms), %d requests, load %s\n", label, tot, srv, tot - srv, n, load }'
}

th_bench_keep_load() {  # data_dir
  local dir=$1
  if [ -n "${TH_DATABASE:-}" ]; then
    NAME=${TH_DATABASE##*/}
    NAME=${NAME%%\?*}
    ADMIN=${TH_DATABASE%/*}/postgres
    psql -qtA "$ADMIN" -c "DROP DATABASE IF EXISTS ${NAME}_load" >/dev/null
    psql -qtA "$ADMIN" -c "CREATE DATABASE ${NAME}_load TEMPLATE $NAME" >/dev/null
    restore() {
      psql -qtA "$ADMIN" -c "DROP DATABASE $NAME" >/dev/null
      psql -qtA "$ADMIN" -c "CREATE DATABASE $NAME TEMPLATE ${NAME}_load" >/dev/null
    }
  else
    KEEP_DIR=$dir
    cp "$dir/tonghu.db" "$dir/tonghu.db.load"
    restore() { cp "$KEEP_DIR/tonghu.db.load" "$KEEP_DIR/tonghu.db"; }
  fi
}
