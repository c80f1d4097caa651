// Over 600 lines: a streaming XLSX reader (zip, shared strings, sheet XML) with its own bounded-memory state.
#include "io/xlsx_reader.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <unordered_map>
#include <utility>

#include "text/date.h"
#include "text/utf8.h"

namespace th::io {
namespace {

constexpr std::int64_t kMaxSheetRows = 1'048'576;
constexpr std::int32_t kMaxSheetColumns = 16'384;
constexpr char kNsSeparator = '|';

Status FileError(const char* code, const std::string& zh, const std::string& en) {
  return Status::Invalid("file", code, zh, en);
}

Status TooLarge(const char* code, const std::string& zh, const std::string& en) {
  return Status::Error(Code::kPayloadTooLarge, code, zh, en, "file");
}

// Heap bytes a stored string costs: its object, plus its text unless it fits the small buffer.
std::uint64_t CostOf(const std::string& v) { return sizeof(std::string) + (v.size() > 15 ? v.size() + 1 : 0); }

Status TooManyColumns(std::int32_t max) {
  const std::string n = std::to_string(max);
  return TooLarge("xlsx_too_many_columns",
                  "表格列数过多：表头超过" + n + "列。请删除多余的列(只保留需要导入的列)后重新上传",
                  "Too many columns: the header row is wider than " + n + " columns; delete the extra columns");
}

Status CellTooLong(std::int64_t row, std::size_t max) {
  const std::string r = std::to_string(row), n = std::to_string(max / 1024);
  return TooLarge("xlsx_cell_too_long", "第" + r + "行有单元格内容过长(超过" + n + " KB)。请检查该行后重新上传",
                  "A cell in row " + r + " is longer than " + n + " KB");
}

Status TooLargeInMemory(std::uint64_t max) {
  const std::string n = std::to_string(max >> 20);
  return TooLarge("xlsx_too_large_in_memory",
                  "表格内容过多(读取需要超过" + n + " MB内存)。请删除空行空列，或拆分成几个文件，或另存为CSV后上传",
                  "The sheet needs more than " + n + " MB to read; remove empty rows and columns, split it, or save it as CSV");
}

Status EncryptedError() {
  return Status::Error(Code::kUnsupportedMedia, "xlsx_encrypted",
                       "文件已加密或为旧版xls格式，请在 Excel 中去掉密码并另存为 .xlsx 后再导入",
                       "The file is encrypted or in the legacy .xls format; remove the password and save it as "
                       ".xlsx before importing",
                       "file");
}

Status NotZipError() {
  return Status::Error(Code::kUnsupportedMedia, "xlsx_not_zip", "文件不是有效的 xlsx 文件",
                       "The file is not a valid .xlsx file", "file");
}

Status CorruptError(const std::string& part, const std::string& detail) {
  std::string where = part.empty() ? "" : " (" + part + ")";
  return FileError("xlsx_corrupt", "xlsx 文件已损坏或不完整" + where + ": " + detail,
                   "The .xlsx file is damaged or incomplete" + where + ": " + detail);
}

Status BudgetError(std::uint64_t cap) {
  std::string mb = std::to_string(cap >> 20);
  return TooLarge("xlsx_too_large", "xlsx 文件解压后超过 " + mb + " MB 上限",
                  "The .xlsx file exceeds the " + mb + " MB limit once decompressed");
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Decimal attribute value, or `fallback` when absent or not a number (never UB on overflow).
int IntAttr(const char* v, int fallback) {
  if (v == nullptr) return fallback;
  int out = 0;
  auto [ptr, ec] = std::from_chars(v, v + std::strlen(v), out);
  return ec == std::errc() && *ptr == '\0' ? out : fallback;
}

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// ---------------------------------------------------------------------------------------
// Zip archive over bytes in memory, with one decompression budget shared by all parts.

class ZipArchive {
 public:
  ZipArchive(zip_t* za, std::uint64_t budget) : za_(za), cap_(budget), budget_(budget) {}
  ~ZipArchive() { zip_discard(za_); }
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  static Result<std::unique_ptr<ZipArchive>> Open(std::string_view bytes, std::uint64_t budget) {
    if (bytes.empty()) {
      return Status::Error(Code::kUnsupportedMedia, "xlsx_not_zip", "文件为空", "The file is empty", "file");
    }
    if (SniffSpreadsheet(bytes) == SpreadsheetFormat::kOle2) return EncryptedError();
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    if (src == nullptr) {
      zip_error_fini(&err);
      return Status::Internal("zip_source_buffer_create failed");
    }
    zip_t* za = zip_open_from_source(src, ZIP_RDONLY, &err);
    if (za == nullptr) {
      std::string detail = zip_error_strerror(&err);
      zip_source_free(src);
      zip_error_fini(&err);
      // A local-header signature means it was a zip once: most likely cut off in transfer.
      if (StartsWith(bytes, "PK")) return CorruptError("", detail);
      return NotZipError();
    }
    zip_error_fini(&err);
    return std::make_unique<ZipArchive>(za, budget);
  }

  // Index of the entry named `name` (exact, then case-insensitive), or -1.
  zip_int64_t Find(const std::string& name) const {
    zip_int64_t i = zip_name_locate(za_, name.c_str(), 0);
    if (i < 0) i = zip_name_locate(za_, name.c_str(), ZIP_FL_NOCASE);
    return i;
  }

  // Decompresses entry `index` chunk by chunk into `sink`, charging the shared budget. A
  // sink error stops reading and is returned.
  Status Read(zip_int64_t index, const std::string& name, const std::function<Status(std::string_view)>& sink) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za_, static_cast<zip_uint64_t>(index), 0, &st) != 0) {
      return CorruptError(name, zip_strerror(za_));
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) return EncryptedError();
    // Declared sizes are a cheap first check only; the loop below counts real bytes.
    if ((st.valid & ZIP_STAT_SIZE) && st.size > budget_) return BudgetError(cap_);
    zip_file_t* f = zip_fopen_index(za_, static_cast<zip_uint64_t>(index), 0);
    if (f == nullptr) {
      int ze = zip_error_code_zip(zip_get_error(za_));
      if (ze == ZIP_ER_ENCRNOTSUPP || ze == ZIP_ER_NOPASSWD || ze == ZIP_ER_WRONGPASSWD) return EncryptedError();
      return CorruptError(name, zip_strerror(za_));
    }
    std::unique_ptr<char[]> buf(new char[1 << 16]);
    Status status;
    for (;;) {
      zip_int64_t n = zip_fread(f, buf.get(), 1 << 16);
      if (n < 0) {
        status = CorruptError(name, zip_file_strerror(f));
        break;
      }
      if (n == 0) break;
      if (static_cast<std::uint64_t>(n) > budget_) {
        status = BudgetError(cap_);
        break;
      }
      budget_ -= static_cast<std::uint64_t>(n);
      status = sink(std::string_view(buf.get(), static_cast<std::size_t>(n)));
      if (!status.ok()) break;
    }
    zip_fclose(f);
    return status;
  }

