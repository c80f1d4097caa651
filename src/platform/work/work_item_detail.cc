#include "platform/work/work_item_detail.h"

#include "platform/service/permissions.h"

namespace th::work {

using service::Principal;

namespace {

bool MayAct(const WorkService& w, const Principal& who, const WorkItemRecord& item) {
  const KindConfig* k = w.config().Find(item.kind);
  return w.IsOwner(who, item) && k && who.Can(k->act_permission);
}

// A decision on an extension: a supervisor covering the item who does not own it.
bool MayDecide(const WorkService& w, const Principal& who, const WorkItemRecord& item) {
  return who.Can(perm::kWorkOversee) && !w.IsOwner(who, item);
}

std::vector<std::string> ActionsFor(const WorkService& w, const Principal& who, const WorkItemRecord& item) {
  std::vector<std::string> out;
  if (!item.is_open) return out;
  if (item.state == "open" && MayAct(w, who, item)) out.push_back("request_extension");
  if (item.state == "extension_requested" && MayDecide(w, who, item)) {
    out.push_back("approve_extension");
    out.push_back("reject_extension");
  }
  return out;
}

}  // namespace

Result<WorkItemDetail> ItemDetail(WorkService& w, const Principal& who, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto item, w.Get(who, id));  // 404 outside the jurisdiction
  const KindConfig* k = w.config().Find(item.kind);
  const bool reader = w.IsOwner(who, item) || who.Can(perm::kWorkOversee) || (k && who.Can(k->act_permission));
  if (!reader) return Status::Forbidden();
  WorkItemDetail d;
  TH_ASSIGN_OR_RETURN(auto h, w.deps().db.Acquire());
  WorkHistoryRepo history(*h);
  TH_ASSIGN_OR_RETURN(d.steps, history.Steps(id));
  TH_ASSIGN_OR_RETURN(d.escalations, history.Escalations(id));
  d.actions = ActionsFor(w, who, item);
  d.item = std::move(item);
  return d;
}

Result<WorkItemDetail> ItemAction(WorkService& w, const Principal& who, std::int64_t id, const std::string& action,
                                  const std::string& note, std::int64_t version, std::optional<domain::Date> due_date) {
  TH_ASSIGN_OR_RETURN(auto item, w.Get(who, id));
  if (action == "request_extension") {
    if (!w.IsOwner(who, item)) return Status::Forbidden();
  } else if (action == "approve_extension" || action == "reject_extension") {
    if (!MayDecide(w, who, item)) return Status::Forbidden();
  } else {
    return Status::Invalid("action", "invalid_enum", "未知的操作: " + action, "Unknown action: " + action);
  }
  TH_RETURN_IF_ERROR(w.Apply(who, id, action, note, version, due_date).status());
  return ItemDetail(w, who, id);
}

}  // namespace th::work
