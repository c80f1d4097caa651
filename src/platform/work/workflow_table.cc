#include "platform/work/workflow_table.h"
#include "platform/service/permissions.h"

#include <algorithm>

namespace th::work {

const Transition* WorkflowTable::Find(const std::string& state, const std::string& action) const {
  for (const auto& t : rows_) {
    if (t.from == state && t.action == action) return &t;
  }
  return nullptr;
}

bool WorkflowTable::KnowsAction(const std::string& action) const {
  return std::any_of(rows_.begin(), rows_.end(), [&](const Transition& t) { return t.action == action; });
}

std::vector<std::string> WorkflowTable::States() const {
  std::vector<std::string> out;
  auto add = [&](const std::string& s) {
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  for (const auto& t : rows_) {
    add(t.from);
    add(t.to);
  }
  return out;
}

std::vector<std::string> WorkflowTable::Actions() const {
  std::vector<std::string> out;
  for (const auto& t : rows_) {
    if (std::find(out.begin(), out.end(), t.action) == out.end()) out.push_back(t.action);
  }
  return out;
}

WorkflowTable WorkItemWorkflow(const std::string& act_permission) {
  return WorkflowTable({
      {"open", "request_extension", "extension_requested", act_permission, true},
      {"extension_requested", "approve_extension", "open", perm::kWorkOversee, false},
      {"extension_requested", "reject_extension", "open", perm::kWorkOversee, true},
      {"open", "close", "closed", "", false},
      {"extension_requested", "close", "closed", "", false},
  });
}

}  // namespace th::work
