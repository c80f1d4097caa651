// The parser of config/reports/categories.json (Boost.JSON allowed here: a config parser, listed
// in tools/layering_json_allowed.txt).
#include <boost/json.hpp>

#include "modules/reports/domain/report.h"

namespace th::domain {

namespace json = boost::json;

namespace {

Status Bad(const std::string& what) {
  return Status::Invalid("reports", "invalid_report_config", "发现报告配置有误: " + what,
                         "Invalid report configuration: " + what);
}

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool Bool(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

Result<std::int64_t> Int(const json::object& o, const char* key, std::int64_t dflt, std::int64_t lo, std::int64_t hi) {
  const json::value* v = o.if_contains(key);
  if (!v) return dflt;
  if (!v->is_int64() || v->as_int64() < lo || v->as_int64() > hi) {
    return Bad(std::string("public.") + key + " 应为 " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  return v->as_int64();
}

Status ParsePublic(const json::object& o, PublicIntake* p) {
  p->district_code = Str(o, "district_code");
  TH_ASSIGN_OR_RETURN(auto per, Int(o, "per_address", p->per_address, 1, 100000));
  TH_ASSIGN_OR_RETURN(p->window_seconds, Int(o, "window_seconds", p->window_seconds, 1, 86400));
  TH_ASSIGN_OR_RETURN(auto body, Int(o, "max_body_bytes", static_cast<std::int64_t>(p->max_body_bytes), 1024, 1 << 20));
  TH_ASSIGN_OR_RETURN(auto photos, Int(o, "max_photos", p->max_photos, 0, 10));
  TH_ASSIGN_OR_RETURN(p->photo_hours, Int(o, "photo_hours", p->photo_hours, 1, 24 * 30));
  p->per_address = static_cast<int>(per);
  p->max_body_bytes = static_cast<std::size_t>(body);
  p->max_photos = static_cast<int>(photos);
  return Status::Ok();
}

}  // namespace

Result<ReportConfig> ParseReportConfig(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Bad("不是 JSON 对象");
  const auto& o = root.as_object();
  ReportConfig cfg;
  const json::value* cats = o.if_contains("categories");
  const json::value* sits = o.if_contains("situations");
  if (!cats || !cats->is_array() || cats->as_array().empty()) return Bad("categories 应为非空数组");
  if (!sits || !sits->is_array()) return Bad("situations 应为数组");
  for (const auto& v : cats->as_array()) {
    if (!v.is_object()) return Bad("categories 项应为对象");
    ReportCategory c{Str(v.as_object(), "code"), Str(v.as_object(), "name"), Str(v.as_object(), "name_en"),
                     Bool(v.as_object(), "sensitive")};
    if (c.code.empty() || c.name.empty()) return Bad("category 须有 code 和 name");
    if (cfg.Category(c.code)) return Bad("category " + c.code + " 重复");
    cfg.categories.push_back(std::move(c));
  }
  for (const auto& v : sits->as_array()) {
    if (!v.is_object()) return Bad("situations 项应为对象");
    const auto& so = v.as_object();
    ReportSituation s{Str(so, "code"), Str(so, "name"), Str(so, "name_en"), Bool(so, "sensitive"), Bool(so, "urgent")};
    if (s.code.empty() || s.name.empty()) return Bad("situation 须有 code 和 name");
    if (cfg.Situation(s.code)) return Bad("situation " + s.code + " 重复");
    cfg.situations.push_back(std::move(s));
  }
  if (const json::value* p = o.if_contains("public")) {
    if (!p->is_object()) return Bad("public 应为对象");
    TH_RETURN_IF_ERROR(ParsePublic(p->as_object(), &cfg.intake));
  }
  return cfg;
}

}  // namespace th::domain
