#pragma once
// Routes of the guardianship module (docs/API.md "Guardianship interventions").
#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class GuardianshipService;
}

namespace th::api {

void RegisterGuardianshipRoutes(http::Router& r, service::GuardianshipService& svc, const RouteContext& ctx);

}  // namespace th::api
