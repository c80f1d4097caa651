#include "modules/registry/api/registry_module.h"

#include "modules/registry/api/child_routes.h"
#include "platform/service/services.h"

namespace th::api {

RegistryModule::RegistryModule(service::Services& platform, domain::CategoryConfig config)
    : platform_(platform), children_(platform.deps(), std::move(config)) {}

void RegistryModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) {
  RegisterChildRoutes(r, platform_, children_, ctx);
}

}  // namespace th::api
