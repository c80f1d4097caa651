#pragma once
// Workflow::Apply: one step of a declarative workflow table on a work item, in the caller's
// transaction, with its step row and audit entry.
#include <optional>
#include <string>

#include "base/clock.h"
#include "platform/work/work_repo.h"
#include "platform/work/workflow_table.h"
#include "platform/service/principal.h"

namespace th::work {

class Workflow {
 public:
  Workflow(WorkflowTable table, const Clock& clock) : table_(std::move(table)), clock_(clock) {}

  // Runs `action` on `item` (loaded in `c`'s transaction; the caller checked jurisdiction).
  // Errors, in this order: 400 invalid_enum (unknown action), 409 invalid_state (not allowed from
  // the item's state), 403 forbidden (no permission; system steps have none), 409 stale_version,
  // 400 required (note needed). On success the item's state and version are updated in `item`,
  // a work_step row and an audit entry ("work.<action>") are written on `c`. `due_at` is recorded
  // on the step when the step sets a deadline.
  Status Apply(storage::Connection& c, const service::Principal& who, WorkItemRecord& item, const std::string& action,
               const std::string& note, std::int64_t version, std::optional<std::int64_t> due_at = std::nullopt) const;

  const WorkflowTable& table() const { return table_; }

 private:
  WorkflowTable table_;
  const Clock& clock_;
};

}  // namespace th::work
