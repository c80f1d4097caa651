#pragma once
// /api/v1/screening/... routes (see docs/API.md "Screening (排查)"): data sources, batches
// (uploads; /screening/batches must be an upload prefix of the server), findings and
// verification tasks.
#include "modules/registry/api/child_routes.h"

namespace th::service {
class ScreeningService;
}

namespace th::api {

// Registers the screening routes of `svc` (built by the screening module from the configuration
// directory). `svc` must outlive the router.
void RegisterScreeningRoutes(http::Router& r, service::ScreeningService& svc, const ChildRouteHelpers& helpers);

}  // namespace th::api
