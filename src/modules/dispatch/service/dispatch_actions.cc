// DispatchService::Act: one step of an order's workflow (dispatch_workflow.h) with its rules,
// step row, audit entry, work items and the report's move.
#include <algorithm>
#include <map>
#include <set>

#include "base/json_writer.h"
#include "modules/dispatch/permissions.h"
#include "modules/dispatch/service/dispatch_internal.h"
#include "modules/dispatch/service/dispatch_service.h"
#include "modules/dispatch/service/dispatch_workflow.h"
#include "platform/work/work_config.h"
#include "text/field.h"

namespace th::service {

using namespace dispatch_detail;
using repo::DispatchOrderRecord;
using repo::DispatchRepo;
using repo::kNoDeadline;

namespace {

Status Conflict(const std::string& code, const std::string& zh, const std::string& en) {
  return Status::Error(Code::kConflict, code, zh, en, "status");
}

// What one step changes, besides the order's status (the table's `to`).
struct StepContext {
  Deps& deps;
  const DispatchClocks& clocks;
  ReportFactsSource& reports;
  storage::Connection& c;
  const Principal& who;
  const OrderActionInput& in;
  std::int64_t now = 0;
  DispatchOrderRecord& o;
  repo::DispatchStepRecord& step;
  bool restart_receiver = false;
  std::string report_to;  // the report's new status ("" none)
  bool close_co = false;  // the lead closed: its co orders that fed back close with it
};

Status CheckDueDate(const StepContext& x, const std::optional<domain::Date>& d, std::int64_t* out) {
  if (!d) return Status::Required("due_date");
  const std::int64_t end = work::EndOfDayShanghai(*d);
  if (end <= x.o.handle_due_at.value_or(0)) {
    return Status::Invalid("due_date", "invalid_due_date", "新期限应晚于当前办理期限",
                           "The new deadline must be after the current one");
  }
  *out = end;
  return Status::Ok();
}

Status CheckAttachments(StepContext& x) {
  if (x.in.attachment_ids.empty()) return Status::Ok();
  TH_ASSIGN_OR_RETURN(auto mine, repo::AttachmentRepo(x.c, repo::kDispatchFiles).List(x.o.id));
  std::string ids;
  for (std::int64_t id : x.in.attachment_ids) {
    if (std::none_of(mine.begin(), mine.end(), [&](const auto& a) { return a.id == id; })) {
      return Status::Invalid("attachment_ids", "invalid_attachment", "附件不属于该派单",
                             "An attachment does not belong to this order");
    }
    ids += (ids.empty() ? "" : ",") + std::to_string(id);
  }
  x.step.attachment_ids = ids;
  return Status::Ok();
}

// Co orders still being worked on keep the lead from feeding back (co-handlers feed back to it).
Status CheckCoDone(StepContext& x) {
  if (!x.o.lead) return Status::Ok();
  TH_ASSIGN_OR_RETURN(auto all, DispatchRepo(x.c).ForReport(x.o.report_id));
  for (const auto& co : all) {
    if (co.lead_order_id == x.o.id && (co.status == "pending_accept" || co.status == "handling" ||
                                       co.status == "return_requested")) {
      return Conflict("co_pending", "协办单位尚未全部反馈: " + co.target_name,
                      "A co-handling unit has not fed back yet: " + co.target_name);
    }
  }
  return Status::Ok();
}

Status ReceiverStep(StepContext& x, const std::string& action) {
  DispatchOrderRecord& o = x.o;
  if (action == "accept") {
    x.step.due_at = o.accept_due_at;
    o.accepted_at = x.now;
    o.accepted_late = x.now > o.accept_due_at ? 1 : 0;
    o.handle_due_at = DueAfter(x.deps, x.clocks, "dispatch_handle", o, x.now);
    x.step.new_due_at = o.handle_due_at;
    o.next_due_at = *o.handle_due_at;
  } else if (action == "return") {
    if (o.designated) return Conflict("designated", "指定派单不能退单", "A designated order cannot be returned");
    x.step.due_at = o.accept_due_at;
    o.next_due_at = kNoDeadline;
  } else if (action == "request_extension") {
    if (o.extensions >= DispatchService::kMaxExtensions) {
      return Conflict("too_many_extensions", "延期次数已达上限", "No more extensions may be requested");
    }
    std::int64_t asked = 0;
    TH_RETURN_IF_ERROR(CheckDueDate(x, x.in.due_date, &asked));
    x.step.due_at = o.handle_due_at;
    x.step.new_due_at = asked;
    o.extension_pending = true;
    o.extension_due_at = asked;
  } else if (action == "feedback") {
    TH_RETURN_IF_ERROR(CheckCoDone(x));
    TH_RETURN_IF_ERROR(CheckAttachments(x));
    x.step.due_at = o.handle_due_at;
    o.feedback_at = x.now;
    o.handled_late = o.handle_due_at && x.now > *o.handle_due_at ? 1 : 0;
    o.extension_pending = false;
    o.extension_due_at.reset();
    if (o.lead) {
      o.revisit_due_at = DueAfter(x.deps, x.clocks, "dispatch_revisit", o, x.now);
      x.step.new_due_at = o.revisit_due_at;
      x.report_to = "feedback";
    }
    o.next_due_at = o.lead ? *o.revisit_due_at : kNoDeadline;
  }
  return Status::Ok();
}

Status Redo(StepContext& x) {
  DispatchOrderRecord& o = x.o;
  o.round += 1;
  o.redos += 1;
  o.handle_due_at = DueAfter(x.deps, x.clocks, "dispatch_handle", o, x.now);
  x.step.new_due_at = o.handle_due_at;
  o.next_due_at = *o.handle_due_at;
  o.revisit_due_at.reset();
  x.restart_receiver = true;
  x.report_to = "dispatched";
  return Status::Ok();
}

Status CenterStep(StepContext& x, const std::string& action) {
  DispatchOrderRecord& o = x.o;
  if (!o.lead && (action == "revisit" || action == "redo" || action == "close")) {
    return Conflict("invalid_state", "协办派单随主办派单回访和办结", "Co-handling orders close with their lead");
  }
  if (action == "approve_return") {
    o.returned = true;
    o.closed_at = x.now;
    o.next_due_at = kNoDeadline;
    if (o.lead) x.report_to = "triaged";
  } else if (action == "reject_return") {
    o.accept_due_at = DueAfter(x.deps, x.clocks, "dispatch_accept", o, x.now);
    x.step.new_due_at = o.accept_due_at;
    o.next_due_at = o.accept_due_at;
  } else if (action == "approve_extension") {
    std::int64_t granted = o.extension_due_at.value_or(0);
    if (x.in.due_date) TH_RETURN_IF_ERROR(CheckDueDate(x, x.in.due_date, &granted));
    x.step.due_at = o.handle_due_at;
    o.handle_due_at = granted;
    x.step.new_due_at = granted;
    o.next_due_at = granted;
    o.extensions += 1;
    o.extension_pending = false;
    o.extension_due_at.reset();
    x.restart_receiver = true;
  } else if (action == "reject_extension") {
    o.extension_pending = false;
    o.extension_due_at.reset();
  } else if (action == "revisit" || action == "redo") {
    x.step.due_at = o.revisit_due_at;
    if (action == "revisit" || x.in.satisfied.has_value()) {
      o.revisited_at = x.now;
      if (x.in.satisfied) o.satisfied = *x.in.satisfied ? 1 : 0;
      x.step.reached = x.in.reached;
      x.step.satisfied = o.satisfied;
    }
    if (action == "redo") return Redo(x);
    o.closed_at = x.now;
    o.next_due_at = kNoDeadline;
    x.report_to = "closed";
    x.close_co = true;
  } else if (action == "close") {
    o.closed_at = x.now;
    o.next_due_at = kNoDeadline;
    x.report_to = "closed";
    x.close_co = true;
  }
  return Status::Ok();
}

// The revisit's answers: reached (whom), satisfied and verified are required; an unverified
// revisit is a redo (重办) with the answers recorded.
Status CheckRevisit(OrderActionInput& in) {
  if (in.action != "revisit") return Status::Ok();
  TH_ASSIGN_OR_RETURN(in.reached, text::CleanRequiredText(in.reached, "reached", text::kLineText));
  if (!in.satisfied) return Status::Required("satisfied");
  if (!in.verified) return Status::Required("verified");
  if (!*in.verified) in.action = "redo";
  return Status::Ok();
}

// Co orders that fed back close with their lead (a system step by the same person).
Status CloseCo(StepContext& x) {
  DispatchRepo repo(x.c);
  TH_ASSIGN_OR_RETURN(auto all, repo.ForReport(x.o.report_id));
  for (auto& co : all) {
    if (co.lead_order_id != x.o.id || co.status != "feedback") continue;
    co.status = "closed";
    co.closed_at = x.now;
    co.next_due_at = kNoDeadline;
    TH_RETURN_IF_ERROR(repo.Update(co, x.now));
    repo::DispatchStepRecord s;
    s.action = "close";
    s.from_state = "feedback";
    s.to_state = "closed";
    s.at = x.now;
    s.note = "随主办派单 #" + std::to_string(x.o.id) + " 办结";
    TH_RETURN_IF_ERROR(WriteStep(x.c, x.who, co, s));
    TH_RETURN_IF_ERROR(SyncWork(x.deps, x.clocks, x.c, co, x.now, false));
  }
  return Status::Ok();
}

}  // namespace

Result<OrderView> DispatchService::Act(const Principal& who, std::int64_t id, const OrderActionInput& input) {
  if (!who.Can(perm::kDispatchHandle) && !who.Can(kDispatchCenterPermission)) return Status::Forbidden();
  const work::WorkflowTable& flow = DispatchOrderWorkflow();
  if (!flow.KnowsAction(input.action)) return Status::InvalidEnum("action", input.action);
  OrderActionInput in = input;
  TH_ASSIGN_OR_RETURN(in.note, text::CleanText(in.note, "note", text::kLongText));
  TH_ASSIGN_OR_RETURN(in.outcome, text::CleanText(in.outcome, "outcome", text::kLongText));
  TH_ASSIGN_OR_RETURN(in.reply_to_reporter, text::CleanText(in.reply_to_reporter, "reply_to_reporter", text::kLongText));
  OrderView view;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto l, LoadVisible(c, who, id));
    DispatchOrderRecord& o = l.order;
    const std::string state = DispatchFlowState(o.status, o.extension_pending);
    const std::string& need = DispatchActionPermission(state, in.action);
    const bool receiver_step = need == perm::kDispatchHandle;
    if (!who.Can(need) || (receiver_step ? l.access != OrderAccess::kReceiver : l.access != OrderAccess::kCenter)) {
      return Status::Forbidden();
    }
    const work::Transition* tr = flow.Find(state, in.action);
    if (!tr) return Status::InvalidState(state);
    if (o.version != in.version) return Status::Stale();
    if (tr->note_required && in.note.empty()) return Status::Required("note");
    TH_RETURN_IF_ERROR(CheckRevisit(in));
    const std::int64_t now = deps_.clock.NowMillis();
    repo::DispatchStepRecord step;
    step.action = in.action;
    step.from_state = state;
    step.at = now;
    step.note = in.note;
    StepContext x{deps_, clocks_, reports_, c, who, in, now, o, step};
    TH_RETURN_IF_ERROR(receiver_step ? ReceiverStep(x, in.action) : CenterStep(x, in.action));
    const work::Transition* done = flow.Find(state, in.action);  // revisit may have become redo
    const std::string to = done ? done->to : tr->to;
    o.status = to == "extension_requested" ? "handling" : to;
    step.to_state = DispatchFlowState(o.status, o.extension_pending);
    TH_RETURN_IF_ERROR(DispatchRepo(c).Update(o, now));
    TH_RETURN_IF_ERROR(WriteStep(c, who, o, step));
    TH_RETURN_IF_ERROR(SyncWork(deps_, clocks_, c, o, now, x.restart_receiver));
    if (x.close_co) TH_RETURN_IF_ERROR(CloseCo(x));
    TH_RETURN_IF_ERROR(Audit(deps_, c, who, "dispatch." + in.action, o,
                             JsonObjectWriter()
                                 .Str("from", state)
                                 .Str("to", step.to_state)
                                 .Str("note", in.note)
                                 .OptInt("due_at", step.new_due_at)
                                 .Finish()));
    if (!x.report_to.empty() && o.lead) {
      ReportClosing closing;
      if (x.report_to == "closed") closing = {in.outcome, in.reply_to_reporter};
      TH_RETURN_IF_ERROR(reports_.MoveIn(c, who, o.report_id, x.report_to,
                                         DispatchActionName(in.action, false) + ": " + in.note, closing));
    }
    view = MakeView(o, l.access, who, now);
    return Status::Ok();
  }));
  DropStats();
  return view;
}

