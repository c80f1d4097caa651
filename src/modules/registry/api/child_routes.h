#pragma once
// /api/v1 routes of the child registry (see docs/API.md "Children"). Registered from
// RegisterRoutes, which passes its session/CSRF wrapper and paging parser so both stay in one place.
#include <functional>

#include "base/status.h"
#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class Services;
struct Principal;
struct ChildListParams;
class ChildService;
}  // namespace th::service

namespace th::api {

// The list filters of GET /children (and its export) from the query string.
Result<service::ChildListParams> ChildListParamsFrom(const http::Request& req);

// Registers the child, category and roll-request routes of `cs` (built by the registry module
// from the configuration directory). `s` and `cs` must outlive the router.
void RegisterChildRoutes(http::Router& r, service::Services& s, service::ChildService& cs,
                         const ChildRouteHelpers& helpers);

}  // namespace th::api
