#pragma once
// The ordered list of modules (../shared/DESIGN.md "Architecture"): built once on the platform's
// Services, from the configuration directory. Each module owns its services; this is the one place
// that wires them (no global registries) and registers their routes and workers.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/message.h"
#include "platform/api/module.h"
#include "platform/api/platform_routes.h"

namespace th::service {
class Accounts;
class CaseService;
class GuardianshipService;
class ChildService;
class CaseAccess;
class ConferenceService;
class DispatchService;
class PlanService;
class ReportService;
class ScreeningService;
class Services;
class VisitsService;
class WarningService;
}  // namespace th::service

namespace th::api {
class AccountsModule;
class CasesModule;
class GuardianshipModule;
class CaseStatsModule;
class ConferencesModule;
class DispatchModule;
class PlansModule;
class RegistryModule;
class ReportsModule;
class ScreeningModule;
class VisitsModule;
class WarningsModule;
}  // namespace th::api

namespace th::app {

class Modules {
 public:
  // The modules that need no configuration file: accounts. `platform` must outlive this.
  explicit Modules(service::Services& platform);
  // Stops workers and destroys the modules in reverse order (a module may use an earlier one).
  ~Modules();
  Modules(const Modules&) = delete;
  Modules& operator=(const Modules&) = delete;

  // Adds the configured modules in order: registry (category rules: `categories` is a file path,
  // or a province name resolved as <config_dir>/categories/<name>.json; empty = guangdong), then
  // screening (<config_dir>/screening/rules.json), then reports (<config_dir>/reports/categories.json), then dispatch (<config_dir>/workflows/dispatch.json variants), then visits (<config_dir>/visits/schedule.json), then workbench (the 工作台 numbers). A missing or invalid file is an error naming it.
  // At most once.
  Status Configure(const std::string& config_dir, const std::string& categories);

  // Registers the platform's routes, then every module's, in list order.
  void RegisterRoutes(http::Router& r, const api::ApiOptions& options);
  // Starts (stops) every module's background workers.
  void StartWorkers();
  void StopWorkers();

  // The modules' names in order ("accounts", "registry", "screening", "workbench").
  std::vector<std::string_view> Names() const;
  service::Accounts& accounts();
  // Null before Configure.
  service::ChildService* children();
  service::ScreeningService* screening();
  service::ReportService* reports();
  service::CaseService* cases();  // the cases module (config/cases, config/assessments)
  service::DispatchService* dispatch();
  service::PlanService* plans();
  service::VisitsService* visits();
  service::ConferenceService* conferences();  // conferences (<config_dir>/conferences/config.json)
  service::GuardianshipService* guardianship();  // guardianship (<config_dir>/guardianship/guardianship.json)
  service::WarningService* warnings();        // early warnings (<config_dir>/warnings/*.json)

 private:
  // Every work kind a module opens is configured (config/workflows), or the app does not start.
  Status CheckWorkKinds(const std::string& config_dir) const;
  // Adds the plans module (after cases).
  Status ConfigurePlans(const std::string& config_dir);
  // Adds the guardianship module (after cases) and wires its red-grade check when cases.json says so.
  Status ConfigureGuardianship(const std::string& config_dir);
  // Adds the warnings module and wires its listeners (grade, reports; after conferences).
  Status ConfigureWarnings(const std::string& config_dir);
  // Links conferences to cases: the case check and the red grade's conference_needed listener.
  void WireConferences();

  service::Services& platform_;
  std::vector<std::unique_ptr<api::Module>> list_;
  api::AccountsModule* accounts_ = nullptr;
  api::RegistryModule* registry_ = nullptr;
  api::ScreeningModule* screening_ = nullptr;
  api::ReportsModule* reports_ = nullptr;
  api::CasesModule* cases_ = nullptr;
  api::GuardianshipModule* guardianship_ = nullptr;
  api::DispatchModule* dispatch_ = nullptr;
  // The plans module's view of the cases (over the cases module's service); outlives plans_.
  std::unique_ptr<service::CaseAccess> plan_cases_;
  api::PlansModule* plans_ = nullptr;
  api::VisitsModule* visits_ = nullptr;
  api::ConferencesModule* conferences_ = nullptr;
  api::WarningsModule* warnings_ = nullptr;
  api::CaseStatsModule* casestats_ = nullptr;  // case statistics (after cases, plans, visits, conferences)
};

}  // namespace th::app
