#include "service/child_import.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <unordered_map>

#include "base/json_writer.h"
#include "domain/child.h"
#include "domain/id_number.h"
#include "io/csv.h"
#include "io/formula_guard.h"
#include "io/xlsx_reader.h"
#include "io/upload_limits.h"
#include "io/xlsx_writer.h"
#include "platform/service/watermark.h"
#include "repo/child_import_repo.h"
#include "repo/org_repo.h"
#include "security/crypto.h"
#include "text/charset.h"
#include "text/date.h"
#include "text/field.h"
#include "text/utf8.h"

namespace th::service {

namespace {

// Member fields repeat for father and mother; the service's "family[i].x" errors map back to
// "<prefix>x".
#define TH_MEMBER_FIELDS(key, zh, en)                                                                            \
  {key "_name", zh "姓名", en " name", {zh "姓名", key "_name"}},                                                \
      {key "_id_number", zh "身份证号", en " ID number",                                                          \
       {zh "身份证号", zh "身份证号码", zh "公民身份号码", zh "身份证", key "_id_number"}},                    \
      {key "_phone", zh "电话", en " phone", {zh "电话", zh "联系电话", zh "手机", zh "手机号", key "_phone"}}, \
      {key "_state", zh "状态", en " state", {zh "状态", zh "情况", zh "现状", key "_state"}},                   \
      {key "_state_since", zh "状态起始日期", en " state since",                                                \
       {zh "状态起始日期", zh "状态开始日期", zh "状态起始时间", zh "状态日期", key "_state_since"}},          \
      {key "_restriction_months", zh "刑期(月)", en " sentence (months)",                                      \
       {zh "刑期(月)", zh "刑期月数", zh "刑期", key "_restriction_months"}},                                   \
      {key "_work_city", zh "务工地", en " work city", {zh "务工地", zh "务工城市", zh "工作地", key "_work_city"}}

const std::vector<ImportField> kFields = {
    {"name", "姓名", "Name", {"姓名", "儿童姓名", "名字", "name"}, true},
    {"former_names", "曾用名", "Former names", {"曾用名", "former_names"}},
    {"sex", "性别", "Sex", {"性别", "sex"}},
    {"ethnicity", "民族", "Ethnicity", {"民族", "ethnicity"}},
    {"birth_date", "出生日期", "Birth date", {"出生日期", "出生年月日", "出生年月", "生日", "birth_date"}},
    {"id_number", "身份证号", "ID number",
     {"身份证号", "公民身份号码", "身份证号码", "儿童身份证号", "身份证", "证件号码", "id_number"}},
    {"no_id_reason", "无身份证号原因", "Reason for no ID number",
     {"无身份证号原因", "无身份证原因", "no_id_reason"}},
    {"hukou_registered", "是否有户籍", "Hukou registered", {"是否有户籍", "是否登记户籍", "hukou_registered"}},
    {"hukou_region_code", "户籍地区划代码", "Hukou region code",
     {"户籍地区划代码", "户籍区划代码", "户籍地代码", "hukou_region_code"}},
    {"hukou_nature", "户籍性质", "Hukou nature", {"户籍性质", "户口性质", "hukou_nature"}},
    {"hukou_address", "户籍地址", "Hukou address", {"户籍地址", "户籍地", "户籍所在地", "户口所在地", "hukou_address"}},
    {"community", "社区", "Community (code or name)",
     {"社区代码", "社区", "所在社区", "社区(村)", "村(社区)", "社区/村", "村居", "社区名称", "community_code",
      "community"},
     true},
    {"grid", "网格", "Grid", {"网格", "所在网格", "网格名称", "grid"}},
    {"residence_address", "现住址", "Residence address",
     {"现住址", "现居住地址", "居住地址", "现住地址", "家庭住址", "residence_address"}},
    {"resident_since", "居住起始日期", "Resident since", {"居住起始日期", "现住址起始日期", "resident_since"}},
    {"school_name", "学校", "School", {"学校", "就读学校", "学校名称", "school_name"}},
    {"school_stage", "就学阶段", "School stage", {"就学阶段", "学段", "就学情况", "在校情况", "school_stage"}},
    {"boarding", "是否寄宿", "Boarding", {"是否寄宿", "寄宿", "boarding"}},
    {"health", "健康状况", "Health", {"健康状况", "health"}},
    {"disability_type", "残疾类型", "Disability type", {"残疾类型", "disability_type"}},
    {"disability_grade", "残疾等级", "Disability grade", {"残疾等级", "disability_grade"}},
    {"illness", "疾病", "Illness", {"疾病", "疾病名称", "患病情况", "illness"}},
    {"flow_status", "流动状态", "Flow status", {"流动状态", "流动情况", "flow_status"}},
    {"assistance", "救助类型", "Assistance", {"救助类型", "享受救助", "救助情况", "assistance"}},
    {"notes", "备注", "Notes", {"备注", "notes"}},
    TH_MEMBER_FIELDS("father", "父亲", "Father"),
    TH_MEMBER_FIELDS("mother", "母亲", "Mother"),
    {"guardian_name", "监护人姓名", "Guardian name",
     {"监护人姓名", "监护人", "实际监护人", "委托监护人", "委托监护人姓名", "guardian_name"}},
    {"guardian_relation", "监护人关系", "Guardian relation",
     {"监护人关系", "与监护人关系", "监护人与儿童关系", "监护人与儿童的关系", "guardian_relation"}},
    {"guardian_phone", "监护人电话", "Guardian phone",
     {"监护人电话", "监护人联系电话", "监护人手机", "联系电话", "guardian_phone"}},
    {"guardian_id_number", "监护人身份证号", "Guardian ID number",
     {"监护人身份证号", "监护人身份证号码", "guardian_id_number"}},
    {"guardian_agreement_date", "监护确认书日期", "Guardianship agreement date",
     {"监护确认书日期", "委托监护确认日期", "guardian_agreement_date"}},
};
#undef TH_MEMBER_FIELDS

const ImportField* FindField(const std::string& key) {
  for (const auto& f : kFields) {
    if (key == f.key) return &f;
  }
  return nullptr;
}

std::string Trim(std::string_view s) {
  auto is_space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t b = 0, e = s.size();
  while (b < e && is_space(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && is_space(static_cast<unsigned char>(s[e - 1]))) --e;
  // U+3000 ideographic spaces at either end (Excel users type them).
  while (e - b >= 3 && s.substr(b, 3) == "\u3000") b += 3;
  while (e - b >= 3 && s.substr(e - 3, 3) == "\u3000") e -= 3;
  return std::string(s.substr(b, e - b));
}

// "四川省\n南充市" -> "四川省 南充市": runs of CR, LF and tab become one space.
std::string FoldLineBreaks(const std::string& v) {
  if (v.find_first_of("\r\n\t") == std::string::npos) return v;
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    const bool brk = c == '\r' || c == '\n' || c == '\t';
    if (!brk) out.push_back(c);
    else if (out.empty() || out.back() != ' ') out.push_back(' ');
  }
  return out;
}

std::string CharsetLabel(text::Charset c) { return text::CharsetName(c); }

// The import form of a date ("2015/3/2", "2015年3月2日", Excel serials) as YYYY-MM-DD; text
// that does not parse is passed on as typed so the service's validation names the field.
std::string NormalizeDate(const std::string& v) {
  if (v.empty()) return v;
  auto d = text::ParseDate(v);
  return d.ok() ? text::FormatDate(*d) : v;
}

// 是/否 style booleans; nullopt for text that is neither.
std::optional<bool> ParseBool(const std::string& v) {
  static const char* kYes[] = {"是", "有", "Y", "y", "yes", "Yes", "YES", "true", "TRUE", "True", "1", "√", "寄宿"};
  static const char* kNo[] = {"否", "无", "没有", "N", "n", "no", "No", "NO", "false", "FALSE", "False", "0", "走读"};
  for (const char* y : kYes) {
    if (v == y) return true;
  }
  for (const char* n : kNo) {
    if (v == n) return false;
  }
  return std::nullopt;
}

// "2", "二级", "2级", "一级残疾" → 1..4; "无"/"0" → 0; nullopt otherwise.
std::optional<std::int64_t> ParseGrade(const std::string& v) {
  static const std::pair<const char*, int> kWords[] = {{"一", 1}, {"二", 2}, {"三", 3}, {"四", 4},
                                                      {"1", 1},  {"2", 2},  {"3", 3},  {"4", 4}};
  if (v == "0" || v == "无") return 0;
  for (const auto& [w, n] : kWords) {
    if (v.rfind(w, 0) == 0) {
      std::string rest = v.substr(std::char_traits<char>::length(w));
      if (rest.empty() || rest.rfind("级", 0) == 0) return n;
    }
  }
  return std::nullopt;
}

std::optional<std::int64_t> ParseCount(const std::string& v) {
  if (v.empty() || v.size() > 6) return std::nullopt;
  std::int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::vector<std::string> SplitList(const std::string& v) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&]() {
    std::string t = Trim(cur);
    if (!t.empty()) out.push_back(t);
    cur.clear();
  };
  std::size_t i = 0;
  while (i < v.size()) {
    auto starts = [&](const char* s) { return v.compare(i, std::char_traits<char>::length(s), s) == 0; };
    if (v[i] == ',' || v[i] == ';' || v[i] == '/' || v[i] == '|' || v[i] == ' ') { flush(); ++i; continue; }
    if (starts("、") || starts("，") || starts("；") || starts("／")) { flush(); i += 3; continue; }
    cur += v[i++];
  }
  flush();
  return out;
}

struct Units {
  std::unordered_map<std::string, const repo::OrgUnit*> by_code;
  std::unordered_map<std::string, std::vector<const repo::OrgUnit*>> communities_by_name;
  std::unordered_map<std::int64_t, const repo::OrgUnit*> by_id;
  std::vector<repo::OrgUnit> all;
};

// Reject builder: a Status from the service (or our own) becomes a row entry.
ImportReject RejectOf(std::int64_t line, const std::string& field, const std::string& column, const Status& s) {
  return ImportReject{line, column, field, s.error_code(), s.message_zh(), s.message_en()};
}

template <typename E>
std::string ZhOfCode(const std::string& code) {
  E v{};
  if (!domain::ParseEnum(code, &v)) return code;
  return std::string(domain::ZhOf(v));
}

}  // namespace

