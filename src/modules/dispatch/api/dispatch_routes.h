#pragma once
// The dispatch module's routes (docs/API.md "Dispatch orders").
#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class DispatchService;
}

namespace th::api {

void RegisterDispatchRoutes(http::Router& r, service::DispatchService& svc, const RouteContext& ctx);

}  // namespace th::api
