#pragma once
// The one upload reader every import route uses: a raw body or multipart/form-data, and the
// column mapping sent with it; and the routes of a module's attachments (upload a raw file, stream
// it back) over platform/service/attachments.h.
#include <boost/json.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/message.h"
#include "platform/api/route_context.h"
#include "platform/service/attachments.h"
#include "platform/service/column_mapping.h"
#include "platform/service/sheet_import.h"

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

// A field as the upload component shows it: {key, label, label_en, required, headers}.
boost::json::object ImportFieldJson(const service::ImportField& f);
// The preview answer every import's preview route sends: {format, charset, file_name, rows, columns,
// mapping, unmapped_columns, missing_required, sample:[{line, cells}], fields}.
boost::json::object SheetPreviewJson(const service::SheetPreview& p, const std::vector<service::ImportField>& fields,
                                     const std::string& file_name);

// A stored file's bytes as a GET answer: its sniffed type, shown inline, never cached, never
// sniffed again by the browser (nosniff).
http::Response InlineFile(std::string content_type, std::string bytes);
// {"id", <owner_key>, "name", "content_type", "size", "created_at"} (no bytes).
boost::json::object StoredFileJson(const repo::StoredFile& f, const char* owner_key);

// One module's attachment routes:
//   POST <path>?<owner_param>=&name=  raw body → 201 StoredFileJson (400 required owner_param);
//   GET  <path>/{id}?<owner_param>=   → the bytes (InlineFile); 404 when the file is another owner's.
// The module's functions check permission, scope and state, and audit (platform/service/attachments.h).
struct AttachmentRoutes {
  std::string path;         // "/api/v1/conference-attachments"; listed in the server's upload prefixes
  const char* owner_param;  // "conference_id": the query parameter and the JSON key
  std::function<Result<repo::StoredFile>(const service::Principal&, std::int64_t owner_id, const std::string& name,
                                         const std::string& bytes)>
      upload;
  std::function<Result<repo::StoredFile>(const service::Principal&, std::int64_t owner_id, std::int64_t id)> read;
};
void AddAttachmentRoutes(http::Router& r, const RouteContext& ctx, AttachmentRoutes routes);

}  // namespace th::api
