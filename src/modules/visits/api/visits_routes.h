#pragma once
// The visits module's /api/v1 routes (docs/API.md "Visits").
#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class VisitsService;
}

namespace th::api {

void RegisterVisitsRoutes(http::Router& r, service::VisitsService& svc, const RouteContext& ctx);

}  // namespace th::api
