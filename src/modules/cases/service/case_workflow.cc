#include "modules/cases/service/case_workflow.h"

#include "modules/cases/permissions.h"

namespace th::service {

const work::WorkflowTable& CaseWorkflow() {
  // Immutable data built once (not a registry of services).
  static const work::WorkflowTable kTable({
      {"intake", "assess", "assessing", perm::kCaseWrite, false},
      {"assessing", "plan", "planning", perm::kCaseWrite, false},
      {"planning", "intervene", "intervening", perm::kCaseWrite, false},
      {"intervening", "review", "reviewing", perm::kCaseWrite, false},
      {"reviewing", "reassess", "assessing", perm::kCaseWrite, false},
      {"intake", "close", "closed", perm::kCaseWrite, true},
      {"assessing", "close", "closed", perm::kCaseWrite, true},
      {"planning", "close", "closed", perm::kCaseWrite, true},
      {"intervening", "close", "closed", perm::kCaseWrite, true},
      {"reviewing", "close", "closed", perm::kCaseWrite, true},
      {"closed", "reopen", "assessing", perm::kCaseWrite, true},
  });
  return kTable;
}

std::string CaseActionTo(const std::string& from, const std::string& to) {
  for (const auto& row : CaseWorkflow().rows()) {
    if (row.from == from && row.to == to) return row.action;
  }
  return "";
}

std::optional<work::WorkOpen> CaseWork(const repo::CaseRecord& k, const std::string& status) {
  work::WorkOpen w;
  if (status == "intake" || status == "assessing") {
    w.kind = "case_assess";
    w.title = "个案评估(风险、需求)";
  } else if (status == "planning") {
    w.kind = "case_plan";
    w.title = "制定个案服务计划";
  } else if (status == "reviewing") {
    w.kind = "case_review";
    w.title = "个案评估回顾";
  } else {
    return std::nullopt;
  }
  w.label = k.child_name.empty() ? "个案 #" + std::to_string(k.id) : k.child_name + " · 个案 #" + std::to_string(k.id);
  w.link = "/cases/" + std::to_string(k.id);
  w.owner_unit_id = k.street_unit_id;
  w.owner_role = "social_worker";
  w.owner_user_id = k.worker_user_id;
  return w;
}

}  // namespace th::service
