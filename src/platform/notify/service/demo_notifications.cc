#include "platform/notify/service/demo_notifications.h"

#include "platform/notify/service/notification_service.h"
#include "platform/repo/user_repo.h"

namespace th::notify {

Status LoadDemoNotifications(service::Deps& deps, const NotifyConfig& config) {
  NotificationService svc(deps, config);
  return service::InTransaction(deps.db, [&](storage::Connection& c) -> Status {
    repo::UserRepo users(c);
    for (const char* name : {"admin", "district", "supervisor", "director", "director2", "grid", "social", "liaison",
                             "leader"}) {
      auto u = users.GetByUsername(name);
      if (!u.ok()) continue;
      TH_RETURN_IF_ERROR(svc.Notify(c, std::nullopt, Recipients::User(u->id), "欢迎使用童护（演示）",
                                    "铃铛里是与您有关的提醒：待办到期、超期督办等。点击可直接办理。", "/",
                                    "demo:welcome")
                             .status());
    }
    return Status::Ok();
  });
}

}  // namespace th::notify
