#include "modules/casestats/api/casestats_module.h"

#include <algorithm>

#include "modules/cases/service/case_service.h"
#include "platform/service/services.h"

namespace th::api {

// The active risk form's grades, most serious first, then the grades only another risk form has (e.g.
// orange of the four-grade variant, a column when data graded with it exists), each placed
// after the nearest more serious grade of its own form, so columns read 红 橙 黄 蓝 绿.
std::vector<service::GradeInfo> RiskGrades(const service::CaseService& cases) {
  std::vector<service::GradeInfo> out;
  auto it = cases.config().forms.find("risk");
  if (it == cases.config().forms.end()) return out;
  const domain::AssessmentForm* form = cases.forms().Find(it->second);
  if (!form) return out;
  for (const auto& g : form->grades) out.push_back({g.code, g.name, g.name_en, g.color});
  auto at = [&](const std::string& code) {
    return std::find_if(out.begin(), out.end(), [&](const service::GradeInfo& x) { return x.code == code; });
  };
  for (const auto& other : cases.forms().forms) {
    if (other.kind != "risk" || other.code == form->code) continue;
    std::size_t pos = 0;  // insert after the last grade of this form already placed
    for (const auto& g : other.grades) {
      auto found = at(g.code);
      if (found != out.end()) {
        pos = static_cast<std::size_t>(found - out.begin()) + 1;
        continue;
      }
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(pos), {g.code, g.name, g.name_en, g.color, true});
      ++pos;
    }
  }
  return out;
}

CaseStatsModule::CaseStatsModule(service::Services& platform, const service::CaseService& cases)
    : stats_(platform.deps(), RiskGrades(cases)) {}

void CaseStatsModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) { RegisterCaseStatsRoutes(r, stats_, ctx); }

}  // namespace th::api
