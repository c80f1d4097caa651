#pragma once
// XLSX export with libxlsxwriter: one sheet, a bold frozen header row with an autofilter, and
// every data cell written as text (number format "@"), so ID numbers, phone numbers and
// leading zeros survive Excel. Columns get widths from their content (CJK counts double) and
// the "@" format, so values typed into them later stay text too. The file goes to a private
// temporary file (mode 0600, removed afterwards), because libxlsxwriter 1.1.4 cannot write
// to memory.
//
// Text is written as given, with two repairs so Excel always opens the file: invalid UTF-8
// bytes become U+FFFD, and literal "_xHHHH_" text is escaped as "_x005F_xHHHH_" (Excel would
// otherwise decode it as a character; ParseXlsx decodes it back). Formula-looking text gets a
// leading apostrophe (io/formula_guard.h). Errors (field "file"):
// xlsx_bad_sheet_name, xlsx_too_many_rows (> 1048575 data rows), xlsx_too_many_columns
// (> 16384), xlsx_cell_too_long (> 32767 characters, names row and column),
// file_write_error, internal (libxlsxwriter failures).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace th::io {

struct XlsxWriteOptions {
  std::string sheet_name = "Sheet1";  // <= 31 characters, none of []:*?/\ .
  // Document properties (File > Info in Excel).
  std::string title;
  std::string subject;
  std::string author = "童护";
  std::string company;
  std::string comments;
  // Column widths in Excel character units; columns without one (or all, when empty) are
  // sized from their content, between min_column_width and max_column_width.
  std::vector<double> column_widths;
  double min_column_width = 8;
  double max_column_width = 60;
  // Writes rows straight to a temporary file (inline strings) instead of holding the sheet
  // in memory: for large exports. The output reads the same.
  bool constant_memory = false;
  // Directory for the temporary files; empty uses $TMPDIR or /tmp.
  std::string tmpdir;
  // Printed at the top and bottom centre of every page (an export's watermark text); "" none.
  // At most 200 bytes after escaping ('&' doubles); longer is cut at a character boundary.
  std::string page_header;
};

// Builds the workbook and returns the .xlsx bytes. Rows may be shorter or longer than the
// header; empty strings leave the cell empty.
Result<std::string> WriteXlsx(const std::vector<std::string>& header,
                              const std::vector<std::vector<std::string>>& rows,
                              const XlsxWriteOptions& options = {});

// WriteXlsx + WriteFileBytes (atomic: temporary file + rename).
Status WriteXlsxFile(const std::string& path, const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows, const XlsxWriteOptions& options = {});

// Display width of `s` in Excel character units: East Asian wide characters count 2.
double XlsxDisplayWidth(std::string_view s);

}  // namespace th::io
