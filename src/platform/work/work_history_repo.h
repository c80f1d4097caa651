#pragma once
// SQL for an item's history: the steps of its workflow (work_step) and the escalation steps the
// sweeper recorded (the view work_escalation: the log of past rounds and owners, and the current
// round's steps on the clock row, migration 0029; those have negative ids). No permission checks:
// the service scopes the item first.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/connection.h"

namespace th::work {

struct WorkStepRecord {
  std::int64_t id = 0;
  std::string action, from_state, to_state;
  std::optional<std::int64_t> by_user_id;
  std::string by_name;
  std::int64_t at = 0;
  std::string note;
  std::optional<std::int64_t> due_at;  // the deadline a step set (an approved extension)
};

struct WorkEscalationRecord {
  std::int64_t id = 0, round = 1, level = 0;
  std::string step;  // warn | overdue | supervise | district
  std::int64_t target_unit_id = 0;
  std::string target_unit_name;  // joined
  std::int64_t at = 0;
};

class WorkHistoryRepo {
 public:
  explicit WorkHistoryRepo(storage::Connection& c) : c_(c) {}
  // The item's steps, oldest first (at most 500: an item has a handful).
  Result<std::vector<WorkStepRecord>> Steps(std::int64_t item_id);
  // The item's escalation steps, oldest first (at most 500).
  Result<std::vector<WorkEscalationRecord>> Escalations(std::int64_t item_id);

 private:
  storage::Connection& c_;
};

}  // namespace th::work
