#pragma once
#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class PlanService;
}

namespace th::api {

// The plans module's routes (docs/API.md "Plans and services").
void RegisterPlanRoutes(http::Router& r, service::PlanService& svc, const RouteContext& ctx);

}  // namespace th::api
