#pragma once
// Screening's copies of a jurisdiction (the "screening" jurisdiction hooks,
// service::JurisdictionHooks): data sources, batches, findings and verification tasks hold the
// path of their unit; a finding (and its task) is its child's community. Called in the same
// transaction as the move.
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

class ScreeningJurisdictionRepo {
 public:
  explicit ScreeningJurisdictionRepo(storage::Connection& c) : c_(c) {}

  // After a unit move: rows under the old path take the new prefix; after a grid move the findings
  // of its children take their (new) community.
  Status AfterUnitMove(const OrgUnit& before, const std::string& new_path);
  // After a child's community changed: its findings and their tasks follow it.
  Status AfterChildMove(std::int64_t child_id);
  // The open verification tasks of the findings of child `child_id` (or, with `grid`, of the
  // children of grid `child_id`), with their community (0: none).
  struct OpenTask {
    std::int64_t id = 0, community_id = 0;
  };
  Result<std::vector<OpenTask>> OpenTasksOf(std::int64_t child_id, bool grid = false);

 private:
  Status SyncFindings(const std::string& child_where, std::int64_t param);
  storage::Connection& c_;
};

}  // namespace th::repo
