#include "platform/work/sweep_repo.h"

#include <map>
#include <tuple>

#include "platform/work/work_repo.h"

namespace th::work {

using storage::Params;

namespace {

// The level an item reaches at $3 (now), from its level and thresholds: exactly "while level < 3
// and threshold[level] <= now: level + 1" with thresholds warn_at, due_at, district_at.
constexpr const char* kNewLevel =
    "(CASE WHEN k.escalation_level < 1 AND w.warn_at > $3 THEN k.escalation_level "
    "WHEN k.escalation_level < 2 AND w.due_at > $3 THEN 1 "
    "WHEN k.escalation_level < 3 AND w.district_at > $3 THEN 2 ELSE 3 END)";

// The claimed clocks of a batch (work_item_clock k, migration 0019; closed items are never due): in
// [$1, $2], due at $3. SQLite: the unary + keeps the planner on the rowid range (the due index would
// visit every due item of the table).
constexpr const char* kClaimed = "k.item_id >= $1 AND k.item_id <= $2 AND +k.next_at <= $3";
// The clocks joined to their items (read only: the sweep writes the clocks, never work_item).
constexpr const char* kClockItems = "work_item_clock k JOIN work_item w ON w.id = k.item_id ";

// The ladder (level, step, recipient: 0 owner unit, 1 the unit above, 2 the district) and which
// of its rungs an item climbing from level `old` to `new` records.
constexpr const char* kLadder =
    "(VALUES (1, 'warn', 0), (2, 'overdue', 0), (2, 'supervise', 1), (3, 'district', 2)) AS r";

std::string RungsOf(const std::string& old_level, const std::string& new_level, const std::string& parent) {
  // A warning for an item already overdue when swept is moot: not recorded.
  return "r.column1 > " + old_level + " AND r.column1 <= " + new_level + " AND NOT (r.column1 = 1 AND " + new_level +
         " >= 2) AND (r.column3 <> 1 OR " + parent + " > 0)";
}

std::string NextAt(const std::string& level, const std::string& w) {
  return "CASE " + level + " WHEN 0 THEN " + w + "warn_at WHEN 1 THEN " + w + "due_at WHEN 2 THEN " + w +
         "district_at ELSE " + std::to_string(kNever) + " END";
}

using GroupKey = std::tuple<std::int64_t, std::string, std::string, std::int64_t>;

void AddTo(std::map<GroupKey, std::int64_t>* m, std::int64_t unit, const std::string& step, const std::string& role,
           std::int64_t agency, std::int64_t n) {
  const bool owner = step == "warn" || step == "overdue";
  (*m)[{unit, step, owner ? role : "", owner ? agency : 0}] += n;
}

std::vector<EscalationGroup> Flatten(const std::map<GroupKey, std::int64_t>& m) {
  std::vector<EscalationGroup> out;
  for (const auto& [k, n] : m) {
    if (n > 0) out.push_back({std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), n, 0, {}});
  }
  return out;
}

Result<std::vector<EscalationGroup>> GroupsFrom(const storage::Rows& rows) {
  std::map<GroupKey, std::int64_t> m;
  for (const auto& r : rows.rows) AddTo(&m, r.Int(0), r.Text(1), r.Text(2), r.Int(3), r.Int(4));
  return Flatten(m);
}

// The steps the claimed items' groups (owner unit, role, parent, district, old and new level, count,
// agency) will record, added to `m` by recipient; adds the items to `*claimed`. Returns the steps.
std::int64_t Predict(const storage::Rows& groups, std::map<GroupKey, std::int64_t>* m, std::int64_t* claimed) {
  std::int64_t expected = 0;
  for (const auto& r : groups.rows) {
    const std::int64_t owner = r.Int(0), parent = r.Int(2), district = r.Int(3), from = r.Int(4), to = r.Int(5);
    const std::int64_t n = r.Int(6), agency = r.Int(7);
    *claimed += n;
    auto add = [&](std::int64_t unit, const char* step) {
      AddTo(m, unit, step, r.Text(1), agency, n);
      expected += n;
    };
    if (from < 1 && to == 1) add(owner, "warn");  // to >= 2: the warning is moot
    if (from < 2 && to >= 2) {
      add(owner, "overdue");
      if (parent > 0) add(parent, "supervise");
    }
    if (from < 3 && to >= 3) add(district, "district");
  }
  return expected;
}

}  // namespace

