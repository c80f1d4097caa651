#pragma once
// The warnings module (README.md beside src/modules/warnings): early-warning rules as data
// (config/warnings/*.json), evaluated when data changes and nightly; each warning a `warning` work
// item (config/workflows/warnings.json). Uses registry, cases, visits, reports and screening data
// (its own repo reads their tables for the set-based evaluation) and their listeners.
#include "modules/warnings/service/warning_service.h"
#include "platform/api/module.h"

namespace th::service {
class Services;
class ChildService;
}  // namespace th::service

namespace th::api {

class WarningsModule : public Module {
 public:
  // Registers the registry's roll and change listeners (the service registers the jurisdiction hooks).
  WarningsModule(service::Services& platform, service::ChildService& children, domain::WarningConfig config);
  std::string_view name() const override { return "warnings"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  std::vector<std::string> WorkKinds() const override { return {"warning"}; }
  // The nightly evaluation: at start and when the day changes.
  void StartWorkers() override { warnings_.StartNightly(); }
  void StopWorkers() override { warnings_.StopNightly(); }
  service::WarningService& warnings() { return warnings_; }

 private:
  service::WarningService warnings_;
};

// Loads every <config_dir>/warnings/*.json (in name order; rule codes unique across the files).
// Errors name the file; a missing folder or no rule is an error.
Result<domain::WarningConfig> LoadWarningConfig(const std::string& config_dir);

}  // namespace th::api
