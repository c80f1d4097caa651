#pragma once
// Escalation steps of the work engine → notifications (issue 10), in each sweep batch's transaction:
//   warn / overdue  the item's owner (its user when assigned, else the owner agency's users of the
//                   owner role when an agency owns it, else the owner unit's);
//   supervise (督办) and district  the users of the target unit whose role may oversee (work.oversee).
// Per recipient and sweep: while a unit's steps of one kind in the sweep number at most
// kMaxItemsPerGroup, one notice per step, naming and linking to its work item (once-only by a
// dedup key per item, round, level and unit); beyond that, one summary for the sweep ("N 项待办已超期",
// dedup key per unit, step and sweep time) whose count is revised as later batches add to it. A
// district going overdue at once thus gets a handful of notices, not hundreds of thousands.
#include <memory>
#include <vector>

#include "platform/notify/service/notification_service.h"
#include "platform/work/sweep_repo.h"
#include "platform/work/work_hooks.h"

namespace th::service {
class RoleTable;
}  // namespace th::service

namespace th::notify {

class EscalationNotifier final : public work::EscalationListener {
 public:
  static constexpr std::size_t kMaxItemsPerGroup = 10;
  // `oversee_roles`: the roles whose users get the 督办 and district steps (OverseeRoles).
  EscalationNotifier(service::Deps& deps, NotifyConfig config, std::vector<std::string> oversee_roles)
      : notify_(deps, std::move(config)), oversee_(std::move(oversee_roles)) {}
  std::int64_t RowsUpTo() const override { return kMaxItemsPerGroup; }
  Status OnEscalations(storage::Connection& c, const work::EscalationBatch& batch) override;

 private:
  Status Summarize(storage::Connection& c, const work::EscalationGroup& g, std::int64_t at);
  Status Each(storage::Connection& c, const work::EscalationRow& r);
  NotificationService notify_;
  std::vector<std::string> oversee_;
};

// The codes of the roles granted work.oversee.
std::vector<std::string> OverseeRoles(const service::RoleTable& roles);

// Installs an EscalationNotifier (with <config_dir>/notify.json's channels) on the installed work
// engine; no-op without one. Errors: the config file's.
Status InstallEscalationNotifier(service::Deps& deps, const service::RoleTable& roles, const std::string& config_dir);

}  // namespace th::notify
