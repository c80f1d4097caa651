#pragma once
// /api/v1 routes of the accounts module: org units and agencies (/org-units*, /agencies*) and
// user accounts (/users*, /roles). See docs/API.md.
#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class Accounts;
}

namespace th::api {

// Registers the accounts routes. `accounts` must outlive the router.
void RegisterAccountsRoutes(http::Router& r, service::Accounts& accounts, const RouteContext& ctx);

}  // namespace th::api
