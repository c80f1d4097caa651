#include "modules/workbench/repo/workbench_repo.h"

#include <set>

#include "platform/repo/sql_values.h"

namespace th::workbench {

using storage::Params;

namespace {
bool IsUnitColumn(const std::string& c) {
  return c == "district_id" || c == "street_id" || c == "community_id" || c == "grid_id";
}
}  // namespace

Result<std::vector<ChildGroup>> WorkbenchRepo::ChildGroups(const repo::ChildScope& scope, const std::string& unit_column,
                                                           std::int32_t from_date) {
  if (!IsUnitColumn(unit_column)) return Status::Internal("bad unit column " + unit_column);
  Params p{static_cast<std::int64_t>(from_date)};
  const std::string where = repo::ScopeCondition(scope, "c", p);
  // One scan of the jurisdiction: every number of the page comes from these few hundred groups.
  const std::string sql = "SELECT COALESCE(c." + unit_column + ", 0), c.categories, c.roll_status, "
                          "CASE WHEN c.roll_entered_on >= $1 THEN c.roll_entered_on / 100 ELSE 0 END, "
                          "CASE WHEN c.roll_exited_on >= $1 THEN c.roll_exited_on / 100 ELSE 0 END, COUNT(*) "
                          "FROM child c WHERE " + where + " GROUP BY 1, 2, 3, 4, 5";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, p));
  std::vector<ChildGroup> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) {
    out.push_back({r.Int(0), r.Text(1), r.Text(2), static_cast<std::int32_t>(r.Int(3)),
                   static_cast<std::int32_t>(r.Int(4)), r.Int(5)});
  }
  return out;
}

Result<std::optional<NumbersSnapshot>> WorkbenchRepo::LoadSnapshot(const std::string& scope) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT scope, day, groups, computed_at, compute_ms FROM workbench_numbers "
                                          "WHERE scope = $1",
                                          {scope}));
  if (rows.empty()) return std::optional<NumbersSnapshot>();
  const auto& r = rows[0];
  return std::optional<NumbersSnapshot>(
      NumbersSnapshot{r.Text(0), static_cast<std::int32_t>(r.Int(1)), r.Text(2), r.Int(3), r.Int(4)});
}

Status WorkbenchRepo::SaveSnapshot(const NumbersSnapshot& s) {
  return c_.Execute("INSERT INTO workbench_numbers (scope, day, groups, computed_at, compute_ms) VALUES ($1, $2, $3, $4, $5) "
                    "ON CONFLICT (scope) DO UPDATE SET day = excluded.day, groups = excluded.groups, "
                    "computed_at = excluded.computed_at, compute_ms = excluded.compute_ms",
                    {s.scope, static_cast<std::int64_t>(s.day), s.groups, s.computed_at, s.compute_ms})
      .status();
}

Result<std::vector<UnitName>> WorkbenchRepo::ChildUnits(std::int64_t parent_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, name FROM org_unit WHERE parent_id = $1 AND retired = 0 "
                                          "ORDER BY code",
                                          {parent_id}));
  std::vector<UnitName> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Text(1)});
  return out;
}

Result<std::vector<RecentFile>> WorkbenchRepo::RecentFiles(std::int64_t user_id, int limit) {
  TH_ASSIGN_OR_RETURN(auto reads, c_.Query("SELECT object_id, at FROM audit_log WHERE actor_id = $1 AND "
                                           "action = 'child.read' ORDER BY seq DESC LIMIT 200",
                                           {user_id}));
  std::vector<RecentFile> out;
  std::set<std::string> seen;
  for (const auto& r : reads.rows) {
    if (static_cast<int>(out.size()) >= limit) break;
    const std::string id = r.Text(0);
    if (!seen.insert(id).second) continue;
    char* end = nullptr;
    const long long child_id = std::strtoll(id.c_str(), &end, 10);
    if (id.empty() || *end != '\0' || child_id <= 0) continue;
    TH_ASSIGN_OR_RETURN(auto child, c_.Query("SELECT c.id, c.name, o.name, o.path FROM child c JOIN org_unit o ON "
                                             "o.id = c.community_id WHERE c.id = $1",
                                             {static_cast<std::int64_t>(child_id)}));
    if (child.empty()) continue;
    out.push_back({child[0].Int(0), child[0].Text(1), child[0].Text(2), child[0].Text(3), r.Int(1)});
  }
  return out;
}

Result<std::int64_t> WorkbenchRepo::RollRequests(const repo::ChildScope& scope, const std::string& status) {
  Params p{status};
  const std::string where = repo::ScopeCondition(scope, "c", p);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COUNT(*) FROM roll_request r JOIN child c ON c.id = r.child_id "
                                          "WHERE r.status = $1 AND " + where,
                                          p));
  return rows[0].Int(0);
}

Result<TaskCounts> WorkbenchRepo::VerificationTasks(const std::string& path_prefix, std::int32_t today) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT COUNT(*), COALESCE(SUM(CASE WHEN due_date = $2 THEN 1 ELSE 0 END), 0), "
                               "COALESCE(SUM(CASE WHEN due_date < $2 THEN 1 ELSE 0 END), 0) FROM verification_task "
                               "WHERE unit_path LIKE $1 ESCAPE '\\' AND outcome = ''",
                               {repo::LikeEscape(path_prefix) + "%", static_cast<std::int64_t>(today)}));
  return TaskCounts{rows[0].Int(0), rows[0].Int(1), rows[0].Int(2)};
}

}  // namespace th::workbench
