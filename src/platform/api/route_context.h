#pragma once
// What every module's routes share (../shared/DESIGN.md "platform/api"): the session + CSRF +
// password-change wrapper, the one paging parser and the paged-list shape. Built once by the app
// (src/app/modules.cc) and handed to each module's RegisterRoutes.
#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "base/status.h"
#include "http/message.h"
#include "platform/service/deps.h"

namespace th::service {
class RoleTable;
class Services;
struct Principal;
}  // namespace th::service

namespace th::api {

// A handler that runs for an authenticated principal.
using AuthedFn = std::function<Result<http::Response>(http::Request&, const service::Principal&)>;
// Kept for the registry's and screening's route files (same type).
using ChildAuthedFn = AuthedFn;

// The session cookie's name.
inline constexpr const char* kSessionCookie = "th_session";

struct RouteContext {
  // Wraps a handler with session authentication, CSRF checking for state-changing methods and the
  // forced-password-change gate (skipped when `allow_during_password_change`).
  std::function<http::Handler(AuthedFn, bool allow_during_password_change)> authed_with;
  // authed_with(fn, false).
  std::function<http::Handler(AuthedFn)> authed;
  // Parses page / page_size (400 invalid_page / invalid_page_size; service::MakePage's limits).
  std::function<Result<repo::Page>(const http::Request&)> page_from;
};
// Kept for the registry's and screening's route files (same type).
using ChildRouteHelpers = RouteContext;

// The context whose wrapper authenticates through `platform.auth()`. `platform` must outlive it.
RouteContext MakeRouteContext(service::Services& platform);

// {"items", "total", "page", "page_size"}: the one paged-list shape.
boost::json::object Paged(boost::json::array items, std::int64_t total, const repo::Page& p);
// An optional positive id from the query string (invalid_id naming it otherwise).
Result<std::optional<std::int64_t>> OptQueryId(const http::Request& req, const char* name);
// The value or JSON null.
boost::json::value OptInt(const std::optional<std::int64_t>& v);
// {"code", "name", "name_en"} of a role in `roles` (an unknown code names itself).
boost::json::object RoleJson(const service::RoleTable& roles, const std::string& code);
// Parses page / page_size (400 invalid_page / invalid_page_size; service::MakePage's limits).
Result<repo::Page> PageFrom(const http::Request& req);

}  // namespace th::api
