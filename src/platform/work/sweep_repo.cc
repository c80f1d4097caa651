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

// The steps an item climbing from its clock's level to kNewLevel records (1 or 0), on the clock's
// step times of the round (migration 0029): warn (only when the new level is 1: a warning of a
// deadline already past is moot), overdue (with supervise, to the unit above, when there is one),
// district; each once per round (a time already set is kept: not recorded or told again).
std::string NewStep(const char* level_cmp, const char* col) {
  return std::string("(CASE WHEN ") + level_cmp + " AND k." + col + " IS NULL THEN 1 ELSE 0 END)";
}
const std::string kNewWarn =
    NewStep((std::string("k.escalation_level < 1 AND ") + kNewLevel + " = 1").c_str(), "warn_step_at");
const std::string kNewOverdue =
    NewStep((std::string("k.escalation_level < 2 AND ") + kNewLevel + " >= 2").c_str(), "overdue_step_at");
const std::string kNewDistrict =
    NewStep((std::string("k.escalation_level < 3 AND ") + kNewLevel + " >= 3").c_str(), "district_step_at");

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

// The claimed items counted by what decides their steps (owner unit, role, parent, district, new
// warn / overdue / district step (0 or 1), count, agency), added to `m` by recipient; adds the items
// to `*claimed`. Returns the steps (a supervise step goes with each overdue one when there is a
// unit above).
std::int64_t Expand(const storage::Rows& groups, std::map<GroupKey, std::int64_t>* m, std::int64_t* claimed) {
  std::int64_t added = 0;
  for (const auto& r : groups.rows) {
    const std::int64_t owner = r.Int(0), parent = r.Int(2), district = r.Int(3);
    const std::int64_t n = r.Int(7), agency = r.Int(8);
    *claimed += n;
    auto add = [&](std::int64_t unit, const char* step) {
      AddTo(m, unit, step, r.Text(1), agency, n);
      added += n;
    };
    if (r.Int(4)) add(owner, "warn");
    if (r.Int(5)) {
      add(owner, "overdue");
      if (parent > 0) add(parent, "supervise");
    }
    if (r.Int(6)) add(district, "district");
  }
  return added;
}

// The step-time columns the sweep sets: each to $3 where its flag is 1, else kept.
std::string SetSteps(const std::string& nw, const std::string& no, const std::string& nd) {
  return "warn_step_at = CASE WHEN " + nw + " = 1 THEN CAST($3 AS BIGINT) ELSE k.warn_step_at END, "
         "overdue_step_at = CASE WHEN " + no + " = 1 THEN CAST($3 AS BIGINT) ELSE k.overdue_step_at END, "
         "district_step_at = CASE WHEN " + nd + " = 1 THEN CAST($3 AS BIGINT) ELSE k.district_step_at END";
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

// Whether the UPDATE below recorded a step: the clock row's time is now the sweep's ($3) and was not
// before (o: the row as the statement's snapshot saw it). A time already set is kept by the SET, so
// this is exactly "set by this statement" (a concurrent sweeper's time differs from $3: see below).
std::string Recorded(const char* col) {
  return std::string("CASE WHEN k.") + col + " = $3 AND o." + col + " IS DISTINCT FROM $3 THEN 1 ELSE 0 END";
}

// One statement: levels, next times and step times of the batch's due clock rows, and the raised
// items counted by what decides their steps (RETURNING). A plain UPDATE claims the rows: no
// FOR UPDATE first (its row locks were a second write, and WAL record, per row; docs/PERFORMANCE.md
// "Sweep on PostgreSQL (helper sweep, session 6)"). Two sweepers on one range: the second waits for the first's commit on a row they share,
// then re-reads it (READ COMMITTED) and skips it, its next_at being past the second's now (a raise
// sets next_at after the sweep's time); both take rows in item_id order (merge joins on the
// primary keys), so they queue rather than deadlock. The SET reads the latest row (k), the
// RETURNING compares it with the row before (o). The range is repeated on every table so that
// PostgreSQL reads only the batch's id range (without it, it chose a scan of all of work_item
// per batch). JIT off: compiling the plan took longer than running it.
Result<RangeSweep> SweepRepo::EscalatePostgres(std::int64_t lo, std::int64_t hi, std::int64_t now) {
  static const std::string kSql =
      std::string("WITH upd AS (UPDATE work_item_clock k SET escalation_level = ") + kNewLevel +
      ", next_at = " + NextAt(kNewLevel, "w.") + ", " + SetSteps(kNewWarn, kNewOverdue, kNewDistrict) +
      " FROM work_item w JOIN org_unit u ON u.id = w.owner_unit_id, work_item_clock o "
      "WHERE w.id = k.item_id AND o.item_id = k.item_id AND k.item_id >= $1 AND k.item_id <= $2 "
      "AND w.id >= $1 AND w.id <= $2 AND o.item_id >= $1 AND o.item_id <= $2 AND k.next_at <= $3 AND o.next_at <= $3 "
      "RETURNING w.owner_unit_id, w.owner_role, COALESCE(u.parent_id, 0) AS parent, w.district_unit_id, " +
      Recorded("warn_step_at") + " AS nw, " + Recorded("overdue_step_at") + " AS no, " +
      Recorded("district_step_at") + " AS nd, COALESCE(w.owner_agency_id, 0) AS agency) "
      "SELECT owner_unit_id, owner_role, parent, district_unit_id, nw, no, nd, COUNT(*), agency FROM upd "
      "GROUP BY owner_unit_id, owner_role, parent, district_unit_id, nw, no, nd, agency";
  TH_RETURN_IF_ERROR(c_.Execute("SET LOCAL jit = off").status());
  TH_RETURN_IF_ERROR(c_.Execute("SET LOCAL work_mem = '64MB'").status());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(kSql, {lo, hi, now}));
  RangeSweep out;
  std::map<GroupKey, std::int64_t> m;
  out.added = Expand(rows, &m, &out.claimed);
  out.groups = Flatten(m);
  return out;
}

