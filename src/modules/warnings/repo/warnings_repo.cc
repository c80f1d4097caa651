#include "modules/warnings/repo/warnings_repo.h"

#include <map>

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;

namespace {

std::string P(std::size_t n) { return "$" + std::to_string(n); }

// "$3,$4,$5" for `values`, appended to `p`; "NULL" (matches nothing) when empty.
std::string InList(const std::vector<std::string>& values, Params& p) {
  if (values.empty()) return "NULL";
  std::string out;
  for (const auto& v : values) {
    p.push_back(v);
    if (!out.empty()) out += ",";
    out += P(p.size());
  }
  return out;
}

const char* const kOnRoll = "c.roll_status IN ('on_roll', 'exit_proposed')";

const char* const kCols =
    "w.id, w.rule_code, w.severity, w.child_id, w.district_id, w.street_id, w.community_id, w.grid_id, w.unit_path, "
    "w.status, w.is_open, w.reason, w.raised_at, w.raised_by, w.raised_by_name, w.closed_at, w.closed_by, "
    "w.closed_by_name, w.close_note, w.version, COALESCE(c.name, '')";
const char* const kFrom = " FROM warning w LEFT JOIN child c ON c.id = w.child_id ";

WarningRecord From(const Row& r) {
  WarningRecord w;
  std::size_t i = 0;
  w.id = r.Int(i++);
  w.rule_code = r.Text(i++);
  w.severity = r.Text(i++);
  w.child_id = r.Int(i++);
  w.district_id = r.Int(i++);
  w.street_id = r.Int(i++);
  w.community_id = r.Int(i++);
  w.grid_id = r.OptInt(i++);
  w.unit_path = r.Text(i++);
  w.status = r.Text(i++);
  w.is_open = r.Int(i++) != 0;
  w.reason = r.Text(i++);
  w.raised_at = r.Int(i++);
  w.raised_by = r.OptInt(i++);
  w.raised_by_name = r.Text(i++);
  w.closed_at = r.OptInt(i++);
  w.closed_by = r.OptInt(i++);
  w.closed_by_name = r.Text(i++);
  w.close_note = r.Text(i++);
  w.version = r.Int(i++);
  w.child_name = r.Text(i++);
  return w;
}

Result<std::vector<WarningRecord>> Many(storage::Connection& c, const std::string& sql, const Params& p) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query(sql, p));
  std::vector<WarningRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(From(r));
  return out;
}

std::string Where(const WarningFilter& f, Params& p) {
  std::string w = ScopeCondition(f.scope, "w", p);
  if (!f.rule_code.empty()) {
    p.push_back(f.rule_code);
    w += " AND w.rule_code = " + P(p.size());
  }
  if (f.status == "open") {
    w += " AND w.is_open = 1";
  } else if (f.status == "closed") {
    w += " AND w.is_open = 0";
  } else if (!f.status.empty()) {
    p.push_back(f.status);
    w += " AND w.status = " + P(p.size());
  }
  if (f.street_id) {
    p.push_back(*f.street_id);
    w += " AND w.street_id = " + P(p.size());
  }
  if (f.community_id) {
    p.push_back(*f.community_id);
    w += " AND w.community_id = " + P(p.size());
  }
  if (f.child_id) {
    p.push_back(*f.child_id);
    w += " AND w.child_id = " + P(p.size());
  }
  return w;
}

const char* const kChildSelect =
    "SELECT c.id, c.district_id, c.street_id, c.community_id, c.grid_id, u.path, c.roll_status, c.name "
    "FROM child c JOIN org_unit u ON u.id = COALESCE(c.grid_id, c.community_id) ";

WarningChild ChildFrom(const Row& r) {
  WarningChild c;
  c.id = r.Int(0);
  c.district_id = r.Int(1);
  c.street_id = r.Int(2);
  c.community_id = r.Int(3);
  c.grid_id = r.OptInt(4);
  c.unit_path = r.Text(5);
  c.roll_status = r.Text(6);
  c.name = r.Text(7);
  return c;
}

}  // namespace

Result<bool> WarningsRepo::Insert(WarningRecord& w) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO warning (rule_code, severity, child_id, district_id, street_id, community_id, grid_id, "
               "unit_path, status, is_open, reason, raised_at, raised_by, raised_by_name, version) VALUES "
               "($1,$2,$3,$4,$5,$6,$7,$8,'open',1,$9,$10,$11,$12,1) "
               "ON CONFLICT (rule_code, child_id) WHERE is_open = 1 DO NOTHING RETURNING id",
               {w.rule_code, w.severity, w.child_id, w.district_id, w.street_id, w.community_id, OptInt(w.grid_id),
                w.unit_path, w.reason, w.raised_at, OptInt(w.raised_by), w.raised_by_name}));
  if (rows.empty()) return false;
  w.id = rows[0].Int(0);
  w.status = "open";
  w.is_open = true;
  w.version = 1;
  return true;
}