 private:
  zip_t* za_;
  std::uint64_t cap_;
  std::uint64_t budget_;
};

// ---------------------------------------------------------------------------------------
// SAX over one part. Handlers see local element names (namespaces stripped: OOXML files use
// varying prefixes, and strict OOXML uses different namespace URIs for the same elements).

std::string_view LocalName(const XML_Char* name) {
  std::string_view n(name);
  std::size_t bar = n.rfind(kNsSeparator);
  return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

// Value of the attribute with local name `local`, or nullptr.
const char* Attr(const XML_Char** attrs, std::string_view local) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    if (LocalName(attrs[i]) == local) return attrs[i + 1];
  }
  return nullptr;
}

class SaxHandler {
 public:
  virtual ~SaxHandler() = default;
  virtual void Start(std::string_view name, const XML_Char** attrs) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view text) {}

  // Records the first error and stops the parser.
  void Fail(Status s) {
    if (error_.ok()) error_ = std::move(s);
    if (parser_ != nullptr) XML_StopParser(parser_, XML_FALSE);
  }
  std::int64_t Line() const { return parser_ ? static_cast<std::int64_t>(XML_GetCurrentLineNumber(parser_)) : 0; }

  XML_Parser parser_ = nullptr;
  Status error_;
};

// Callbacks are C frames: nothing may unwind through them.
void XMLCALL OnStart(void* ud, const XML_Char* name, const XML_Char** attrs) {
  auto* h = static_cast<SaxHandler*>(ud);
  try {
    h->Start(LocalName(name), attrs);
  } catch (...) {
    h->Fail(Status::Internal("allocation failed while reading xlsx"));
  }
}
void XMLCALL OnEnd(void* ud, const XML_Char* name) {
  auto* h = static_cast<SaxHandler*>(ud);
  try {
    h->End(LocalName(name));
  } catch (...) {
    h->Fail(Status::Internal("allocation failed while reading xlsx"));
  }
}
void XMLCALL OnText(void* ud, const XML_Char* s, int len) {
  auto* h = static_cast<SaxHandler*>(ud);
  try {
    h->Text(std::string_view(s, static_cast<std::size_t>(len)));
  } catch (...) {
    h->Fail(Status::Internal("allocation failed while reading xlsx"));
  }
}
// OOXML parts never have a DTD; refusing one rules out entity-expansion attacks entirely.
void XMLCALL OnDoctype(void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<SaxHandler*>(ud)->Fail(FileError("xlsx_bad_xml", "xlsx 文件包含不允许的 DOCTYPE 声明",
                                               "The .xlsx file contains a DOCTYPE declaration, which is not allowed"));
}

struct ParserDeleter {
  void operator()(XML_ParserStruct* p) const { XML_ParserFree(p); }
};