// SQLite (one writer at a time, BEGIN IMMEDIATE): the claimed items counted by what decides their
// steps, then one UPDATE of the levels, next times and step times. Nothing else writes in between,
// so the counts are exactly the steps recorded.
Result<RangeSweep> SweepRepo::EscalateSqlite(std::int64_t lo, std::int64_t hi, std::int64_t now) {
  // Grouped in a temporary table keyed by the group (one upsert per item into a few rows): a
  // third of the CPU of GROUP BY, whose sorter takes every claimed row.
  static const std::string kGroupTable =
      "CREATE TEMP TABLE IF NOT EXISTS sweep_steps (owner_unit_id BIGINT, owner_role TEXT, owner_agency_id BIGINT, "
      "district_unit_id BIGINT, nw INTEGER, no INTEGER, nd INTEGER, n BIGINT, "
      "PRIMARY KEY (owner_unit_id, owner_role, owner_agency_id, district_unit_id, nw, no, nd)) WITHOUT ROWID";
  static const std::string kGroupFill =
      std::string("INSERT INTO temp.sweep_steps SELECT w.owner_unit_id, w.owner_role, COALESCE(w.owner_agency_id, 0), "
                  "w.district_unit_id, ") +
      kNewWarn + ", " + kNewOverdue + ", " + kNewDistrict + ", 1 FROM " + kClockItems + "WHERE " + kClaimed +
      " ON CONFLICT DO UPDATE SET n = n + 1";
  static const std::string kGroups =
      "SELECT g.owner_unit_id, g.owner_role, COALESCE(u.parent_id, 0), g.district_unit_id, g.nw, g.no, g.nd, g.n, "
      "g.owner_agency_id FROM temp.sweep_steps g JOIN org_unit u ON u.id = g.owner_unit_id";
  // The thresholds are on work_item (read by rowid); only the narrow clock row is written.
  static const std::string kUpdate =
      std::string("UPDATE work_item_clock AS k SET (escalation_level, next_at, warn_step_at, overdue_step_at, "
                  "district_step_at) = (SELECT ") + kNewLevel + ", " + NextAt(kNewLevel, "w.") + ", " +
      "CASE WHEN " + kNewWarn + " = 1 THEN $3 ELSE k.warn_step_at END, CASE WHEN " + kNewOverdue +
      " = 1 THEN $3 ELSE k.overdue_step_at END, CASE WHEN " + kNewDistrict +
      " = 1 THEN $3 ELSE k.district_step_at END FROM work_item w WHERE w.id = k.item_id) WHERE " + kClaimed;
  RangeSweep out;
  std::map<GroupKey, std::int64_t> m;
  TH_RETURN_IF_ERROR(c_.Execute(kGroupTable).status());
  TH_RETURN_IF_ERROR(c_.Execute("DELETE FROM temp.sweep_steps").status());
  TH_RETURN_IF_ERROR(c_.Execute(kGroupFill, {lo, hi, now}).status());
  TH_ASSIGN_OR_RETURN(auto claimed, c_.Query(kGroups));
  out.added = Expand(claimed, &m, &out.claimed);
  if (out.claimed == 0) return out;
  TH_RETURN_IF_ERROR(c_.Execute(kUpdate, {lo, hi, now}).status());
  out.groups = Flatten(m);
  return out;
}

// The clock column holding a step's time, its level and its target (the derived view's terms).
namespace {
struct StepColumns {
  const char* col;
  std::int64_t level;
  const char* target;
};
StepColumns ColumnsOf(const std::string& step) {
  if (step == "warn") return {"warn_step_at", 1, "w.owner_unit_id"};
  if (step == "overdue") return {"overdue_step_at", 2, "w.owner_unit_id"};
  if (step == "supervise") return {"overdue_step_at", 2, "u.parent_id"};
  return {"district_step_at", 3, "w.district_unit_id"};
}
}  // namespace

Result<std::vector<EscalationRow>> SweepRepo::GroupSteps(const EscalationGroup& g, std::int64_t at, std::int64_t lo,
                                                         std::int64_t hi, std::int64_t limit) {
  const StepColumns s = ColumnsOf(g.step);
  const std::string sql = std::string("SELECT k.item_id, w.round, k.") + s.col + " FROM " + kClockItems +
                          "JOIN org_unit u ON u.id = w.owner_unit_id WHERE k.item_id >= $4 AND k.item_id <= $5 AND k." +
                          s.col + " = $2 AND " + s.target +
                          " = $1 AND ($3 = '' OR (w.owner_role = $3 AND COALESCE(w.owner_agency_id, 0) = $7)) "
                          "ORDER BY k.item_id LIMIT $6";
  // owner_role is "" for the supervise and district steps (any owner).
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, {g.target_unit_id, at, g.owner_role, lo, hi, limit, g.owner_agency_id}));
  std::vector<EscalationRow> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Int(1), s.level, g.step, g.target_unit_id, r.Int(2)});
  return out;
}

}  // namespace th::work
