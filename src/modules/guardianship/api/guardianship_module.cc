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

Status GuardianshipModule::CheckReturnGrades(const domain::GuardianshipConfig& cfg, const domain::FormSet& forms,
                                             const std::string& config_dir) {
  const std::string file = config_dir + "/guardianship/guardianship.json";
  const domain::AssessmentForm* form = forms.ForKind(cfg.return_kind);
  if (!form) {
    return Status::Invalid("guardianship", "invalid_guardianship_config",
                           "监护干预配置有误(" + file + "): return_assessment.kind " + cfg.return_kind +
                               " 没有在用的评估表(" + config_dir + "/assessments, cases.json forms)",
                           "Invalid guardianship configuration (" + file + "): no assessment form in use for " +
                               "return_assessment.kind " + cfg.return_kind);
  }
  for (const auto& grade : cfg.pass_grades) {
    if (form->Grade(grade)) continue;
    return Status::Invalid("guardianship", "invalid_guardianship_config",
                           "监护干预配置有误(" + file + "): return_assessment.pass_grades 的等级 " + grade +
                               " 不在评估表 " + form->code + " 中",
                           "Invalid guardianship configuration (" + file + "): return_assessment.pass_grades grade " +
                               grade + " is not a grade of assessment form " + form->code);
  }
  return Status::Ok();
}

}  // namespace th::api
