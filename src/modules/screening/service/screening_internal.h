#pragma once
// Helpers shared by the screening service's files (screening_service.cc, screening_batches.cc,
// screening_tasks.cc, screening_worker.cc): the department record fields, value parsers and
// formatting. Internal to th_screening_service.
#include "modules/screening/service/screening_service.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include <spdlog/spdlog.h>

#include <chrono>

#include "base/json_writer.h"
#include "modules/registry/domain/child.h"
#include "domain/date.h"
#include "domain/id_number.h"
#include "io/csv.h"
#include "io/upload_limits.h"
#include "io/xlsx_reader.h"
#include "linkage/engine.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_hooks.h"
#include "text/date.h"
#include "text/field.h"
#include "text/utf8.h"
#include "modules/registry/permissions.h"
#include "modules/screening/permissions.h"
#include "platform/service/permissions.h"

namespace th::service::screening_internal {

// The work item of an open verification task (work engine): the unit's 儿童主任 (a community or
// grid), 督导员 (a street) or the district, from the task's creation on the screening clock.
inline work::WorkOpen TaskWork(std::int64_t task_id, const repo::OrgUnit& unit, std::int64_t started_at) {
  work::WorkOpen w;
  w.kind = "screening_verify";
  w.title = "核查排查线索";
  w.label = "核查任务 #" + std::to_string(task_id);
  w.link = "/screening/tasks/" + std::to_string(task_id);
  w.owner_unit_id = unit.id;
  w.owner_role = unit.level == "community" || unit.level == "grid" ? "child_director"
                 : unit.level == "street"                          ? "street_supervisor"
                                                                   : "district";
  w.started_at = started_at;
  return w;
}

inline constexpr const char* kCtxRecordId = "screening.id_number";
inline constexpr const char* kCtxRecordPhone = "screening.guardian_phone";

inline const std::vector<ImportField> kFields = {
    {"name", "姓名", "Name", {"姓名", "儿童姓名", "学生姓名", "名字", "name"}, true},
    {"sex", "性别", "Sex", {"性别", "sex"}},
    {"birth_date", "出生日期", "Birth date", {"出生日期", "出生年月日", "出生年月", "生日", "birth_date"}},
    {"id_number", "身份证号", "ID number",
     {"身份证号", "公民身份号码", "身份证号码", "证件号码", "身份证", "学籍号", "全国学籍号", "残疾证号", "id_number"}},
    {"father_name", "父亲姓名", "Father's name", {"父亲姓名", "父亲", "father_name"}},
    {"mother_name", "母亲姓名", "Mother's name", {"母亲姓名", "母亲", "mother_name"}},
    {"guardian_name", "监护人姓名", "Guardian name", {"监护人姓名", "监护人", "户主姓名", "户主", "guardian_name"}},
    {"guardian_phone", "监护人电话", "Guardian phone", {"监护人电话", "联系电话", "电话", "手机", "guardian_phone"}},
    {"hukou_address", "户籍地址", "Hukou address", {"户籍地址", "户籍地", "户籍所在地", "户口所在地", "hukou_address"}},
    {"hukou_region_code", "户籍地区划代码", "Hukou region code",
     {"户籍地区划代码", "户籍区划代码", "户籍地代码", "hukou_region_code"}},
    {"residence_address", "现住址", "Residence address",
     {"现住址", "居住地址", "现居住地址", "家庭住址", "住址", "residence_address"}},
    {"community", "社区", "Community (code or name)",
     {"社区代码", "社区", "所在社区", "社区(村)", "村(社区)", "村居", "community"}},
    {"school_name", "学校", "School", {"学校", "就读学校", "学校名称", "school_name"}},
    {"disability_type", "残疾类别", "Disability type", {"残疾类别", "残疾类型", "disability_type"}},
    {"disability_grade", "残疾等级", "Disability grade", {"残疾等级", "残疾级别", "disability_grade"}},
    {"assistance", "救助类型", "Assistance", {"救助类型", "保障类型", "救助类别", "保障类别", "assistance"}},
    {"father_state", "父亲状态", "Father's state", {"父亲状态", "父亲情况", "father_state"}},
    {"mother_state", "母亲状态", "Mother's state", {"母亲状态", "母亲情况", "mother_state"}},
};

inline std::string Trim(std::string_view s) {
  auto sp = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  std::size_t b = 0, e = s.size();
  while (b < e && sp(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && sp(static_cast<unsigned char>(s[e - 1]))) --e;
  while (e - b >= 3 && s.substr(b, 3) == "\u3000") b += 3;
  while (e - b >= 3 && s.substr(e - 3, 3) == "\u3000") e -= 3;
  return std::string(s.substr(b, e - b));
}

inline bool Contains(std::string_view hay, std::string_view needle) {
  return !needle.empty() && hay.find(needle) != std::string_view::npos;
}

// 一级/1/一/Ⅰ → 1 ... 4; 0 when unreadable.
inline std::int64_t ParseGrade(const std::string& v) {
  static const std::pair<const char*, int> kMap[] = {{"一", 1}, {"二", 2}, {"三", 3}, {"四", 4}, {"1", 1},
                                                    {"2", 2},  {"3", 3},  {"4", 4},  {"Ⅰ", 1}, {"Ⅱ", 2}};
  for (const auto& [s, g] : kMap) {
    if (Contains(v, s)) return g;
  }
  return 0;
}

// "低保;特困" / "dibao" → "dibao,tekun".
inline std::string ParseAssistance(const std::string& v) {
  static const std::pair<const char*, const char*> kMap[] = {
      {"低保", "dibao"},     {"dibao", "dibao"},         {"特困", "tekun"},       {"tekun", "tekun"},
      {"低收入", "low_income"}, {"临时救助", "temporary"}, {"医疗救助", "medical"}};
  std::set<std::string> codes;
  for (const auto& [s, c] : kMap) {
    if (Contains(v, s)) codes.insert(c);
  }
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ",") + c;
  return out;
}

inline std::string ParseState(const std::string& v) {
  if (v.empty()) return "";
  domain::MemberState s{};
  if (domain::ParseEnum(v, &s)) return std::string(domain::CodeOf(s));
  if (Contains(v, "羁押") || Contains(v, "拘留") || Contains(v, "服刑") || Contains(v, "在押")) return "imprisoned";
  if (Contains(v, "死亡") || Contains(v, "已故") || Contains(v, "去世")) return "dead";
  return "";
}

inline std::string StateZh(const std::string& code) {
  if (code.empty()) return "-";
  domain::MemberState s{};
  if (domain::ParseEnum(code, &s)) return std::string(domain::ZhOf(s));
  return code;
}

inline std::string ParseSex(const std::string& v) {
  domain::Sex s{};
  if (!v.empty() && domain::ParseEnum(v, &s)) return std::string(domain::CodeOf(s));
  return "";
}

inline std::string AssistanceZh(const std::string& codes) {
  std::string out;
  auto add = [&](const char* code, const char* zh) {
    if (Contains("," + codes + ",", std::string(",") + code + ",")) out += (out.empty() ? "" : "、") + std::string(zh);
  };
  add("dibao", "低保");
  add("tekun", "特困");
  add("low_income", "低收入");
  add("temporary", "临时救助");
  add("medical", "医疗救助");
  return out;
}

inline std::string Replace(std::string s, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars) {
    std::string key = "{" + k + "}";
    for (std::size_t pos = s.find(key); pos != std::string::npos; pos = s.find(key, pos + v.size())) {
      s.replace(pos, key.size(), v);
    }
  }
  return s;
}

inline std::string FormatProbability(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", p);
  return buf;
}

inline std::string BirthString(std::int32_t yyyymmdd) {
  auto d = domain::DateFromYyyymmdd(yyyymmdd);
  return d.ok() ? d->ToString() : std::string();
}

inline bool Visible(const Principal& who, const std::string& unit_path) { return who.Covers(unit_path); }

}  // namespace th::service::screening_internal
