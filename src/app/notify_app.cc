#include "app/notify_app.h"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "http/http_client.h"

namespace th::notify {

namespace {

ChannelSender HttpSender() {
  return [](const std::string& url, const std::string& body,
            const std::vector<std::pair<std::string, std::string>>& headers,
            std::chrono::milliseconds timeout) -> Result<ChannelAnswer> {
    TH_ASSIGN_OR_RETURN(auto r, http::PostJson(url, body, headers, timeout));
    return ChannelAnswer{r.status};
  };
}

}  // namespace

Result<std::unique_ptr<OutboxWorker>> StartNotifyWorker(app::App& app, const std::string& config_dir) {
  TH_ASSIGN_OR_RETURN(auto cfg, LoadNotifyConfig(config_dir));
  if (!cfg.AnyChannel()) return std::unique_ptr<OutboxWorker>();
  auto w = std::make_unique<OutboxWorker>(*app.db, *app.clock, *app.keys, cfg, HttpSender());
  w->Start();
  spdlog::info("notify: SMS delivery on, every {} ms", cfg.interval_ms);
  return w;
}

int RunNotifyDeliver(app::App& app, const std::string& config_dir) {
  auto cfg = LoadNotifyConfig(config_dir);
  if (!cfg.ok()) {
    std::fprintf(stderr, "错误 / error: %s\n", cfg.status().ToString().c_str());
    return 1;
  }
  if (!cfg->AnyChannel()) {
    std::fprintf(stderr, "通知投递未启用 / delivery is off (%s/notify.json: sms.enabled)\n", config_dir.c_str());
    return 1;
  }
  OutboxWorker w(*app.db, *app.clock, *app.keys, *cfg, HttpSender());
  auto r = w.DeliverAllDue();
  if (!r.ok()) {
    std::fprintf(stderr, "错误 / error: %s\n", r.status().ToString().c_str());
    return 1;
  }
  std::printf("已投递 / delivered %d, 待重试 / to retry %d, 放弃 / given up %d (claimed %d)\n", r->delivered, r->failed,
              r->gave_up, r->claimed);
  return 0;
}

}  // namespace th::notify
