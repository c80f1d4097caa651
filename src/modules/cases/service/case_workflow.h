#pragma once
// The case's workflow as a declarative table (like the registry's roll_workflow):
// intake --assess--> assessing --plan--> planning --intervene--> intervening --review-->
// reviewing --reassess--> assessing; close (with a reason) from every open state; reopen (with a
// reason) from closed back to assessing. CaseService::Act and MoveIn look every step up here.
#include <optional>
#include <string>

#include "modules/cases/repo/case_repo.h"
#include "platform/work/work_hooks.h"
#include "platform/work/workflow_table.h"

namespace th::service {

const work::WorkflowTable& CaseWorkflow();

// The action that moves a case from `from` to `to`, or "" when the table has none.
std::string CaseActionTo(const std::string& from, const std::string& to);

// The work item a case in `status` needs (WorkHooks::Sync on ("case", id)): the assessment while
// intake or assessing, the plan while planning, the review while reviewing; nothing while
// intervening (the plan's tasks carry the work) or closed. Owned by the case's street social
// workers and, when assigned, the worker.
std::optional<work::WorkOpen> CaseWork(const repo::CaseRecord& k, const std::string& status);

}  // namespace th::service
