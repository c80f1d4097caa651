#include "modules/registry/repo/registry_jurisdiction_repo.h"

#include "platform/repo/jurisdiction_repo.h"

namespace th::repo {

Status RegistryJurisdictionRepo::SyncCopies(const std::string& child_where, std::int64_t param) {
  const std::string moved = "(SELECT id FROM child WHERE " + child_where + ")";
  auto run = [&](const std::string& sql) { return c_.Execute(sql, {param}).status(); };
  TH_RETURN_IF_ERROR(run(
      "UPDATE search_posting SET "
      "district_id = (SELECT c.district_id FROM child c WHERE c.id = search_posting.child_id), "
      "street_id = (SELECT c.street_id FROM child c WHERE c.id = search_posting.child_id), "
      "community_id = (SELECT c.community_id FROM child c WHERE c.id = search_posting.child_id), "
      "grid_id = (SELECT c.grid_id FROM child c WHERE c.id = search_posting.child_id) "
      "WHERE child_id IN " + moved));
  return run(
      "UPDATE roll_request SET "
      "district_id = (SELECT c.district_id FROM child c WHERE c.id = roll_request.child_id), "
      "street_id = (SELECT c.street_id FROM child c WHERE c.id = roll_request.child_id), "
      "community_id = (SELECT c.community_id FROM child c WHERE c.id = roll_request.child_id) "
      "WHERE child_id IN " + moved);
}

Status RegistryJurisdictionRepo::AfterUnitMove(const OrgUnit& before, const std::string& /*new_path*/) {
  NoteChildWrite();
  const std::int64_t id = before.id;
  // The ids a child copies from the tree, recomputed for the children under the moved unit.
  const std::string street_of_community = "(SELECT parent_id FROM org_unit WHERE id = child.community_id)";
  const std::string district_of_community =
      "(SELECT s.parent_id FROM org_unit s JOIN org_unit cm ON cm.parent_id = s.id WHERE cm.id = child.community_id)";
  std::string where;
  if (before.level == "grid") {
    where = "grid_id = $1";
    TH_RETURN_IF_ERROR(c_.Execute("UPDATE child SET community_id = (SELECT parent_id FROM org_unit WHERE id = "
                                  "child.grid_id) WHERE grid_id = $1",
                                  {id})
                           .status());
  } else if (before.level == "community") {
    where = "community_id = $1";
  } else if (before.level == "street") {
    where = "street_id = $1";
  }
  if (where.empty()) return Status::Ok();
  TH_RETURN_IF_ERROR(c_.Execute("UPDATE child SET street_id = " + street_of_community + ", district_id = " +
                                    district_of_community + ", version = version + 1 WHERE " + where,
                                {id})
                         .status());
  return SyncCopies(where, id);
}

Result<std::vector<RollRequestRecord>> RegistryJurisdictionRepo::PendingRequests(const OrgUnit* unit,
                                                                                 std::int64_t child_id) {
  std::string where = "id = $1";
  std::int64_t param = child_id;
  if (unit) {
    where = unit->level == "grid" ? "grid_id = $1" : unit->level == "community" ? "community_id = $1" : "street_id = $1";
    param = unit->id;
    if (unit->level != "grid" && unit->level != "community" && unit->level != "street") return std::vector<RollRequestRecord>{};
  }
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, child_id, kind, status, street_id, district_id FROM roll_request "
                                          "WHERE status IN ('pending_review', 'pending_confirm') AND child_id IN "
                                          "(SELECT id FROM child WHERE " + where + ") ORDER BY id",
                                          {param}));
  std::vector<RollRequestRecord> out;
  for (const auto& r : rows.rows) {
    RollRequestRecord q;
    q.id = r.Int(0);
    q.child_id = r.Int(1);
    q.kind = r.Text(2);
    q.status = r.Text(3);
    q.street_id = r.Int(4);
    q.district_id = r.Int(5);
    out.push_back(std::move(q));
  }
  return out;
}

Result<std::vector<std::int64_t>> RegistryJurisdictionRepo::ChildrenOfGrid(std::int64_t grid_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id FROM child WHERE grid_id = $1 ORDER BY id", {grid_id}));
  std::vector<std::int64_t> out;
  for (const auto& r : rows.rows) out.push_back(r.Int(0));
  return out;
}

Status RegistryJurisdictionRepo::AfterChildMove(std::int64_t child_id) {
  NoteChildWrite();
  return SyncCopies("id = $1", child_id);
}

}  // namespace th::repo
