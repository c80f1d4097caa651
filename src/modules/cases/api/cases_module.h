#pragma once
// The cases module (README.md beside src/modules/cases): cases and assessments with grades. Built
// from config/cases/cases.json and config/assessments/*.json over the registry's ChildService.
#include <memory>
#include <thread>

#include "modules/cases/service/case_service.h"
#include "platform/api/module.h"

namespace th::service {
class Services;
}

namespace th::api {

class CasesModule : public Module {
 public:
  CasesModule(service::Services& platform, domain::CaseConfig config, domain::FormSet forms,
              service::ChildService& children);
  ~CasesModule() override;
  std::string_view name() const override { return "cases"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  std::vector<std::string> WorkKinds() const override {
    return {"case_assess", "case_plan", "case_review", "assessment_due", "guardianship_due"};
  }
  // The deadline evaluation: at start, then every `interval_ms` (an hour).
  void StartWorkers() override;
  void StopWorkers() override;
  service::CaseService& cases() { return cases_; }

 private:
  service::CaseService cases_;
  struct Worker;
  std::unique_ptr<Worker> worker_;
};

// Loads config/cases/cases.json and config/assessments/*.json under `config_dir`; an invalid or
// missing file is an error naming it; a form chosen in cases.json must exist with that kind.
Status LoadCasesConfig(const std::string& config_dir, domain::CaseConfig* config, domain::FormSet* forms);

}  // namespace th::api
