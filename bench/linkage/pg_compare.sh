#!/usr/bin/env bash
# Side by side: the SQL a district IT team would write on PostgreSQL (exact ID join, then name +
# birth date joins with fuzzystrmatch / pg_trgm) against tonghu_link_tool, on the same files.
#
#   export TH_PG_STATE_FILE=/tmp/linkperf_pg.state; eval "$(scripts/pg_test.sh start)"
#   build-linkperf/bench/linkage/tonghu_link_tool demo --out-dir /tmp/lp100k \
#       --registry-size 100000 --source-size 100000 --no-link
#   bench/linkage/pg_compare.sh /tmp/lp100k [build-linkperf/bench/linkage/tonghu_link_tool]
#   scripts/pg_test.sh stop
#
# DIR holds registry.csv, source.csv, truth.csv (from `tonghu_link_tool demo`). Needs
# TH_TEST_PG_URL. Creates a database `linkcmp` with a C.UTF-8 ctype (with the default C ctype
# pg_trgm sees no trigrams in Chinese text at all). Prints load and link wall times, precision,
# recall and F1 of both, and the ratios.
set -euo pipefail
DIR=${1:?usage: pg_compare.sh DIR [TOOL]}
TOOL=${2:-build-linkperf/bench/linkage/tonghu_link_tool}
: "${TH_TEST_PG_URL:?start a server: eval \"\$(scripts/pg_test.sh start)\"}"
DIR=$(cd "$DIR" && pwd)
BASE=${TH_TEST_PG_URL%/*}
psql "$TH_TEST_PG_URL" -qAtc "drop database if exists linkcmp" >/dev/null
psql "$TH_TEST_PG_URL" -qAtc "create database linkcmp template template0 encoding 'UTF8' lc_collate 'C.UTF-8' lc_ctype 'C.UTF-8'"
DB="$BASE/linkcmp"
now() { date +%s.%N; }

# ---- load
t0=$(now)
psql "$DB" -qX -v ON_ERROR_STOP=1 <<SQL
create extension pg_trgm;
create extension fuzzystrmatch;
create unlogged table reg (id text, name text, sex text, birth_date text, id_number text, father_name text,
  mother_name text, guardian_name text, guardian_phone text, hukou_address text, residence_address text);
create unlogged table src (like reg);
create unlogged table truth (source_id text, registry_id text, corruptions text);
\copy reg from '$DIR/registry.csv' csv header
\copy src from '$DIR/source.csv' csv header
\copy truth from '$DIR/truth.csv' csv header
SQL
t1=$(now)

# ---- link: normalize, exact ID, exact name + birth date, fuzzy name (levenshtein) + birth date,
#      trigram name + birth year-month; first rule wins, best candidate per source record.
psql "$DB" -qX -v ON_ERROR_STOP=1 <<'SQL'
create function safe_date(t text) returns date language plpgsql immutable as $$
declare s text := regexp_replace(coalesce(t, ''), '\s', '', 'g');
begin
  if s ~ '^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$' then return to_date(regexp_replace(s, '[/.]', '-', 'g'), 'YYYY-MM-DD');
  elsif s ~ '^\d{8}$' then return to_date(s, 'YYYYMMDD');
  elsif s ~ '^\d{4}年\d{1,2}月\d{1,2}日$' then return to_date(regexp_replace(regexp_replace(s, '[年月]', '-', 'g'), '日', ''), 'YYYY-MM-DD');
  elsif s ~ '^\d{5}$' then return date '1899-12-30' + s::int;
  end if;
  return null;
exception when others then return null;
end $$;
create unlogged table r as
  select id, nullif(regexp_replace(upper(trim(id_number)), '^G', ''), '') as idn,
         regexp_replace(name, '[\s·•.]', '', 'g') as nm, safe_date(birth_date) as dob from reg;
create unlogged table s as
  select id, nullif(regexp_replace(upper(trim(id_number)), '^G', ''), '') as idn,
         regexp_replace(name, '[\s·•.]', '', 'g') as nm, safe_date(birth_date) as dob from src;
create index on r (idn);
create index on r (nm, dob);
create index on r (dob);
create index on r using gin (nm gin_trgm_ops);
analyze r; analyze s;
create unlogged table m (sid text primary key, rid text, rule int);
-- 1. exact ID (18 characters)
insert into m select distinct on (s.id) s.id, r.id, 1 from s join r on r.idn = s.idn
  where length(s.idn) = 18 order by s.id, r.id;
-- 2. exact name + birth date
insert into m select distinct on (s.id) s.id, r.id, 2 from s join r on r.nm = s.nm and r.dob = s.dob
  where not exists (select 1 from m where m.sid = s.id) order by s.id, r.id;
-- 3. same birth date, name within one edit (fuzzystrmatch)
insert into m select distinct on (s.id) s.id, r.id, 3 from s join r on r.dob = s.dob
  where not exists (select 1 from m where m.sid = s.id) and levenshtein(r.nm, s.nm) <= 1
  order by s.id, levenshtein(r.nm, s.nm), r.id;
-- 4. similar name (pg_trgm, default threshold 0.3), same birth year and month
insert into m select distinct on (s.id) s.id, r.id, 4 from s join r on r.nm % s.nm
  where not exists (select 1 from m where m.sid = s.id)
    and date_trunc('month', r.dob) = date_trunc('month', s.dob)
  order by s.id, similarity(r.nm, s.nm) desc, r.id;
SQL
t2=$(now)

read -r pg_pred pg_correct pg_true < <(psql "$DB" -qAtX -F ' ' -c "
  select (select count(*) from m), (select count(*) from m join truth t on t.source_id = m.sid and t.registry_id = m.rid),
         (select count(*) from truth where registry_id <> '')")
pg_rules=$(psql "$DB" -qAtX -F ' ' -c "select string_agg('rule' || rule || '=' || n, ' ') from (select rule, count(*) n from m group by rule order by rule) x")

# ---- ours, same files
t3=$(now)
ours=$("$TOOL" link --registry "$DIR/registry.csv" --source "$DIR/source.csv" --out "$DIR/ours.csv" --truth "$DIR/truth.csv" --no-progress 2>/dev/null)
t4=$(now)

python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$pg_pred" "$pg_correct" "$pg_true" "$pg_rules" "$ours" <<'PY'
import re, sys
t0, t1, t2, t3, t4 = map(float, sys.argv[1:6])
pred, correct, true = map(int, sys.argv[6:9])
rules, ours = sys.argv[9], sys.argv[10]
p = correct / pred if pred else 1.0
r = correct / true if true else 1.0
f = 2 * p * r / (p + r) if p + r else 0.0
m = re.search(r"overall:\s+precision ([\d.]+)\s+recall ([\d.]+)\s+F1 ([\d.]+)", ours)
e = re.search(r"engine ([\d.]+)s", ours)
l = re.search(r"load ([\d.]+)s", ours)
op, orr, of = map(float, m.groups())
eng, load = float(e.group(1)), float(l.group(1))
print(f"PostgreSQL SQL : load {t1-t0:6.2f}s  link {t2-t1:7.2f}s  precision {p:.4f} recall {r:.4f} F1 {f:.4f}  ({rules})")
print(f"tonghu engine  : load {load:6.2f}s  link {eng:7.2f}s  precision {op:.4f} recall {orr:.4f} F1 {of:.4f}  (process wall {t4-t3:.2f}s)")
print(f"ratio          : link time PostgreSQL / ours = {(t2-t1)/eng:.1f}x   F1 ours - PostgreSQL = {of-f:+.4f}")
PY
