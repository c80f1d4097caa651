#pragma once
// /api/v1 routes for importing and exporting children (see docs/API.md "Import and export").
// Registered by RegisterChildRoutes before /children/{id} so /children/export and
// /children/import/... are not taken for ids.
#include <boost/json.hpp>
#include <string>
#include <string_view>

#include "modules/registry/api/child_routes.h"
#include "modules/registry/service/child_import.h"
#include "modules/registry/service/child_service.h"

namespace th::service {
class ChildService;
}

namespace th::api {

// An uploaded spreadsheet: a raw body (text/csv, the XLSX type, application/octet-stream) or
// multipart/form-data with a part "file" (and optionally "mapping" and "sheet"). `bytes` points
// into the request body.
struct Upload {
  std::string_view bytes;
  std::string file_name;
  std::string mapping_json;  // from a multipart "mapping" part
  std::string sheet;         // from a multipart "sheet" part
};
Result<Upload> ReadUpload(const http::Request& req);
// {"field":"column header"} → mapping; empty text → empty mapping. Errors: invalid_mapping.
Result<service::ImportMapping> ParseMapping(const std::string& text);

// RollRequest JSON as GET /roll-requests/{id} answers it (defined in child_routes.cc).
boost::json::object RequestJson(const service::RollRequestView& v);

// POST /children/import/preview, POST /children/import, GET /children/import/template,
// GET /children/export. The import paths must be upload prefixes of the server (64 MiB).
void RegisterChildImportRoutes(http::Router& r, service::Services& s, service::ChildService& cs,
                               const ChildRouteHelpers& helpers);

}  // namespace th::api