Status DispatchService::CloseWithReport(storage::Connection& c, const Principal& who, std::int64_t report_id,
                                        const std::string& outcome) {
  DispatchRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto orders, repo.ForReport(report_id));
  const std::int64_t now = deps_.clock.NowMillis();
  bool changed = false;
  for (auto& o : orders) {
    if (o.status == "closed" || o.status == "returned") continue;
    repo::DispatchStepRecord s;
    s.action = "close";
    s.from_state = DispatchFlowState(o.status, o.extension_pending);
    s.to_state = "closed";
    s.at = now;
    s.due_at = o.next_due_at == kNoDeadline ? std::nullopt : std::optional<std::int64_t>(o.next_due_at);
    s.note = "报告已由中心办结: " + outcome;
    o.status = "closed";
    o.closed_at = now;
    o.next_due_at = kNoDeadline;
    o.extension_pending = false;
    o.extension_due_at.reset();
    TH_RETURN_IF_ERROR(repo.Update(o, now));
    TH_RETURN_IF_ERROR(WriteStep(c, who, o, s));
    TH_RETURN_IF_ERROR(SyncWork(deps_, clocks_, c, o, now, false));
    TH_RETURN_IF_ERROR(Audit(deps_, c, who, "dispatch.close_with_report", o,
                             JsonObjectWriter().Str("from", s.from_state).Str("to", "closed").Str("note", s.note).Finish()));
    changed = true;
  }
  if (changed) DropStats();
  return Status::Ok();
}

std::string DispatchActionName(const std::string& action, bool en) {
  static const std::map<std::string, std::pair<const char*, const char*>> kNames = {
      {"dispatch", {"派单", "Dispatched"}},
      {"accept", {"签收", "Accepted"}},
      {"return", {"申请退单", "Return requested"}},
      {"approve_return", {"同意退单", "Return approved"}},
      {"reject_return", {"驳回退单", "Return rejected"}},
      {"request_extension", {"申请延期", "Extension requested"}},
      {"approve_extension", {"批准延期", "Extension approved"}},
      {"reject_extension", {"驳回延期", "Extension rejected"}},
      {"feedback", {"办理反馈", "Fed back"}},
      {"revisit", {"回访核实", "Return visit"}},
      {"redo", {"重办", "Redo"}},
      {"close", {"办结", "Closed"}},
  };
  auto it = kNames.find(action);
  if (it == kNames.end()) return action;
  return en ? it->second.second : it->second.first;
}

}  // namespace th::service
