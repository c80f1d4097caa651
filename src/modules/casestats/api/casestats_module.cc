#include "modules/casestats/api/casestats_module.h"

#include "modules/cases/service/case_service.h"
#include "platform/service/services.h"

namespace th::api {

std::vector<service::GradeInfo> RiskGrades(const service::CaseService& cases) {
  std::vector<service::GradeInfo> out;
  auto it = cases.config().forms.find("risk");
  if (it == cases.config().forms.end()) return out;
  const domain::AssessmentForm* form = cases.forms().Find(it->second);
  if (!form) return out;
  for (const auto& g : form->grades) out.push_back({g.code, g.name, g.name_en, g.color});
  return out;
}

CaseStatsModule::CaseStatsModule(service::Services& platform, const service::CaseService& cases)
    : stats_(platform.deps(), RiskGrades(cases)) {}

void CaseStatsModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) { RegisterCaseStatsRoutes(r, stats_, ctx); }

}  // namespace th::api
