#include "app/modules.h"

#include "app/bootstrap.h"
#include "modules/accounts/api/accounts_module.h"
#include "modules/conferences/api/conferences_module.h"
#include "modules/dispatch/api/dispatch_module.h"
#include "modules/registry/api/registry_module.h"
#include "modules/reports/api/reports_module.h"
#include "modules/screening/api/screening_module.h"
#include "modules/workbench/api/workbench_module.h"
#include "platform/notify/api/notification_routes.h"
#include "platform/work/work_routes.h"
#include "platform/work/work_service.h"
#include "platform/service/services.h"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace th::app {

namespace {

// config/reports/categories.json (a missing or invalid file is an error naming it).
Result<domain::ReportConfig> LoadReportConfig(const std::string& config_dir) {
  const std::string path = (std::filesystem::path(config_dir) / "reports" / "categories.json").string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Invalid("config", "config_missing", "缺少配置文件: " + path, "Missing configuration file: " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto cfg = domain::ParseReportConfig(ss.str());
  if (!cfg.ok()) {
    return Status::Invalid("config", cfg.status().error_code(), path + ": " + cfg.status().message_zh(),
                           path + ": " + cfg.status().message_en());
  }
  return cfg;
}

}  // namespace

Modules::Modules(service::Services& platform) : platform_(platform) {
  auto accounts = std::make_unique<api::AccountsModule>(platform_);
  accounts_ = accounts.get();
  list_.push_back(std::move(accounts));
}

Modules::~Modules() {
  StopWorkers();
  while (!list_.empty()) list_.pop_back();
}

Status Modules::Configure(const std::string& config_dir, const std::string& categories) {
  if (registry_) return Status::Internal("modules already configured");
  TH_ASSIGN_OR_RETURN(auto cfg, LoadCategoryConfig(config_dir, categories));
  TH_ASSIGN_OR_RETURN(auto rules, LoadScreeningRules(config_dir));
  auto registry = std::make_unique<api::RegistryModule>(platform_, std::move(cfg));
  auto screening = std::make_unique<api::ScreeningModule>(platform_, registry->children(), std::move(rules));
  auto workbench = std::make_unique<api::WorkbenchModule>(platform_, &registry->children().categories());
  TH_ASSIGN_OR_RETURN(auto report_cfg, LoadReportConfig(config_dir));
  auto reports = std::make_unique<api::ReportsModule>(platform_, std::move(report_cfg), registry->children(),
                                                      &screening->screening());
  TH_ASSIGN_OR_RETURN(auto dispatch_clocks, service::DispatchClocks::Load(config_dir));
  auto dispatch = std::make_unique<api::DispatchModule>(platform_, reports->reports(), std::move(dispatch_clocks));
  registry_ = registry.get();
  screening_ = screening.get();
  reports_ = reports.get();
  dispatch_ = dispatch.get();
  list_.push_back(std::move(registry));
  list_.push_back(std::move(screening));
  list_.push_back(std::move(reports));
  list_.push_back(std::move(dispatch));
  list_.push_back(std::move(workbench));
  TH_ASSIGN_OR_RETURN(auto conference_cfg, api::ConferencesModule::LoadConfig(config_dir));
  auto conferences = std::make_unique<api::ConferencesModule>(platform_, registry_->children(), std::move(conference_cfg));
  conferences_ = conferences.get();
  list_.push_back(std::move(conferences));
  return CheckWorkKinds(config_dir);
}

Status Modules::CheckWorkKinds(const std::string& config_dir) const {
  const work::WorkService* engine = work::FindWork(platform_.deps());
  if (!engine) return Status::Ok();  // commands that run without the engine
  for (const auto& m : list_) {
    for (const auto& kind : m->WorkKinds()) {
      if (!engine->config().Find(kind)) {
        return Status::Invalid("config", "invalid_config",
                               "流程配置缺少模块 " + std::string(m->name()) + " 的待办类型 " + kind + ": " + config_dir +
                                   "/workflows",
                               "The workflow config lacks kind " + kind + " of module " + std::string(m->name()) +
                                   ": " + config_dir + "/workflows");
      }
    }
  }
  return Status::Ok();
}

void Modules::RegisterRoutes(http::Router& r, const api::ApiOptions& options) {
  const api::RouteContext ctx = api::MakeRouteContext(platform_);
  api::RegisterPlatformRoutes(r, platform_, ctx, options);
  // The platform's parts: the work engine's inbox (when installed) and the notifications.
  api::RegisterWorkRoutes(r, platform_, ctx);
  api::RegisterNotificationRoutes(r, platform_, ctx);
  for (auto& m : list_) m->RegisterRoutes(r, ctx);
}

void Modules::StartWorkers() {
  for (auto& m : list_) m->StartWorkers();
}

void Modules::StopWorkers() {
  for (auto it = list_.rbegin(); it != list_.rend(); ++it) (*it)->StopWorkers();
}

std::vector<std::string_view> Modules::Names() const {
  std::vector<std::string_view> out;
  for (const auto& m : list_) out.push_back(m->name());
  return out;
}

service::Accounts& Modules::accounts() { return accounts_->accounts(); }
service::ChildService* Modules::children() { return registry_ ? &registry_->children() : nullptr; }
service::ScreeningService* Modules::screening() { return screening_ ? &screening_->screening() : nullptr; }
service::ConferenceService* Modules::conferences() {
  return conferences_ ? &conferences_->conferences() : nullptr;
}
service::ReportService* Modules::reports() { return reports_ ? &reports_->reports() : nullptr; }
service::DispatchService* Modules::dispatch() { return dispatch_ ? &dispatch_->dispatch() : nullptr; }

}  // namespace th::app