Status WarningsRepo::InsertMany(std::vector<WarningRecord>& ws) {
  constexpr std::size_t kFields = 12;
  for (std::size_t start = 0; start < ws.size();) {
    // Powers of two up to 64 rows, so a few statement texts.
    std::size_t rows = 1;
    while (rows * 2 <= ws.size() - start && rows * 2 <= 64) rows *= 2;
    std::string sql =
        "INSERT INTO warning (rule_code, severity, child_id, district_id, street_id, community_id, grid_id, unit_path, "
        "reason, raised_at, raised_by, raised_by_name, status, is_open, version) VALUES ";
    Params p;
    for (std::size_t i = 0; i < rows; ++i) {
      const WarningRecord& w = ws[start + i];
      sql += i ? ", (" : "(";
      for (std::size_t k = 1; k <= kFields; ++k) sql += P(i * kFields + k) + ",";
      sql += "'open',1,1)";
      p.insert(p.end(), {w.rule_code, w.severity, w.child_id, w.district_id, w.street_id, w.community_id,
                         OptInt(w.grid_id), w.unit_path, w.reason, w.raised_at, OptInt(w.raised_by), w.raised_by_name});
    }
    sql += " ON CONFLICT (rule_code, child_id) WHERE is_open = 1 DO NOTHING RETURNING id, rule_code, child_id";
    TH_ASSIGN_OR_RETURN(auto got, c_.Query(sql, p));
    // RETURNING's row order is not promised: match by (rule, child), unique among open warnings.
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> ids;
    for (const auto& r : got.rows) ids[{r.Text(1), r.Int(2)}] = r.Int(0);
    for (std::size_t i = start; i < start + rows; ++i) {
      WarningRecord& w = ws[i];
      auto it = ids.find({w.rule_code, w.child_id});
      w.id = it == ids.end() ? 0 : it->second;
      if (it != ids.end()) ids.erase(it);  // a pair twice in the batch: the second was skipped
      w.status = "open";
      w.is_open = true;
      w.version = 1;
    }
    start += rows;
  }
  return Status::Ok();
}

Result<std::optional<WarningRecord>> WarningsRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto v, Many(c_, std::string("SELECT ") + kCols + kFrom + "WHERE w.id = $1", {id}));
  if (v.empty()) return std::optional<WarningRecord>();
  return std::optional<WarningRecord>(std::move(v[0]));
}

Result<std::optional<WarningRecord>> WarningsRepo::OpenFor(const std::string& rule_code, std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto v, Many(c_, std::string("SELECT ") + kCols + kFrom +
                                           "WHERE w.rule_code = $1 AND w.child_id = $2 AND w.is_open = 1",
                                   {rule_code, child_id}));
  if (v.empty()) return std::optional<WarningRecord>();
  return std::optional<WarningRecord>(std::move(v[0]));
}

Result<std::vector<WarningRecord>> WarningsRepo::OpenBetween(std::int64_t lo, std::int64_t hi) {
  return Many(c_, std::string("SELECT ") + kCols + kFrom +
                      "WHERE w.child_id BETWEEN $1 AND $2 AND w.is_open = 1 ORDER BY w.child_id, w.id",
              {lo, hi});
}

Result<std::vector<std::pair<std::string, std::int64_t>>> WarningsRepo::SuppressedBetween(std::int64_t lo,
                                                                                         std::int64_t hi) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT DISTINCT rule_code, child_id FROM warning WHERE child_id BETWEEN $1 AND $2 "
                                          "AND is_open = 0 AND holds = 1 AND status IN ('handled', 'false_alarm')",
                                          {lo, hi}));
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& r : rows.rows) out.emplace_back(r.Text(0), r.Int(1));
  return out;
}

Status WarningsRepo::Release(const std::string& rule_code, std::int64_t child_id) {
  return c_
      .Execute("UPDATE warning SET holds = 0 WHERE rule_code = $1 AND child_id = $2 AND is_open = 0 AND holds = 1",
               {rule_code, child_id})
      .status();
}

