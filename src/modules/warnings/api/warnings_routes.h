#pragma once
// The warnings module's /api/v1 routes (docs/API.md "Early warnings").
#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class WarningService;
}

namespace th::api {

void RegisterWarningsRoutes(http::Router& r, service::WarningService& svc, const RouteContext& ctx);

}  // namespace th::api
