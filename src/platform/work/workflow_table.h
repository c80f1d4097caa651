#pragma once
// Workflows as declarative tables: per kind a list of {from, action, to, permission,
// note_required}. Pure data and lookup; Workflow::Apply (workflow.h) runs a step in a transaction.
#include <string>
#include <vector>

namespace th::work {

struct Transition {
  std::string from;
  std::string action;
  std::string to;
  std::string permission;  // the caller must hold it; "" never allowed to people (system steps)
  bool note_required = false;
};

class WorkflowTable {
 public:
  WorkflowTable() = default;
  explicit WorkflowTable(std::vector<Transition> t) : rows_(std::move(t)) {}
  // The transition for `action` from `state`, or null.
  const Transition* Find(const std::string& state, const std::string& action) const;
  // True when some row has `action` (otherwise the action is unknown: 400, not 409).
  bool KnowsAction(const std::string& action) const;
  std::vector<std::string> States() const;
  std::vector<std::string> Actions() const;
  const std::vector<Transition>& rows() const { return rows_; }

 private:
  std::vector<Transition> rows_;
};

// The work item's own workflow (every kind): open → extension_requested → open (approved with a
// new deadline, or rejected); open/extension_requested → closed by the system when the subject's
// step is done. `act_permission` is the kind's (roll.review ...); approvals need work.oversee.
WorkflowTable WorkItemWorkflow(const std::string& act_permission);

}  // namespace th::work
