#pragma once
// SQL for work items, their steps and escalations (migration 0013). No permission checks here:
// the service scopes every call by the caller's jurisdiction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/records.h"
#include "platform/repo/count_cache.h"
#include "storage/connection.h"

namespace th::work {

// next_at of an item with nothing left to escalate (and of closed items): 9999-12-31.
inline constexpr std::int64_t kNever = 253402300799000;

struct WorkItemRecord {
  std::int64_t id = 0;
  std::string kind, subject_type;
  std::int64_t subject_id = 0;
  std::string title, label, link;
  std::int64_t owner_unit_id = 0;
  std::string owner_unit_path, owner_role;
  std::optional<std::int64_t> owner_user_id;
  std::optional<std::int64_t> owner_agency_id;  // owned by one agency's users (a department)
  std::int64_t district_unit_id = 0;
  std::string state = "open";
  bool is_open = true;
  std::int64_t started_at = 0, warn_at = 0, due_at = 0, district_at = 0;
  std::int64_t due_flags = 0;  // 1: beyond the loaded calendar (weekdays only); 2: to recompute
  std::int64_t escalation_level = 0, round = 1, next_at = 0, version = 1, created_at = 0;
  std::optional<std::int64_t> closed_at;
  std::string unit_name;  // joined
};

struct KindCount {
  std::string kind;
  std::int64_t count = 0, overdue = 0;
  std::int64_t due_today = 0;  // not overdue now, due by the end of today (Asia/Shanghai)
};

class WorkRepo {
 public:
  explicit WorkRepo(storage::Connection& c) : c_(c) {}

  Status Insert(WorkItemRecord& w);
  // Bulk insert for synthetic loads (deadlines as given, next_at = warn_at; ids not returned).
  Status InsertMany(const std::vector<WorkItemRecord>& items);
  Result<WorkItemRecord> Get(std::int64_t id);
  // The largest subject id of `subject_type` (0 when none).
  Result<std::int64_t> MaxSubjectId(const std::string& subject_type);
  // Open items of a subject (any kind).
  Result<std::vector<WorkItemRecord>> OpenFor(const std::string& subject_type, std::int64_t subject_id);
  // Closes an open item (state closed, is_open 0); false when it was not open.
  Result<bool> Close(std::int64_t id, std::int64_t now);
  // Passes an open item to another owner unit (its path and district given).
  Status SetOwnerUnit(std::int64_t id, std::int64_t unit_id, const std::string& unit_path, std::int64_t district_id);
  // After the unit at `old_path` moved to `new_path`: the owner paths under it take the new prefix
  // and the district `district_id` (0: unchanged). Returns the rows changed.
  Result<std::int64_t> MoveOwnerPaths(const std::string& old_path, const std::string& new_path, std::int64_t district_id);
  // Moves the item to `state` if its version is `version`; stale_version otherwise.
  Status SetState(std::int64_t id, const std::string& state, std::int64_t version);
  // New deadlines (an approved extension, or a recompute): escalation from level 0; with `new_round`
  // a new round (the ending round's escalation steps go to work_escalation_log first), else the
  // round's steps already recorded are not recorded again.
  Status SetDeadlines(std::int64_t id, std::int64_t warn_at, std::int64_t due_at, std::int64_t district_at,
                      std::int64_t due_flags, bool new_round);
  Status InsertStep(std::int64_t item_id, const std::string& action, const std::string& from, const std::string& to,
                    std::optional<std::int64_t> by, const std::string& by_name, std::int64_t at,
                    const std::string& note, std::optional<std::int64_t> due_at);

  // Who owns items: (unit, role) of items without an agency, or (agency, role) when `agency_id` is
  // set (a department's liaisons see only their department's items).
  struct Owner {
    std::int64_t unit_id = 0;
    std::string role;
    std::optional<std::int64_t> agency_id;
  };
  // The open items owned by `o`, by deadline, `limit` from `offset`; `kind` "" for all.
  Result<std::vector<WorkItemRecord>> OwnedBy(const Owner& o, const std::string& kind, std::int64_t limit,
                                              std::int64_t offset);
  // Open items assigned to `user_id` that ownership by `o` does not already list.
  Result<std::vector<WorkItemRecord>> AssignedTo(std::int64_t user_id, const Owner& o, const std::string& kind,
                                                 std::int64_t limit);
  // Counts by kind of both of the above, with how many are overdue at `now` and how many more fall
  // due before `end_of_day` (one grouped pass).
  Result<std::vector<KindCount>> InboxCounts(std::int64_t user_id, const Owner& o, std::int64_t now,
                                             std::int64_t end_of_day);
  // Open items overdue at `now` owned by units under `path_prefix`, by deadline; with
  // `extension_requests` instead the items awaiting a decision on an extension (state
  // extension_requested), overdue or not.
  // *total counts up to kOverdueCountCap (*capped: there are more). With `counts` the total is taken
  // from and kept in it for the same prefix, kind and list under `generation` (repo::CountCache: at
  // most its kTtl old, so items falling overdue meanwhile show in the total within that time).
  Result<std::vector<WorkItemRecord>> Overdue(const std::string& path_prefix, const std::string& kind, std::int64_t now,
                                              const repo::Page& page, std::int64_t* total,
                                              bool extension_requests = false, bool* capped = nullptr,
                                              repo::CountCache* counts = nullptr, std::uint64_t generation = 0);
  static constexpr std::int64_t kOverdueCountCap = 10000;

  // Items whose deadlines are placeholders (due_flags & 2), at most `limit`.
  Result<std::vector<WorkItemRecord>> PendingDeadlines(std::int64_t limit);
  // The path of unit `id` ("" when absent).
  Result<std::string> UnitPath(std::int64_t id);
  // The district unit above (or at) `path`, or `fallback`.
  Result<std::int64_t> DistrictOf(const std::string& path, std::int64_t fallback);

 private:
  Status ArchiveSteps(const std::string& where, const storage::Params& p);
  storage::Connection& c_;
};

}  // namespace th::work
