#pragma once
// GET /api/v1/inbox (我的待办) and GET /api/v1/inbox/overdue (督办), see docs/API.md "Work items
// and the inbox". Registered from api::RegisterRoutes with its session wrapper and paging parser.
#include "platform/api/route_context.h"

namespace th::api {

// Registers the inbox routes over the installed work engine (service::Deps::work); absent one,
// no routes.
void RegisterWorkRoutes(http::Router& r, service::Services& s, const RouteContext& helpers);

}  // namespace th::api
