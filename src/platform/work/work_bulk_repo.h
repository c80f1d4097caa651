#pragma once
// SQL for opening many work items at once (WorkService::OpenMany, work_bulk.cc): what WorkRepo::Insert
// does for one item (the work_item row and its clock row), with multi-row statements. Kept apart
// from work_repo.cc so the two change independently.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "platform/work/work_repo.h"
#include "storage/connection.h"

namespace th::work {

class WorkBulkRepo {
 public:
  explicit WorkBulkRepo(storage::Connection& c) : c_(c) {}

  // Inserts the items as WorkRepo::Insert does one by one, in order (ids ascend with it): state,
  // deadlines, owner (unit, path, district, role, agency, person), round 1, version 1, and each a
  // clock row (level 0, next_at = warn_at). Fills each item's id, next_at and escalation_level.
  // A second open item of the same (subject, kind) fails as Insert does (the unique index).
  Status InsertMany(std::vector<WorkItemRecord>& items);
  // The (subject id, kind) pairs of open items of `subject_type` among `subject_ids`.
  Result<std::set<std::pair<std::int64_t, std::string>>> OpenKinds(const std::string& subject_type,
                                                                    const std::vector<std::int64_t>& subject_ids);
  // The paths of the units `ids` (absent units left out).
  Result<std::map<std::int64_t, std::string>> UnitPaths(const std::vector<std::int64_t>& ids);

 private:
  storage::Connection& c_;
};

}  // namespace th::work
