#pragma once
// The dispatch order's workflow as a declarative table on the engine's WorkflowTable (the
// registry's roll_workflow.h is the pattern), and the pure rules around it: the public status of
// a flow state, the work item each state waits on, the clock variant of an order.
//
//   pending_accept --accept--> handling --feedback--> feedback --revisit--> closed
//   pending_accept --return--> return_requested --approve_return--> returned
//                                               --reject_return--> pending_accept
//   handling --request_extension--> extension_requested --approve_extension|reject_extension--> handling
//   extension_requested --feedback--> feedback
//   feedback --redo--> handling (round + 1);  feedback --close--> closed (办结 without a visit)
//
// `extension_requested` is a flow state only: the order's status stays `handling` with
// extension_pending set. Receivers' steps need dispatch.handle, the center's report.triage.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modules/reports/permissions.h"
#include "platform/work/workflow_table.h"

namespace th::service {

// The center's permission (the reports module's report.triage).
inline constexpr const char* kDispatchCenterPermission = perm::kReportTriage;

const work::WorkflowTable& DispatchOrderWorkflow();

// Every flow state and every action, in display order.
const std::vector<std::string>& DispatchStates();
const std::vector<std::string>& DispatchActions();

// The flow state of an order: its status, or extension_requested while an extension waits.
std::string DispatchFlowState(const std::string& status, bool extension_pending);

// The permission `action` needs from `state`: the row's, or for a state it does not apply in the
// action's first row's (so a caller without it gets 403 before 409). "" for an unknown action.
const std::string& DispatchActionPermission(const std::string& state, const std::string& action);

// 待签收 / Pending acceptance ... for a status (or flow state); the code itself when unknown.
std::string DispatchStatusName(const std::string& status, bool en);

// What an order in `state` waits on: the work kinds to keep open (receiver's first, then the
// center's). A co-handling order in feedback waits on nothing (its lead does).
struct WaitingWork {
  std::optional<std::string> receiver_kind;  // dispatch_accept | dispatch_handle
  std::optional<std::string> center_kind;    // dispatch_return_review | dispatch_extension_review | dispatch_revisit
};
WaitingWork WorkFor(const std::string& state, bool lead);

// The clock variant of an order's item of `kind`: the first of "<urgency>.<category>",
// "<category>", "<urgency>" that `has_variant` knows, else "" (the kind's own clock).
template <class HasVariant>
std::string DispatchVariant(const std::string& urgency, const std::string& category, HasVariant has_variant) {
  for (const std::string& v : {urgency + "." + category, category, urgency}) {
    if (!v.empty() && v != "." && has_variant(v)) return v;
  }
  return "";
}

}  // namespace th::service
