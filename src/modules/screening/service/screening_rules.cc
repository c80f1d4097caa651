#include "modules/screening/service/screening_rules.h"

#include <boost/json.hpp>

namespace th::service {

namespace json = boost::json;

namespace {

Status BadRules(const std::string& what) {
  return Status::Invalid("rules", "invalid_screening_rules", "排查规则文件有误: " + what,
                         "Invalid screening rules: " + what);
}

std::vector<std::string> Strings(const json::value* v) {
  std::vector<std::string> out;
  if (!v || !v->is_array()) return out;
  for (const auto& x : v->as_array()) {
    if (x.is_string()) out.emplace_back(x.as_string());
  }
  return out;
}

std::optional<bool> OptBool(const json::object* o, const char* key) {
  if (!o) return std::nullopt;
  const json::value* v = o->if_contains(key);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->as_bool();
}

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

double Num(const json::value* v, double dflt) {
  if (!v) return dflt;
  if (v->is_double()) return v->as_double();
  if (v->is_int64()) return static_cast<double>(v->as_int64());
  return dflt;
}

}  // namespace

const ScreeningRule* ScreeningRules::Find(std::string_view id) const {
  for (const auto& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

// Long: a config parser, one key per line, each with its own error naming the rule.
Result<ScreeningRules> ParseScreeningRules(std::string_view text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return BadRules("not a JSON object");
  const json::object& o = root.as_object();
  ScreeningRules out;
  out.version = static_cast<int>(Num(o.if_contains("version"), 1));
  out.due_days = static_cast<std::int64_t>(Num(o.if_contains("due_days"), 14));
  out.link_threshold = Num(o.if_contains("link_threshold"), 0.95);
  out.review_threshold = Num(o.if_contains("review_threshold"), 0.50);
  if (!(out.review_threshold > 0 && out.review_threshold <= out.link_threshold && out.link_threshold <= 1)) {
    return BadRules("thresholds");
  }
  if (const json::value* wk = o.if_contains("worker"); wk && wk->is_object()) {
    out.stale_after_seconds = static_cast<std::int64_t>(Num(wk->as_object().if_contains("stale_after_seconds"), 120));
    out.max_attempts = static_cast<std::int64_t>(Num(wk->as_object().if_contains("max_attempts"), 3));
    if (out.stale_after_seconds < 10 || out.max_attempts < 1) return BadRules("worker");
  }
  const json::value* rules = o.if_contains("rules");
  if (!rules || !rules->is_array()) return BadRules("rules must be an array");
  for (const auto& rv : rules->as_array()) {
    if (!rv.is_object()) return BadRules("rule must be an object");
    const json::object& ro = rv.as_object();
    ScreeningRule r;
    r.id = Str(ro, "id");
    r.name = Str(ro, "name");
    r.name_en = Str(ro, "name_en");
    r.reason = Str(ro, "reason");
    if (r.id.empty() || r.name.empty() || r.reason.empty()) return BadRules("rule without id, name or reason");
    if (out.Find(r.id)) return BadRules("duplicate rule " + r.id);
    r.fallback = OptBool(&ro, "fallback").value_or(false);
    if (std::string a = Str(ro, "applies_to"); !a.empty()) r.applies_to = a;
    if (r.applies_to != "record" && r.applies_to != "registry_absent") {
      return BadRules(r.id + ": applies_to " + r.applies_to);
    }
    const json::value* when = ro.if_contains("when");
    if (!when || !when->is_object()) return BadRules(r.id + ": when");
    const json::object& w = when->as_object();
    r.bands = Strings(w.if_contains("band"));
    for (const auto& b : r.bands) {
      if (b != "link" && b != "review" && b != "no_link") return BadRules(r.id + ": band " + b);
    }
    r.lives_in_jurisdiction = OptBool(&w, "lives_in_jurisdiction");
    if (const json::value* bt = w.if_contains("batch"); bt && bt->is_object()) {
      r.source_dept_types = Strings(bt->as_object().if_contains("source_dept_type"));
      r.complete_roster = OptBool(&bt->as_object(), "complete_roster");
    }
    if (const json::value* rec = w.if_contains("record"); rec && rec->is_object()) {
      const json::object& ro2 = rec->as_object();
      if (const json::value* g = ro2.if_contains("disability_grade"); g && g->is_array()) {
        for (const auto& x : g->as_array()) {
          if (x.is_int64()) r.disability_grades.push_back(x.as_int64());
        }
      }
      r.assistance = Strings(ro2.if_contains("assistance"));
      r.parent_states = Strings(ro2.if_contains("parent_state"));
      r.school = OptBool(&ro2, "school");
      r.hukou_outside_district = OptBool(&ro2, "hukou_outside_district");
    }
    if (const json::value* ch = w.if_contains("child"); ch && ch->is_object()) {
      const json::object& co = ch->as_object();
      r.child_disabled = OptBool(&co, "disabled");
      r.child_roll_status = Strings(co.if_contains("roll_status"));
      if (const json::value* a = co.if_contains("age_at_least"); a && a->is_int64()) r.child_age_at_least = a->as_int64();
      if (const json::value* a = co.if_contains("age_between"); a && a->is_array()) {
        const auto& arr = a->as_array();
        if (arr.size() != 2 || !arr[0].is_int64() || !arr[1].is_int64() || arr[0].as_int64() > arr[1].as_int64()) {
          return BadRules(r.id + ": child.age_between");
        }
        r.child_age_min = arr[0].as_int64();
        r.child_age_max = arr[1].as_int64();
      }
      r.child_school_stage_not = Strings(co.if_contains("school_stage_not"));
    }
    if (const json::value* oc = ro.if_contains("on_confirm"); oc && oc->is_object()) {
      r.action = Str(oc->as_object(), "action");
      r.category = Str(oc->as_object(), "category");
      r.flow_status = Str(oc->as_object(), "flow_status");
    }
    if (r.action.empty()) r.action = "none";
    if (r.action != "none" && r.action != "roll_entry" && r.action != "roll_exit" && r.action != "register") {
      return BadRules(r.id + ": on_confirm.action " + r.action);
    }
    if (r.action == "roll_entry" && r.category.empty()) return BadRules(r.id + ": roll_entry needs a category");
    if (r.applies_to == "registry_absent") {
      // Without both guards a partial upload would turn every child it leaves out into a finding.
      if (r.source_dept_types.empty() || !r.complete_roster || !*r.complete_roster) {
        return BadRules(r.id + ": registry_absent needs batch.source_dept_type and batch.complete_roster true");
      }
      if (!r.bands.empty() || r.fallback) return BadRules(r.id + ": registry_absent takes no band or fallback");
      if (r.action == "roll_entry" || r.action == "register") {
        return BadRules(r.id + ": registry_absent confirms with none or roll_exit");
      }
    }
    out.rules.push_back(std::move(r));
  }
  return out;
}

}  // namespace th::service