Status ParsePart(ZipArchive* zip, zip_int64_t index, const std::string& part, SaxHandler* h) {
  std::unique_ptr<XML_ParserStruct, ParserDeleter> p(XML_ParserCreateNS(nullptr, kNsSeparator));
  if (!p) return Status::Internal("XML_ParserCreateNS failed");
  h->parser_ = p.get();
  XML_SetUserData(p.get(), h);
  XML_SetElementHandler(p.get(), OnStart, OnEnd);
  XML_SetCharacterDataHandler(p.get(), OnText);
  XML_SetStartDoctypeDeclHandler(p.get(), OnDoctype);
  auto xml_error = [&]() -> Status {
    if (!h->error_.ok()) return h->error_;
    std::string line = std::to_string(XML_GetCurrentLineNumber(p.get()));
    std::string what = XML_ErrorString(XML_GetErrorCode(p.get()));
    return FileError("xlsx_bad_xml", "xlsx 文件中 " + part + " 第 " + line + " 行 XML 格式错误: " + what,
                     "Malformed XML in " + part + " line " + line + ": " + what);
  };
  Status st = zip->Read(index, part, [&](std::string_view chunk) -> Status {
    if (XML_Parse(p.get(), chunk.data(), static_cast<int>(chunk.size()), XML_FALSE) != XML_STATUS_OK) {
      return xml_error();
    }
    return Status::Ok();
  });
  if (st.ok() && XML_Parse(p.get(), "", 0, XML_TRUE) != XML_STATUS_OK) st = xml_error();
  h->parser_ = nullptr;
  return st;
}

// Decodes the _xHHHH_ escapes Excel uses for characters XML cannot carry (controls) and for
// literal "_x....._" text (written as _x005F_xHHHH_).
std::string DecodeEscapes(std::string s) {
  if (s.find("_x") == std::string::npos) return s;
  auto hex4 = [&](std::size_t i, std::uint32_t* out) {
    if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return false;
    std::uint32_t v = 0;
    for (std::size_t k = i + 2; k < i + 6; ++k) {
      char c = s[k];
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      v = v * 16 + static_cast<std::uint32_t>(d);
    }
    *out = v;
    return true;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::uint32_t u;
    if (hex4(i, &u)) {
      i += 7;
      std::uint32_t lo;
      if (u >= 0xD800 && u <= 0xDBFF && hex4(i, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        i += 7;
      } else if (u >= 0xD800 && u <= 0xDFFF) {
        u = 0xFFFD;
      }
      text::AppendUtf8(static_cast<char32_t>(u), &out);
    } else {
      out.push_back(s[i++]);
    }
  }
  return out;
}

// "a/b/../c" -> "a/c"; a leading "/" means from the package root.
std::string ResolvePart(std::string_view base_dir, std::string_view target) {
  std::string joined = StartsWith(target, "/") ? std::string(target.substr(1)) : std::string(base_dir) + std::string(target);
  std::vector<std::string> segs;
  std::size_t start = 0;
  while (start <= joined.size()) {
    std::size_t slash = joined.find('/', start);
    if (slash == std::string::npos) slash = joined.size();
    std::string seg = joined.substr(start, slash - start);
    if (seg == "..") {
      if (!segs.empty()) segs.pop_back();
    } else if (!seg.empty() && seg != ".") {
      segs.push_back(std::move(seg));
    }
    start = slash + 1;
  }
  std::string out;
  for (const auto& s : segs) out += (out.empty() ? "" : "/") + s;
  return out;
}

std::string DirOf(std::string_view part) {
  std::size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

std::string RelsPathOf(std::string_view part) {
  std::size_t slash = part.rfind('/');
  std::string_view file = slash == std::string_view::npos ? part : part.substr(slash + 1);
  return DirOf(part) + "_rels/" + std::string(file) + ".rels";
}

// ---------------------------------------------------------------------------------------
// Handlers.

struct Relationship {
  std::string id, type, target;  // target resolved to a part name
};

class RelsHandler : public SaxHandler {
 public:
  explicit RelsHandler(std::string base_dir) : base_dir_(std::move(base_dir)) {}
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name != "Relationship") return;
    const char* id = Attr(attrs, "Id");
    const char* type = Attr(attrs, "Type");
    const char* target = Attr(attrs, "Target");
    const char* mode = Attr(attrs, "TargetMode");
    if (!id || !type || !target || (mode && std::string_view(mode) == "External")) return;
    rels.push_back({id, type, ResolvePart(base_dir_, target)});
  }
  void End(std::string_view) override {}

  const Relationship* ByType(std::string_view suffix) const {
    for (const auto& r : rels) {
      if (EndsWith(r.type, suffix)) return &r;
    }
    return nullptr;
  }
  const Relationship* ById(std::string_view id) const {
    for (const auto& r : rels) {
      if (r.id == id) return &r;
    }
    return nullptr;
  }

  std::vector<Relationship> rels;

 private:
  std::string base_dir_;
};

struct SheetEntry {
  std::string name, rel_id;
  bool hidden = false;
};

