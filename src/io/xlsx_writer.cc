#include "io/xlsx_writer.h"

#include "io/formula_guard.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "io/csv.h"
#include "text/utf8.h"

namespace th::io {
namespace {

constexpr std::size_t kMaxCellChars = 32767;
constexpr std::size_t kMaxDataRows = 1'048'575;  // plus the header row
constexpr std::size_t kMaxColumns = 16'384;

bool IsWide(char32_t c) {
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
         (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
         (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

bool IsHexEscapeAt(std::string_view s, std::size_t i) {
  if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return false;
  for (std::size_t k = i + 2; k < i + 6; ++k) {
    if (!std::isxdigit(static_cast<unsigned char>(s[k]))) return false;
  }
  return true;
}

// Valid UTF-8 without "_xHHHH_" text is passed through untouched (the common case costs a scan).
std::string CleanText(std::string_view s) {
  bool has_escape = false;
  for (std::size_t i = s.find("_x"); i != std::string_view::npos; i = s.find("_x", i + 1)) {
    if (IsHexEscapeAt(s, i)) {
      has_escape = true;
      break;
    }
  }
  const bool valid = text::IsValidUtf8(s);
  if (valid && !has_escape) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  for (std::size_t i = 0; i < s.size();) {
    if (IsHexEscapeAt(s, i)) out += "_x005F";
    if (valid) {
      out.push_back(s[i++]);
    } else {
      text::AppendUtf8(text::NextCodePoint(s, &i), &out);
    }
  }
  return out;
}

std::size_t CountChars(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

// A private temporary file that is removed on every path out.
class TempFile {
 public:
  TempFile() = default;
  ~TempFile() {
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  Status Create(const std::string& dir_option) {
    std::string dir = dir_option;
    if (dir.empty()) {
      const char* env = std::getenv("TMPDIR");
      dir = env && *env ? env : "/tmp";
    }
    std::string tmpl = dir + "/tonghu-export-XXXXXX.xlsx";
    int fd = ::mkstemps(tmpl.data(), 5);  // mode 0600: exports hold children's data
    if (fd < 0) {
      return Status::Invalid("file", "file_write_error", "无法创建临时文件: " + dir,
                             "cannot create a temporary file in " + dir);
    }
    ::close(fd);
    path_ = tmpl;
    return Status::Ok();
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Closes the workbook on early returns too (libxlsxwriter frees it only in workbook_close).
class WorkbookHandle {
 public:
  explicit WorkbookHandle(lxw_workbook* wb) : wb_(wb) {}
  ~WorkbookHandle() {
    if (wb_) workbook_close(wb_);
  }
  WorkbookHandle(const WorkbookHandle&) = delete;
  WorkbookHandle& operator=(const WorkbookHandle&) = delete;
  lxw_workbook* get() const { return wb_; }
  lxw_error Close() {
    lxw_error e = workbook_close(wb_);
    wb_ = nullptr;
    return e;
  }

 private:
  lxw_workbook* wb_;
};

Status LxwError(const char* what, lxw_error e) {
  return Status::Internal(std::string(what) + ": " + lxw_strerror(e));
}

char* Prop(const std::string& s) { return s.empty() ? nullptr : const_cast<char*>(s.c_str()); }

}  // namespace

double XlsxDisplayWidth(std::string_view s) {
  double w = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t c = text::NextCodePoint(s, &i);
    w += IsWide(c) ? 2 : 1;
  }
  return w;
}

Result<std::string> WriteXlsx(const std::vector<std::string>& header,
                              const std::vector<std::vector<std::string>>& rows, const XlsxWriteOptions& options) {
  if (rows.size() > kMaxDataRows) {
    return Status::Error(Code::kPayloadTooLarge, "xlsx_too_many_rows", "导出行数超过 Excel 上限 1048575 行",
                         "More rows than Excel allows (1048575)", "file");
  }
  std::size_t ncols = header.size();
  for (const auto& r : rows) ncols = std::max(ncols, r.size());
  if (ncols > kMaxColumns) {
    return Status::Error(Code::kPayloadTooLarge, "xlsx_too_many_columns", "导出列数超过 Excel 上限 16384 列",
                         "More columns than Excel allows (16384)", "file");
  }

  // Validate and measure before creating anything.
  std::vector<double> widths(ncols, 0);
  auto measure = [&](const std::vector<std::string>& cells, std::size_t row) -> Status {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (CountChars(cells[c]) > kMaxCellChars) {
        std::string where = std::to_string(row + 1) + ", " + std::to_string(c + 1);
        return Status::Invalid("file", "xlsx_cell_too_long",
                               "第 " + std::to_string(row + 1) + " 行第 " + std::to_string(c + 1) +
                                   " 列内容超过 Excel 单元格上限 32767 个字符",
                               "Cell (row, column) (" + where + ") is longer than Excel's 32767 characters");
      }
      widths[c] = std::max(widths[c], XlsxDisplayWidth(cells[c]));
    }
    return Status::Ok();
  };
  TH_RETURN_IF_ERROR(measure(header, 0));
  for (std::size_t r = 0; r < rows.size(); ++r) TH_RETURN_IF_ERROR(measure(rows[r], r + 1));

  TempFile tmp;
  TH_RETURN_IF_ERROR(tmp.Create(options.tmpdir));
  lxw_workbook_options wopt = {};
  wopt.constant_memory = options.constant_memory ? LXW_TRUE : LXW_FALSE;
  wopt.tmpdir = options.tmpdir.empty() ? nullptr : const_cast<char*>(options.tmpdir.c_str());
  WorkbookHandle wb(workbook_new_opt(tmp.path().c_str(), &wopt));
  if (!wb.get()) return Status::Internal("workbook_new_opt failed");

  if (options.sheet_name.empty() || workbook_validate_sheet_name(wb.get(), options.sheet_name.c_str()) != LXW_NO_ERROR ||
      !text::IsValidUtf8(options.sheet_name)) {
    return Status::Invalid("sheet_name", "xlsx_bad_sheet_name",
                           "工作表名称无效（最多 31 个字符，不能包含 []:*?/\\）: " + options.sheet_name,
                           "Invalid sheet name (at most 31 characters, none of []:*?/\\): " + options.sheet_name);
  }
  lxw_worksheet* ws = workbook_add_worksheet(wb.get(), options.sheet_name.c_str());
  if (!ws) return Status::Internal("workbook_add_worksheet failed");

  if (!options.page_header.empty()) {
    std::string hf = "&C";
    for (char ch : options.page_header) {
      if (hf.size() >= 200 && (static_cast<unsigned char>(ch) & 0xC0) != 0x80) break;
      hf += ch == '&' ? std::string("&&") : std::string(1, ch);
    }
    if (lxw_error e = worksheet_set_header(ws, hf.c_str()); e != LXW_NO_ERROR) return LxwError("worksheet_set_header", e);
    if (lxw_error e = worksheet_set_footer(ws, hf.c_str()); e != LXW_NO_ERROR) return LxwError("worksheet_set_footer", e);
  }
  lxw_doc_properties props = {};
  props.title = Prop(options.title);
  props.subject = Prop(options.subject);
  props.author = Prop(options.author);
  props.company = Prop(options.company);
  props.comments = Prop(options.comments);
  if (lxw_error e = workbook_set_properties(wb.get(), &props); e != LXW_NO_ERROR) {
    return LxwError("workbook_set_properties", e);
  }

  lxw_format* head = workbook_add_format(wb.get());
  format_set_bold(head);
  format_set_num_format_index(head, 49);  // built-in "@" (Text)
  format_set_pattern(head, LXW_PATTERN_SOLID);
  format_set_bg_color(head, 0xD9E1F2);
  format_set_bottom(head, LXW_BORDER_THIN);
  lxw_format* text = workbook_add_format(wb.get());
  format_set_num_format_index(text, 49);

  for (std::size_t c = 0; c < ncols; ++c) {
    double w = c < options.column_widths.size() && options.column_widths[c] > 0
                   ? options.column_widths[c]
                   : std::clamp(widths[c] + 2, options.min_column_width, options.max_column_width);
    auto col = static_cast<lxw_col_t>(c);
    if (lxw_error e = worksheet_set_column(ws, col, col, w, text); e != LXW_NO_ERROR) {
      return LxwError("worksheet_set_column", e);
    }
  }

  auto write_row = [&](lxw_row_t r, const std::vector<std::string>& cells, lxw_format* fmt) -> Status {
    for (std::size_t c = 0; c < cells.size(); ++c) {
      if (cells[c].empty()) continue;
      std::string v = NeutralizeFormula(CleanText(cells[c]));  // header cells too: they come from data
      lxw_error e = worksheet_write_string(ws, r, static_cast<lxw_col_t>(c), v.c_str(), fmt);
      if (e != LXW_NO_ERROR) return LxwError("worksheet_write_string", e);
    }
    return Status::Ok();
  };
  TH_RETURN_IF_ERROR(write_row(0, header, head));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    TH_RETURN_IF_ERROR(write_row(static_cast<lxw_row_t>(r + 1), rows[r], text));
  }
  if (!header.empty()) {
    worksheet_freeze_panes(ws, 1, 0);
    lxw_error e = worksheet_autofilter(ws, 0, 0, static_cast<lxw_row_t>(rows.size()),
                                       static_cast<lxw_col_t>(header.size() - 1));
    if (e != LXW_NO_ERROR) return LxwError("worksheet_autofilter", e);
  }
  if (lxw_error e = wb.Close(); e != LXW_NO_ERROR) {
    return Status::Invalid("file", "file_write_error", std::string("写入 xlsx 文件失败: ") + lxw_strerror(e),
                           std::string("writing the .xlsx file failed: ") + lxw_strerror(e));
  }
  return ReadFileBytes(tmp.path());
}

Status WriteXlsxFile(const std::string& path, const std::vector<std::string>& header,
                     const std::vector<std::vector<std::string>>& rows, const XlsxWriteOptions& options) {
  TH_ASSIGN_OR_RETURN(std::string bytes, WriteXlsx(header, rows, options));
  return WriteFileBytes(path, bytes);
}

}  // namespace th::io
