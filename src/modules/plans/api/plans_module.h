#pragma once
// The plans module (README.md beside src/modules/plans): 一人一策 plans, service records and
// group services. Built over the cases module's service (adapted to service::CaseAccess) with the
// module keys of config/workflows/plans.json (LoadPlansConfig).
#include <memory>
#include <string>

#include "modules/plans/service/plan_service.h"
#include "platform/api/module.h"

namespace th::service {
class Services;
}

namespace th::api {

// config/workflows/plans.json under `config_dir` (a missing or invalid file is an error naming it).
Result<domain::PlansConfig> LoadPlansConfig(const std::string& config_dir);

class PlansModule : public Module {
 public:
  // `cases` outlives the module.
  PlansModule(service::Services& platform, service::CaseAccess& cases, domain::PlansConfig config);
  std::string_view name() const override { return "plans"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  std::vector<std::string> WorkKinds() const override { return {"plan_review", "plan_task"}; }
  service::PlanService& plans() { return plans_; }

 private:
  service::PlanService plans_;
};

}  // namespace th::api