class WorkbookHandler : public SaxHandler {
 public:
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "sheet") {
      SheetEntry e;
      if (const char* n = Attr(attrs, "name")) e.name = n;
      if (const char* id = Attr(attrs, "id")) e.rel_id = id;
      if (const char* state = Attr(attrs, "state")) e.hidden = std::string_view(state) != "visible";
      sheets.push_back(std::move(e));
    } else if (name == "workbookPr") {
      if (const char* d = Attr(attrs, "date1904")) date1904 = std::string_view(d) == "1" || std::string_view(d) == "true";
    }
  }
  void End(std::string_view) override {}

  std::vector<SheetEntry> sheets;
  bool date1904 = false;
};

class SharedStringsHandler : public SaxHandler {
 public:
  explicit SharedStringsHandler(const XlsxOptions& options) : options_(options) {}
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "si") {
      in_si_ = true;
      cur_.clear();
    } else if (name == "rPh") {
      ++phonetic_depth_;  // furigana runs are annotations, not cell text
    } else if (name == "t") {
      in_t_ = in_si_ && phonetic_depth_ == 0;
    } else if (name == "sst") {
      if (const char* n = Attr(attrs, "uniqueCount")) {
        // Only a hint, and from the file: bounded so a lie cannot allocate much.
        strings.reserve(std::min<std::size_t>(std::strtoull(n, nullptr, 10), 1 << 16));
      }
    }
  }
  void End(std::string_view name) override {
    if (name == "t") {
      in_t_ = false;
    } else if (name == "rPh") {
      if (phonetic_depth_ > 0) --phonetic_depth_;
    } else if (name == "si") {
      strings.push_back(DecodeEscapes(std::move(cur_)));
      memory_bytes += CostOf(strings.back());
      if (memory_bytes > options_.max_memory_bytes) return Fail(TooLargeInMemory(options_.max_memory_bytes));
      cur_.clear();
      in_si_ = false;
    }
  }
  void Text(std::string_view text) override {
    if (!in_t_) return;
    if (cur_.size() + text.size() > options_.max_cell_bytes) return Fail(CellTooLong(0, options_.max_cell_bytes));
    cur_.append(text);
  }

  std::vector<std::string> strings;
  std::uint64_t memory_bytes = 0;  // estimated heap held by `strings`

 private:
  const XlsxOptions& options_;
  bool in_si_ = false, in_t_ = false;
  int phonetic_depth_ = 0;
  std::string cur_;
};

enum class NumKind : std::uint8_t { kNumber, kDate, kDateTime, kTime };

NumKind BuiltinKind(int id) {
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) || id == 57 ||
      id == 58) {
    return NumKind::kDate;  // 27-58: the zh-CN built-ins (yyyy"年"m"月"d"日" and friends), as WPS writes them
  }
  if (id == 22) return NumKind::kDateTime;
  if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 || id == 56) {
    return NumKind::kTime;
  }
  return NumKind::kNumber;
}

// A custom format is a date when its first section has y or d, or m that is not minutes
// (no h or s beside it); a time when it has h or s. Quoted text, \-escapes, _x padding, *x
// fills and [..] modifiers ([Red], [$-804], [DBNum1]) are skipped; [h]/[mm]/[ss] count as time.
NumKind ClassifyFormat(std::string_view code) {
  bool y = false, m = false, d = false, h = false, s = false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (c == ';') break;
    if (c == '"') {
      std::size_t close = code.find('"', i + 1);
      if (close == std::string_view::npos) break;
      i = close;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;
    } else if (c == '[') {
      std::size_t close = code.find(']', i + 1);
      if (close == std::string_view::npos) break;
      std::string_view inner = code.substr(i + 1, close - i - 1);
      if (!inner.empty() && inner.find_first_not_of("hHmMsS") == std::string_view::npos) h = true;
      i = close;
    } else {
      switch (c | 0x20) {
        case 'y': y = true; break;
        case 'm': m = true; break;
        case 'd': d = true; break;
        case 'h': h = true; break;
        case 's': s = true; break;
        default: break;
      }
    }
  }
  bool date = y || d || (m && !h && !s);
  bool time = h || s;
  if (date && time) return NumKind::kDateTime;
  if (date) return NumKind::kDate;
  if (time) return NumKind::kTime;
  return NumKind::kNumber;
}

class StylesHandler : public SaxHandler {
 public:
  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "numFmt") {
      const char* id = Attr(attrs, "numFmtId");
      const char* code = Attr(attrs, "formatCode");
      if (id && code) custom_[IntAttr(id, -1)] = ClassifyFormat(code);
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      xf_fmt_ids_.push_back(IntAttr(Attr(attrs, "numFmtId"), 0));
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }

  // Kind of each cell style (the s="" index), resolved after parsing: numFmts come first in
  // the file, but nothing in the format requires it.
  std::vector<NumKind> Kinds() const {
    std::vector<NumKind> kinds;
    kinds.reserve(xf_fmt_ids_.size());
    for (int id : xf_fmt_ids_) {
      auto it = custom_.find(id);
      kinds.push_back(it != custom_.end() ? it->second : BuiltinKind(id));
    }
    return kinds;
  }

 private:
  bool in_cell_xfs_ = false;
  std::unordered_map<int, NumKind> custom_;
  std::vector<int> xf_fmt_ids_;
};

