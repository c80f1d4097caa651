#pragma once
// Helpers shared by the child import's files (child_import.cc, child_staging.cc,
// child_export.cc): the import fields and cell parsers. Internal to th_registry_service.
#include "modules/registry/service/child_import.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <unordered_map>

#include "base/json_writer.h"
#include "modules/registry/domain/child.h"
#include "domain/id_number.h"
#include "io/csv.h"
#include "io/formula_guard.h"
#include "io/xlsx_reader.h"
#include "io/upload_limits.h"
#include "io/xlsx_writer.h"
#include "modules/registry/repo/child_import_repo.h"
#include "platform/repo/org_repo.h"
#include "platform/service/watermark.h"
#include "security/crypto.h"
#include "text/charset.h"
#include "text/date.h"
#include "text/field.h"
#include "text/utf8.h"
#include "modules/registry/permissions.h"

namespace th::service::child_import_internal {

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

inline const std::vector<ImportField> kFields = {
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

inline const ImportField* FindField(const std::string& key) {
  for (const auto& f : kFields) {
    if (key == f.key) return &f;
  }
  return nullptr;
}

inline std::string Trim(std::string_view s) {
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
inline std::string FoldLineBreaks(const std::string& v) {
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

inline std::string CharsetLabel(text::Charset c) { return text::CharsetName(c); }

// The import form of a date ("2015/3/2", "2015年3月2日", Excel serials) as YYYY-MM-DD; text
// that does not parse is passed on as typed so the service's validation names the field.
inline std::string NormalizeDate(const std::string& v) {
  if (v.empty()) return v;
  auto d = text::ParseDate(v);
  return d.ok() ? text::FormatDate(*d) : v;
}

// 是/否 style booleans; nullopt for text that is neither.
inline std::optional<bool> ParseBool(const std::string& v) {
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
inline std::optional<std::int64_t> ParseGrade(const std::string& v) {
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

inline std::optional<std::int64_t> ParseCount(const std::string& v) {
  if (v.empty() || v.size() > 6) return std::nullopt;
  std::int64_t n = 0;
  for (char c : v) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

inline std::vector<std::string> SplitList(const std::string& v) {
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
inline ImportReject RejectOf(std::int64_t line, const std::string& field, const std::string& column, const Status& s) {
  return ImportReject{line, column, field, s.error_code(), s.message_zh(), s.message_en()};
}

template <typename E>
std::string ZhOfCode(const std::string& code) {
  E v{};
  if (!domain::ParseEnum(code, &v)) return code;
  return std::string(domain::ZhOf(v));
}

}  // namespace th::service::child_import_internal
