// INTERIM until the engine's generic work API (work_hooks.h WorkOpen / Sync / Open / Close) lands
// on main: the same items through WorkService::OpenIn / CloseFor. dispatch_work.cc replaces it.
#include "modules/dispatch/service/dispatch_internal.h"
#include "modules/dispatch/service/dispatch_workflow.h"
#include "platform/work/work_repo.h"
#include "platform/work/work_service.h"

namespace th::service::dispatch_detail {

namespace {

const char* TitleOf(const std::string& kind) {
  if (kind == "dispatch_accept") return "签收派单";
  if (kind == "dispatch_handle") return "办理派单";
  if (kind == "dispatch_revisit") return "派单回访";
  if (kind == "dispatch_return_review") return "退单审核";
  return "延期审核";
}

// The deadline an item of `kind` has on order `o` (the order's own, stored; 0 for review items,
// which take the kind's clock).
std::int64_t OrderDue(const repo::DispatchOrderRecord& o, const std::string& kind) {
  if (kind == "dispatch_accept") return o.accept_due_at;
  if (kind == "dispatch_handle") return o.handle_due_at.value_or(0);
  if (kind == "dispatch_revisit") return o.revisit_due_at.value_or(0);
  return 0;
}

Status OpenOne(Deps& deps, const DispatchClocks& clocks, work::WorkService& w, storage::Connection& c,
               const repo::DispatchOrderRecord& o, const std::string& kind, bool receiver, std::int64_t start,
               bool new_round) {
  work::WorkItemRecord item;
  item.kind = kind;
  item.subject_type = "dispatch_order";
  item.subject_id = o.id;
  item.title = TitleOf(kind);
  item.label = std::string(o.lead ? "派单" : "协办派单") + " #" + std::to_string(o.id) + " " + o.target_name;
  item.link = "/dispatch/" + std::to_string(o.id);
  item.owner_unit_id = receiver ? o.unit_id : o.district_unit_id;
  item.owner_role = receiver ? o.receiver_role : "district";
  work::WorkRepo repo(c);
  TH_ASSIGN_OR_RETURN(item.owner_unit_path, repo.UnitPath(item.owner_unit_id));
  item.district_unit_id = o.district_unit_id;
  item.started_at = start;
  TH_RETURN_IF_ERROR(w.OpenIn(c, item));
  // The item keeps the order's deadline (the order's clock variant, an approved extension).
  const std::int64_t due = OrderDue(o, kind);
  const Clocked d = due ? AroundDue(deps, clocks, kind, o, start, due) : ClockFor(deps, clocks, kind, o, start);
  return repo.SetDeadlines(item.id, d.warn_at, d.due_at, d.district_at, d.beyond_calendar ? 1 : 0, new_round);
}

}  // namespace

Status SyncWork(Deps& deps, const DispatchClocks& clocks, storage::Connection& c, const repo::DispatchOrderRecord& o,
                std::int64_t now, bool restart_receiver) {
  work::WorkService* w = work::FindWork(deps);
  if (!w) return Status::Ok();
  const WaitingWork want = WorkFor(DispatchFlowState(o.status, o.extension_pending), o.lead);
  work::WorkRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto open, repo.OpenFor("dispatch_order", o.id));
  bool has_receiver = false;
  for (const auto& item : open) {
    const bool keep = want.receiver_kind && item.kind == *want.receiver_kind && !restart_receiver;
    if (keep) {
      has_receiver = true;
      continue;
    }
    TH_RETURN_IF_ERROR(repo.Close(item.id, now).status());
  }
  if (want.receiver_kind && !has_receiver) {
    TH_RETURN_IF_ERROR(OpenOne(deps, clocks, *w, c, o, *want.receiver_kind, true, now, false));
  }
  if (want.center_kind) TH_RETURN_IF_ERROR(OpenOne(deps, clocks, *w, c, o, *want.center_kind, false, now, false));
  return Status::Ok();
}

}  // namespace th::service::dispatch_detail
