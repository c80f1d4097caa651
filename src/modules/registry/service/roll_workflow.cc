#include "modules/registry/service/roll_workflow.h"

#include "modules/registry/permissions.h"

namespace th::service {

const work::WorkflowTable& RollRequestWorkflow() {
  // Immutable data built once (not a registry of services).
  static const work::WorkflowTable kTable({
      {"pending_review", "review", "pending_confirm", perm::kRollReview, false},
      {"pending_review", "return", "returned", perm::kRollReview, true},
      {"pending_confirm", "confirm", "confirmed", perm::kRollConfirm, false},
      {"pending_confirm", "return", "returned", perm::kRollConfirm, true},
  });
  return kTable;
}

const std::string& RollActionPermission(const std::string& status, const std::string& action) {
  const work::WorkflowTable& t = RollRequestWorkflow();
  if (const work::Transition* tr = t.Find(status, action)) return tr->permission;
  const work::Transition* last = nullptr;
  for (const auto& row : t.rows()) {
    if (row.action == action) last = &row;
  }
  static const std::string kNone;
  return last ? last->permission : kNone;
}

}  // namespace th::service