Result<bool> WarningsRepo::Close(std::int64_t id, std::int64_t version, const std::string& status, std::int64_t at,
                                 std::optional<std::int64_t> by, const std::string& by_name, const std::string& note) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE warning SET status = $3, is_open = 0, closed_at = $4, closed_by = $5, "
                                         "closed_by_name = $6, close_note = $7, version = version + 1 "
                                         "WHERE id = $1 AND version = $2 AND is_open = 1",
                                         {id, version, status, at, OptInt(by), by_name, note}));
  return n > 0;
}

Result<std::vector<WarningRecord>> WarningsRepo::List(const WarningFilter& f, const Page& page) {
  Params p;
  std::string w = Where(f, p);
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  return Many(c_, std::string("SELECT ") + kCols + kFrom + "WHERE " + w + " ORDER BY w.is_open DESC, w.id DESC LIMIT " +
                      P(p.size() - 1) + " OFFSET " + P(p.size()),
              p);
}

Result<std::int64_t> WarningsRepo::Count(const WarningFilter& f) {
  Params p;
  std::string w = Where(f, p);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COUNT(*) FROM warning w WHERE " + w, p));
  return rows[0].Int(0);
}

Result<std::vector<WarningRuleCount>> WarningsRepo::OpenByRule(const ChildScope& scope) {
  Params p;
  std::string w = ScopeCondition(scope, "w", p);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT w.rule_code, COUNT(*) FROM warning w WHERE " + w +
                                              " AND w.is_open = 1 GROUP BY w.rule_code ORDER BY w.rule_code",
                                          p));
  std::vector<WarningRuleCount> out;
  for (const auto& r : rows.rows) out.push_back({r.Text(0), r.Int(1)});
  return out;
}

Result<std::optional<WarningChild>> WarningsRepo::Child(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kChildSelect) + "WHERE c.id = $1", {child_id}));
  if (rows.empty()) return std::optional<WarningChild>();
  return std::optional<WarningChild>(ChildFrom(rows[0]));
}

Result<std::vector<WarningChild>> WarningsRepo::Children(const std::vector<std::int64_t>& ids) {
  std::vector<WarningChild> out;
  constexpr std::size_t kChunk = 500;
  for (std::size_t i = 0; i < ids.size(); i += kChunk) {
    Params p;
    std::string in;
    for (std::size_t j = i; j < ids.size() && j < i + kChunk; ++j) {
      p.push_back(ids[j]);
      in += (in.empty() ? "" : ",") + P(p.size());
    }
    TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kChildSelect) + "WHERE c.id IN (" + in + ")", p));
    for (const auto& r : rows.rows) out.push_back(ChildFrom(r));
  }
  return out;
}

Result<std::int64_t> WarningsRepo::MaxChildId() {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COALESCE(MAX(id), 0) FROM child"));
  return rows[0].Int(0);
}

Result<std::vector<ParentStateRow>> WarningsRepo::ParentStates(std::int64_t lo, std::int64_t hi,
                                                               const std::vector<std::string>& relations,
                                                               const std::vector<std::string>& states) {
  Params p = {lo, hi};
  const std::string rel = InList(relations, p);
  const std::string st = InList(states, p);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT f.child_id, f.relation, f.name, f.state, f.state_since "
                                          "FROM child c JOIN family_member f ON f.child_id = c.id "
                                          "WHERE c.id BETWEEN $1 AND $2 AND " + std::string(kOnRoll) +
                                              " AND f.relation IN (" + rel + ") AND f.state IN (" + st +
                                              ") ORDER BY f.child_id, f.position",
                                          p));
  std::vector<ParentStateRow> out;
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.Text(3), static_cast<std::int32_t>(r.Int(4))});
  }
  return out;
}

Result<std::vector<GradeVisitRow>> WarningsRepo::GradedVisits(std::int64_t lo, std::int64_t hi,
                                                              const std::vector<std::string>& grades) {
  Params p = {lo, hi};
  const std::string g = InList(grades, p);
  // The last visit per graded child through visit(child_id, visited_on): one index probe each.
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT c.id, c.risk_grade, COALESCE(c.risk_graded_at, 0), "
                                          "COALESCE((SELECT MAX(v.visited_on) FROM visit v WHERE v.child_id = c.id), 0) "
                                          "FROM child c WHERE c.id BETWEEN $1 AND $2 AND " + std::string(kOnRoll) +
                                              " AND c.risk_grade IN (" + g + ") ORDER BY c.id",
                                          p));
  std::vector<GradeVisitRow> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Text(1), r.Int(2), static_cast<std::int32_t>(r.Int(3))});
  return out;
}

