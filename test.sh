#!/usr/bin/env bash
# ./test.sh — install what is missing, build, and run every test: C++ unit and repository tests on
# SQLite and on a throwaway PostgreSQL, API tests over real HTTP and browser tests in Debian's
# Chromium, each against a server on SQLite and one on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/deps.sh

th_install_missing "${TH_APT_BUILD[@]}" "${TH_APT_TEST[@]}"
th_install_node
echo "==> building the web app"
th_build_web
echo "==> building the C++ part"
th_build_cpp build
if [ ! -d tests/node_modules ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi

WORK=$(mktemp -d /tmp/tonghu-test.XXXXXX)
export TH_PG_STATE_FILE="$WORK/pg.state"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  scripts/pg_test.sh stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "==> starting a throwaway PostgreSQL"
eval "$(scripts/pg_test.sh start)"
export TH_REQUIRE_PG=1

PASSED=0
FAILED=0
count_ctest() {  # "100% tests passed, 0 tests failed out of 57"
  local line; line=$(grep -E "tests passed, [0-9]+ tests failed out of [0-9]+" "$1" | tail -1 || true)
  [ -z "$line" ] && { FAILED=$((FAILED + 1)); return; }
  local total failed
  failed=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$line")
  PASSED=$((PASSED + total - failed)); FAILED=$((FAILED + failed))
}
count_node() {  # "# pass 12" / "# fail 0" (TAP summary of node --test)
  local p f
  p=$(grep -E "^# pass [0-9]+" "$1" | tail -1 | awk '{print $3}')
  f=$(grep -E "^# fail [0-9]+" "$1" | tail -1 | awk '{print $3}')
  [ -z "$p" ] && { FAILED=$((FAILED + 1)); return; }
  PASSED=$((PASSED + p)); FAILED=$((FAILED + ${f:-0}))
}

echo "==> C++ tests (SQLite and PostgreSQL)"
set +e
ctest --test-dir build --output-on-failure -j2 --timeout 300 2>&1 | tee "$WORK/ctest.log" | grep -vE "^ *[0-9]+/[0-9]+ Test +#[0-9]+: .* Passed"
set -e
count_ctest "$WORK/ctest.log"

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

start_server() {  # start_server NAME DATABASE_URL
  local name="$1" db="$2" port
  port=$(free_port)
  mkdir -p "$WORK/$name"
  ./build/src/app/tonghu demo --data-dir "$WORK/$name" ${db:+--database "$db"} >/dev/null
  ./build/src/app/tonghu serve --data-dir "$WORK/$name" ${db:+--database "$db"} --port "$port" \
    --static-dir web/dist --login-ip-limit 10000 --login-user-limit 10000 --public-report-limit 10000 >"$WORK/$name/server.log" 2>&1 &
  SERVER_PID=$!
  export TH_BASE_URL="http://127.0.0.1:$port" TH_DATA_DIR="$WORK/$name" TH_DATABASE="$db"
  for _ in $(seq 1 100); do
    node -e "fetch(process.env.TH_BASE_URL+'/api/v1/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))" && return 0
    sleep 0.2
  done
  echo "server $name did not start:"; cat "$WORK/$name/server.log"; return 1
}
stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

PG_API_URL="${TH_TEST_PG_URL%/*}/th_api"
psql "$TH_TEST_PG_URL" -qc "CREATE DATABASE th_api" >/dev/null

for engine in sqlite postgresql; do
  db=""; [ "$engine" = postgresql ] && db="$PG_API_URL"
  echo "==> API and browser tests against a server on $engine"
  start_server "$engine" "$db"
  export TH_ENGINE="$engine"
  set +e
  (cd tests && node --test --test-concurrency=1 api/ 2>&1) | tee "$WORK/api-$engine.log" | grep -E "^(not ok|# (pass|fail))" 
  count_node "$WORK/api-$engine.log"
  (cd tests && node --test --test-concurrency=1 browser/ 2>&1) | tee "$WORK/browser-$engine.log" | grep -E "^(not ok|# (pass|fail))"
  count_node "$WORK/browser-$engine.log"
  set -e
  grep -E "^not ok" -A30 "$WORK/api-$engine.log" "$WORK/browser-$engine.log" | head -150 || true
  stop_server
done

echo "==> command-line checks"
check() {  # check NAME COMMAND... : one counted test
  local name="$1"; shift
  if "$@" >"$WORK/check.log" 2>&1; then PASSED=$((PASSED + 1)); echo "ok   $name"
  else FAILED=$((FAILED + 1)); echo "FAIL $name"; tail -20 "$WORK/check.log"; fi
}
T=./build/src/app/tonghu
check "audit verify passes on the SQLite test server's database" $T audit verify --data-dir "$WORK/sqlite"
check "audit verify passes on the PostgreSQL test server's database" $T audit verify --data-dir "$WORK/postgresql" --database "$PG_API_URL"
check "backup writes a consistent SQLite copy" bash -c "$T backup --data-dir '$WORK/sqlite' --out '$WORK/backup.db' && sqlite3 '$WORK/backup.db' 'PRAGMA integrity_check' | grep -qx ok"
check "a tampered audit row is detected (exit 1)" bash -c "sqlite3 '$WORK/backup.db' \"UPDATE audit_log SET purpose='x' WHERE seq=3\" && ! $T audit verify --data-dir '$WORK/sqlite' --database 'sqlite:$WORK/backup.db'"
check "user add + passwd from the CLI" bash -c "$T user add --data-dir '$WORK/sqlite' --username cliuser --display-name 命令行 --role grid_worker --unit-code 440307001001 && $T user passwd --data-dir '$WORK/sqlite' --username cliuser --password 'Cli-pass-2026'"
check "init refuses an initialized database" bash -c "! $T init --data-dir '$WORK/sqlite' --root-code 440307000000 --root-name 龙岗区 --admin-password 'Admin-pass-2026'"
check "tonghu link on generated files reaches F1 >= 0.98" bash -c "$T demo --linkage --out-dir '$WORK/link' --registry-size 2000 --source-size 2000 --no-link >/dev/null && $T link --registry '$WORK/link/registry.csv' --source '$WORK/link/source.csv' --out '$WORK/link/m.csv' --truth '$WORK/link/truth.csv' 2>&1 | tee '$WORK/link.log' | grep -E 'F1' | head -1 | awk '{for(i=1;i<=NF;i++) if (\$i ~ /^F1/) {v=\$(i+1); gsub(/[^0-9.]/,\"\",v); exit !(v+0 >= 0.98)}}'"
# A load of 10,000+ children into an empty registry drops the registry's indexes (and on
# PostgreSQL its foreign keys) and must put every one back: same catalog as the API test database.
REG_TABLES="('child', 'family_member', 'child_category', 'search_posting')"
REG_CATALOG="SELECT string_agg(d, ' | ' ORDER BY d) FROM (SELECT indexdef AS d FROM pg_indexes WHERE tablename IN $REG_TABLES UNION ALL SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text IN $REG_TABLES) x"
check "a 10,000-child demo load on PostgreSQL restores the registry's indexes and foreign keys" bash -c "psql '$TH_TEST_PG_URL' -qc 'CREATE DATABASE th_bulk' && $T demo --data-dir '$WORK/bulk' --database '${PG_API_URL%/*}/th_bulk' --children 10000 --fast-hash >/dev/null && a=\$(psql '${PG_API_URL%/*}/th_bulk' -tAc \"$REG_CATALOG\") && b=\$(psql '$PG_API_URL' -tAc \"$REG_CATALOG\") && [ -n \"\$a\" ] && [ \"\$a\" = \"\$b\" ] && echo \"\$a\" | grep -q 'FOREIGN KEY (district_id)'"
check "a demo load on PostgreSQL vacuums the search postings itself (index-only scans skip the heap only after a vacuum)" bash -c "v=\$(psql '${PG_API_URL%/*}/th_bulk' -tAc \"SELECT last_vacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'search_posting'\") && [ \"\$v\" = t ]"
check "audit checkpoint, then verify --checkpoints; a cut end with an older head row restored is caught" \
  tests/cli/audit_checkpoint.sh "$T" "$WORK/sqlite" "$WORK/checkpoint"
check "a server whose configuration directory lacks a file stops at start, naming the file" \
  tests/cli/config_dir.sh "$T" "$PWD/config" "$WORK/config"
check "calendar add-workdays (2026 holidays, beyond the loaded years); a bad calendar file stops the server, naming it" \
  tests/cli/work_calendar.sh "$T" "$PWD/config" "$WORK/calendar"
check "two servers sweeping one PostgreSQL record each escalation step once" \
  tests/cli/work_two_servers.sh "$T" "$PWD/config" "$WORK/two" "${PG_API_URL%/*}/th_two"
check "notify deliver posts the queued SMS to a local gateway once, retries a 500, never prints a phone; a bad notify.json stops the server" \
  tests/cli/notify_deliver.sh "$T" "$PWD/config" "$WORK/notify"
check "every subcommand has --help" bash -c "for c in serve init demo 'user add' 'user passwd' 'audit verify' 'audit checkpoint' backup link 'notify deliver'; do $T \$c --help >/dev/null || exit 1; done"

echo
echo "tests: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
