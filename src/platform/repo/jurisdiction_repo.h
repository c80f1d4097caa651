#pragma once
// Every copy of a jurisdiction, kept in step with the move that changes it (../shared/DESIGN.md,
// "Access is enforced in the service layer"). Rows copy where they belong so that lists filter on
// an index: a child holds its district, street, community and grid ids; its search postings and
// roll requests copy them; screening rows (data sources, batches, findings, verification tasks)
// hold the path of their unit. This is the one place that knows all of those copies: a unit move
// and a child move call it in the same transaction as the move, so no reader ever sees a child in
// its old place.
#include <cstdint>
#include <string>

#include "base/status.h"

namespace th::storage {
class Connection;
}

namespace th::repo {

struct OrgUnit;

// A process-wide count of writes to child rows: bumped by the registry's repository and by the
// jurisdiction copies below, read by the registry's list-count cache (an entry is used only while
// it is unchanged). Thread-safe.
std::uint64_t ChildWriteGeneration();
void NoteChildWrite();

class JurisdictionRepo {
 public:
  explicit JurisdictionRepo(storage::Connection& c) : c_(c) {}

  // After OrgRepo::Move has moved `before` (the unit as it was) to `new_path`: the children under
  // the unit take their street/district (and, for a grid, community) ids from the tree, with
  // version + 1 so that an edit begun before the move answers stale_version; their postings, roll
  // requests, findings and tasks follow; screening rows under the old path get the new prefix.
  Status AfterUnitMove(const OrgUnit& before, const std::string& new_path);

  // After a child's community or grid changed (the child row already written): its postings,
  // roll requests, findings and verification tasks follow it.
  Status AfterChildMove(std::int64_t child_id);

 private:
  // Copies the jurisdiction of the children matching `child_where` (SQL over alias-free child
  // columns, parameter $1) to their postings, roll requests, findings and tasks.
  Status SyncCopies(const std::string& child_where, std::int64_t param);

  storage::Connection& c_;
};

}  // namespace th::repo
