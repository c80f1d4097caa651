#pragma once
// GET /api/v1/workbench (docs/API.md "Workbench (工作台)").
#include "api/child_routes.h"

namespace th::api {

// Registers GET /api/v1/workbench. Category names come from the installed registry service when
// there is one. The route owns its WorkbenchService (and with it the numbers cache).
void RegisterWorkbenchRoutes(http::Router& r, service::Services& s, const ChildRouteHelpers& helpers);

}  // namespace th::api
