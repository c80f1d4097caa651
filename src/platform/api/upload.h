#pragma once
// The one upload reader every import route uses: a raw body or multipart/form-data, and the
// column mapping sent with it.
#include <boost/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "http/message.h"
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

}  // namespace th::api
