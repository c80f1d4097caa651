#!/usr/bin/env bash
# bench/work/sweep_ab.sh LOADED_DIR BIN[@SRC]... — the first escalation sweep of a loaded data dir (bench/work/run.sh's
# `tonghu demo` + `tonghu work demo-load`, before any sweep), once per binary, each on its own fresh copy of the
# data, in the order given (e.g. before after before after), then three more sweeps (nothing due) on that copy.
# BIN@SRC sweeps a copy of SRC instead (a data dir; with TH_DATABASE a database name): e.g. a copy already
# migrated by the newer binary (`tonghu work demo-load --items 0` on it), so that its migrations are not timed.
#   SQLite: LOADED_DIR/tonghu.db is copied (cp, then the page cache is warm for every run alike).
#   PostgreSQL: TH_DATABASE=postgresql://.../NAME names the loaded database; each run gets
#   CREATE DATABASE NAME_ab TEMPLATE NAME (dropped afterwards).
# TH_BATCH (default 50000) items per transaction, TH_CACHE_MB (default 512) the SQLite page cache.
# TH_PG_DATA (PostgreSQL's data directory, e.g. scripts/pg_test.sh's $PG_DIR/data): also prints the CPU the
# database server spent during the first sweep (its processes, live and exited, from /proc).
# Prints the machine, the load average before each run, the command and `tonghu work sweep`'s line.
set -euo pipefail
SRC="$1"; shift
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BATCH="${TH_BATCH:-50000}"
CACHE="${TH_CACHE_MB:-512}"
W=/tmp/th-sweep-ab.$$
mkdir -p "$W"
trap 'rm -rf "$W"' EXIT
echo "# sweep a/b: $(nproc) x $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%FT%TZ)," \
  "engine $([ -n "${TH_DATABASE:-}" ] && echo postgresql || echo sqlite), batch $BATCH"
# CPU seconds (user+system) of the PostgreSQL server: the postmaster's exited children plus the live ones.
pgcpu() {
  local pm hz
  pm=$(head -1 "$TH_PG_DATA/postmaster.pid") hz=$(getconf CLK_TCK)
  { awk '{print $16 + $17}' "/proc/$pm/stat"
    for c in $(pgrep -P "$pm"); do awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || true; done
  } | awk -v hz="$hz" '{s += $1} END {printf "%.2f", s / hz}'
}
for arg in "$@"; do
  bin="${arg%%@*}" src="$SRC" from=""
  [ "$arg" != "$bin" ] && from="${arg#*@}"
  DB=()
  if [ -n "${TH_DATABASE:-}" ]; then
    base="${TH_DATABASE%/*}" name="${TH_DATABASE##*/}"
    psql "$base/postgres" -qc "DROP DATABASE IF EXISTS ${name}_ab" -c "CREATE DATABASE ${name}_ab TEMPLATE ${from:-$name}"
    DB=(--database "$base/${name}_ab")
    cp "$SRC/tonghu.key" "$W/" 2>/dev/null || true
  else
    [ -n "$from" ] && src="$from"
    cp "$src/tonghu.db" "$W/tonghu.db"
    cp "$SRC/tonghu.key" "$W/" 2>/dev/null || true
  fi
  C=(--data-dir "$W" --config-dir "$ROOT/config" "${DB[@]}")
  echo "## $arg ($(date -u +%T), load average $(cut -d' ' -f1-3 /proc/loadavg))"
  [ -n "${TH_PG_DATA:-}" ] && c0=$(pgcpu)
  out=$(/usr/bin/time -f "%U %S %e" -o "$W/time" "$bin" work sweep --batch "$BATCH" --sqlite-cache-mb "$CACHE" "${C[@]}")
  read -r u sy el <"$W/time"
  srv=""
  sleep 2  # the sweep's backends exit after it: let the postmaster reap them into its children's CPU
  [ -n "${TH_PG_DATA:-}" ] && srv=", PostgreSQL server $(awk -v a="$c0" -v b="$(pgcpu)" 'BEGIN{printf "%.1f", b - a}') s CPU"
  echo "first:  $out  [process: ${el} s wall, ${u} s user + ${sy} s system CPU$srv]"
  if [ -n "${TH_DATABASE:-}" ]; then
    echo "        work_item dead row versions, autovacuumed: $(psql "$base/${name}_ab" -tAc "SELECT n_dead_tup, last_autovacuum IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'work_item'")"
  fi
  for n in 1 2 3; do echo "again:  $("$bin" work sweep --batch "$BATCH" --sqlite-cache-mb "$CACHE" "${C[@]}")"; done
  if [ -n "${TH_DATABASE:-}" ]; then
    psql "$base/${name}_ab" -tAc "SELECT step, COUNT(*) FROM work_escalation GROUP BY step ORDER BY step" | tr '\n' ' '
    psql "$base/postgres" -qc "DROP DATABASE ${name}_ab"
  else
    sqlite3 "$W/tonghu.db" "SELECT step, COUNT(*) FROM work_escalation GROUP BY step ORDER BY step" | tr '\n' ' '
    rm -f "$W"/tonghu.db*
  fi
  echo
done
