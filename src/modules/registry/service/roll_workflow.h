#pragma once
// The roll request's workflow as a declarative table (../shared/DESIGN.md "The work engine"):
// pending_review --review--> pending_confirm --confirm--> confirmed; return (with a note) from
// either pending state. ChildService::Decide looks every step up here.
#include <string>

#include "platform/work/workflow_table.h"

namespace th::service {

const work::WorkflowTable& RollRequestWorkflow();

// The permission `action` needs on a request in `status`: the row's, or for a state the action
// does not apply in, the action's last row's (so a caller without it gets 403 before 409, as
// before the table).
const std::string& RollActionPermission(const std::string& status, const std::string& action);

}  // namespace th::service
