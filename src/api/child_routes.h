#pragma once
// /api/v1 routes of the child registry (see docs/API.md "Children"). Registered from
// RegisterRoutes, which passes its session/CSRF wrapper and paging parser so both stay in one place.
#include <functional>

#include "base/status.h"
#include "http/message.h"
#include "repo/records.h"

namespace th::service {
class Services;
struct Principal;
struct ChildListParams;
}  // namespace th::service

namespace th::api {

using ChildAuthedFn = std::function<Result<http::Response>(http::Request&, const service::Principal&)>;

struct ChildRouteHelpers {
  // Wraps a handler with session authentication, CSRF and the password-change gate.
  std::function<http::Handler(ChildAuthedFn)> authed;
  // Parses page / page_size.
  std::function<Result<repo::Page>(const http::Request&)> page_from;
};

// The list filters of GET /children (and its export) from the query string.
Result<service::ChildListParams> ChildListParamsFrom(const http::Request& req);

// Registers the child, category and roll-request routes. The registry service must have been
// installed (service::InstallChildService) or is created from config/categories/guangdong.json.
void RegisterChildRoutes(http::Router& r, service::Services& s, const ChildRouteHelpers& helpers);

}  // namespace th::api
