#include "modules/visits/api/visits_module.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "modules/registry/service/child_service.h"
#include "modules/visits/api/visits_routes.h"
#include "platform/service/services.h"

namespace th::api {

VisitsModule::VisitsModule(service::Services& platform, service::ChildService& children,
                           domain::VisitScheduleConfig config)
    : visits_(platform.deps(), std::move(config)) {
  service::VisitsService* v = &visits_;
  children.AddRollListener([v](storage::Connection& c, std::int64_t child_id) { return v->OnRollChange(c, child_id); });
}

void VisitsModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) { RegisterVisitsRoutes(r, visits_, ctx); }

Result<domain::VisitScheduleConfig> LoadVisitScheduleConfig(const std::string& config_dir) {
  const std::string path = (std::filesystem::path(config_dir) / "visits" / "schedule.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Invalid("config", "config_missing", "缺少配置文件: " + path, "Missing configuration file: " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto cfg = domain::ParseVisitScheduleConfig(ss.str());
  if (!cfg.ok()) {
    return Status::Invalid("config", cfg.status().error_code(), path + ": " + cfg.status().message_zh(),
                           path + ": " + cfg.status().message_en());
  }
  return cfg;
}

}  // namespace th::api