Result<std::vector<std::int64_t>> SweepRepo::DueIds(std::int64_t now, std::int64_t limit) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT item_id FROM work_item_clock WHERE next_at <= $1 LIMIT $2", {now, limit}));
  std::vector<std::int64_t> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(r.Int(0));
  return out;
}

Result<RangeSweep> SweepRepo::EscalateRange(std::int64_t lo, std::int64_t hi, std::int64_t now) {
  if (c_.dialect().engine() == storage::Engine::kPostgres) return EscalatePostgres(lo, hi, now);
  return EscalateSqlite(lo, hi, now);
}

// One statement: claim (locks), steps, levels, and the steps' counts by recipient from RETURNING
// (exact: a step another server recorded first is not counted). The first row carries the number
// of items claimed (step '').
Result<RangeSweep> SweepRepo::EscalatePostgres(std::int64_t lo, std::int64_t hi, std::int64_t now) {
  static const std::string kSql =
      std::string("WITH c AS (SELECT w.id, w.round, k.escalation_level AS old, ") + kNewLevel +
      " AS lvl, w.owner_unit_id, w.owner_role, COALESCE(w.owner_agency_id, 0) AS agency, w.district_unit_id, "
      "COALESCE(u.parent_id, 0) AS parent, "
      "w.warn_at, w.due_at, w.district_at FROM " + kClockItems + "JOIN org_unit u ON u.id = w.owner_unit_id WHERE " +
      kClaimed +
      " ORDER BY k.item_id FOR UPDATE OF k SKIP LOCKED), "
      "s AS (INSERT INTO work_escalation (item_id, round, level, step, target_unit_id, at) "
      "SELECT c.id, c.round, r.column1, r.column2, CASE r.column3 WHEN 0 THEN c.owner_unit_id WHEN 1 THEN c.parent "
      "ELSE c.district_unit_id END, CAST($3 AS BIGINT) FROM c JOIN " +
      kLadder + " ON true WHERE " + RungsOf("c.old", "c.lvl", "c.parent") +
      " ON CONFLICT DO NOTHING RETURNING item_id, step, target_unit_id), "
      "upd AS (UPDATE work_item_clock k SET escalation_level = c.lvl, next_at = " +
      NextAt("c.lvl", "c.") +
      " FROM c WHERE k.item_id = c.id RETURNING 1) "
      "SELECT CAST(0 AS BIGINT), '', '', CAST(0 AS BIGINT), (SELECT COUNT(*) FROM upd) "
      "UNION ALL SELECT s.target_unit_id, s.step, c.owner_role, c.agency, COUNT(*) FROM s JOIN c ON c.id = s.item_id "
      "GROUP BY s.target_unit_id, s.step, c.owner_role, c.agency";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(kSql, {lo, hi, now}));
  RangeSweep out;
  storage::Rows steps;
  for (const auto& r : rows.rows) {
    if (r.Text(1).empty()) {
      out.claimed = r.Int(4);
    } else {
      out.added += r.Int(4);
      steps.rows.push_back(r);
    }
  }
  TH_ASSIGN_OR_RETURN(out.groups, GroupsFrom(steps));
  return out;
}

