#pragma once
// A module as the app sees it (../shared/DESIGN.md "Architecture"): a name, its routes and its
// background workers. src/app/modules.cc builds the ordered list from the configuration
// directory; each module owns its services (no global registries).
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "platform/api/route_context.h"

namespace th::api {

class Module {
 public:
  virtual ~Module() = default;
  // The module's folder name under src/modules/ ("registry").
  virtual std::string_view name() const = 0;
  // Registers the module's /api/v1 routes on `r` (in the order they must match).
  virtual void RegisterRoutes(http::Router& r, const RouteContext& ctx) = 0;
  // The work-item kinds the module opens (config/workflows must define each: the app refuses to
  // start otherwise, naming the kind).
  virtual std::vector<std::string> WorkKinds() const { return {}; }
  // Starts background work (after the routes are registered); the default has none.
  virtual void StartWorkers() {}
  // Stops it before the module is destroyed (idempotent).
  virtual void StopWorkers() {}
};

}  // namespace th::api
