#pragma once
// XLSX (Office Open XML spreadsheet) import. The upload is read from memory with libzip and
// every part is parsed as a stream with expat (SAX), so memory holds the result table and the
// shared-string table, never a whole sheet's XML. The result has the same shape as a CSV
// import (CsvTable), so callers treat both alike: the first non-empty row is the header, row
// "line" numbers are spreadsheet row numbers (1-based, as Excel shows them).
//
// Cell values come back as text:
//  - shared strings (rich-text runs joined, phonetic runs dropped), inline strings and
//    formula string results as stored; _xHHHH_ escapes decoded;
//  - numbers that are integers (|n| < 2^53) as plain digits ("12", not "12.0"); other numbers
//    exactly as stored in the file ("0.5", "1.10101200001011E+17"). An ID number that was
//    typed into a number cell has already lost its last digits inside the file; nothing can
//    recover them, and we do not guess: the stored text fails ID validation downstream;
//  - numbers in date-formatted cells (built-in formats 14-17, 27-31, 36, 50-54, 57-58, or a
//    custom format with y/m/d) as "YYYY-MM-DD"; date-time formats (22, or custom with y/m/d
//    and h/s) as "YYYY-MM-DD HH:MM:SS"; time-only formats (18-21, 32-35, 45-47, 55-56) as
//    "HH:MM:SS". The 1900 date system includes Excel's fictitious 1900-02-29 (serial 60);
//    the 1904 system is used when the workbook says so;
//  - booleans as "TRUE"/"FALSE", error cells as their code ("#N/A").
//
// Every failure is a Status with field "file" (field "sheet" for an unknown sheet name) and
// zh-CN + en messages; no input crashes the reader:
//   xlsx_not_zip, xlsx_encrypted (OLE2 container: password-protected or legacy .xls),
//   xlsx_corrupt (truncated or damaged zip), xlsx_no_workbook, xlsx_no_sheets,
//   xlsx_sheet_not_found, xlsx_bad_xml (names the part and line), xlsx_bad_cell_ref,
//   xlsx_bad_shared_string, xlsx_empty, xlsx_ragged_row (only with allow_ragged = false),
//   xlsx_too_large / xlsx_too_many_rows / xlsx_too_many_cells / xlsx_too_many_columns /
//   xlsx_cell_too_long / xlsx_too_large_in_memory (Code::kPayloadTooLarge; zh-CN messages say
//   what to change in the file).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "io/csv.h"

namespace th::io {

struct XlsxOptions {
  // Sheet to read, by its tab name; empty reads the first visible worksheet.
  std::string sheet;
  // Zip-bomb guards. Bytes are counted as they are decompressed (declared sizes are checked
  // first but not trusted), over every part read: rels, workbook, styles, shared strings and
  // the sheet.
  std::uint64_t max_uncompressed_bytes = 200ull << 20;
  // Rows in the result, header included (Excel's own limit by default).
  std::int64_t max_rows = 1'048'576;
  // Cells in the result after padding each row to the header width.
  std::int64_t max_cells = 20'000'000;
  // Columns of the header row (the widest any row is stored): a non-empty cell further right in
  // the header is xlsx_too_many_columns. Uploads use 256 (io/upload_limits.h).
  std::int32_t max_columns = 16'384;
  // Bytes of one cell's text (Excel itself stops at 32,767 characters): xlsx_cell_too_long.
  std::size_t max_cell_bytes = 32'767 * 4;
  // Estimated bytes held in memory by the result table and the shared-string table together
  // (each string's object plus its heap text), checked while reading: xlsx_too_large_in_memory.
  // This is what bounds a small file whose rows are sparse or whose strings are many and empty.
  std::uint64_t max_memory_bytes = 1ull << 30;
  // Rows with non-empty cells right of the last header column are truncated and reported in
  // CsvTable::ragged when true; an error (xlsx_ragged_row) otherwise. Rows shorter than the
  // header are normal in XLSX (empty cells are not stored) and are padded silently.
  bool allow_ragged = true;
};

struct XlsxSheetInfo {
  std::string name;
  bool hidden = false;     // state="hidden" or "veryHidden"
  bool worksheet = true;   // false for chart sheets and other non-grid sheets
};

struct XlsxWorkbookInfo {
  std::vector<XlsxSheetInfo> sheets;  // in tab order
  bool date1904 = false;
};

// Lists the workbook's sheets (xl/workbook.xml + its rels). Errors as ParseXlsx.
Result<XlsxWorkbookInfo> ReadXlsxWorkbookInfo(std::string_view bytes, const XlsxOptions& options = {});

// Parses one sheet of an .xlsx file held in memory (see the file comment). `bytes` must stay
// alive for the call only. CsvTable::charset is kUtf8.
Result<CsvTable> ParseXlsx(std::string_view bytes, const XlsxOptions& options = {});

// ReadFileBytes + ParseXlsx.
Result<CsvTable> ReadXlsxFile(const std::string& path, const XlsxOptions& options = {});

enum class SpreadsheetFormat : std::uint8_t {
  kCsv,      // anything else: text, decoded by ParseCsv
  kXlsx,     // a zip archive ("PK\3\4", or an empty archive "PK\5\6")
  kOle2,     // D0 CF 11 E0: legacy .xls, or an encrypted/password-protected .xlsx
};

// Looks at the first bytes only.
SpreadsheetFormat SniffSpreadsheet(std::string_view bytes);

// For uploads of either kind: XLSX goes to ParseXlsx, OLE2 is rejected (xlsx_encrypted),
// everything else goes to ParseCsv.
Result<CsvTable> ParseSpreadsheet(std::string_view bytes, const CsvOptions& csv_options = {},
                                  const XlsxOptions& xlsx_options = {});

}  // namespace th::io
