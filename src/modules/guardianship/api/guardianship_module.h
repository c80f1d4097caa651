#pragma once
// The guardianship module (README.md beside src/modules/guardianship): guardianship interventions
// (监护干预). Built from config/guardianship/guardianship.json over the registry's ChildService and
// the cases module's CaseService (the return assessment).
#include <memory>

#include "modules/guardianship/service/guardianship_service.h"
#include "modules/cases/domain/assessment_form.h"
#include "platform/api/module.h"

namespace th::service {
class Services;
}

namespace th::api {

class GuardianshipModule : public Module {
 public:
  GuardianshipModule(service::Services& platform, domain::GuardianshipConfig config, service::ChildService& children,
                     service::CaseService& cases);
  std::string_view name() const override { return "guardianship"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  std::vector<std::string> WorkKinds() const override {
    return {"guardianship_approve", "guardianship_check", "placement_check", "guardianship_limit"};
  }
  service::GuardianshipService& guardianship() { return service_; }

  // Loads config/guardianship/guardianship.json under `config_dir`; a missing or invalid file is an
  // error naming it.
  static Result<domain::GuardianshipConfig> LoadConfig(const std::string& config_dir);
  // The return assessment against the assessment forms (config/assessments, as the cases module
  // loaded them): a form of kind `return_kind` is in use and has every grade of `pass_grades`.
  // Otherwise an error (invalid_guardianship_config) naming guardianship.json and the grade (or the
  // kind), so the server refuses to start rather than refuse every return home.
  static Status CheckReturnGrades(const domain::GuardianshipConfig& cfg, const domain::FormSet& forms,
                                  const std::string& config_dir);

 private:
  service::GuardianshipService service_;
};

}  // namespace th::api
