#pragma once
// /api/v1 routes for importing and exporting children (see docs/API.md "Import and export").
// Registered by RegisterChildRoutes before /children/{id} so /children/export and
// /children/import/... are not taken for ids.
#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "modules/registry/api/child_routes.h"
#include "platform/api/upload.h"
#include "modules/registry/service/child_import.h"
#include "modules/registry/service/child_service.h"

namespace th::service {
class ChildService;
}

namespace th::api {


// RollRequest JSON as GET /roll-requests/{id} answers it (defined in child_routes.cc).
boost::json::object RequestJson(const service::RollRequestView& v);

// POST /children/import/preview, POST /children/import, GET /children/import/template,
// GET /children/export. The import paths must be upload prefixes of the server (64 MiB).
void RegisterChildImportRoutes(http::Router& r, service::Services& s, service::ChildService& cs,
                               const ChildRouteHelpers& helpers);

}  // namespace th::api