const std::vector<ImportField>& ChildImportFields() { return kFields; }

std::string HeaderKey(std::string_view h) {
  std::string out;
  std::size_t i = 0;
  while (i < h.size()) {
    unsigned char c = static_cast<unsigned char>(h[i]);
    auto starts = [&](const char* s) { return h.compare(i, std::char_traits<char>::length(s), s) == 0; };
    if (c == ' ' || c == '\t' || c == '*') { ++i; continue; }
    if (starts("\u3000")) { i += 3; continue; }
    if (starts("＊")) { i += 3; continue; }
    if (starts("（")) { out += '('; i += 3; continue; }
    if (starts("）")) { out += ')'; i += 3; continue; }
    if (starts("／")) { out += '/'; i += 3; continue; }
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    ++i;
  }
  return out;
}

ImportMapping SuggestMapping(const std::vector<ImportField>& fields, const std::vector<std::string>& columns) {
  ImportMapping m;
  std::vector<std::string> keys;
  keys.reserve(columns.size());
  for (const auto& c : columns) keys.push_back(HeaderKey(c));
  std::set<std::size_t> used;
  for (const auto& f : fields) {
    // Aliases in priority order: the first alias present wins.
    for (const char* h : f.headers) {
      std::string hk = HeaderKey(h);
      bool found = false;
      for (std::size_t i = 0; i < columns.size(); ++i) {
        if (used.count(i) || keys[i] != hk) continue;
        m[f.key] = columns[i];
        used.insert(i);
        found = true;
        break;
      }
      if (found) break;
    }
  }
  return m;
}

