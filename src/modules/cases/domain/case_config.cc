// The parser of config/cases.json (Boost.JSON allowed here: a config parser, listed in
// tools/layering_json_allowed.txt).
#include <boost/json.hpp>

#include "modules/cases/domain/case_config.h"

namespace th::domain {

namespace json = boost::json;

namespace {

Status Bad(const std::string& file, const std::string& what) {
  return Status::Invalid("cases", "invalid_case_config", "个案配置有误(" + file + "): " + what,
                         "Invalid case configuration (" + file + "): " + what);
}

Result<int> Days(const json::object& o, const char* key, int dflt, const std::string& file) {
  const json::value* v = o.if_contains(key);
  if (!v) return dflt;
  if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > 3660) return Bad(file, std::string(key) + " 1..3660");
  return static_cast<int>(v->as_int64());
}

std::vector<std::string> Strings(const json::value* v) {
  std::vector<std::string> out;
  if (!v || !v->is_array()) return out;
  for (const auto& e : v->as_array()) {
    if (e.is_string()) out.emplace_back(e.as_string());
  }
  return out;
}

}  // namespace

Result<CaseConfig> ParseCaseConfig(const std::string& text, const std::string& file) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Bad(file, "not a JSON object");
  const auto& o = root.as_object();
  CaseConfig c;
  const json::value* forms = o.if_contains("forms");
  if (!forms || !forms->is_object()) return Bad(file, "forms required");
  for (const auto& [k, v] : forms->as_object()) {
    if (!v.is_string()) return Bad(file, "forms." + std::string(k));
    c.forms[std::string(k)] = std::string(v.as_string());
  }
  for (const char* kind : {"risk", "needs", "guardianship"}) {
    if (!c.forms.count(kind)) return Bad(file, std::string("forms.") + kind + " required");
  }
  TH_ASSIGN_OR_RETURN(c.new_child_days, Days(o, "new_child_days", c.new_child_days, file));
  TH_ASSIGN_OR_RETURN(c.repeat_days, Days(o, "repeat_days", c.repeat_days, file));
  TH_ASSIGN_OR_RETURN(c.open_before_days, Days(o, "open_before_days", c.open_before_days, file));
  c.guardianship_categories = Strings(o.if_contains("guardianship_categories"));
  if (const json::value* red = o.if_contains("alarm"); red && red->is_object()) {
    const auto& r = red->as_object();
    if (const json::value* v = r.if_contains("start_conference"); v && v->is_bool()) c.red_starts_conference = v->as_bool();
    if (const json::value* v = r.if_contains("start_guardianship_check"); v && v->is_bool()) {
      c.red_starts_guardianship_check = v->as_bool();
    }
    if (r.contains("grades")) c.alarm_grades = Strings(r.if_contains("grades"));
  }
  return c;
}

}  // namespace th::domain
