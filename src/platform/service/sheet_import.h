#pragma once
// Reading an uploaded spreadsheet for an import with a column mapping, shared by every such import
// (the registry's children, accounts' org units; screening batches use the mapping part): the
// preview (file facts, columns, first rows, suggested mapping), the whole table under the upload
// caps, and a mapping resolved to column indices. Parsing itself is io/ (CSV in UTF-8 or
// GBK/GB18030, XLSX).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "io/csv.h"
#include "platform/service/column_mapping.h"

namespace th::service {

struct SheetPreview {
  std::string format;   // "csv" | "xlsx"
  std::string charset;  // "UTF-8" | "GB18030" | ... (text::CharsetName)
  std::vector<std::string> columns;
  ImportMapping mapping;                         // suggested
  std::vector<std::string> unmapped_columns;     // columns no field takes
  std::vector<std::string> missing_required;     // required field keys without a column
  std::vector<std::vector<std::string>> sample;  // first rows, as in the file
  std::vector<std::int64_t> sample_lines;
  std::int64_t rows = 0;                         // data rows in the file
};

// "csv" or "xlsx", as the bytes look.
std::string SheetFormat(std::string_view bytes);

// Parses the upload (CSV: the first `sample_rows` rows kept, the rest only counted; XLSX: `sheet`
// or the first visible one) and suggests a mapping onto `fields`. Errors: the parser's (field
// "file": csv_empty, csv_*, xlsx_*).
Result<SheetPreview> PreviewSheet(std::string_view bytes, const std::string& sheet,
                                  const std::vector<ImportField>& fields, std::size_t sample_rows);

// The whole upload as a table, read with the upload caps (io/upload_limits.h). Ragged CSV rows are
// kept (padded or cut to the header) and listed in `ragged`. More than `max_rows` data rows →
// 413 import_too_many_rows; no data rows → 400 import_empty (both field "file").
Result<io::CsvTable> ReadSheet(std::string_view bytes, const std::string& sheet, std::int64_t max_rows);

// Column index in `header` for each of `fields` (same order; -1 when unmapped). An empty mapping
// means the suggested one. Errors (field "mapping", invalid_mapping): a key that is no field, a
// header the file does not have; (field "file", missing_columns): a required field without a column,
// unless `check_required` is false (an import whose required columns depend on the caller checks them itself).
Result<std::vector<int>> MapColumns(const std::vector<ImportField>& fields, const ImportMapping& mapping,
                                    const std::vector<std::string>& header, bool check_required = true);

}  // namespace th::service
