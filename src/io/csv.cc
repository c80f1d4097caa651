#include "io/csv.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "io/formula_guard.h"

namespace th::io {
namespace {

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

CsvReader::CsvReader(std::string_view utf8, CsvOptions options) : in_(utf8), options_(options) {}

Status CsvReader::QuoteError(const char* code, std::int64_t line, const char* zh, const char* en) const {
  return Status::Invalid("file", code, "CSV 第 " + std::to_string(line) + " 行: " + zh,
                         "CSV line " + std::to_string(line) + ": " + en);
}

Status CsvReader::CapError(bool columns) const {
  const std::string line = std::to_string(record_line_);
  if (columns) {
    const std::string n = std::to_string(options_.max_columns);
    return Status::Error(Code::kPayloadTooLarge, "csv_too_many_columns",
                         "表格列数过多：第" + line + "行超过" + n + "列。请删除多余的列(只保留需要导入的列)后重新上传",
                         "Too many columns: line " + line + " has more than " + n, "file");
  }
  const std::string n = std::to_string(options_.max_field_bytes / 1024);
  return Status::Error(Code::kPayloadTooLarge, "csv_cell_too_long",
                       "第" + line + "行有单元格内容过长(超过" + n + " KB)。请检查该行后重新上传",
                       "A cell on line " + line + " is longer than " + n + " KB", "file");
}

Result<bool> CsvReader::Next(std::vector<std::string>* fields) {
  const char d = options_.delimiter;
  const std::size_t n = in_.size();
  // Skip blank lines.
  while (pos_ < n && (in_[pos_] == '\n' || in_[pos_] == '\r')) {
    if (in_[pos_] == '\r' && pos_ + 1 < n && in_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
  }
  if (pos_ >= n) return false;
  record_line_ = line_;
  std::size_t count = 0;
  const std::size_t max_bytes = options_.max_field_bytes;
  auto next_field = [&]() -> std::string& {
    if (count == fields->size()) fields->emplace_back();
    std::string& f = (*fields)[count++];
    f.clear();
    return f;
  };
  for (;;) {
    if (count >= options_.max_columns) return CapError(true);
    std::string& f = next_field();
    if (pos_ < n && in_[pos_] == '"') {
      std::int64_t open_line = line_;
      ++pos_;
      for (;;) {
        std::size_t q = in_.find('"', pos_);
        if (q == std::string_view::npos) {
          return QuoteError("csv_unterminated_quote", open_line, "引号未闭合", "unterminated quoted field");
        }
        std::string_view chunk = in_.substr(pos_, q - pos_);
        // Embedded line ends count toward line numbers (CRLF once, lone CR or LF once).
        for (std::size_t i = 0; i < chunk.size(); ++i) {
          if (chunk[i] == '\n' || (chunk[i] == '\r' && (i + 1 >= chunk.size() || chunk[i + 1] != '\n'))) ++line_;
        }
        if (f.size() + chunk.size() > max_bytes) return CapError(false);
        f.append(chunk);
        pos_ = q + 1;
        if (pos_ < n && in_[pos_] == '"') {
          f.push_back('"');
          ++pos_;
          continue;
        }
        break;
      }
      if (pos_ < n && in_[pos_] != d && in_[pos_] != '\n' && in_[pos_] != '\r') {
        return QuoteError("csv_bad_quote", line_, "闭合引号后出现多余字符",
                          "unexpected character after a closing quote");
      }
    } else {
      std::size_t start = pos_;
      while (pos_ < n) {
        char c = in_[pos_];
        if (c == d || c == '\n' || c == '\r') break;
        if (c == '"' && !options_.lenient_quotes) {
          return QuoteError("csv_bad_quote", line_, "未加引号的字段中出现引号",
                            "quote character inside an unquoted field");
        }
        ++pos_;
      }
      if (pos_ - start > max_bytes) return CapError(false);
      f.assign(in_.substr(start, pos_ - start));
    }
    if (pos_ >= n) break;
    if (in_[pos_] == d) {
      ++pos_;
      continue;
    }
    // End of line.
    if (in_[pos_] == '\r' && pos_ + 1 < n && in_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    break;
  }
  fields->resize(count);
  return true;
}

int CsvTable::ColumnIndex(std::string_view name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Result<CsvTable> ParseCsv(std::string_view bytes, const CsvOptions& options) {
  CsvTable table;
  TH_ASSIGN_OR_RETURN(std::string utf8, text::DecodeToUtf8(bytes, &table.charset));
  CsvReader reader(utf8, options);
  std::vector<std::string> fields;
  TH_ASSIGN_OR_RETURN(bool got, reader.Next(&fields));
  if (!got) return Status::Invalid("file", "csv_empty", "CSV 文件为空（缺少表头）", "CSV file is empty (no header)");
  for (const auto& h : fields) table.header.push_back(Trim(h));
  std::uint64_t memory = 0;
  for (;;) {
    TH_ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
    if (!more) break;
    // A row of empty fields costs a string object per header column: count before keeping it.
    memory += std::max(fields.size(), table.header.size()) * sizeof(std::string) + sizeof(fields) + sizeof(std::int64_t);
    for (const auto& f : fields) memory += f.size() > 15 ? f.size() + 1 : 0;
    if (memory > options.max_memory_bytes) {
      const std::string n = std::to_string(options.max_memory_bytes >> 20);
      return Status::Error(Code::kPayloadTooLarge, "csv_too_large_in_memory",
                           "表格内容过多(读取需要超过" + n + " MB内存)。请删除空行空列，或拆分成几个文件后上传",
                           "The file needs more than " + n + " MB to read; remove empty rows and columns or split it",
                           "file");
    }
    if (fields.size() != table.header.size()) {
      if (!options.allow_ragged) {
        std::string line = std::to_string(reader.record_line());
        return Status::Invalid("file", "csv_ragged_row",
                               "CSV 第 " + line + " 行有 " + std::to_string(fields.size()) + " 列，表头有 " +
                                   std::to_string(table.header.size()) + " 列",
                               "CSV line " + line + " has " + std::to_string(fields.size()) +
                                   " fields, the header has " + std::to_string(table.header.size()));
      }
      table.ragged.push_back({reader.record_line(), fields.size()});
      fields.resize(table.header.size());
    }
    table.rows.push_back(fields);
    table.row_lines.push_back(reader.record_line());
  }
  return table;
}

Result<std::string> ReadFileBytes(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) {
    return Status::Invalid("file", "file_not_found", "无法打开文件: " + path, "cannot open file: " + path);
  }
  std::string data;
  char buf[1 << 16];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, got);
  bool err = std::ferror(f);
  std::fclose(f);
  if (err) return Status::Invalid("file", "file_read_error", "读取文件失败: " + path, "read error: " + path);
  return data;
}

Result<CsvTable> ReadCsvFile(const std::string& path, const CsvOptions& options) {
  TH_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(path));
  return ParseCsv(bytes, options);
}

CsvWriter::CsvWriter(std::string* out, bool utf8_bom, char delimiter) : out_(out), delimiter_(delimiter) {
  if (utf8_bom) out_->append("\xEF\xBB\xBF");
}

void CsvWriter::Field(std::string_view raw) {
  if (!first_in_row_) out_->push_back(delimiter_);
  // Every cell we write is defused (io/formula_guard.h); the guard string lives for this call.
  const std::string guarded = LooksLikeFormula(raw) ? NeutralizeFormula(raw) : std::string();
  const std::string_view v = guarded.empty() ? raw : std::string_view(guarded);
  first_in_row_ = false;
  bool quote = !v.empty() && (v.front() == ' ' || v.back() == ' ');
  for (char c : v) {
    if (c == delimiter_ || c == '"' || c == '\n' || c == '\r') {
      quote = true;
      break;
    }
  }
  if (!quote) {
    out_->append(v);
    return;
  }
  out_->push_back('"');
  for (char c : v) {
    if (c == '"') out_->push_back('"');
    out_->push_back(c);
  }
  out_->push_back('"');
}

void CsvWriter::EndRow() {
  out_->append("\r\n");
  first_in_row_ = true;
}

void CsvWriter::WriteRow(const std::vector<std::string>& fields) {
  for (const auto& f : fields) Field(f);
  EndRow();
}

void CsvWriter::WriteRow(std::initializer_list<std::string_view> fields) {
  for (auto f : fields) Field(f);
  EndRow();
}

Status WriteFileBytes(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return Status::Invalid("file", "file_write_error", "无法写入文件: " + path, "cannot write file: " + path);
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return Status::Invalid("file", "file_write_error", "写入文件失败: " + path, "write failed: " + path);
  }
  return Status::Ok();
}

}  // namespace th::io
