#pragma once
// The registry's copies of a child's jurisdiction, kept in step with the moves (installed as the
// "registry" jurisdiction hooks, service::JurisdictionHooks): a child holds its district, street,
// community and grid ids so that lists filter on an index; its search postings and roll requests
// copy them. Called in the same transaction as the move, so no reader sees a child in its old place.
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "modules/registry/domain/child_records.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

class RegistryJurisdictionRepo {
 public:
  explicit RegistryJurisdictionRepo(storage::Connection& c) : c_(c) {}

  // After a unit move: the children under the unit take their street/district (and, for a grid,
  // community) ids from the tree, with version + 1 so that an edit begun before the move answers
  // stale_version; their postings and roll requests follow.
  Status AfterUnitMove(const OrgUnit& before, const std::string& new_path);
  // After a child's community or grid changed (the child row already written): its postings and
  // roll requests follow it.
  Status AfterChildMove(std::int64_t child_id);
  // The ids of the children in grid `grid_id`, ascending.
  Result<std::vector<std::int64_t>> ChildrenOfGrid(std::int64_t grid_id);
  // The pending roll requests (review or confirm) of the children a move touched: the grid,
  // community or street `unit` (by its level), or one child when `unit` is null.
  Result<std::vector<RollRequestRecord>> PendingRequests(const OrgUnit* unit, std::int64_t child_id);

 private:
  // Copies the units of the children matching `child_where` (SQL over alias-free child columns,
  // parameter $1) to their postings and roll requests.
  Status SyncCopies(const std::string& child_where, std::int64_t param);

  storage::Connection& c_;
};

}  // namespace th::repo
