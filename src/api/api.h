#pragma once
// HTTP API under /api/v1: JSON DTOs, the error shape, session + CSRF checks, and the mapping from
// Status to HTTP status. The only layer that touches Boost.JSON.
#include <string>

#include "http/message.h"

namespace th::service {
class Services;
}

namespace th::api {

struct ApiOptions {
  std::string version = "0.1.0";
  std::string database_engine;  // "sqlite" / "postgresql", shown by /health
};

// Registers every /api/v1 route on `router`. `services` must outlive the router.
void RegisterRoutes(http::Router& router, service::Services& services, const ApiOptions& options);

}  // namespace th::api
