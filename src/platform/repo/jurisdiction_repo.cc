#include "platform/repo/jurisdiction_repo.h"

#include <atomic>

#include "platform/repo/org_repo.h"
#include "storage/connection.h"

namespace th::repo {

namespace {

std::atomic<std::uint64_t> g_child_write_generation{0};

// A finding's (and its task's) unit is its child's community: path and id from the tree.
constexpr const char* kChildCommunityPath =
    "(SELECT o.path FROM org_unit o JOIN child c ON c.community_id = o.id WHERE c.id = finding.child_id)";

}  // namespace

std::uint64_t ChildWriteGeneration() { return g_child_write_generation.load(std::memory_order_acquire); }
void NoteChildWrite() { g_child_write_generation.fetch_add(1, std::memory_order_acq_rel); }

Status JurisdictionRepo::SyncCopies(const std::string& child_where, std::int64_t param) {
  const std::string moved = "(SELECT id FROM child WHERE " + child_where + ")";
  auto run = [&](const std::string& sql) { return c_.Execute(sql, {param}).status(); };
  TH_RETURN_IF_ERROR(run(
      "UPDATE search_posting SET "
      "district_id = (SELECT c.district_id FROM child c WHERE c.id = search_posting.child_id), "
      "street_id = (SELECT c.street_id FROM child c WHERE c.id = search_posting.child_id), "
      "community_id = (SELECT c.community_id FROM child c WHERE c.id = search_posting.child_id), "
      "grid_id = (SELECT c.grid_id FROM child c WHERE c.id = search_posting.child_id) "
      "WHERE child_id IN " + moved));
  TH_RETURN_IF_ERROR(run(
      "UPDATE roll_request SET "
      "district_id = (SELECT c.district_id FROM child c WHERE c.id = roll_request.child_id), "
      "street_id = (SELECT c.street_id FROM child c WHERE c.id = roll_request.child_id), "
      "community_id = (SELECT c.community_id FROM child c WHERE c.id = roll_request.child_id) "
      "WHERE child_id IN " + moved));
  TH_RETURN_IF_ERROR(run(std::string("UPDATE finding SET ") +
                         "community_id = (SELECT c.community_id FROM child c WHERE c.id = finding.child_id), "
                         "unit_path = " + kChildCommunityPath + " WHERE child_id IN " + moved));
  return run(
      "UPDATE verification_task SET "
      "community_id = (SELECT f.community_id FROM finding f WHERE f.id = verification_task.finding_id), "
      "unit_path = (SELECT f.unit_path FROM finding f WHERE f.id = verification_task.finding_id) "
      "WHERE finding_id IN (SELECT id FROM finding WHERE child_id IN " + moved + ")");
}

Status JurisdictionRepo::AfterUnitMove(const OrgUnit& before, const std::string& new_path) {
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
  if (!where.empty()) {
    TH_RETURN_IF_ERROR(c_.Execute("UPDATE child SET street_id = " + street_of_community +
                                      ", district_id = " + district_of_community +
                                      ", version = version + 1 WHERE " + where,
                                  {id})
                           .status());
    TH_RETURN_IF_ERROR(SyncCopies(where, id));
  }
  // Rows that hold a unit path (uploader's unit, finding's community) take the new prefix.
  const auto old_len = static_cast<std::int64_t>(before.path.size());
  for (const char* table : {"data_source", "screening_batch", "finding", "verification_task"}) {
    TH_RETURN_IF_ERROR(c_.Execute(std::string("UPDATE ") + table + " SET unit_path = $1 || SUBSTR(unit_path, $2) " +
                                      "WHERE unit_path LIKE $3",
                                  {new_path, old_len + 1, before.path + "%"})
                           .status());
  }
  return Status::Ok();
}

Status JurisdictionRepo::AfterChildMove(std::int64_t child_id) {
  NoteChildWrite();
  return SyncCopies("id = $1", child_id);
}

}  // namespace th::repo