ImportMapping SuggestImportMapping(const std::vector<std::string>& columns) { return SuggestMapping(kFields, columns); }

Result<ImportPreview> ChildTransfer::Preview(const Principal& who, std::string_view bytes, const std::string& sheet,
                                             std::size_t sample_rows) {
  if (!who.Can("child.write")) return Status::Forbidden();
  io::CsvTable t;
  if (io::SniffSpreadsheet(bytes) == io::SpreadsheetFormat::kCsv) {
    // CSV: the sample rows are kept, the rest only counted (a large file is never held as a table).
    TH_ASSIGN_OR_RETURN(std::string utf8, text::DecodeToUtf8(bytes, &t.charset));
    io::CsvReader reader(utf8, io::UploadCsvOptions());
    std::vector<std::string> fields;
    TH_ASSIGN_OR_RETURN(bool got, reader.Next(&fields));
    if (!got) return Status::Invalid("file", "csv_empty", "CSV 文件为空（缺少表头）", "CSV file is empty (no header)");
    for (const auto& h : fields) {
      std::size_t b = h.find_first_not_of(" \t"), e = h.find_last_not_of(" \t");
      t.header.push_back(b == std::string::npos ? std::string() : h.substr(b, e - b + 1));
    }
    std::int64_t rows = 0;
    for (;;) {
      TH_ASSIGN_OR_RETURN(bool more, reader.Next(&fields));
      if (!more) break;
      if (++rows <= static_cast<std::int64_t>(sample_rows)) {
        fields.resize(t.header.size());
        t.rows.push_back(fields);
        t.row_lines.push_back(reader.record_line());
      }
    }
    ImportPreview p = PreviewOf(t, "csv", sample_rows);
    p.rows = rows;
    return p;
  }
  io::XlsxOptions xo = io::UploadXlsxOptions();
  xo.sheet = sheet;
  TH_ASSIGN_OR_RETURN(t, io::ParseSpreadsheet(bytes, {}, xo));
  return PreviewOf(t, io::SniffSpreadsheet(bytes) == io::SpreadsheetFormat::kXlsx ? "xlsx" : "csv", sample_rows);
}

ImportPreview ChildTransfer::PreviewOf(const io::CsvTable& t, const std::string& format, std::size_t sample_rows) {
  ImportPreview p;
  p.format = format;
  p.charset = CharsetLabel(t.charset);
  p.columns = t.header;
  p.mapping = SuggestImportMapping(t.header);
  std::set<std::string> mapped;
  for (const auto& [k, col] : p.mapping) mapped.insert(col);
  for (const auto& c : t.header) {
    if (!mapped.count(c)) p.unmapped_columns.push_back(c);
  }
  for (const auto& f : kFields) {
    if (f.required && !p.mapping.count(f.key)) p.missing_required.push_back(f.key);
  }
  p.rows = static_cast<std::int64_t>(t.rows.size());
  for (std::size_t i = 0; i < t.rows.size() && i < sample_rows; ++i) {
    p.sample.push_back(t.rows[i]);
    p.sample_lines.push_back(t.row_lines[i]);
  }
  return p;
}

// Rows as the import reads them: a parsed table (XLSX) or a CSV streamed record by record, so a
// 100,000-row file is never held as 1.7 million strings at once.
struct ChildTransfer::RowSource {
  std::vector<std::string> header;
  text::Charset charset = text::Charset::kUtf8;
  std::int64_t rows = 0;  // data rows, known before the first Next
  // The next data row, exactly header.size() cells, and its line; false at the end.
  std::function<Result<bool>(std::vector<std::string>* cells, std::int64_t* line)> next;
};

Result<ChildImportReport> ChildTransfer::Import(const Principal& who, std::string_view bytes,
                                                const ChildImportOptions& o) {
  if (!who.Can("child.write")) return Status::Forbidden();
  std::string format = io::SniffSpreadsheet(bytes) == io::SpreadsheetFormat::kXlsx ? "xlsx" : "csv";
  if (io::SniffSpreadsheet(bytes) != io::SpreadsheetFormat::kCsv) {
    io::XlsxOptions xo = io::UploadXlsxOptions();
    xo.sheet = o.sheet;
    // The row cap applies to XLSX while reading (header row included).
    xo.max_rows = o.max_rows + 1;
    TH_ASSIGN_OR_RETURN(auto t, io::ParseSpreadsheet(bytes, {}, xo));
    return ImportTable(who, t, format, o);
  }
  // CSV: decoded once, counted in a first pass (cheap: no rows kept), then read again row by
  // row while validating and writing.
  RowSource src;
  TH_ASSIGN_OR_RETURN(std::string utf8, text::DecodeToUtf8(bytes, &src.charset));
  std::vector<std::string> fields;
  {
    io::CsvReader counter(utf8, io::UploadCsvOptions());
    TH_ASSIGN_OR_RETURN(bool got, counter.Next(&fields));
    if (!got) return Status::Invalid("file", "csv_empty", "CSV 文件为空（缺少表头）", "CSV file is empty (no header)");
    // Headers trimmed as io::ParseCsv does (spaces and tabs), so a preview's column names match.
    for (const auto& h : fields) {
      std::size_t b = h.find_first_not_of(" \t"), e = h.find_last_not_of(" \t");
      src.header.push_back(b == std::string::npos ? std::string() : h.substr(b, e - b + 1));
    }
    for (;;) {
      TH_ASSIGN_OR_RETURN(bool more, counter.Next(&fields));
      if (!more) break;
      ++src.rows;
    }
  }
  io::CsvReader reader(utf8, io::UploadCsvOptions());
  TH_RETURN_IF_ERROR(reader.Next(&fields).status());  // the header
  const std::size_t width = src.header.size();
  src.next = [&reader, width](std::vector<std::string>* cells, std::int64_t* line) -> Result<bool> {
    TH_ASSIGN_OR_RETURN(bool more, reader.Next(cells));
    if (!more) return false;
    // As ParseCsv: a ragged row is padded or truncated; validation then names what is missing.
    cells->resize(width);
    *line = reader.record_line();
    return true;
  };
  return ImportRows(who, src, format, o);
}

