#include "modules/screening/api/screening_module.h"

#include "modules/screening/api/screening_routes.h"
#include "platform/service/services.h"

namespace th::api {

ScreeningModule::ScreeningModule(service::Services& platform, service::ChildService& children,
                                 service::ScreeningRules rules)
    : screening_(platform.deps(), children, std::move(rules)) {}

ScreeningModule::~ScreeningModule() { StopWorkers(); }

void ScreeningModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) {
  RegisterScreeningRoutes(r, screening_, ctx);
}

void ScreeningModule::StartWorkers() {
  if (!worker_) worker_ = service::StartScreeningWorker(screening_);
}

void ScreeningModule::StopWorkers() { worker_.reset(); }

}  // namespace th::api
