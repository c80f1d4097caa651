// The parser of config/guardianship/guardianship.json (Boost.JSON allowed here: a config parser,
// listed in tools/layering_json_allowed.txt).
#include "modules/guardianship/domain/guardianship_config.h"

#include <boost/json.hpp>

namespace th::domain {

namespace json = boost::json;

namespace {

Status Bad(const std::string& file, const std::string& what) {
  return Status::Invalid("guardianship", "invalid_guardianship_config", "监护干预配置有误(" + file + "): " + what,
                         "Invalid guardianship configuration (" + file + "): " + what);
}

Result<int> Days(const json::object& o, const char* key, int dflt, const std::string& file) {
  const json::value* v = o.if_contains(key);
  if (!v) return dflt;
  if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > 3660) return Bad(file, std::string(key) + " 1..3660");
  return static_cast<int>(v->as_int64());
}

Result<std::vector<GuardianshipCode>> List(const json::value* v, const std::string& key, const std::string& file) {
  if (!v || !v->is_array() || v->as_array().empty()) return Bad(file, key + " must be a non-empty array");
  std::vector<GuardianshipCode> out;
  for (const auto& e : v->as_array()) {
    const auto* o = e.if_object();
    const json::value* code = o ? o->if_contains("code") : nullptr;
    const json::value* name = o ? o->if_contains("name") : nullptr;
    if (!code || !code->is_string() || code->as_string().empty() || !name || !name->is_string()) {
      return Bad(file, key + ": every entry needs code and name");
    }
    GuardianshipCode c{std::string(code->as_string()), std::string(name->as_string()), ""};
    if (const json::value* en = o->if_contains("name_en"); en && en->is_string()) c.name_en = en->as_string();
    if (GuardianshipConfig::Find(out, c.code)) return Bad(file, key + ": duplicate code " + c.code);
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<GuardianshipConfig> ParseGuardianshipConfig(const std::string& text, const std::string& file) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Bad(file, "not a JSON object");
  const auto& o = root.as_object();
  GuardianshipConfig c;
  if (const json::value* v = o.if_contains("approval_required")) {
    if (!v->is_bool()) return Bad(file, "approval_required must be true or false");
    c.approval_required = v->as_bool();
  }
  TH_ASSIGN_OR_RETURN(c.limit_days, Days(o, "limit_days", c.limit_days, file));
  TH_ASSIGN_OR_RETURN(c.check_interval_days, Days(o, "check_interval_days", c.check_interval_days, file));
  const json::value* ra = o.if_contains("return_assessment");
  if (!ra || !ra->is_object()) return Bad(file, "return_assessment required");
  if (const json::value* k = ra->as_object().if_contains("kind"); k && k->is_string()) c.return_kind = k->as_string();
  if (const json::value* g = ra->as_object().if_contains("pass_grades"); g && g->is_array()) {
    for (const auto& e : g->as_array()) {
      if (e.is_string()) c.pass_grades.emplace_back(e.as_string());
    }
  }
  if (c.pass_grades.empty()) return Bad(file, "return_assessment.pass_grades must name at least one grade");
  const json::value* grounds = o.if_contains("grounds");
  if (!grounds || !grounds->is_object()) return Bad(file, "grounds required");
  TH_ASSIGN_OR_RETURN(c.temporary_grounds, List(grounds->as_object().if_contains("temporary"), "grounds.temporary", file));
  TH_ASSIGN_OR_RETURN(c.long_term_grounds, List(grounds->as_object().if_contains("long_term"), "grounds.long_term", file));
  TH_ASSIGN_OR_RETURN(c.placement_kinds, List(o.if_contains("placement_kinds"), "placement_kinds", file));
  TH_ASSIGN_OR_RETURN(c.child_states, List(o.if_contains("child_states"), "child_states", file));
  return c;
}

}  // namespace th::domain