Result<ChildImportReport> ChildTransfer::ImportTable(const Principal& who, const io::CsvTable& t,
                                                     const std::string& format, const ChildImportOptions& o) {
  RowSource src;
  src.header = t.header;
  src.charset = t.charset;
  src.rows = static_cast<std::int64_t>(t.rows.size());
  std::size_t i = 0;
  src.next = [&t, &i](std::vector<std::string>* cells, std::int64_t* line) -> Result<bool> {
    if (i >= t.rows.size()) return false;
    *cells = t.rows[i];
    *line = t.row_lines[i];
    ++i;
    return true;
  };
  return ImportRows(who, src, format, o);
}

Result<ChildImportReport> ChildTransfer::ImportRows(const Principal& who, RowSource& t, const std::string& format,
                                                    const ChildImportOptions& o) {
  auto started = std::chrono::steady_clock::now();
  if (!who.Can("child.write")) return Status::Forbidden();
  if (t.rows == 0) {
    return Status::Invalid("file", "import_empty", "文件中没有数据行", "The file has no data rows");
  }
  if (t.rows > o.max_rows) {
    return Status::Error(Code::kPayloadTooLarge, "import_too_many_rows",
                         "单次导入最多" + std::to_string(o.max_rows) + "行，请拆分文件",
                         "At most " + std::to_string(o.max_rows) + " rows per import; split the file", "file");
  }
  // Mapping: field key → column index.
  ImportMapping mapping = o.mapping.empty() ? SuggestImportMapping(t.header) : o.mapping;
  std::vector<int> col(kFields.size(), -1);
  for (const auto& [key, header] : mapping) {
    const ImportField* f = FindField(key);
    if (!f) {
      return Status::Invalid("mapping", "invalid_mapping", "列映射中的字段未知: " + key, "Unknown field in mapping: " + key);
    }
    int idx = -1;
    for (std::size_t k = 0; k < t.header.size() && !header.empty(); ++k) {
      if (t.header[k] == header) {
        idx = static_cast<int>(k);
        break;
      }
    }
    if (!header.empty() && idx < 0) {
      return Status::Invalid("mapping", "invalid_mapping", "文件中没有列: " + header,
                             "The file has no column named " + header);
    }
    col[static_cast<std::size_t>(f - kFields.data())] = idx;
  }
  auto column_of = [&](const char* key) -> int {
    const ImportField* f = FindField(key);
    return f ? col[static_cast<std::size_t>(f - kFields.data())] : -1;
  };

  // Units once per import: codes and names resolve in memory; scope is the caller's path.
  Units units;
  std::int64_t default_community = 0;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(units.all, repo::OrgRepo(*h).ListSubtree(""));
  }
  for (const auto& u : units.all) {
    units.by_code[u.code] = &u;
    units.by_id[u.id] = &u;
    if (u.level == "community") units.communities_by_name[u.name].push_back(&u);
    if (u.id == who.org_unit_id && u.level == "community") default_community = u.id;
  }
  std::vector<std::string> missing;
  if (column_of("name") < 0) missing.push_back("name(姓名)");
  if (column_of("community") < 0 && default_community == 0) missing.push_back("community(社区)");
  if (column_of("id_number") < 0 && column_of("no_id_reason") < 0) missing.push_back("id_number(身份证号)");
  if (!missing.empty()) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
    return Status::Invalid("file", "missing_columns", "缺少必需的列: " + list, "Required columns are missing: " + list);
  }

  ChildImportReport report;
  report.format = format;
  report.charset = CharsetLabel(t.charset);
  report.rows = t.rows;
  report.dry_run = o.dry_run;
  auto add_reject = [&](ImportReject r) {
    if (report.rejected.size() < o.max_rejects) {
      report.rejected.push_back(std::move(r));
    } else {
      report.rejected_truncated = true;
    }
  };
  auto header_of = [&](const std::string& key) -> std::string {
    int c = column_of(key.c_str());
    return c >= 0 ? t.header[static_cast<std::size_t>(c)] : std::string();
  };
  // Ragged rows are not fatal: the reader padded or truncated them; a row that lost cells will
  // usually fail validation anyway, and the user sees why.

  std::unordered_map<std::string, std::int64_t> seen_ids;   // normalized ID → first line
  std::unordered_map<std::string, std::int64_t> seen_keys;  // name|birth|community → first line
  const std::int32_t today = domain::Date::FromEpochMillisShanghai(deps_.clock.NowMillis()).ToYyyymmdd();
  domain::Evaluation scratch;
  std::string purpose = o.file_name.empty() ? "import" : "import: " + o.file_name;

  // Runs every row on `c`; writes only when `write` and no row has been rejected so far.
  auto run = [&](storage::Connection& c, bool write) -> Status {
    NewChild n;
    PreparedChild p;
    std::vector<ImportReject> row_rejects;
    std::vector<std::string> cells;
    std::int64_t line = 0;
    for (;;) {
      TH_ASSIGN_OR_RETURN(bool more, t.next(&cells, &line));
      if (!more) break;
      if (IsExportWatermarkRow(cells)) continue;  // the last line of our own CSV export
      row_rejects.clear();
      // Every mapped cell passes the shared text validator first (a NUL or control character is
      // named with its row and column); a cell our export defused ("'=x") reads back as typed.
      for (std::size_t k = 0; k < kFields.size(); ++k) {
        if (col[k] < 0) continue;
        std::string& cell = cells[static_cast<std::size_t>(col[k])];
        cell = std::string(io::StripFormulaGuard(text::TrimSpace(cell)));
        // Line breaks typed into a cell (Alt+Enter) become a space except in the notes.
        if (std::string_view(kFields[k].key) != "notes") cell = FoldLineBreaks(cell);
        Status s = text::CheckText(cell, kFields[k].key, text::kCell);
        if (!s.ok()) {
          row_rejects.push_back(RejectOf(line, kFields[k].key, t.header[static_cast<std::size_t>(col[k])], s));
          cell.clear();
        }
      }
      auto get = [&](const char* key) -> std::string {
        int c = column_of(key);
        return c >= 0 ? Trim(cells[static_cast<std::size_t>(c)]) : std::string();
      };
      auto bad = [&](const char* key, const char* code, const std::string& zh, const std::string& en) {
        row_rejects.push_back({line, header_of(key), key, code, zh, en});
      };
      n = NewChild{};
      ChildInput& ci = n.child;
      auto set = [&](const char* key, std::string* dst) {
        std::string v = get(key);
        if (v.empty()) return;
        *dst = std::move(v);
        ci.present.insert(key);
      };
      set("name", &ci.name);
      ci.present.insert("name");
      {
        std::string v = get("former_names");
        if (!v.empty()) {
          ci.former_names = SplitList(v);
          ci.present.insert("former_names");
        }
      }
      set("sex", &ci.sex);
      set("ethnicity", &ci.ethnicity);
      set("id_number", &ci.id_number);
      set("no_id_reason", &ci.no_id_reason);
      ci.birth_date = NormalizeDate(get("birth_date"));
      if (ci.birth_date.empty() && !ci.id_number.empty()) {
        // The number carries the birth date; the service still cross-checks the rest.
        auto id = domain::ParseIdNumber(ci.id_number, today);
        if (id.ok()) ci.birth_date = domain::BirthDateOf(*id).ToString();
      }
      ci.present.insert("birth_date");
      if (std::string v = get("hukou_registered"); !v.empty()) {
        auto b = ParseBool(v);
        if (!b) {
          bad("hukou_registered", "invalid_enum", "应填写“是”或“否”: " + v, "Use 是 or 否 (yes/no): " + v);
        } else {
          ci.hukou_registered = *b;
          ci.present.insert("hukou_registered");
        }
      }
      set("hukou_region_code", &ci.hukou_region_code);
      set("hukou_nature", &ci.hukou_nature);
      set("hukou_address", &ci.hukou_address);
      set("residence_address", &ci.residence_address);
      if (std::string v = NormalizeDate(get("resident_since")); !v.empty()) {
        ci.resident_since = v;
        ci.present.insert("resident_since");
      }
      set("school_name", &ci.school_name);
      set("school_stage", &ci.school_stage);
      if (std::string v = get("boarding"); !v.empty()) {
        auto b = ParseBool(v);
        if (!b) {
          bad("boarding", "invalid_enum", "应填写“是”或“否”: " + v, "Use 是 or 否 (yes/no): " + v);
        } else {
          ci.boarding = *b;
          ci.present.insert("boarding");
        }
      }
      set("health", &ci.health);
      set("disability_type", &ci.disability_type);
      if (std::string v = get("disability_grade"); !v.empty()) {
        auto g = ParseGrade(v);
        if (!g) {
          bad("disability_grade", "out_of_range", "残疾等级应为1-4级: " + v, "Disability grade must be 1-4: " + v);
        } else {
          ci.disability_grade = *g;
          ci.present.insert("disability_grade");
        }
      }
      set("illness", &ci.illness);
      set("flow_status", &ci.flow_status);
      if (std::string v = get("assistance"); !v.empty()) {
        ci.assistance = SplitList(v);
        ci.present.insert("assistance");
      }
      set("notes", &ci.notes);

      // Community: a code, or a name unique within the caller's jurisdiction.
      std::string community_path;
      {
        std::string v = get("community");
        const repo::OrgUnit* u = nullptr;
        if (v.empty() && column_of("community") < 0 && default_community) {
          u = units.by_id[default_community];
        } else if (v.empty()) {
          bad("community", "required", "缺少必填字段: 社区", "Missing required field: community");
        } else if (auto it = units.by_code.find(v); it != units.by_code.end()) {
          u = it->second;
          if (!who.Covers(u->path)) {
            bad("community", "out_of_jurisdiction", "社区不在您的管辖范围内: " + v,
                "The community is outside your jurisdiction: " + v);
            u = nullptr;
          } else if (u->level != "community") {
            bad("community", "invalid_level", "不是社区/村: " + v, "Not a community: " + v);
            u = nullptr;
          }
        } else {
          auto nt = units.communities_by_name.find(v);
          std::vector<const repo::OrgUnit*> inside;
          std::size_t outside = 0;
          if (nt != units.communities_by_name.end()) {
            for (const auto* x : nt->second) {
              if (who.Covers(x->path)) inside.push_back(x); else ++outside;
            }
          }
          if (inside.size() == 1) {
            u = inside[0];
          } else if (inside.size() > 1) {
            bad("community", "ambiguous_community", "社区名称不唯一，请填写社区代码: " + v,
                "Several communities have this name; use the code: " + v);
          } else if (outside > 0) {
            bad("community", "out_of_jurisdiction", "社区不在您的管辖范围内: " + v,
                "The community is outside your jurisdiction: " + v);
          } else {
            bad("community", "unknown_community", "未知的社区: " + v, "Unknown community: " + v);
          }
        }
        if (u) {
          ci.community_id = u->id;
          ci.present.insert("community_id");
          community_path = u->path;
          if (std::string g = get("grid"); !g.empty()) {
            const repo::OrgUnit* grid = nullptr;
            for (const auto& x : units.all) {
              if (x.level == "grid" && x.parent_id.value_or(0) == u->id && (x.name == g || x.code == g)) grid = &x;
            }
            if (!grid) {
              bad("grid", "invalid_grid", "网格不属于该社区: " + g, "The grid is not in this community: " + g);
            } else {
              ci.grid_id = grid->id;
              ci.present.insert("grid_id");
            }
          }
        }
      }

      // Parents.
      std::vector<std::string> member_prefix;
      for (const char* rel : {"father", "mother"}) {
        std::string pre = rel;
        MemberInput m;
        m.relation = rel;
        m.present.insert("relation");
        bool any = false;
        auto mset = [&](const char* suffix, std::string* dst, bool date = false) {
          std::string v = get((pre + "_" + suffix).c_str());
          if (v.empty()) return;
          *dst = date ? NormalizeDate(v) : v;
          m.present.insert(suffix);
          any = true;
        };
        mset("name", &m.name);
        mset("id_number", &m.id_number);
        mset("phone", &m.phone);
        mset("state", &m.state);
        mset("state_since", &m.state_since, true);
        mset("work_city", &m.work_city);
        if (std::string v = get((pre + "_restriction_months").c_str()); !v.empty()) {
          auto months = ParseCount(v);
          std::string key = pre + "_restriction_months";
          if (!months) {
            row_rejects.push_back({line, header_of(key), key, "out_of_range", "刑期月数应为整数: " + v,
                                   "Sentence months must be a whole number: " + v});
          } else {
            m.restriction_months = *months;
            m.present.insert("restriction_months");
            any = true;
          }
        }
        if (!any) continue;
        m.present.insert("name");
        n.family.push_back(std::move(m));
        member_prefix.push_back(pre);
      }
      // Guardian.
      {
        GuardianInput g;
        g.name = get("guardian_name");
        g.relation = get("guardian_relation");
        g.phone = get("guardian_phone");
        g.id_number = get("guardian_id_number");
        g.agreement_date = NormalizeDate(get("guardian_agreement_date"));
        if (!g.name.empty() || !g.phone.empty() || !g.id_number.empty() || !g.relation.empty()) {
          // The guardian is one of the listed parents when named or related as one.
          domain::Relation rel{};
          bool rel_ok = !g.relation.empty() && domain::ParseEnum(g.relation, &rel);
          for (std::size_t k = 0; k < n.family.size(); ++k) {
            bool by_rel = rel_ok && domain::CodeOf(rel) == n.family[k].relation;
            bool by_name = !g.name.empty() && g.name == n.family[k].name;
            if (by_rel || by_name) {
              n.guardian_member_index = static_cast<int>(k);
              if (g.relation.empty()) g.relation = n.family[k].relation;
              if (g.name.empty()) g.name = n.family[k].name;
            }
          }
          n.guardian = std::move(g);
        }
      }

      // Duplicates within the file.
      if (!ci.id_number.empty()) {
        auto id = domain::ParseIdNumber(ci.id_number, today);
        if (id.ok()) {
          auto [it, fresh] = seen_ids.emplace(id->normalized, line);
          if (!fresh) {
            bad("id_number", "duplicate_row", "与第" + std::to_string(it->second) + "行身份证号重复",
                "Same ID number as line " + std::to_string(it->second));
          }
        }
      } else if (!ci.name.empty()) {
        std::string key = ci.name + "|" + ci.birth_date + "|" + std::to_string(ci.community_id);
        auto [it, fresh] = seen_keys.emplace(key, line);
        if (!fresh) {
          bad("name", "duplicate_row", "与第" + std::to_string(it->second) + "行姓名、出生日期、社区相同",
              "Same name, birth date and community as line " + std::to_string(it->second));
        }
      }

      if (row_rejects.empty()) {
        Status s = children_.PrepareNew(c, who, n, &p);
        if (!s.ok()) {
          if (s.code() == Code::kInternal || s.code() == Code::kUnavailable || s.code() == Code::kPermissionDenied) {
            return s;
          }
          // Map the service's field back to the import column.
          std::string field = s.field();
          if (field.rfind("family[", 0) == 0) {
            std::size_t close = field.find("].");
            std::size_t k = static_cast<std::size_t>(std::atoi(field.c_str() + 7));
            if (close != std::string::npos && k < member_prefix.size()) {
              field = member_prefix[k] + "_" + field.substr(close + 2);
            }
          } else if (field.rfind("guardian.", 0) == 0) {
            field = "guardian_" + field.substr(9);
          } else if (field == "community_id") {
            field = "community";
          } else if (field == "grid_id") {
            field = "grid";
          }
          if (s.error_code() == "duplicate") {
            row_rejects.push_back({line, header_of("id_number"), "id_number", "duplicate_existing",
                                   "已有儿童档案使用该身份证号", "A child file with this ID number already exists"});
          } else {
            row_rejects.push_back(RejectOf(line, field, header_of(field), s));
          }
        }
      }
      if (!row_rejects.empty()) {
        ++report.rejected_rows;
        for (auto& r : row_rejects) add_reject(std::move(r));
        continue;
      }
      ++report.valid;
      if (write && report.rejected_rows == 0) {
        TH_RETURN_IF_ERROR(children_.InsertPrepared(c, who, p, community_path, purpose, &scratch, /*compact_audit=*/true));
        ++report.created;
      }
    }
    return Status::Ok();
  };

  if (o.dry_run) {
    // Validation only: no transaction, so no write lock is held while reading.
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_RETURN_IF_ERROR(run(*h, false));
  } else {
    // One transaction for the whole file (all or nothing). The connection's page cache is
    // enlarged until after the commit (the scope outlives the transaction object).
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    repo::BulkWriteScope bulk(*h, o.sqlite_cache_mib);
    Status tx = [&]() -> Status {
      storage::Connection& c = *h;
      storage::Transaction t(c);
      TH_RETURN_IF_ERROR(t.Begin());
      TH_RETURN_IF_ERROR(run(c, true));
      if (report.rejected_rows > 0) {
        // Roll back (the Transaction's destructor): nothing half-written.
        return Status::Error(Code::kConflict, "rollback", "", "");
      }
      TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                    {"child.import", "child", "", who.org_path, "",
                                     JsonObjectWriter()
                                         .Str("file", o.file_name)
                                         .Str("format", report.format)
                                         .Str("charset", report.charset)
                                         .Int("rows", report.rows)
                                         .Int("created", report.created)
                                         .Finish(),
                                     purpose}));
      return t.Commit();
    }();
    if (!tx.ok() && tx.error_code() != "rollback") return tx;
    report.committed = tx.ok();
    if (!report.committed) report.created = 0;
  }
  std::stable_sort(report.rejected.begin(), report.rejected.end(),
                   [](const ImportReject& a, const ImportReject& b) { return a.line < b.line; });
  report.elapsed_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started)
                          .count();
  return report;
}

