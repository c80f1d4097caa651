#include "modules/plans/api/plans_module.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "modules/plans/api/plan_routes.h"
#include "platform/service/services.h"

namespace th::api {

Result<domain::PlansConfig> LoadPlansConfig(const std::string& config_dir) {
  const std::string path = (std::filesystem::path(config_dir) / "workflows" / "plans.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Invalid("config", "config_missing", "缺少配置文件: " + path, "Missing configuration file: " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto cfg = domain::ParsePlansConfig(ss.str());
  if (!cfg.ok()) {
    return Status::Invalid("config", cfg.status().error_code(), path + ": " + cfg.status().message_zh(),
                           path + ": " + cfg.status().message_en());
  }
  return cfg;
}

PlansModule::PlansModule(service::Services& platform, service::CaseAccess& cases, domain::PlansConfig config)
    : plans_(platform.deps(), cases, std::move(config)) {}

void PlansModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) { RegisterPlanRoutes(r, plans_, ctx); }

}  // namespace th::api
