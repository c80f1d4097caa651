#pragma once
// The roll request's workflow as a declarative table (../shared/DESIGN.md "The work engine"):
// pending_review --review--> pending_confirm --confirm--> confirmed; return (with a note) from
// either pending state. ChildService::Decide looks every step up here.
#include <optional>
#include <string>

#include "modules/registry/domain/child_records.h"
#include "platform/work/work_hooks.h"
#include "platform/work/workflow_table.h"

namespace th::service {

const work::WorkflowTable& RollRequestWorkflow();

// The permission `action` needs on a request in `status`: the row's, or for a state the action
// does not apply in, the action's last row's (so a caller without it gets 403 before 409, as
// before the table).
const std::string& RollActionPermission(const std::string& status, const std::string& action);

// The work item a request in `status` needs (work engine, WorkHooks::Sync on ("roll_request", id)):
// review by the street's 督导员 while pending_review, confirmation by the district while
// pending_confirm, nothing once decided. `q` gives the kind, child and units.
std::optional<work::WorkOpen> RollWork(const repo::RollRequestRecord& q, const std::string& status);

}  // namespace th::service
