#include "modules/guardianship/api/guardianship_module.h"

#include <fstream>
#include <sstream>

#include "modules/guardianship/api/guardianship_routes.h"
#include "platform/service/services.h"

namespace th::api {

GuardianshipModule::GuardianshipModule(service::Services& platform, domain::GuardianshipConfig config,
                                       service::ChildService& children, service::CaseService& cases)
    : service_(platform.deps(), std::move(config), children, cases) {}

void GuardianshipModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) {
  RegisterGuardianshipRoutes(r, service_, ctx);
}

Result<domain::GuardianshipConfig> GuardianshipModule::LoadConfig(const std::string& config_dir) {
  const std::string file = config_dir + "/guardianship/guardianship.json";
  std::ifstream in(file);
  if (!in) {
    return Status::Invalid("guardianship", "missing_config", "缺少配置文件: " + file,
                           "Missing configuration file: " + file);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return domain::ParseGuardianshipConfig(ss.str(), file);
}

}  // namespace th::api
