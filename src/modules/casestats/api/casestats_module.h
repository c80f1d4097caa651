#pragma once
// The casestats module (README.md beside src/modules/casestats): case statistics (个案统计) over the
// tables of cases, plans, visits and conferences, with an XLSX export. The risk grades' columns come
// from the cases module's risk form; the guardianship columns from a source the app wires.
#include "modules/casestats/service/casestats_service.h"
#include "platform/api/module.h"

namespace th::service {
class Services;
class CaseService;
}  // namespace th::service

namespace th::api {

class CaseStatsModule : public Module {
 public:
  CaseStatsModule(service::Services& platform, const service::CaseService& cases);
  std::string_view name() const override { return "casestats"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  service::CaseStatsService& stats() { return stats_; }

 private:
  service::CaseStatsService stats_;
};

void RegisterCaseStatsRoutes(http::Router& r, service::CaseStatsService& svc, const RouteContext& ctx);

// The risk grades of the deployment's risk form (cases config forms.risk), most serious first.
std::vector<service::GradeInfo> RiskGrades(const service::CaseService& cases);

}  // namespace th::api