// ---- staged uploads ----

namespace {
constexpr const char* kUploadKind = "child_import";
constexpr const char* kCtxUpload = "import.upload";

Status UploadNotFound() {
  return Status::Error(Code::kNotFound, "upload_not_found", "上传的文件已过期或不存在，请重新上传",
                       "The uploaded file has expired or does not exist; upload it again", "upload_token");
}
}  // namespace

Result<ChildTransfer::StagedUpload> ChildTransfer::Stage(const Principal& who, std::string_view bytes,
                                                         const std::string& file_name) {
  if (!who.Can("child.write")) return Status::Forbidden();
  if (bytes.empty()) return Status::Invalid("file", "import_empty", "文件为空", "The file is empty");
  const std::int64_t now = deps_.clock.NowMillis();
  repo::UploadRecord r;
  r.token = security::RandomToken(24);
  r.kind = kUploadKind;
  r.owner_user_id = who.user_id;
  r.file_name = text::IsValidUtf8(file_name) ? file_name.substr(0, 255) : "";
  r.size_bytes = static_cast<std::int64_t>(bytes.size());
  r.data_enc = deps_.keys.Encrypt(bytes, kCtxUpload);
  r.created_at = now;
  r.expires_at = now + upload_ttl_ms_;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::ImportUploadRepo uploads(c);
    TH_RETURN_IF_ERROR(uploads.DeleteExpired(now).status());
    // Per-user quota, checked in the inserting transaction: staged files are sealed copies held
    // for an hour, so without it one account could fill the database (or a server's memory).
    TH_ASSIGN_OR_RETURN(auto usage, uploads.UsageOf(who.user_id, now));
    if (usage.count >= max_staged_uploads_) {
      const std::string n = std::to_string(max_staged_uploads_);
      return Status::Error(Code::kTooManyRequests, "upload_quota_count",
                           "您已有" + n + "个上传后尚未导入的文件。请先完成导入，或等待1小时后文件自动清除，再上传新文件",
                           "You already have " + n + " staged uploads; import them or wait an hour until they expire",
                           "file");
    }
    if (usage.bytes + r.size_bytes > max_staged_bytes_) {
      const std::string mb = std::to_string(max_staged_bytes_ >> 20);
      return Status::Error(Code::kPayloadTooLarge, "upload_quota_bytes",
                           "您上传后尚未导入的文件合计超过" + mb + " MB。请先完成导入，或等待1小时后文件自动清除，再上传",
                           "Your staged uploads would exceed " + mb + " MB; import them or wait an hour until they expire",
                           "file");
    }
    return uploads.Insert(r);
  }));
  return StagedUpload{r.token, r.file_name, r.size_bytes, r.expires_at};
}

