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

Status OpenOne(work::WorkService& w, storage::Connection& c, const repo::DispatchOrderRecord& o, const std::string& kind,
               bool receiver, std::int64_t start) {
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
  return w.OpenIn(c, item);
}

}  // namespace

Status SyncWork(Deps& deps, storage::Connection& c, const repo::DispatchOrderRecord& o, std::int64_t now,
                bool restart_receiver) {
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
  if (want.receiver_kind && !has_receiver) TH_RETURN_IF_ERROR(OpenOne(*w, c, o, *want.receiver_kind, true, now));
  if (want.center_kind) TH_RETURN_IF_ERROR(OpenOne(*w, c, o, *want.center_kind, false, now));
  return Status::Ok();
}

}  // namespace th::service::dispatch_detail
