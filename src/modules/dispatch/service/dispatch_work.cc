// The work items of what an order waits on, through the engine's generic hooks (deps.work):
// the receiver's dispatch_accept / dispatch_handle (owned by the department's liaisons, or the
// street's supervisor / the community's child director) and the center's dispatch_return_review /
// dispatch_extension_review / dispatch_revisit (owned by the district). 待办, deadlines and
// escalation then come from the engine.
#include "modules/dispatch/service/dispatch_internal.h"
#include "modules/dispatch/service/dispatch_workflow.h"
#include "platform/work/work_hooks.h"
#include "platform/work/work_repo.h"

namespace th::service::dispatch_detail {

using repo::DispatchOrderRecord;

namespace {

const char* TitleOf(const std::string& kind) {
  if (kind == "dispatch_accept") return "签收派单";
  if (kind == "dispatch_handle") return "办理派单";
  if (kind == "dispatch_revisit") return "派单回访";
  if (kind == "dispatch_return_review") return "退单审核";
  return "延期审核";
}

work::WorkOpen OpenOf(const DispatchOrderRecord& o, const std::string& kind, bool receiver, std::int64_t start,
                      const std::string& variant) {
  work::WorkOpen w;
  w.kind = kind;
  w.subject_type = "dispatch_order";
  w.subject_id = o.id;
  w.title = TitleOf(kind);
  w.label = std::string(o.lead ? "派单" : "协办派单") + " #" + std::to_string(o.id) + " " + o.target_name;
  w.link = "/dispatch/" + std::to_string(o.id);
  if (receiver) {
    w.owner_unit_id = o.unit_id;
    w.owner_role = o.receiver_role;
    if (o.agency_id) w.owner_agency_id = o.agency_id;
  } else {
    w.owner_unit_id = o.district_unit_id;
    w.owner_role = "district";
  }
  w.started_at = start;
  w.variant = variant;
  return w;
}

}  // namespace

// The deadline an item of `kind` has on order `o` (the order's own, stored; 0 for the reviews,
// which take the kind's clock).
std::int64_t OrderDue(const DispatchOrderRecord& o, const std::string& kind) {
  if (kind == "dispatch_accept") return o.accept_due_at;
  if (kind == "dispatch_handle") return o.handle_due_at.value_or(0);
  if (kind == "dispatch_revisit") return o.revisit_due_at.value_or(0);
  return 0;
}

// The item `id` just opened keeps the order's deadline (an approved extension sets a date the
// kind's clock does not give).
Status FollowOrder(Deps& deps, const DispatchClocks& clocks, storage::Connection& c, const DispatchOrderRecord& o,
                   const std::string& kind, std::int64_t id, std::int64_t start) {
  const std::int64_t due = OrderDue(o, kind);
  if (id == 0 || due == 0) return Status::Ok();
  const Clocked d = AroundDue(deps, clocks, kind, o, start, due);
  return work::WorkRepo(c).SetDeadlines(id, d.warn_at, d.due_at, d.district_at, d.beyond_calendar ? 1 : 0, false);
}

Status SyncWork(Deps& deps, const DispatchClocks& clocks, storage::Connection& c, const DispatchOrderRecord& o,
                std::int64_t now, bool restart_receiver) {
  work::WorkHooks* h = deps.work.get();
  if (!h) return Status::Ok();
  const WaitingWork want = WorkFor(DispatchFlowState(o.status, o.extension_pending), o.lead);
  if (restart_receiver && want.receiver_kind) {
    TH_RETURN_IF_ERROR(h->Close(c, "dispatch_order", o.id, *want.receiver_kind));
  }
  std::optional<work::WorkOpen> receiver;
  if (want.receiver_kind) receiver = OpenOf(o, *want.receiver_kind, true, now, VariantOf(clocks, *want.receiver_kind, o));
  // Is the receiver's item already open (kept, with its deadline and escalation)?
  bool had = false;
  if (want.receiver_kind && !restart_receiver) {
    TH_ASSIGN_OR_RETURN(auto open, work::WorkRepo(c).OpenFor("dispatch_order", o.id));
    for (const auto& w : open) had = had || w.kind == *want.receiver_kind;
  }
  TH_ASSIGN_OR_RETURN(std::int64_t id, h->Sync(c, "dispatch_order", o.id, receiver));
  if (want.receiver_kind && !had) TH_RETURN_IF_ERROR(FollowOrder(deps, clocks, c, o, *want.receiver_kind, id, now));
  if (want.center_kind) {
    TH_ASSIGN_OR_RETURN(std::int64_t cid,
                        h->Open(c, OpenOf(o, *want.center_kind, false, now, VariantOf(clocks, *want.center_kind, o))));
    TH_RETURN_IF_ERROR(FollowOrder(deps, clocks, c, o, *want.center_kind, cid, now));
  }
  return Status::Ok();
}

}  // namespace th::service::dispatch_detail
