#pragma once
// /api/v1/screening/... routes (see docs/API.md "Screening (排查)"): data sources, batches
// (uploads; /screening/batches must be an upload prefix of the server), findings and
// verification tasks.
#include "api/child_routes.h"

namespace th::api {

// Registers the screening routes. Uses the installed ScreeningService, or creates one from
// config/screening/rules.json over the installed ChildService; absent either, no routes (404).
void RegisterScreeningRoutes(http::Router& r, service::Services& s, const ChildRouteHelpers& helpers);

}  // namespace th::api
