#include "platform/notify/service/escalation_notifier.h"

#include "platform/work/sweep_repo.h"
#include "platform/work/work_service.h"
#include "platform/notify/repo/notification_repo.h"
#include "platform/service/permissions.h"
#include "platform/service/roles.h"

namespace th::notify {

namespace {

using ItemFacts = WorkItemFacts;

std::string DueText(std::int64_t ms) { return FormatShanghai(ms).substr(0, 16); }

bool ToOwner(const std::string& step) { return step == "warn" || step == "overdue"; }

}  // namespace

std::vector<std::string> OverseeRoles(const service::RoleTable& roles) {
  std::vector<std::string> out;
  for (const auto& r : roles.all()) {
    if (r.permissions.count(perm::kWorkOversee)) out.push_back(r.code);
  }
  return out;
}

namespace {

struct Message {
  std::string title, body;
};

Message MessageFor(const std::string& step, const ItemFacts& f) {
  const std::string what = f.label.empty() ? f.title : f.title + "（" + f.label + "）";
  if (step == "warn") return {"即将到期：" + f.title, what + " 将于 " + DueText(f.due_at) + " 到期，请及时办理。"};
  if (step == "overdue") return {"已超期：" + f.title, what + " 已超过办理期限 " + DueText(f.due_at) + "，请尽快办理。"};
  if (step == "supervise") {
    return {"督办：" + f.unit_name + "「" + f.title + "」已超期", what + " 已超过办理期限 " + DueText(f.due_at) + "，请督促办理。"};
  }
  return {"严重超期：" + f.unit_name + "「" + f.title + "」", what + " 已严重超期（期限 " + DueText(f.due_at) + "），请区级督办。"};
}

// A unit's summary of one step in one sweep: the sweep's count so far (it is revised as later
// batches of the sweep add to it).
Message SummaryFor(const std::string& step, std::int64_t n) {
  const std::string many = std::to_string(n) + " 项";
  if (step == "warn") return {many + "待办即将到期", "请在待办中查看并及时办理。"};
  if (step == "overdue") return {many + "待办已超期", "请在待办中查看并尽快办理。"};
  if (step == "supervise") return {"督办：下级单位 " + many + "待办已超期", "请在超期督办中查看。"};
  return {"严重超期：" + many + "待办", "请在超期督办中查看并督办。"};
}

}  // namespace

Status EscalationNotifier::Summarize(storage::Connection& c, const work::EscalationGroup& g, std::int64_t at) {
  const Message m = SummaryFor(g.step, g.earlier + g.count);
  const std::string dedup = "esc-sum:" + std::to_string(g.target_unit_id) + ":" + g.step + ":" + std::to_string(at);
  const std::string link = ToOwner(g.step) ? "/inbox" : "/inbox/overdue";
  if (ToOwner(g.step)) {
    const Recipients to = g.owner_agency_id ? Recipients::AgencyRole(g.owner_agency_id, g.owner_role)
                                            : Recipients::UnitRole(g.target_unit_id, g.owner_role);
    return notify_.NotifyOrRevise(c, to, m.title, m.body, link, dedup).status();
  }
  for (const auto& role : oversee_) {
    TH_RETURN_IF_ERROR(
        notify_.NotifyOrRevise(c, Recipients::UnitRole(g.target_unit_id, role), m.title, m.body, link, dedup).status());
  }
  return Status::Ok();
}

Status EscalationNotifier::Each(storage::Connection& c, const work::EscalationRow& r) {
  TH_ASSIGN_OR_RETURN(auto facts, LoadWorkItemFacts(c, r.item_id));
  if (!facts) return Status::Ok();
  const Message m = MessageFor(r.step, *facts);
  const std::string dedup = "esc:" + std::to_string(r.item_id) + ":" + std::to_string(r.round) + ":" +
                            std::to_string(r.level) + ":" + std::to_string(r.target_unit_id);
  std::vector<Recipients> to;
  if (ToOwner(r.step)) {
    to.push_back(facts->owner_user_id     ? Recipients::User(*facts->owner_user_id)
                 : facts->owner_agency_id ? Recipients::AgencyRole(*facts->owner_agency_id, facts->owner_role)
                                          : Recipients::UnitRole(r.target_unit_id, facts->owner_role));
  } else {
    for (const auto& role : oversee_) to.push_back(Recipients::UnitRole(r.target_unit_id, role));
  }
  for (const auto& who : to) {
    TH_RETURN_IF_ERROR(notify_.Notify(c, r.item_id, who, m.title, m.body, facts->link, dedup).status());
  }
  return Status::Ok();
}

Status EscalationNotifier::OnEscalations(storage::Connection& c, const work::EscalationBatch& batch) {
  for (const work::EscalationGroup& g : batch.groups) {
    const bool few = g.earlier + g.count <= static_cast<std::int64_t>(kMaxItemsPerGroup) &&
                     g.rows.size() == static_cast<std::size_t>(g.count);
    if (!few) {
      TH_RETURN_IF_ERROR(Summarize(c, g, batch.at));
      continue;
    }
    for (const work::EscalationRow& r : g.rows) TH_RETURN_IF_ERROR(Each(c, r));
  }
  return Status::Ok();
}

Status InstallEscalationNotifier(service::Deps& deps, const service::RoleTable& roles, const std::string& config_dir) {
  work::WorkService* work = work::FindWork(deps);
  if (!work) return Status::Ok();
  TH_ASSIGN_OR_RETURN(auto cfg, LoadNotifyConfig(config_dir));
  work->SetEscalationListener(std::make_shared<EscalationNotifier>(deps, std::move(cfg), OverseeRoles(roles)));
  return Status::Ok();
}

}  // namespace th::notify
