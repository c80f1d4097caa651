#pragma once
// RFC 4180 CSV: quoted fields with embedded delimiters, newlines and doubled quotes; CRLF,
// LF or CR line ends; UTF-8 (with or without BOM) or GBK/GB18030 input, auto-detected and
// converted to UTF-8. Malformed quoting is an error naming the line; ragged rows are
// reported (or rejected) with their line numbers.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "text/charset.h"

namespace th::io {

struct CsvOptions {
  char delimiter = ',';
  // Accept a '"' inside an unquoted field as a literal (Excel writes none, hand edits do).
  bool lenient_quotes = false;
  // Rows whose field count differs from the header are padded/truncated and reported in
  // CsvTable::ragged when true; an error otherwise.
  bool allow_ragged = true;
  // A record with more fields is csv_too_many_columns; a longer field is csv_cell_too_long
  // (both Code::kPayloadTooLarge, naming the line). Uploads use io/upload_limits.h.
  std::size_t max_columns = 16'384;
  std::size_t max_field_bytes = 1u << 20;
  // ParseCsv only: estimated bytes the parsed table holds (string objects plus heap text, rows
  // padded to the header width): csv_too_large_in_memory (kPayloadTooLarge) beyond it.
  std::uint64_t max_memory_bytes = 1ull << 30;
};

// Streaming reader over UTF-8 text already in memory (no BOM; see DecodeToUtf8).
class CsvReader {
 public:
  explicit CsvReader(std::string_view utf8, CsvOptions options = {});

  // Reads the next record into `fields` (reusing its strings). Returns true when a record
  // was read, false at the end. Blank lines are skipped. Errors (field "file"):
  // csv_unterminated_quote, csv_bad_quote (a character after a closing quote, or a quote
  // inside an unquoted field), both naming the 1-based line; csv_too_many_columns and
  // csv_cell_too_long (CsvOptions caps, checked before the field is stored).
  Result<bool> Next(std::vector<std::string>* fields);

  // 1-based line on which the last record returned by Next started.
  std::int64_t record_line() const { return record_line_; }

 private:
  Status QuoteError(const char* code, std::int64_t line, const char* zh, const char* en) const;
  Status CapError(bool columns) const;

  std::string_view in_;
  CsvOptions options_;
  std::size_t pos_ = 0;
  std::int64_t line_ = 1;
  std::int64_t record_line_ = 0;
};

struct RaggedRow {
  std::int64_t line = 0;
  std::size_t fields = 0;
};

struct CsvTable {
  text::Charset charset = text::Charset::kUtf8;
  std::vector<std::string> header;              // trimmed
  std::vector<std::vector<std::string>> rows;   // each exactly header.size() fields
  std::vector<std::int64_t> row_lines;          // line of each row
  std::vector<RaggedRow> ragged;                // rows whose field count differed

  // Index of the column named `name` (exact, after trimming), or -1.
  int ColumnIndex(std::string_view name) const;
};

// Detects the charset, converts to UTF-8 and parses a header plus rows. A file without a
// header line is an error (csv_empty).
Result<CsvTable> ParseCsv(std::string_view bytes, const CsvOptions& options = {});

// Reads a whole file into memory. Errors: file_not_found / file_read_error (field "file").
Result<std::string> ReadFileBytes(const std::string& path);
// ReadFileBytes + ParseCsv.
Result<CsvTable> ReadCsvFile(const std::string& path, const CsvOptions& options = {});

// Appends CSV records to a string buffer, quoting only when needed (delimiter, quote, CR,
// LF, or leading/trailing space). Lines end in CRLF as RFC 4180 says. Every field that a
// spreadsheet could read as a formula gets a leading apostrophe (io/formula_guard.h).
class CsvWriter {
 public:
  // `utf8_bom` writes EF BB BF first so Excel on Chinese Windows opens UTF-8 correctly.
  explicit CsvWriter(std::string* out, bool utf8_bom = false, char delimiter = ',');
  void WriteRow(const std::vector<std::string>& fields);
  void WriteRow(std::initializer_list<std::string_view> fields);
  // Field by field for hot loops without building a vector.
  void Field(std::string_view value);
  void EndRow();

 private:
  std::string* out_;
  char delimiter_;
  bool first_in_row_ = true;
};

// Writes `data` to `path` atomically (temporary file + rename). Errors: file_write_error.
Status WriteFileBytes(const std::string& path, std::string_view data);

}  // namespace th::io