// "AB12" -> column 27 (0-based), row 12. Lowercase letters are tolerated.
bool ParseCellRef(std::string_view ref, std::int32_t* col, std::int64_t* row) {
  std::size_t i = 0;
  std::int32_t c = 0;
  while (i < ref.size() && i < 4 && std::isalpha(static_cast<unsigned char>(ref[i]))) {
    c = c * 26 + ((ref[i] | 0x20) - 'a' + 1);
    ++i;
  }
  if (i == 0 || c > kMaxSheetColumns) return false;
  std::int64_t r = 0;
  auto [ptr, ec] = std::from_chars(ref.data() + i, ref.data() + ref.size(), r);
  if (ec != std::errc() || ptr != ref.data() + ref.size() || r < 1 || r > kMaxSheetRows) return false;
  *col = c - 1;
  *row = r;
  return true;
}

std::string FormatClock(std::int64_t secs) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return buf;
}

// Serial day number -> text for a date/time-formatted cell. Out-of-range serials (negative,
// past 9999-12-31) are shown as numbers, as Excel shows them as ####.
std::string FormatSerial(double v, NumKind kind, bool date1904, const std::string& raw) {
  if (!std::isfinite(v) || v < 0 || v >= 2958466) return raw;
  std::int64_t total = std::llround(v * 86400.0);
  std::int64_t days = total / 86400, secs = total % 86400;
  if (kind == NumKind::kTime) return FormatClock(secs);
  std::string date;
  if (date1904) {
    date = text::FormatDate(text::CivilFromDays(text::DaysFromCivil({1904, 1, 1}) + static_cast<std::int32_t>(days)));
  } else if (days == 0) {
    date = "1900-01-00";  // what Excel displays for serial 0
  } else if (days == 60) {
    date = "1900-02-29";  // Lotus 1-2-3's leap-year bug, kept by Excel for compatibility
  } else {
    text::Date base{1899, 12, days < 60 ? 31 : 30};
    date = text::FormatDate(text::CivilFromDays(text::DaysFromCivil(base) + static_cast<std::int32_t>(days)));
  }
  if (kind == NumKind::kDateTime) date += " " + FormatClock(secs);
  return date;
}

std::string FormatNumber(const std::string& raw, NumKind kind, bool date1904) {
  const char* b = raw.data();
  const char* e = b + raw.size();
  while (b < e && *b == ' ') ++b;
  if (b < e && *b == '+') ++b;
  double v = 0;
  auto [ptr, ec] = std::from_chars(b, e, v);
  if (ec != std::errc() || ptr != e) return raw;  // not a number after all: keep what is there
  if (kind != NumKind::kNumber) return FormatSerial(v, kind, date1904, raw);
  if (v == std::floor(v) && std::fabs(v) < 9007199254740992.0) {
    return std::to_string(static_cast<std::int64_t>(v));
  }
  return raw;
}

// ISO 8601 value of a t="d" cell: date part, and the time when it is not midnight.
std::string FormatIsoDate(const std::string& raw) {
  std::size_t t = raw.find('T');
  if (t == std::string::npos) return raw;
  std::string time = raw.substr(t + 1);
  if (time.empty() || time.find_first_not_of("0:.Z") == std::string::npos) return raw.substr(0, t);
  return raw.substr(0, t) + " " + time;
}

enum class CellType : std::uint8_t { kNumber, kShared, kInline, kFormulaString, kBool, kError, kIsoDate };

CellType ParseCellType(const char* t) {
  if (t == nullptr) return CellType::kNumber;
  std::string_view s(t);
  if (s == "s") return CellType::kShared;
  if (s == "inlineStr") return CellType::kInline;
  if (s == "str") return CellType::kFormulaString;
  if (s == "b") return CellType::kBool;
  if (s == "e") return CellType::kError;
  if (s == "d") return CellType::kIsoDate;
  return CellType::kNumber;
}

class SheetHandler : public SaxHandler {
 public:
  SheetHandler(const XlsxOptions& options, std::string sheet_name, const std::vector<std::string>* shared,
               const std::vector<NumKind>* kinds, bool date1904, CsvTable* table, std::uint64_t memory_bytes)
      : options_(options), sheet_(std::move(sheet_name)), shared_(shared), kinds_(kinds), date1904_(date1904),
        table_(table), memory_bytes_(memory_bytes) {}

