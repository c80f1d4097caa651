#pragma once
// The platform's own /api/v1 routes: health, sign-in and sessions (/auth/*, /me) and the audit
// log (/audit*). Modules register theirs after these (src/app/modules.cc).
#include <string>

#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::service {
class Services;
}

namespace th::api {

struct ApiOptions {
  std::string version = "0.1.0";
  std::string database_engine;  // "sqlite" / "postgresql", shown by /health
};

// Registers the platform routes on `r`. `s` must outlive the router.
void RegisterPlatformRoutes(http::Router& r, service::Services& s, const RouteContext& ctx, const ApiOptions& options);

}  // namespace th::api
