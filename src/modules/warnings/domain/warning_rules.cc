#include "modules/warnings/domain/warning_rules.h"

#include <boost/json.hpp>

#include <set>

namespace th::domain {

namespace json = boost::json;

namespace {

struct KindName {
  WarningKind kind;
  const char* code;
};
constexpr KindName kKinds[] = {{WarningKind::kParentState, "parent_state"},   {WarningKind::kGradeNoVisit, "grade_no_visit"},
                               {WarningKind::kDropout, "dropout"},            {WarningKind::kRepeatReports, "repeat_reports"},
                               {WarningKind::kWorkOverdue, "work_overdue"},   {WarningKind::kManual, "manual"}};

Status Bad(const std::string& where, const std::string& why) {
  return Status::Invalid("config", "invalid_config", "预警规则配置 " + where + ": " + why,
                         "Warning rules config " + where + ": " + why);
}

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

Result<std::vector<std::string>> Strs(const json::object& o, const char* key, const std::string& where) {
  std::vector<std::string> out;
  const json::value* v = o.if_contains(key);
  if (!v) return out;
  if (!v->is_array()) return Bad(where + "." + key, "应为文字列表 / must be a list of strings");
  for (const auto& x : v->as_array()) {
    if (!x.is_string() || x.as_string().empty()) return Bad(where + "." + key, "应为文字列表 / must be a list of strings");
    out.emplace_back(x.as_string());
  }
  return out;
}

Result<std::map<std::string, std::string>> Names(const json::object& o, const char* key, const std::string& where) {
  std::map<std::string, std::string> out;
  const json::value* v = o.if_contains(key);
  if (!v) return out;
  if (!v->is_object()) return Bad(where + "." + key, "应为对象 / must be an object");
  for (const auto& [k, x] : v->as_object()) {
    if (!x.is_string()) return Bad(where + "." + key + "." + std::string(k), "应为文字 / must be a string");
    out[std::string(k)] = std::string(x.as_string());
  }
  return out;
}

Result<int> Int(const json::object& o, const char* key, int lo, int hi, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_int64() || v->as_int64() < lo || v->as_int64() > hi) {
    return Bad(where + "." + key, std::to_string(lo) + ".." + std::to_string(hi));
  }
  return static_cast<int>(v->as_int64());
}

bool ValidCode(const std::string& s) {
  if (s.empty() || s.size() > 40) return false;
  for (char ch : s) {
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
  }
  return true;
}

// The kind's parameters, checked.
Status ParseParams(const json::object& p, const std::string& where, WarningRule& r) {
  TH_ASSIGN_OR_RETURN(r.relations, Strs(p, "relations", where));
  TH_ASSIGN_OR_RETURN(r.states, Strs(p, "states", where));
  TH_ASSIGN_OR_RETURN(r.grades, Strs(p, "grades", where));
  TH_ASSIGN_OR_RETURN(r.school_stages, Strs(p, "school_stages", where));
  TH_ASSIGN_OR_RETURN(r.finding_rules, Strs(p, "finding_rules", where));
  TH_ASSIGN_OR_RETURN(r.finding_status, Strs(p, "finding_status", where));
  TH_ASSIGN_OR_RETURN(r.work_kinds, Strs(p, "work_kinds", where));
  TH_ASSIGN_OR_RETURN(r.child_subjects, Strs(p, "child_subjects", where));
  TH_ASSIGN_OR_RETURN(r.grade_names, Names(p, "grade_names", where));
  TH_ASSIGN_OR_RETURN(r.kind_names, Names(p, "kind_names", where));
  switch (r.kind) {
    case WarningKind::kParentState:
      if (r.relations.empty() || r.states.empty()) return Bad(where, "需要 relations 与 states / needs relations and states");
      break;
    case WarningKind::kGradeNoVisit: {
      if (r.grades.empty()) return Bad(where, "需要 grades / needs grades");
      TH_ASSIGN_OR_RETURN(r.days, Int(p, "days", 1, 3660, where));
      break;
    }
    case WarningKind::kDropout:
      if (r.school_stages.empty() && r.finding_rules.empty()) {
        return Bad(where, "需要 school_stages 或 finding_rules / needs school_stages or finding_rules");
      }
      if (!r.finding_rules.empty() && r.finding_status.empty()) r.finding_status = {"open", "confirmed"};
      break;
    case WarningKind::kRepeatReports: {
      TH_ASSIGN_OR_RETURN(r.min_reports, Int(p, "min_reports", 2, 100, where));
      TH_ASSIGN_OR_RETURN(r.months, Int(p, "months", 1, 120, where));
      break;
    }
    case WarningKind::kWorkOverdue:
      if (r.work_kinds.empty() || r.child_subjects.empty()) {
        return Bad(where, "需要 work_kinds 与 child_subjects / needs work_kinds and child_subjects");
      }
      break;
    case WarningKind::kManual:
      break;
  }
  return Status::Ok();
}

Result<WarningRule> ParseRule(const json::value& v, std::size_t i) {
  std::string where = "rules[" + std::to_string(i) + "]";
  if (!v.is_object()) return Bad(where, "应为对象 / must be an object");
  const auto& o = v.as_object();
  WarningRule r;
  r.code = Str(o, "code");
  if (!ValidCode(r.code)) return Bad(where + ".code", "1-40 个 a-z0-9_ / 1-40 of a-z0-9_");
  where = "rules." + r.code;
  r.name = Str(o, "name");
  r.name_en = Str(o, "name_en");
  if (r.name.empty()) return Bad(where + ".name", "必填 / required");
  if (r.name_en.empty()) r.name_en = r.name;
  if (!FindWarningKind(Str(o, "kind"), &r.kind)) return Bad(where + ".kind", "未知类型 / unknown kind");
  r.severity = Str(o, "severity");
  if (r.severity != "high" && r.severity != "medium" && r.severity != "low") {
    return Bad(where + ".severity", "high | medium | low");
  }
  if (const json::value* ow = o.if_contains("owner")) {
    if (!ow->is_object()) return Bad(where + ".owner", "应为对象 / must be an object");
    r.owner_level = Str(ow->as_object(), "level");
    r.owner_role = Str(ow->as_object(), "role");
  }
  if (r.owner_level != "community" && r.owner_level != "street") return Bad(where + ".owner.level", "community | street");
  if (r.owner_role.empty()) return Bad(where + ".owner.role", "必填 / required");
  if (const json::value* ac = o.if_contains("auto_close")) {
    if (!ac->is_bool()) return Bad(where + ".auto_close", "应为 true/false / must be a boolean");
    r.auto_close = ac->as_bool();
  }
  if (r.kind == WarningKind::kManual) r.auto_close = false;
  r.reason = Str(o, "reason");
  if (r.reason.empty()) return Bad(where + ".reason", "必填 / required");
  static const json::object kNone;
  const json::value* p = o.if_contains("params");
  if (p && !p->is_object()) return Bad(where + ".params", "应为对象 / must be an object");
  TH_RETURN_IF_ERROR(ParseParams(p ? p->as_object() : kNone, where + ".params", r));
  return r;
}

}  // namespace

