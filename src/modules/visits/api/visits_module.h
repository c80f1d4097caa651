#pragma once
// The visits module (README.md beside src/modules/visits): visit schedules by risk grade and roll
// category (config/visits/schedule.json), visit records with photos, the due list, statistics, and
// the visit_due work items (config/workflows/visits.json). Uses the registry's child table for the
// roll (its own repo reads it) and the registry's roll listener.
#include "modules/visits/service/visits_service.h"
#include "platform/api/module.h"

namespace th::service {
class Services;
class ChildService;
}  // namespace th::service

namespace th::api {

class VisitsModule : public Module {
 public:
  // Registers the registry's roll listener (the service registers the jurisdiction hooks).
  VisitsModule(service::Services& platform, service::ChildService& children, domain::VisitScheduleConfig config);
  std::string_view name() const override { return "visits"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  std::vector<std::string> WorkKinds() const override { return {"visit_due"}; }
  // The nightly evaluation: at start and when the day changes.
  void StartWorkers() override { visits_.StartNightly(); }
  void StopWorkers() override { visits_.StopNightly(); }
  service::VisitsService& visits() { return visits_; }

 private:
  service::VisitsService visits_;
};

// Loads <config_dir>/visits/schedule.json (errors name the file).
Result<domain::VisitScheduleConfig> LoadVisitScheduleConfig(const std::string& config_dir);

}  // namespace th::api