Result<std::string> ChildTransfer::LoadStaged(const Principal& who, const std::string& token, std::string* file_name) {
  if (!who.Can("child.write")) return Status::Forbidden();
  if (token.empty() || token.size() > 64) return UploadNotFound();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto r, repo::ImportUploadRepo(*h).Get(token, kUploadKind, who.user_id, deps_.clock.NowMillis()));
  if (!r) return UploadNotFound();
  if (file_name) *file_name = r->file_name;
  return deps_.keys.Decrypt(r->data_enc, kCtxUpload);
}

Status ChildTransfer::DropStaged(const std::string& token) {
  return InTransaction(deps_.db, [&](storage::Connection& c) { return repo::ImportUploadRepo(c).Delete(token); });
}

// ---- export ----

namespace {

std::string DateText(std::int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return "";
  auto d = domain::DateFromYyyymmdd(yyyymmdd);
  return d.ok() ? d->ToString() : "";
}

const char* RollZh(const std::string& s) {
  if (s == "not_on_roll") return "未在册";
  if (s == "proposed") return "增员审核中";
  if (s == "on_roll") return "在册";
  if (s == "exit_proposed") return "减员审核中";
  if (s == "exited") return "已退出";
  return "";
}

}  // namespace

Result<ChildExport> ChildTransfer::Export(const Principal& who, const ChildListParams& filters,
                                          const ChildExportOptions& o) {
  if (!who.Can("child.read")) return Status::Forbidden();
  if (o.format != "xlsx" && o.format != "csv") {
    return Status::Invalid("format", "invalid_enum", "format 应为 xlsx 或 csv", "format must be xlsx or csv");
  }
  std::size_t purpose_len = text::DecodeUtf8(o.purpose).size();
  if (purpose_len > 200 || !text::IsValidUtf8(o.purpose)) {
    return Status::Invalid("purpose", "too_long", "用途说明过长(最多200字)", "purpose is too long (200 characters at most)");
  }
  TH_RETURN_IF_ERROR(text::CheckText(o.purpose, "purpose", text::kLineText));
  if (o.reveal) {
    if (!who.Can("child.reveal") && !who.Can("child.export")) return Status::Forbidden();
    if (purpose_len < 2) {
      return Status::Invalid("purpose", "purpose_required", "导出完整身份证号和电话须说明用途(2-200字)",
                             "State the purpose (2-200 characters) to export full identifiers");
    }
  }
  const bool masked = !o.reveal;
  ChildListParams p = filters;
  if (p.sort.empty()) p.sort = "id";

  static const char* kHeader[] = {"姓名", "性别", "出生日期", "年龄", "身份证号", "户籍地区划代码", "户籍性质",
                                  "户籍地址", "街道", "社区", "社区代码", "网格", "现住址", "流动状态", "就学阶段",
                                  "学校", "健康状况", "类别", "在册状态", "监护人姓名", "监护人关系", "监护人电话",
                                  "更新时间"};
  std::vector<std::string> header(std::begin(kHeader), std::end(kHeader));
  std::vector<std::vector<std::string>> rows;
  const std::int64_t now = deps_.clock.NowMillis();
  const domain::Date today = domain::Date::FromEpochMillisShanghai(now);
  std::int64_t total = 0;
  constexpr std::int64_t kPage = 1000;
  for (std::int64_t page = 1;; ++page) {
    TH_ASSIGN_OR_RETURN(auto batch, children_.List(who, p, repo::Page{page, kPage}, &total));
    if (static_cast<std::int64_t>(rows.size() + batch.size()) > o.max_rows) {
      return Status::Error(Code::kPayloadTooLarge, "export_too_large",
                           "符合条件的儿童超过" + std::to_string(o.max_rows) + "人，请缩小筛选范围",
                           "More than " + std::to_string(o.max_rows) + " children match; narrow the filters",
                           "filters");
    }
    for (const auto& c : batch) {
      std::vector<std::string> r;
      r.reserve(header.size());
      r.push_back(c.name);
      r.push_back(ZhOfCode<domain::Sex>(c.sex));
      r.push_back(DateText(c.birth_date));
      auto bd = domain::DateFromYyyymmdd(c.birth_date);
      r.push_back(bd.ok() ? std::to_string(domain::AgeOn(*bd, today)) : "");
      if (masked) {
        r.push_back(c.id_masked);
      } else {
        TH_ASSIGN_OR_RETURN(auto id, children_.UnsealIdNumber(c));
        r.push_back(std::move(id));
      }
      r.push_back(c.hukou_region_code);
      r.push_back(c.hukou_nature == "unknown" ? "" : ZhOfCode<domain::HukouNature>(c.hukou_nature));
      r.push_back(c.hukou_address);
      r.push_back(c.street_name);
      r.push_back(c.community_name);
      r.push_back(c.community_code);
      r.push_back(c.grid_name);
      r.push_back(c.residence_address);
      r.push_back(c.flow_status == "unknown" ? "" : ZhOfCode<domain::FlowStatus>(c.flow_status));
      r.push_back(c.school_stage == "unknown" ? "" : ZhOfCode<domain::SchoolStage>(c.school_stage));
      r.push_back(c.school_name);
      r.push_back(c.health == "unknown" ? "" : ZhOfCode<domain::HealthStatus>(c.health));
      std::string cats;
      std::size_t start = 0;
      while (start < c.categories.size()) {
        std::size_t end = c.categories.find(',', start);
        if (end == std::string::npos) end = c.categories.size();
        if (end > start) {
          std::string code = c.categories.substr(start, end - start);
          const domain::CategoryDef* d = children_.categories().Find(code);
          cats += (cats.empty() ? "" : "、") + (d ? d->name : code);
        }
        start = end + 1;
      }
      r.push_back(cats);
      r.push_back(RollZh(c.roll_status));
      r.push_back(c.guardian_name);
      r.push_back(c.guardian_name.empty() ? "" : ZhOfCode<domain::Relation>(c.guardian_relation));
      if (masked) {
        r.push_back(c.guardian_phone_masked);
      } else {
        TH_ASSIGN_OR_RETURN(auto ph, children_.UnsealGuardianPhone(c));
        r.push_back(std::move(ph));
      }
      r.push_back(domain::Date::FromEpochMillisShanghai(c.updated_at).ToString());
      rows.push_back(std::move(r));
    }
    // Not `total`: a list total may be capped; the last page is the short one.
    if (static_cast<std::int64_t>(batch.size()) < kPage) break;
  }

  ChildExport out;
  out.rows = static_cast<std::int64_t>(rows.size());
  out.masked = masked;
  const std::string mark = WatermarkText(who, deps_.clock.NowMillis());  // the pages' watermark text
  std::string stamp = today.ToString();
  stamp.erase(std::remove(stamp.begin(), stamp.end(), '-'), stamp.end());
  if (o.format == "xlsx") {
    io::XlsxWriteOptions wo;
    wo.sheet_name = "儿童名册";
    wo.title = "儿童名册";
    wo.comments = masked ? "身份证号、电话已脱敏" : "含完整身份证号和电话，用途: " + o.purpose;
    wo.constant_memory = rows.size() > 20000;
    wo.subject = mark;
    wo.page_header = mark;  // printed at the top and bottom of every page
    TH_ASSIGN_OR_RETURN(out.bytes, io::WriteXlsx(header, rows, wo));
    out.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    out.file_name = "儿童名册_" + stamp + ".xlsx";
  } else {
    io::CsvWriter w(&out.bytes, /*utf8_bom=*/true);
    w.WriteRow(header);
    for (const auto& r : rows) {
      for (const auto& v : r) w.Field(v);  // CsvWriter defuses formula-looking cells
      w.EndRow();
    }
    w.Field(kExportWatermarkPrefix + mark);  // the last line; our import skips it
    w.EndRow();
    out.content_type = "text/csv; charset=utf-8";
    out.file_name = "儿童名册_" + stamp + ".csv";
  }

  // Audited before the file leaves the service: no audit entry, no file.
  JsonObjectWriter w;
  w.Str("format", o.format).Int("rows", out.rows).Bool("masked", masked);
  auto opt = [&w](const char* k, const std::string& v) {
    if (!v.empty()) w.Str(std::string("filter.") + k, v);
  };
  opt("q", filters.q);
  opt("category", filters.category);
  opt("flow_status", filters.flow_status);
  opt("roll_status", filters.roll_status);
  opt("school_stage", filters.school_stage);
  opt("sex", filters.sex);
  opt("sort", filters.sort);
  if (filters.org_unit_id) w.Int("filter.org_unit_id", *filters.org_unit_id);
  if (filters.age_min) w.Int("filter.age_min", *filters.age_min);
  if (filters.age_max) w.Int("filter.age_max", *filters.age_max);
  std::string after = w.Finish();
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"child.export", "child", "", who.org_path, "", after, o.purpose});
  }));
  return out;
}

}  // namespace th::service
