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

std::optional<work::WorkOpen> RollWork(const repo::RollRequestRecord& q, const std::string& status) {
  const bool review = status == "pending_review", confirm = status == "pending_confirm";
  if (!review && !confirm) return std::nullopt;
  work::WorkOpen w;
  w.kind = review ? "roll_review" : "roll_confirm";
  w.title = review ? "审核名册申请" : "确认名册申请";
  w.label = std::string(q.kind == "entry" ? "纳入申请" : q.kind == "exit" ? "退出申请" : "变更申请") + " #" +
            std::to_string(q.id);
  w.link = "/children/" + std::to_string(q.child_id);
  w.owner_unit_id = review ? q.street_id : q.district_id;
  w.owner_role = review ? "street_supervisor" : "district";
  return w;
}

}  // namespace th::service