  void Start(std::string_view name, const XML_Char** attrs) override {
    if (name == "sheetData") {
      in_data_ = true;
      return;
    }
    if (!in_data_) return;
    if (name == "row") {
      std::int64_t r = row_ + 1;
      if (const char* ra = Attr(attrs, "r")) {
        auto [ptr, ec] = std::from_chars(ra, ra + std::strlen(ra), r);
        if (ec != std::errc() || *ptr != '\0' || r < 1 || r > kMaxSheetRows) {
          return Fail(BadRef(std::string("row ") + ra));
        }
      }
      row_ = r;
      in_row_ = true;
      col_ = -1;
      cells_.clear();
      has_value_ = false;
      extra_width_ = 0;
    } else if (name == "c" && in_row_) {
      std::int32_t c = col_ + 1;
      if (const char* ref = Attr(attrs, "r")) {
        std::int64_t r;
        if (!ParseCellRef(ref, &c, &r)) return Fail(BadRef(ref));
      } else if (c >= kMaxSheetColumns) {
        return Fail(BadRef("column " + std::to_string(c + 1)));
      }
      col_ = c;
      in_cell_ = true;
      type_ = ParseCellType(Attr(attrs, "t"));
      style_ = IntAttr(Attr(attrs, "s"), 0);
      v_.clear();
      is_.clear();
    } else if (!in_cell_) {
      return;
    } else if (name == "v") {
      capture_ = &v_;
    } else if (name == "is") {
      in_is_ = true;
    } else if (name == "rPh") {
      ++phonetic_depth_;
    } else if (name == "t" && in_is_ && phonetic_depth_ == 0) {
      capture_ = &is_;
    }
  }

  void End(std::string_view name) override {
    if (!in_data_) return;
    if (name == "v" || name == "t") {
      capture_ = nullptr;
    } else if (name == "is") {
      in_is_ = false;
    } else if (name == "rPh") {
      if (phonetic_depth_ > 0) --phonetic_depth_;
    } else if (name == "c" && in_cell_) {
      in_cell_ = false;
      capture_ = nullptr;
      EndCell();
    } else if (name == "row" && in_row_) {
      in_row_ = false;
      EndRow();
    } else if (name == "sheetData") {
      in_data_ = false;
    }
  }

  void Text(std::string_view text) override {
    if (capture_ == nullptr) return;
    if (capture_->size() + text.size() > options_.max_cell_bytes) return Fail(CellTooLong(row_, options_.max_cell_bytes));
    capture_->append(text);
  }

  bool have_header() const { return have_header_; }

 private:
  Status BadRef(const std::string& ref) const {
    return FileError("xlsx_bad_cell_ref", "工作表“" + sheet_ + "”中的单元格引用无效: " + ref,
                     "Invalid cell reference in sheet '" + sheet_ + "': " + ref);
  }

  void EndCell() {
    std::string value;
    switch (type_) {
      case CellType::kShared: {
        std::size_t idx = 0;
        auto [ptr, ec] = std::from_chars(v_.data(), v_.data() + v_.size(), idx);
        if (v_.empty() || ec != std::errc() || ptr != v_.data() + v_.size() || idx >= shared_->size()) {
          std::string at = "row " + std::to_string(row_) + ", index '" + v_ + "'";
          return Fail(FileError("xlsx_bad_shared_string", "工作表“" + sheet_ + "”引用了不存在的共享字符串 (" + at + ")",
                                "Sheet '" + sheet_ + "' refers to a missing shared string (" + at + ")"));
        }
        value = (*shared_)[idx];
        break;
      }
      case CellType::kInline: value = DecodeEscapes(std::move(is_)); break;
      case CellType::kFormulaString: value = DecodeEscapes(std::move(v_)); break;
      case CellType::kBool: value = v_.empty() ? "" : (v_ == "0" ? "FALSE" : "TRUE"); break;
      case CellType::kError: value = std::move(v_); break;
      case CellType::kIsoDate: value = FormatIsoDate(v_); break;
      case CellType::kNumber: {
        if (v_.empty()) break;
        NumKind kind = style_ >= 0 && static_cast<std::size_t>(style_) < kinds_->size() ? (*kinds_)[style_]
                                                                                        : NumKind::kNumber;
        value = FormatNumber(v_, kind, date1904_);
        break;
      }
    }
    if (value.empty()) return;
    if (value.size() > options_.max_cell_bytes) return Fail(CellTooLong(row_, options_.max_cell_bytes));
    // The header row decides the width every later row is padded to: cap it before storing.
    if (!have_header_ && col_ >= options_.max_columns) return Fail(TooManyColumns(options_.max_columns));
    // Past the header's width only the extent matters (for the ragged report); storing those
    // cells would let one far-right cell per row cost 16384 strings per row.
    if (have_header_ && static_cast<std::size_t>(col_) >= table_->header.size()) {
      extra_width_ = std::max<std::size_t>(extra_width_, static_cast<std::size_t>(col_) + 1);
      has_value_ = true;
      return;
    }
    if (static_cast<std::size_t>(col_) >= cells_.size()) cells_.resize(static_cast<std::size_t>(col_) + 1);
    cells_[static_cast<std::size_t>(col_)] = std::move(value);
    has_value_ = true;
  }

