#include "modules/dispatch/service/dispatch_workflow.h"

#include <map>

#include "modules/dispatch/permissions.h"

namespace th::service {

const work::WorkflowTable& DispatchOrderWorkflow() {
  const char* h = perm::kDispatchHandle;
  const char* c = kDispatchCenterPermission;
  // Immutable data built once (not a registry of services).
  static const work::WorkflowTable kTable({
      {"pending_accept", "accept", "handling", h, false},
      {"pending_accept", "return", "return_requested", h, true},
      {"return_requested", "approve_return", "returned", c, false},
      {"return_requested", "reject_return", "pending_accept", c, true},
      {"handling", "request_extension", "extension_requested", h, true},
      {"extension_requested", "approve_extension", "handling", c, false},
      {"extension_requested", "reject_extension", "handling", c, true},
      {"handling", "feedback", "feedback", h, true},
      {"extension_requested", "feedback", "feedback", h, true},
      {"feedback", "revisit", "closed", c, true},
      {"feedback", "redo", "handling", c, true},
      {"feedback", "close", "closed", c, true},
  });
  return kTable;
}

const std::vector<std::string>& DispatchStates() {
  static const std::vector<std::string> kStates = {"pending_accept", "handling", "extension_requested",
                                                   "return_requested", "returned", "feedback", "closed"};
  return kStates;
}

const std::vector<std::string>& DispatchActions() {
  static const std::vector<std::string> kActions = DispatchOrderWorkflow().Actions();
  return kActions;
}

std::string DispatchFlowState(const std::string& status, bool extension_pending) {
  return status == "handling" && extension_pending ? "extension_requested" : status;
}

const std::string& DispatchActionPermission(const std::string& state, const std::string& action) {
  const work::WorkflowTable& t = DispatchOrderWorkflow();
  if (const work::Transition* tr = t.Find(state, action)) return tr->permission;
  for (const auto& row : t.rows()) {
    if (row.action == action) return row.permission;
  }
  static const std::string kNone;
  return kNone;
}

std::string DispatchStatusName(const std::string& status, bool en) {
  static const std::map<std::string, std::pair<const char*, const char*>> kNames = {
      {"pending_accept", {"待签收", "Pending acceptance"}},
      {"handling", {"办理中", "Handling"}},
      {"extension_requested", {"延期待审", "Extension requested"}},
      {"return_requested", {"退单待审", "Return requested"}},
      {"returned", {"已退单", "Returned"}},
      {"feedback", {"已反馈", "Fed back"}},
      {"closed", {"已办结", "Closed"}},
  };
  auto it = kNames.find(status);
  if (it == kNames.end()) return status;
  return en ? it->second.second : it->second.first;
}

WaitingWork WorkFor(const std::string& state, bool lead) {
  WaitingWork w;
  if (state == "pending_accept") w.receiver_kind = "dispatch_accept";
  if (state == "handling" || state == "extension_requested") w.receiver_kind = "dispatch_handle";
  if (state == "extension_requested") w.center_kind = "dispatch_extension_review";
  if (state == "return_requested") w.center_kind = "dispatch_return_review";
  if (state == "feedback" && lead) w.center_kind = "dispatch_revisit";
  return w;
}

}  // namespace th::service
