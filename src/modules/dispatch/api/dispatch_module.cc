#include "modules/dispatch/api/dispatch_module.h"

#include "modules/dispatch/api/dispatch_routes.h"
#include "platform/service/services.h"

namespace th::api {

DispatchModule::DispatchModule(service::Services& platform, service::ReportFactsSource& reports,
                               service::DispatchClocks clocks)
    : dispatch_(platform.deps(), reports, std::move(clocks)) {}

void DispatchModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) { RegisterDispatchRoutes(r, dispatch_, ctx); }

}  // namespace th::api