  void EndRow() {
    if (!has_value_) return;  // like a blank CSV line
    if (!have_header_) {
      while (!cells_.empty() && Trim(cells_.back()).empty()) cells_.pop_back();
      for (auto& c : cells_) table_->header.push_back(Trim(c));
      have_header_ = true;
      rows_ = 1;
      cells_total_ = static_cast<std::int64_t>(table_->header.size());
      return;
    }
    const std::size_t width = table_->header.size();
    if (extra_width_ > width) {
      if (!options_.allow_ragged) {
        std::string line = std::to_string(row_), n = std::to_string(extra_width_), w = std::to_string(width);
        return Fail(FileError("xlsx_ragged_row",
                              "工作表“" + sheet_ + "”第 " + line + " 行有 " + n + " 列，表头有 " + w + " 列",
                              "Sheet '" + sheet_ + "' row " + line + " has " + n + " columns, the header has " + w));
      }
      table_->ragged.push_back({row_, extra_width_});
    }
    if (++rows_ > options_.max_rows) {
      std::string n = std::to_string(options_.max_rows);
      return Fail(TooLarge("xlsx_too_many_rows", "工作表行数超过 " + n + " 行上限",
                           "The sheet has more than the limit of " + n + " rows"));
    }
    cells_total_ += static_cast<std::int64_t>(width);
    if (cells_total_ > options_.max_cells) {
      std::string n = std::to_string(options_.max_cells);
      return Fail(TooLarge("xlsx_too_many_cells", "工作表单元格数超过 " + n + " 个上限",
                           "The sheet has more than the limit of " + n + " cells"));
    }
    // Padding is what a sparse row costs: count it before materializing the row.
    memory_bytes_ += width * sizeof(std::string) + sizeof(std::vector<std::string>) + sizeof(std::int64_t);
    for (const auto& c : cells_) memory_bytes_ += c.size() > 15 ? c.size() + 1 : 0;
    if (memory_bytes_ > options_.max_memory_bytes) return Fail(TooLargeInMemory(options_.max_memory_bytes));
    cells_.resize(width);
    table_->rows.push_back(std::move(cells_));
    table_->row_lines.push_back(row_);
    cells_ = {};
  }

  const XlsxOptions& options_;
  std::string sheet_;
  const std::vector<std::string>* shared_;
  const std::vector<NumKind>* kinds_;
  bool date1904_;
  CsvTable* table_;

  bool in_data_ = false, in_row_ = false, in_cell_ = false, in_is_ = false;
  int phonetic_depth_ = 0;
  std::int64_t row_ = 0;
  std::int32_t col_ = -1;
  CellType type_ = CellType::kNumber;
  int style_ = 0;
  std::string v_, is_;
  std::string* capture_ = nullptr;
  std::vector<std::string> cells_;
  bool has_value_ = false;
  std::size_t extra_width_ = 0;
  bool have_header_ = false;
  std::int64_t rows_ = 0;
  std::int64_t cells_total_ = 0;
  std::uint64_t memory_bytes_ = 0;  // estimated heap held by the table and the shared strings
};

// ---------------------------------------------------------------------------------------
// Package structure.

struct OpenedWorkbook {
  std::unique_ptr<ZipArchive> zip;
  XlsxWorkbookInfo info;
  std::vector<std::string> sheet_parts;  // parallel to info.sheets
  std::string shared_strings_part, styles_part;
};

Result<OpenedWorkbook> OpenWorkbook(std::string_view bytes, const XlsxOptions& options) {
  OpenedWorkbook wb;
  TH_ASSIGN_OR_RETURN(wb.zip, ZipArchive::Open(bytes, options.max_uncompressed_bytes));
  ZipArchive* zip = wb.zip.get();

  std::string workbook_part;
  RelsHandler root_rels("");
  if (zip_int64_t i = zip->Find("_rels/.rels"); i >= 0) {
    TH_RETURN_IF_ERROR(ParsePart(zip, i, "_rels/.rels", &root_rels));
    if (const Relationship* r = root_rels.ByType("/officeDocument")) workbook_part = r->target;
  }
  zip_int64_t wb_index = workbook_part.empty() ? -1 : zip->Find(workbook_part);
  if (wb_index < 0) {
    workbook_part = "xl/workbook.xml";
    wb_index = zip->Find(workbook_part);
  }
  if (wb_index < 0) {
    return FileError("xlsx_no_workbook", "xlsx 文件中缺少工作簿 (xl/workbook.xml)",
                     "The .xlsx file has no workbook (xl/workbook.xml)");
  }
  WorkbookHandler workbook;
  TH_RETURN_IF_ERROR(ParsePart(zip, wb_index, workbook_part, &workbook));
  wb.info.date1904 = workbook.date1904;

  const std::string dir = DirOf(workbook_part);
  RelsHandler rels(dir);
  const std::string rels_part = RelsPathOf(workbook_part);
  if (zip_int64_t i = zip->Find(rels_part); i >= 0) TH_RETURN_IF_ERROR(ParsePart(zip, i, rels_part, &rels));

  for (std::size_t k = 0; k < workbook.sheets.size(); ++k) {
    const SheetEntry& e = workbook.sheets[k];
    XlsxSheetInfo info{e.name, e.hidden, true};
    std::string part;
    if (const Relationship* r = rels.ById(e.rel_id)) {
      part = r->target;
      info.worksheet = EndsWith(r->type, "/worksheet");
    } else {
      part = dir + "worksheets/sheet" + std::to_string(k + 1) + ".xml";  // rels missing: Excel's naming
    }
    wb.info.sheets.push_back(std::move(info));
    wb.sheet_parts.push_back(std::move(part));
  }
  const Relationship* sst = rels.ByType("/sharedStrings");
  wb.shared_strings_part = sst ? sst->target : dir + "sharedStrings.xml";
  const Relationship* styles = rels.ByType("/styles");
  wb.styles_part = styles ? styles->target : dir + "styles.xml";
  return wb;
}

}  // namespace

