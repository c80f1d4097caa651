// The parser of config/workflows/plans.json's module keys (Boost.JSON allowed here: a config
// parser, listed in tools/layering_json_allowed.txt).
#include <boost/json.hpp>

#include "modules/plans/domain/plan.h"

namespace th::domain {

namespace json = boost::json;

namespace {

Status Bad(const std::string& what) {
  return Status::Invalid("plans", "invalid_plans_config", "个案计划配置有误: " + what,
                         "Invalid plans configuration: " + what);
}

Result<std::vector<CodeName>> CodeList(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_array() || v->as_array().empty()) return Bad(std::string(key) + " 应为非空数组");
  std::vector<CodeName> out;
  for (const auto& e : v->as_array()) {
    const json::object* x = e.if_object();
    const json::value* code = x ? x->if_contains("code") : nullptr;
    const json::value* name = x ? x->if_contains("name") : nullptr;
    if (!code || !code->is_string() || code->as_string().empty() || !name || !name->is_string()) {
      return Bad(std::string(key) + " 的每项须有 code 和 name");
    }
    CodeName c{std::string(code->as_string()), std::string(name->as_string()), ""};
    const json::value* en = x->if_contains("name_en");
    if (en && en->is_string()) c.name_en = std::string(en->as_string());
    if (PlansConfig::Find(out, c.code)) return Bad(std::string(key) + " 重复的 code " + c.code);
    out.push_back(std::move(c));
  }
  return out;
}

// The plan_task kind's clock in hours (the module places the deadline by moving its start).
Result<int> TaskClockHours(const json::object& o) {
  const json::value* kinds = o.if_contains("kinds");
  if (!kinds || !kinds->is_array()) return Bad("kinds 应为数组");
  for (const auto& k : kinds->as_array()) {
    const json::object* x = k.if_object();
    if (!x || !x->contains("kind") || x->at("kind") != "plan_task") continue;
    const json::value* clock = x->if_contains("clock");
    if (!clock || !clock->is_object()) break;
    const auto& c = clock->as_object();
    if (!c.contains("unit") || c.at("unit") != "hours" || !c.contains("amount") || !c.at("amount").is_int64() ||
        c.at("amount").as_int64() < 1 || c.at("amount").as_int64() > 24 * 365) {
      return Bad("plan_task 的 clock 须以小时(hours)计");
    }
    return static_cast<int>(c.at("amount").as_int64());
  }
  return Bad("缺少待办类型 plan_task");
}

}  // namespace

Result<PlansConfig> ParsePlansConfig(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Bad("不是 JSON 对象");
  const auto& o = root.as_object();
  PlansConfig cfg;
  if (const json::value* a = o.if_contains("approval_required")) {
    if (!a->is_bool()) return Bad("approval_required 应为 true 或 false");
    cfg.approval_required = a->as_bool();
  }
  TH_ASSIGN_OR_RETURN(cfg.task_clock_hours, TaskClockHours(o));
  TH_ASSIGN_OR_RETURN(cfg.service_types, CodeList(o, "service_types"));
  TH_ASSIGN_OR_RETURN(cfg.frequencies, CodeList(o, "frequencies"));
  TH_ASSIGN_OR_RETURN(cfg.team_roles, CodeList(o, "team_roles"));
  TH_ASSIGN_OR_RETURN(cfg.group_types, CodeList(o, "group_types"));
  return cfg;
}

}  // namespace th::domain
