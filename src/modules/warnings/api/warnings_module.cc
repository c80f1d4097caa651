#include "modules/warnings/api/warnings_module.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "modules/registry/service/child_service.h"
#include "modules/warnings/api/warnings_routes.h"
#include "platform/service/services.h"

namespace th::api {

WarningsModule::WarningsModule(service::Services& platform, service::ChildService& children,
                               domain::WarningConfig config)
    : warnings_(platform.deps(), std::move(config)) {
  service::WarningService* w = &warnings_;
  children.AddRollListener([w](storage::Connection& c, std::int64_t child_id) { return w->OnChildChanged(c, child_id); });
  children.AddChangeListener([w](storage::Connection& c, std::int64_t child_id) { return w->OnChildChanged(c, child_id); });
}

void WarningsModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) { RegisterWarningsRoutes(r, warnings_, ctx); }

Result<domain::WarningConfig> LoadWarningConfig(const std::string& config_dir) {
  const std::filesystem::path dir = std::filesystem::path(config_dir) / "warnings";
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  if (ec || files.empty()) {
    return Status::Invalid("config", "config_missing", "缺少预警规则配置: " + dir.string() + "/*.json",
                           "Missing warning rules: " + dir.string() + "/*.json");
  }
  std::sort(files.begin(), files.end());
  domain::WarningConfig all;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    auto cfg = domain::ParseWarningConfig(ss.str());
    if (!cfg.ok()) {
      return Status::Invalid("config", cfg.status().error_code(), path.string() + ": " + cfg.status().message_zh(),
                             path.string() + ": " + cfg.status().message_en());
    }
    all.version = std::max(all.version, cfg->version);
    for (auto& rule : cfg->rules) {
      if (all.Find(rule.code)) {
        if (rule.code == "manual") continue;  // added to each file that has none
        return Status::Invalid("config", "invalid_config", path.string() + ": 预警规则编码重复: " + rule.code,
                               path.string() + ": duplicate warning rule code: " + rule.code);
      }
      all.rules.push_back(std::move(rule));
    }
  }
  return all;
}

}  // namespace th::api