Result<XlsxWorkbookInfo> ReadXlsxWorkbookInfo(std::string_view bytes, const XlsxOptions& options) {
  TH_ASSIGN_OR_RETURN(OpenedWorkbook wb, OpenWorkbook(bytes, options));
  return std::move(wb.info);
}

Result<CsvTable> ParseXlsx(std::string_view bytes, const XlsxOptions& options) {
  TH_ASSIGN_OR_RETURN(OpenedWorkbook wb, OpenWorkbook(bytes, options));
  const auto& sheets = wb.info.sheets;
  std::size_t pick = sheets.size();
  if (options.sheet.empty()) {
    for (std::size_t k = 0; k < sheets.size() && pick == sheets.size(); ++k) {
      if (sheets[k].worksheet && !sheets[k].hidden) pick = k;
    }
    for (std::size_t k = 0; k < sheets.size() && pick == sheets.size(); ++k) {
      if (sheets[k].worksheet) pick = k;
    }
    if (pick == sheets.size()) {
      return FileError("xlsx_no_sheets", "xlsx 文件中没有工作表", "The .xlsx file has no worksheet");
    }
  } else {
    for (std::size_t k = 0; k < sheets.size() && pick == sheets.size(); ++k) {
      if (sheets[k].name == options.sheet && sheets[k].worksheet) pick = k;
    }
    if (pick == sheets.size()) {
      std::string names;
      for (const auto& s : sheets) {
        if (s.worksheet) names += (names.empty() ? "" : ", ") + s.name;
      }
      return Status::Invalid("sheet", "xlsx_sheet_not_found",
                             "找不到工作表“" + options.sheet + "”，现有工作表: " + names,
                             "No worksheet named '" + options.sheet + "'; the workbook has: " + names);
    }
  }
  const std::string& sheet_name = sheets[pick].name;
  const std::string& sheet_part = wb.sheet_parts[pick];
  ZipArchive* zip = wb.zip.get();

  zip_int64_t sheet_index = zip->Find(sheet_part);
  if (sheet_index < 0) {
    return CorruptError(sheet_part, "工作表“" + sheet_name + "”的数据缺失 / sheet data missing");
  }
  SharedStringsHandler sst(options);
  if (zip_int64_t i = zip->Find(wb.shared_strings_part); i >= 0) {
    TH_RETURN_IF_ERROR(ParsePart(zip, i, wb.shared_strings_part, &sst));
  }
  StylesHandler styles;
  if (zip_int64_t i = zip->Find(wb.styles_part); i >= 0) {
    TH_RETURN_IF_ERROR(ParsePart(zip, i, wb.styles_part, &styles));
  }
  const std::vector<NumKind> kinds = styles.Kinds();

  CsvTable table;
  table.charset = text::Charset::kUtf8;
  SheetHandler sheet(options, sheet_name, &sst.strings, &kinds, wb.info.date1904, &table, sst.memory_bytes);
  TH_RETURN_IF_ERROR(ParsePart(zip, sheet_index, sheet_part, &sheet));
  if (!sheet.have_header()) {
    return FileError("xlsx_empty", "工作表“" + sheet_name + "”为空（缺少表头）",
                     "Sheet '" + sheet_name + "' is empty (no header row)");
  }
  return table;
}

Result<CsvTable> ReadXlsxFile(const std::string& path, const XlsxOptions& options) {
  TH_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(path));
  return ParseXlsx(bytes, options);
}

SpreadsheetFormat SniffSpreadsheet(std::string_view bytes) {
  if (StartsWith(bytes, std::string_view("\xD0\xCF\x11\xE0", 4))) return SpreadsheetFormat::kOle2;
  if (StartsWith(bytes, std::string_view("PK\x03\x04", 4)) || StartsWith(bytes, std::string_view("PK\x05\x06", 4))) {
    return SpreadsheetFormat::kXlsx;
  }
  return SpreadsheetFormat::kCsv;
}

Result<CsvTable> ParseSpreadsheet(std::string_view bytes, const CsvOptions& csv_options,
                                  const XlsxOptions& xlsx_options) {
  switch (SniffSpreadsheet(bytes)) {
    case SpreadsheetFormat::kOle2: return EncryptedError();
    case SpreadsheetFormat::kXlsx: return ParseXlsx(bytes, xlsx_options);
    case SpreadsheetFormat::kCsv: break;
  }
  return ParseCsv(bytes, csv_options);
}

}  // namespace th::io
