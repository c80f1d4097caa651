#pragma once
// One work item with its history, and the item's workflow steps as the HTTP routes offer them
// (GET /api/v1/work-items/{id}, POST /api/v1/work-items/{id}/actions).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/date.h"
#include "platform/service/principal.h"
#include "platform/work/work_history_repo.h"
#include "platform/work/work_service.h"

namespace th::work {

struct WorkItemDetail {
  WorkItemRecord item;
  std::vector<WorkStepRecord> steps;              // oldest first
  std::vector<WorkEscalationRecord> escalations;  // oldest first
  std::vector<std::string> actions;               // the steps the caller may take now
};

// The item, its steps and escalations. 404 outside the caller's jurisdiction; 403 unless the
// caller owns it, holds its kind's act permission or holds work.oversee.
Result<WorkItemDetail> ItemDetail(WorkService& w, const service::Principal& who, std::int64_t id);

// One step (request_extension | approve_extension | reject_extension), then the item as
// ItemDetail gives it. Errors in this order: 404 outside the jurisdiction; 400 invalid_enum for
// another action; 403 when request_extension comes from someone not owning the item, or a
// decision from someone without work.oversee or on their own item; then WorkService::Apply's
// (409 invalid_state, 409 stale_version, 400 note/due_date).
Result<WorkItemDetail> ItemAction(WorkService& w, const service::Principal& who, std::int64_t id,
                                  const std::string& action, const std::string& note, std::int64_t version,
                                  std::optional<domain::Date> due_date);

}  // namespace th::work
