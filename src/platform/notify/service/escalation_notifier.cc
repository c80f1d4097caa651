#include "platform/notify/service/escalation_notifier.h"

#include <map>
#include <tuple>

#include "platform/work/work_repo.h"
#include "platform/work/work_service.h"
#include "platform/notify/repo/notification_repo.h"
#include "platform/service/permissions.h"
#include "platform/service/roles.h"

namespace th::notify {

namespace {

using ItemFacts = WorkItemFacts;

std::string DueText(std::int64_t ms) { return FormatShanghai(ms).substr(0, 16); }

bool ToOwner(const std::string& step) { return step == "warn" || step == "overdue"; }

// The roles of the people a supervise / district step goes to.
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

// A sweep works in batches and a unit's summary is once per sweep (its dedup key), so the text says
// "more than kMaxItemsPerGroup" rather than a count that would hold for one batch only.
Message SummaryFor(const std::string& step) {
  const std::string many = "超过 " + std::to_string(EscalationNotifier::kMaxItemsPerGroup) + " 项";
  if (step == "warn") return {many + "待办即将到期", "请在待办中查看并及时办理。"};
  if (step == "overdue") return {many + "待办已超期", "请在待办中查看并尽快办理。"};
  if (step == "supervise") return {"督办：下级单位" + many + "待办已超期", "请在超期督办中查看。"};
  return {"严重超期：" + many + "待办", "请在超期督办中查看并督办。"};
}

}  // namespace

Status EscalationNotifier::OnEscalations(storage::Connection& c, const std::vector<work::EscalationRow>& steps) {
  // Group by (target unit, step): a unit's many steps of one kind become one summary.
  std::map<std::pair<std::int64_t, std::string>, std::vector<const work::EscalationRow*>> groups;
  for (const auto& s : steps) groups[{s.target_unit_id, s.step}].push_back(&s);
  const std::vector<std::string>& kOversee = oversee_;
  for (const auto& [key, rows] : groups) {
    const auto& [unit, step] = key;
    if (rows.size() > kMaxItemsPerGroup) {
      const Message m = SummaryFor(step);
      const std::string dedup = "esc-sum:" + std::to_string(unit) + ":" + step + ":" + std::to_string(rows[0]->at);
      const std::string link = ToOwner(step) ? "/inbox" : "/inbox/overdue";
      if (ToOwner(step)) {
        // The owners: the roles that own open items of the unit (one cheap index read, not one per item).
        TH_ASSIGN_OR_RETURN(auto roles, OpenItemOwnerRoles(c, unit));
        for (const auto& r : roles) {
          TH_RETURN_IF_ERROR(
              notify_.Notify(c, std::nullopt, Recipients::UnitRole(unit, r), m.title, m.body, link, dedup).status());
        }
      } else {
        for (const auto& role : kOversee) {
          TH_RETURN_IF_ERROR(notify_.Notify(c, std::nullopt, Recipients::UnitRole(unit, role), m.title, m.body, link, dedup).status());
        }
      }
      continue;
    }
    for (const work::EscalationRow* r : rows) {
      TH_ASSIGN_OR_RETURN(auto facts, LoadWorkItemFacts(c, r->item_id));
      if (!facts) continue;
      const Message m = MessageFor(step, *facts);
      const std::string dedup = "esc:" + std::to_string(r->item_id) + ":" + std::to_string(r->round) + ":" +
                                std::to_string(r->level) + ":" + std::to_string(unit);
      std::vector<Recipients> to;
      if (ToOwner(step)) {
        to.push_back(facts->owner_user_id ? Recipients::User(*facts->owner_user_id) : Recipients::UnitRole(unit, facts->owner_role));
      } else {
        for (const auto& role : kOversee) to.push_back(Recipients::UnitRole(unit, role));
      }
      for (const auto& who : to) {
        TH_RETURN_IF_ERROR(notify_.Notify(c, r->item_id, who, m.title, m.body, facts->link, dedup).status());
      }
    }
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
