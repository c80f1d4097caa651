#pragma once
// Escalation steps of the work engine → notifications (issue 10): each step the sweeper records
// notifies, once, in the sweep's transaction:
//   warn / overdue  the item's owner (its user when assigned, else the owner unit's users of the
//                   owner role);
//   supervise (督办) and district  the users of the target unit whose role may oversee (work.oversee).
// Each notification names its work item and links to it. When one unit gets more than
// kMaxItemsPerGroup steps of one kind in a batch (a district going overdue at once) it gets one
// summary notification for them instead of one per item. Once-only by a dedup key per item, round,
// level and target unit, so a step swept again (two servers, a retried batch) notifies nobody twice.
#include <memory>
#include <vector>

#include "platform/notify/service/notification_service.h"
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
  Status OnEscalations(storage::Connection& c, const std::vector<work::EscalationRow>& steps) override;

 private:
  NotificationService notify_;
  std::vector<std::string> oversee_;
};

// The codes of the roles granted work.oversee.
std::vector<std::string> OverseeRoles(const service::RoleTable& roles);

// Installs an EscalationNotifier (with <config_dir>/notify.json's channels) on the installed work
// engine; no-op without one. Errors: the config file's.
Status InstallEscalationNotifier(service::Deps& deps, const service::RoleTable& roles, const std::string& config_dir);

}  // namespace th::notify