// SQLite (one writer at a time, BEGIN IMMEDIATE): the claimed items counted by what decides their
// steps, then one INSERT ... SELECT of the steps and one UPDATE of the levels. The groups are
// computed from the first read; when the INSERT added fewer rows than they predict (a step of the
// round already recorded, e.g. after deadlines were recomputed without a new round) they are
// counted again from the rows just added.
Result<RangeSweep> SweepRepo::EscalateSqlite(std::int64_t lo, std::int64_t hi, std::int64_t now) {
  // Grouped in a temporary table keyed by the group (one upsert per item into a few rows): a
  // third of the CPU of GROUP BY, whose sorter takes every claimed row.
  static const std::string kGroupTable =
      "CREATE TEMP TABLE IF NOT EXISTS sweep_group (owner_unit_id BIGINT, owner_role TEXT, owner_agency_id BIGINT, "
      "district_unit_id BIGINT, old_level INTEGER, new_level INTEGER, n BIGINT, "
      "PRIMARY KEY (owner_unit_id, owner_role, owner_agency_id, district_unit_id, old_level, new_level)) WITHOUT ROWID";
  static const std::string kGroupFill =
      std::string("INSERT INTO temp.sweep_group SELECT w.owner_unit_id, w.owner_role, COALESCE(w.owner_agency_id, 0), "
                  "w.district_unit_id, k.escalation_level, ") +
      kNewLevel + ", 1 FROM " + kClockItems + "WHERE " + kClaimed + " ON CONFLICT DO UPDATE SET n = n + 1";
  static const std::string kGroups =
      "SELECT g.owner_unit_id, g.owner_role, COALESCE(u.parent_id, 0), g.district_unit_id, g.old_level, g.new_level, g.n, "
      "g.owner_agency_id "
      "FROM temp.sweep_group g JOIN org_unit u ON u.id = g.owner_unit_id";
  static const std::string kInsert =
      std::string("INSERT INTO work_escalation (item_id, round, level, step, target_unit_id, at) "
                  "SELECT w.id, w.round, r.column1, r.column2, CASE r.column3 WHEN 0 THEN w.owner_unit_id WHEN 1 "
                  "THEN COALESCE(u.parent_id, 0) ELSE w.district_unit_id END, $3 FROM ") +
      kClockItems + "JOIN org_unit u ON u.id = w.owner_unit_id JOIN " + kLadder + " WHERE " + kClaimed + " AND " +
      RungsOf("k.escalation_level", kNewLevel, "COALESCE(u.parent_id, 0)") + " ORDER BY k.item_id ON CONFLICT DO NOTHING";
  // The thresholds are on work_item (read by rowid); only the narrow clock row is written.
  static const std::string kUpdate =
      std::string("UPDATE work_item_clock AS k SET (escalation_level, next_at) = (SELECT ") + kNewLevel + ", " +
      NextAt(kNewLevel, "w.") + " FROM work_item w WHERE w.id = k.item_id) WHERE " + kClaimed;
  static const std::string kRecount =
      "SELECT e.target_unit_id, e.step, w.owner_role, COALESCE(w.owner_agency_id, 0), COUNT(*) FROM work_escalation e "
      "JOIN work_item w ON w.id = e.item_id WHERE e.id > $1 GROUP BY 1, 2, 3, 4";
  RangeSweep out;
  std::map<GroupKey, std::int64_t> predicted;
  TH_RETURN_IF_ERROR(c_.Execute(kGroupTable).status());
  TH_RETURN_IF_ERROR(c_.Execute("DELETE FROM temp.sweep_group").status());
  TH_RETURN_IF_ERROR(c_.Execute(kGroupFill, {lo, hi, now}).status());
  TH_ASSIGN_OR_RETURN(auto claimed, c_.Query(kGroups));
  const std::int64_t expected = Predict(claimed, &predicted, &out.claimed);
  if (out.claimed == 0) return out;
  TH_ASSIGN_OR_RETURN(auto last, c_.Query("SELECT COALESCE(MAX(id), 0) FROM work_escalation"));
  TH_ASSIGN_OR_RETURN(out.added, c_.Execute(kInsert, {lo, hi, now}));
  TH_ASSIGN_OR_RETURN(auto updated, c_.Execute(kUpdate, {lo, hi, now}));
  (void)updated;  // the rows of the first read (no other writer inside this transaction)
  if (out.added == expected) {
    out.groups = Flatten(predicted);
    return out;
  }
  TH_ASSIGN_OR_RETURN(auto recount, c_.Query(kRecount, {last[0].Int(0)}));
  TH_ASSIGN_OR_RETURN(out.groups, GroupsFrom(recount));
  return out;
}

Result<std::vector<EscalationRow>> SweepRepo::GroupSteps(const EscalationGroup& g, std::int64_t at, std::int64_t lo,
                                                         std::int64_t hi, std::int64_t limit) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT e.item_id, e.round, e.level, e.step, e.target_unit_id, e.at FROM work_escalation e "
                               "JOIN work_item w ON w.id = e.item_id WHERE e.target_unit_id = $1 AND e.at = $2 "
                               "AND e.step = $3 AND e.item_id >= $4 AND e.item_id <= $5 "
                               "AND ($6 = '' OR (w.owner_role = $6 AND COALESCE(w.owner_agency_id, 0) = $8)) "
                               "ORDER BY e.item_id LIMIT $7",
                               {g.target_unit_id, at, g.step, lo, hi, g.owner_role, limit, g.owner_agency_id}));
  std::vector<EscalationRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Int(4), r.Int(5)});
  return out;
}

}  // namespace th::work
