#include "modules/workbench/api/workbench_module.h"

#include "modules/workbench/api/workbench_routes.h"
#include "modules/workbench/service/workbench_service.h"
#include "platform/service/services.h"

namespace th::api {

WorkbenchModule::WorkbenchModule(service::Services& platform, const domain::CategoryConfig* categories)
    : svc_(std::make_shared<workbench::WorkbenchService>(platform.deps(), categories)) {}

WorkbenchModule::~WorkbenchModule() = default;

void WorkbenchModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) { RegisterWorkbenchRoutes(r, svc_, ctx); }

}  // namespace th::api
