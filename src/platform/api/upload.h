#pragma once
// The one upload reader every import route uses: a raw body or multipart/form-data, and the
// column mapping sent with it.
#include <string>
#include <string_view>

#include "base/status.h"
#include "http/message.h"
#include "platform/service/column_mapping.h"

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

}  // namespace th::api
