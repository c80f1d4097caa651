#pragma once
// The reports module (README.md beside src/modules/reports): intake on every channel, triage,
// closing, reporter confidentiality and the duty roster. Built from
// config/reports/categories.json over the registry's ChildService and the screening service.
#include "modules/reports/domain/report.h"
#include "modules/reports/service/report_service.h"
#include "platform/api/module.h"

namespace th::service {
class Services;
}

namespace th::api {

class ReportsModule : public Module {
 public:
  ReportsModule(service::Services& platform, domain::ReportConfig config, service::ChildService& children,
                service::ScreeningService* screening);
  std::string_view name() const override { return "reports"; }
  void RegisterRoutes(http::Router& r, const RouteContext& ctx) override;
  service::ReportService& reports() { return reports_; }

 private:
  service::ReportService reports_;
};

}  // namespace th::api
