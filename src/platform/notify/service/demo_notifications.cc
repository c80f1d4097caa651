#include "platform/notify/service/demo_notifications.h"

#include "platform/notify/service/notification_service.h"
#include "platform/repo/user_repo.h"

namespace th::notify {

Status LoadDemoNotifications(service::Deps& deps, const NotifyConfig& config) {
  struct Demo {
    const char* username;
    const char* title;
    const char* body;
    const char* link;
  };
  static const Demo kDemo[] = {
      {"supervisor", "待审核：入册申请（演示）", "布吉社区儿童主任提交了一份入册申请，请在5个工作日内审核。", "/roll-requests"},
      {"director", "核实任务将到期（演示）", "您有一条排查核实任务将于3个工作日后到期。", "/screening/tasks"},
      {"director2", "核实任务将到期（演示）", "您有一条排查核实任务将于3个工作日后到期。", "/screening/tasks"},
      {"district", "督办：入册申请确认超期（演示）", "一份入册申请已超过确认期限，请督办。", "/roll-requests"},
      {"grid", "新的排查核实任务（演示）", "请入户核实一名儿童的情况并记录结果。", "/screening/tasks"},
  };
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
    for (const Demo& d : kDemo) {
      auto u = users.GetByUsername(d.username);
      if (!u.ok()) continue;
      TH_RETURN_IF_ERROR(svc.Notify(c, std::nullopt, Recipients::User(u->id), d.title, d.body, d.link,
                                    std::string("demo:") + d.title)
                             .status());
    }
    return Status::Ok();
  });
}

}  // namespace th::notify
