#include "modules/screening/repo/screening_jurisdiction_repo.h"

namespace th::repo {

namespace {
// A finding's (and its task's) unit is its child's community: path and id from the tree.
constexpr const char* kChildCommunityPath =
    "(SELECT o.path FROM org_unit o JOIN child c ON c.community_id = o.id WHERE c.id = finding.child_id)";
}  // namespace

Status ScreeningJurisdictionRepo::SyncFindings(const std::string& child_where, std::int64_t param) {
  const std::string moved = "(SELECT id FROM child WHERE " + child_where + ")";
  TH_RETURN_IF_ERROR(c_.Execute(std::string("UPDATE finding SET ") +
                                    "community_id = (SELECT c.community_id FROM child c WHERE c.id = finding.child_id), "
                                    "unit_path = " + kChildCommunityPath + " WHERE child_id IN " + moved,
                                {param})
                         .status());
  return c_
      .Execute("UPDATE verification_task SET "
               "community_id = (SELECT f.community_id FROM finding f WHERE f.id = verification_task.finding_id), "
               "unit_path = (SELECT f.unit_path FROM finding f WHERE f.id = verification_task.finding_id) "
               "WHERE finding_id IN (SELECT id FROM finding WHERE child_id IN " + moved + ")",
               {param})
      .status();
}

Status ScreeningJurisdictionRepo::AfterUnitMove(const OrgUnit& before, const std::string& new_path) {
  const auto old_len = static_cast<std::int64_t>(before.path.size());
  for (const char* table : {"data_source", "screening_batch", "finding", "verification_task"}) {
    TH_RETURN_IF_ERROR(c_.Execute(std::string("UPDATE ") + table + " SET unit_path = $1 || SUBSTR(unit_path, $2) " +
                                      "WHERE unit_path LIKE $3",
                                  {new_path, old_len + 1, before.path + "%"})
                           .status());
  }
  // A grid's children changed community (the registry's hook ran first): their findings follow.
  if (before.level == "grid") return SyncFindings("grid_id = $1", before.id);
  return Status::Ok();
}

Status ScreeningJurisdictionRepo::AfterChildMove(std::int64_t child_id) { return SyncFindings("id = $1", child_id); }

Result<std::vector<ScreeningJurisdictionRepo::OpenTask>> ScreeningJurisdictionRepo::OpenTasksOf(std::int64_t child_id,
                                                                                               bool grid) {
  const std::string child = grid ? "f.child_id IN (SELECT id FROM child WHERE grid_id = $1)" : "f.child_id = $1";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT t.id, COALESCE(t.community_id, 0) FROM verification_task t "
                                          "JOIN finding f ON f.id = t.finding_id WHERE " + child + " AND t.outcome = ''",
                                          {child_id}));
  std::vector<OpenTask> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Int(1)});
  return out;
}

}  // namespace th::repo
