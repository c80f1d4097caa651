#pragma once
// GET /api/v1/workbench (docs/API.md "Workbench (工作台)").
#include <memory>

#include "platform/api/route_context.h"

namespace th::workbench {
class WorkbenchService;
}  // namespace th::workbench

namespace th::api {

// Registers GET /api/v1/workbench over `svc` (which owns the numbers cache).
void RegisterWorkbenchRoutes(http::Router& r, std::shared_ptr<workbench::WorkbenchService> svc,
                             const RouteContext& helpers);

}  // namespace th::api