Result<std::vector<DropoutRow>> WarningsRepo::DropoutStages(std::int64_t lo, std::int64_t hi,
                                                            const std::vector<std::string>& stages) {
  Params p = {lo, hi};
  const std::string s = InList(stages, p);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT c.id, c.school_stage FROM child c WHERE c.id BETWEEN $1 AND $2 AND " +
                                              std::string(kOnRoll) + " AND c.school_stage IN (" + s + ") ORDER BY c.id",
                                          p));
  std::vector<DropoutRow> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Text(1), "", 0});
  return out;
}

Result<std::vector<DropoutRow>> WarningsRepo::DropoutFindings(std::int64_t lo, std::int64_t hi,
                                                              const std::vector<std::string>& rules,
                                                              const std::vector<std::string>& statuses) {
  Params p = {lo, hi};
  const std::string r_in = InList(rules, p);
  const std::string s_in = InList(statuses, p);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT f.child_id, f.reason, f.created_at FROM finding f "
                                          "JOIN child c ON c.id = f.child_id "
                                          "WHERE f.child_id BETWEEN $1 AND $2 AND " + std::string(kOnRoll) +
                                              " AND f.rule_id IN (" + r_in + ") AND f.status IN (" + s_in +
                                              ") ORDER BY f.child_id, f.id DESC",
                                          p));
  std::vector<DropoutRow> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), "", r.Text(1), r.Int(2)});
  return out;
}

Result<std::vector<ReportCountRow>> WarningsRepo::ReportCounts(std::int64_t lo, std::int64_t hi, std::int64_t since_ms,
                                                               std::int64_t min_count) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT r.child_id, COUNT(*), MAX(r.created_at) FROM report r "
                                          "JOIN child c ON c.id = r.child_id "
                                          "WHERE r.child_id BETWEEN $1 AND $2 AND r.created_at >= $3 AND " +
                                              std::string(kOnRoll) +
                                              " GROUP BY r.child_id HAVING COUNT(*) >= $4 ORDER BY r.child_id",
                                          {lo, hi, since_ms, min_count}));
  std::vector<ReportCountRow> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Int(1), r.Int(2)});
  return out;
}

Result<std::vector<OverdueWorkRow>> WarningsRepo::OverdueWork(std::int64_t lo, std::int64_t hi,
                                                              const std::vector<std::string>& kinds,
                                                              const std::vector<std::string>& subject_types,
                                                              std::int64_t now) {
  Params p = {lo, hi, now};
  const std::string st = InList(subject_types, p);
  const std::string k = InList(kinds, p);
  // work_item_subject (subject_type, subject_id) gives the block's items of each subject type.
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT w.id, w.subject_type, w.subject_id, w.kind, w.due_at FROM work_item w "
                                          "WHERE w.subject_type IN (" + st + ") AND w.subject_id BETWEEN $1 AND $2 "
                                          "AND w.is_open = 1 AND w.kind IN (" + k + ") AND w.due_at < $3 "
                                          "ORDER BY w.subject_id, w.due_at",
                                          p));
  std::vector<OverdueWorkRow> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Text(1), r.Text(3), r.Int(2), r.Int(4)});
  return out;
}

Status WarningsRepo::FollowChild(std::int64_t child_id) {
  return c_
      .Execute("UPDATE warning SET district_id = (SELECT district_id FROM child WHERE id = $1), "
               "street_id = (SELECT street_id FROM child WHERE id = $1), "
               "community_id = (SELECT community_id FROM child WHERE id = $1), "
               "grid_id = (SELECT grid_id FROM child WHERE id = $1), "
               "unit_path = (SELECT u.path FROM child c JOIN org_unit u ON u.id = COALESCE(c.grid_id, c.community_id) "
               "WHERE c.id = $1) WHERE child_id = $1",
               {child_id})
      .status();
}

Status WarningsRepo::FollowUnit(const std::string& old_path, const std::string& new_path) {
  TH_RETURN_IF_ERROR(c_.Execute("UPDATE warning SET unit_path = $1 || SUBSTR(unit_path, $2) WHERE unit_path LIKE $3 ESCAPE '\\'",
                                {new_path, static_cast<std::int64_t>(old_path.size() + 1), LikeEscape(old_path) + "%"})
                         .status());
  // A community moved to another street carries its children's ids (the registry's hook ran first).
  return c_
      .Execute("UPDATE warning SET district_id = (SELECT c.district_id FROM child c WHERE c.id = warning.child_id), "
               "street_id = (SELECT c.street_id FROM child c WHERE c.id = warning.child_id) "
               "WHERE unit_path LIKE $1 ESCAPE '\\'",
               {LikeEscape(new_path) + "%"})
      .status();
}

}  // namespace th::repo
