#include "platform/service/sheet_import.h"

#include <set>

#include "io/upload_limits.h"
#include "io/xlsx_reader.h"
#include "text/charset.h"

namespace th::service {

namespace {

std::string Trimmed(const std::string& h) {
  std::size_t b = h.find_first_not_of(" \t"), e = h.find_last_not_of(" \t");
  return b == std::string::npos ? std::string() : h.substr(b, e - b + 1);
}

// The CSV's header and first `sample_rows` rows; the other rows only counted, so a large file
// is never held as a table.
Result<io::CsvTable> SampleCsv(std::string_view bytes, std::size_t sample_rows, std::int64_t* rows) {
  io::CsvTable t;
  TH_ASSIGN_OR_RETURN(std::string utf8, text::DecodeToUtf8(bytes, &t.charset));
  io::CsvReader reader(utf8, io::UploadCsvOptions());
  std::vector<std::string> fields;
  TH_ASSIGN_OR_RETURN(bool got, reader.Next(&fields));
  if (!got) return Status::Invalid("file", "csv_empty", "CSV 文件为空（缺少表头）", "CSV file is empty (no header)");
  // Headers trimmed as io::ParseCsv does (spaces and tabs), so a preview's column names match.
  for (const auto& h : fields) t.header.push_back(Trimmed(h));
  *rows = 0;
  for (;;) {
    TH_ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
    if (!more) break;
    if (++*rows <= static_cast<std::int64_t>(sample_rows)) {
      fields.resize(t.header.size());
      t.rows.push_back(fields);
      t.row_lines.push_back(reader.record_line());
    }
  }
  return t;
}

}  // namespace

std::string SheetFormat(std::string_view bytes) {
  return io::SniffSpreadsheet(bytes) == io::SpreadsheetFormat::kXlsx ? "xlsx" : "csv";
}

Result<SheetPreview> PreviewSheet(std::string_view bytes, const std::string& sheet,
                                  const std::vector<ImportField>& fields, std::size_t sample_rows) {
  io::CsvTable t;
  std::int64_t rows = 0;
  if (io::SniffSpreadsheet(bytes) == io::SpreadsheetFormat::kCsv) {
    TH_ASSIGN_OR_RETURN(t, SampleCsv(bytes, sample_rows, &rows));
  } else {
    io::XlsxOptions xo = io::UploadXlsxOptions();
    xo.sheet = sheet;
    TH_ASSIGN_OR_RETURN(t, io::ParseSpreadsheet(bytes, {}, xo));
    rows = static_cast<std::int64_t>(t.rows.size());
  }
  SheetPreview p;
  p.format = SheetFormat(bytes);
  p.charset = text::CharsetName(t.charset);
  p.columns = t.header;
  p.mapping = SuggestMapping(fields, t.header);
  std::set<std::string> mapped;
  for (const auto& [k, col] : p.mapping) mapped.insert(col);
  for (const auto& c : t.header) {
    if (!mapped.count(c)) p.unmapped_columns.push_back(c);
  }
  for (const auto& f : fields) {
    if (f.required && !p.mapping.count(f.key)) p.missing_required.push_back(f.key);
  }
  p.rows = rows;
  for (std::size_t i = 0; i < t.rows.size() && i < sample_rows; ++i) {
    p.sample.push_back(t.rows[i]);
    p.sample_lines.push_back(t.row_lines[i]);
  }
  return p;
}

Result<io::CsvTable> ReadSheet(std::string_view bytes, const std::string& sheet, std::int64_t max_rows) {
  io::CsvOptions co = io::UploadCsvOptions();
  co.allow_ragged = true;
  io::XlsxOptions xo = io::UploadXlsxOptions();
  xo.sheet = sheet;
  xo.max_rows = static_cast<decltype(xo.max_rows)>(max_rows + 1);  // the header row included
  TH_ASSIGN_OR_RETURN(auto t, io::ParseSpreadsheet(bytes, co, xo));
  if (t.rows.empty()) return Status::Invalid("file", "import_empty", "文件中没有数据行", "The file has no data rows");
  if (static_cast<std::int64_t>(t.rows.size()) > max_rows) {
    return Status::Error(Code::kPayloadTooLarge, "import_too_many_rows",
                         "单次导入最多" + std::to_string(max_rows) + "行，请拆分文件",
                         "At most " + std::to_string(max_rows) + " rows per import; split the file", "file");
  }
  return t;
}

Result<std::vector<int>> MapColumns(const std::vector<ImportField>& fields, const ImportMapping& given,
                                    const std::vector<std::string>& header, bool check_required) {
  const ImportMapping mapping = given.empty() ? SuggestMapping(fields, header) : given;
  std::vector<int> col(fields.size(), -1);
  for (const auto& [key, column] : mapping) {
    std::size_t f = 0;
    while (f < fields.size() && key != fields[f].key) ++f;
    if (f == fields.size()) {
      return Status::Invalid("mapping", "invalid_mapping", "列映射中的字段未知: " + key, "Unknown field in mapping: " + key);
    }
    if (column.empty()) continue;
    int idx = -1;
    for (std::size_t k = 0; k < header.size() && idx < 0; ++k) {
      if (header[k] == column) idx = static_cast<int>(k);
    }
    if (idx < 0) {
      return Status::Invalid("mapping", "invalid_mapping", "文件中没有列: " + column, "The file has no column named " + column);
    }
    col[f] = idx;
  }
  std::string missing;
  for (std::size_t f = 0; f < fields.size(); ++f) {
    if (check_required && fields[f].required && col[f] < 0) {
      missing += (missing.empty() ? "" : ", ") + std::string(fields[f].key) + "(" + fields[f].label + ")";
    }
  }
  if (!missing.empty()) {
    return Status::Invalid("file", "missing_columns", "缺少必需的列: " + missing, "Required columns are missing: " + missing);
  }
  return col;
}

}  // namespace th::service
