#include "modules/reports/api/reports_module.h"

#include "modules/reports/api/report_routes.h"
#include "platform/service/services.h"

namespace th::api {

ReportsModule::ReportsModule(service::Services& platform, domain::ReportConfig config, service::ChildService& children,
                             service::ScreeningService* screening)
    : reports_(platform.deps(), std::move(config), children, screening) {}

void ReportsModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) { RegisterReportRoutes(r, reports_, ctx); }

}  // namespace th::api
