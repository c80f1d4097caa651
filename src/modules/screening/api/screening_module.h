#pragma once
// The screening module (README.md beside src/modules/screening): data sources, uploaded
// department records matched against the registry, findings and verification tasks. Built from
// config/screening/rules.json over the registry's ChildService; runs one background worker.
#include <memory>

#include "modules/screening/service/screening_rules.h"
#include "modules/screening/service/screening_service.h"
#include "platform/api/module.h"

namespace th::api {

class ScreeningModule : public Module {
 public:
  ScreeningModule(service::Services& platform, service::ChildService& children, service::ScreeningRules rules);
  ~ScreeningModule() override;
  std::string_view name() const override { return "screening"; }
  std::vector<std::string> WorkKinds() const override { return {"screening_verify"}; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  // Batches are matched in the background: one worker thread, stopped before exit.
  void StartWorkers() override;
  void StopWorkers() override;
  service::ScreeningService& screening() { return screening_; }

 private:
  service::ScreeningService screening_;
  std::unique_ptr<service::ScreeningWorker> worker_;
};

}  // namespace th::api
