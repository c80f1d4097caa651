#pragma once
// SQL behind the 工作台 (GET /api/v1/workbench): grouped child counts of a jurisdiction, the
// caller's recently opened child files (from the audit log), and open roll requests and
// verification tasks. Read-only; callers (WorkbenchService) own scope and permissions.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/scope_sql.h"
#include "storage/connection.h"

namespace th::workbench {

// Children of one group: the child unit under the caller's (0: none, e.g. no grid), the category
// list (',a,b,'), the roll status, and the month (yyyymm) of entry / exit when on or after the
// trend's first day (0 otherwise).
struct ChildGroup {
  std::int64_t unit_id = 0;
  std::string categories;
  std::string roll_status;
  std::int32_t entered_month = 0;
  std::int32_t exited_month = 0;
  std::int64_t count = 0;
};

struct UnitName {
  std::int64_t id = 0;
  std::string name;
};

struct RecentFile {
  std::int64_t child_id = 0;
  std::string name;
  std::string unit_name;  // the child's community
  std::string unit_path;  // its path, for the scope test
  std::int64_t viewed_at = 0;
};

struct TaskCounts {
  std::int64_t open = 0;
  std::int64_t due_today = 0;
  std::int64_t overdue = 0;
};

// A jurisdiction's grouped pass as last computed (migration 0018): `groups` serialized by the
// service, the day (yyyymmdd) it was computed for, when, and how long it took.
struct NumbersSnapshot {
  std::string scope;
  std::int32_t day = 0;
  std::string groups;
  std::int64_t computed_at = 0, compute_ms = 0;
};

class WorkbenchRepo {
 public:
  explicit WorkbenchRepo(storage::Connection& c) : c_(c) {}

  // One pass over the children of `scope` grouped as ChildGroup; `unit_column` is the child column
  // of the unit level below the caller's (district_id, street_id, community_id or grid_id).
  Result<std::vector<ChildGroup>> ChildGroups(const repo::ChildScope& scope, const std::string& unit_column,
                                              std::int32_t from_date);
  // The snapshot of `scope` ("street_id:12"), or nullopt.
  Result<std::optional<NumbersSnapshot>> LoadSnapshot(const std::string& scope);
  // Inserts or replaces the snapshot of s.scope.
  Status SaveSnapshot(const NumbersSnapshot& s);
  // Units directly under `parent_id` (not retired), by code.
  Result<std::vector<UnitName>> ChildUnits(std::int64_t parent_id);
  // The user's latest child-file reads (audit action child.read), newest first, one per child, at
  // most `limit`, with the child's name and current community.
  Result<std::vector<RecentFile>> RecentFiles(std::int64_t user_id, int limit);
  // Roll requests of children in `scope` with `status`.
  Result<std::int64_t> RollRequests(const repo::ChildScope& scope, const std::string& status);
  // Open verification tasks under the unit path prefix, and how many are due today / overdue.
  Result<TaskCounts> VerificationTasks(const std::string& path_prefix, std::int32_t today);

 private:
  storage::Connection& c_;
};

}  // namespace th::workbench