const char* WarningKindCode(WarningKind k) {
  for (const auto& n : kKinds) {
    if (n.kind == k) return n.code;
  }
  return "manual";
}

bool FindWarningKind(const std::string& code, WarningKind* out) {
  for (const auto& n : kKinds) {
    if (code == n.code) {
      *out = n.kind;
      return true;
    }
  }
  return false;
}

const WarningRule* WarningConfig::Find(const std::string& code) const {
  for (const auto& r : rules) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

Result<WarningConfig> ParseWarningConfig(const std::string& text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Bad("(file)", "不是 JSON 对象 / not a JSON object");
  const auto& o = root.as_object();
  WarningConfig cfg;
  if (const json::value* v = o.if_contains("version"); v && v->is_int64()) cfg.version = v->as_int64();
  const json::value* rules = o.if_contains("rules");
  if (!rules || !rules->is_array() || rules->as_array().empty()) return Bad("rules", "应为非空列表 / must be a non-empty list");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < rules->as_array().size(); ++i) {
    TH_ASSIGN_OR_RETURN(auto r, ParseRule(rules->as_array()[i], i));
    if (!seen.insert(r.code).second) return Bad("rules." + r.code, "编码重复 / duplicate code");
    if (r.code == "manual" && r.kind != WarningKind::kManual) return Bad("rules.manual", "kind 应为 manual / kind must be manual");
    cfg.rules.push_back(std::move(r));
  }
  if (!cfg.Find("manual")) {
    WarningRule m;
    m.code = "manual";
    m.name = "人工预警";
    m.name_en = "Raised by a worker";
    m.auto_close = false;
    m.reason = "{reason}";
    cfg.rules.push_back(std::move(m));
  }
  return cfg;
}

std::string FormatReason(const std::string& tmpl, const std::map<std::string, std::string>& facts) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  std::size_t i = 0;
  while (i < tmpl.size()) {
    const std::size_t open = tmpl.find('{', i);
    if (open == std::string::npos) break;
    const std::size_t close = tmpl.find('}', open + 1);
    if (close == std::string::npos) break;
    out.append(tmpl, i, open - i);
    auto it = facts.find(tmpl.substr(open + 1, close - open - 1));
    if (it != facts.end()) {
      out += it->second;
    } else {
      out.append(tmpl, open, close - open + 1);
    }
    i = close + 1;
  }
  out.append(tmpl, i, std::string::npos);
  return out;
}

}  // namespace th::domain
