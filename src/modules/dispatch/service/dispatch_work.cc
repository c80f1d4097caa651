// The work items of what an order waits on, through the engine's generic hooks (deps.work):
// the receiver's dispatch_accept / dispatch_handle (owned by the department's liaisons, or the
// street's supervisor / the community's child director) and the center's dispatch_return_review /
// dispatch_extension_review / dispatch_revisit (owned by the district). 待办, deadlines and
// escalation then come from the engine.
#include "modules/dispatch/service/dispatch_internal.h"
#include "modules/dispatch/service/dispatch_workflow.h"
#include "platform/work/work_hooks.h"
#include "platform/work/work_service.h"

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

std::string VariantOf(const Deps& deps, const std::string& kind, const DispatchOrderRecord& o) {
  auto* work = work::FindWork(const_cast<Deps&>(deps));
  if (!work) return "";
  const work::KindConfig* k = work->config().Find(kind);
  if (!k) return "";
  return DispatchVariant(o.urgency, o.category, [&](const std::string& v) { return k->variants.count(v) > 0; });
}

Status SyncWork(Deps& deps, storage::Connection& c, const DispatchOrderRecord& o, std::int64_t now,
                bool restart_receiver) {
  work::WorkHooks* h = deps.work.get();
  if (!h) return Status::Ok();
  const WaitingWork want = WorkFor(DispatchFlowState(o.status, o.extension_pending), o.lead);
  if (restart_receiver && want.receiver_kind) {
    TH_RETURN_IF_ERROR(h->Close(c, "dispatch_order", o.id, *want.receiver_kind));
  }
  std::optional<work::WorkOpen> receiver;
  if (want.receiver_kind) {
    receiver = OpenOf(o, *want.receiver_kind, true, now, VariantOf(deps, *want.receiver_kind, o));
  }
  TH_RETURN_IF_ERROR(h->Sync(c, "dispatch_order", o.id, receiver).status());
  if (want.center_kind) {
    TH_RETURN_IF_ERROR(
        h->Open(c, OpenOf(o, *want.center_kind, false, now, VariantOf(deps, *want.center_kind, o))).status());
  }
  return Status::Ok();
}

}  // namespace th::service::dispatch_detail
