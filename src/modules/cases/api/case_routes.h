#pragma once
// The cases module's /api/v1 routes (docs/API.md "Cases and assessments").
#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class CaseService;
}

namespace th::api {

void RegisterCaseRoutes(http::Router& r, service::CaseService& svc, const RouteContext& ctx);

}  // namespace th::api
