#include "modules/visits/domain/schedule_config.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

namespace th::domain {

namespace json = boost::json;

namespace {

Status Bad(const std::string& key, const std::string& why) {
  return Status::Invalid("config", "invalid_config", "走访频次配置 " + key + ": " + why,
                         "Visit schedule config " + key + ": " + why);
}

Result<int> Days(const json::object& o, const char* key, const std::string& where) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_int64() || v->as_int64() < 1 || v->as_int64() > 366) return Bad(where + "." + key, "1..366");
  return static_cast<int>(v->as_int64());
}

std::string Str(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

const VisitGradeRule* VisitScheduleConfig::FindGrade(const std::string& code) const {
  for (const auto& g : grades) {
    if (g.code == code) return &g;
  }
  return nullptr;
}

// Long: one validation per key of the file, in the file's order.
Result<VisitScheduleConfig> ParseVisitScheduleConfig(const std::string& text) {
  boost::system::error_code ec;
  json::value root = json::parse(text, ec);
  if (ec || !root.is_object()) return Bad("(file)", "not a JSON object");
  const json::object& o = root.as_object();
  VisitScheduleConfig cfg;
  std::set<std::string> seen;
  const json::value* grades = o.if_contains("grades");
  if (!grades || !grades->is_array()) return Bad("grades", "a list is required");
  for (const auto& g : grades->as_array()) {
    if (!g.is_object()) return Bad("grades", "items must be objects");
    VisitGradeRule r;
    r.code = Str(g.as_object(), "code");
    if (r.code.empty() || !seen.insert("g:" + r.code).second) return Bad("grades.code", "missing or repeated");
    r.name = Str(g.as_object(), "name");
    r.name_en = Str(g.as_object(), "name_en");
    r.color = Str(g.as_object(), "color");
    TH_ASSIGN_OR_RETURN(r.days, Days(g.as_object(), "days", "grades." + r.code));
    cfg.grades.push_back(std::move(r));
  }
  if (const json::value* cats = o.if_contains("categories")) {
    if (!cats->is_array()) return Bad("categories", "must be a list");
    for (const auto& c : cats->as_array()) {
      if (!c.is_object()) return Bad("categories", "items must be objects");
      VisitCategoryRule r;
      r.code = Str(c.as_object(), "code");
      if (r.code.empty() || !seen.insert("c:" + r.code).second) return Bad("categories.code", "missing or repeated");
      TH_ASSIGN_OR_RETURN(r.days, Days(c.as_object(), "days", "categories." + r.code));
      cfg.categories.push_back(std::move(r));
    }
  }
  TH_ASSIGN_OR_RETURN(cfg.default_days, Days(o, "default_days", "(file)"));
  TH_ASSIGN_OR_RETURN(cfg.first_visit_days, Days(o, "first_visit_days", "(file)"));
  if (o.contains("due_soon_days")) { TH_ASSIGN_OR_RETURN(cfg.due_soon_days, Days(o, "due_soon_days", "(file)")); }
  if (const json::value* v = o.if_contains("version"); v && v->is_int64()) cfg.version = v->as_int64();
  return cfg;
}

VisitInterval IntervalFor(const VisitScheduleConfig& cfg, const std::string& grade, const std::string& codes) {
  // The roll keeps one code ("left_behind") or a list (",a,b,"): compare as a list.
  const std::string categories = codes.empty() || codes.front() == ',' ? codes : "," + codes + ",";
  VisitInterval best{0, ""};
  auto consider = [&](int days, std::string rule) {
    if (best.days == 0 || days < best.days) best = {days, std::move(rule)};
  };
  if (const VisitGradeRule* g = cfg.FindGrade(grade)) consider(g->days, "grade:" + g->code);
  for (const auto& c : cfg.categories) {
    if (categories.find("," + c.code + ",") != std::string::npos) consider(c.days, "category:" + c.code);
  }
  if (best.days == 0) best = {cfg.default_days, "default"};
  return best;
}

Date NextDue(const VisitScheduleConfig& cfg, const VisitInterval& in, Date last_visit, Date planned_from, bool first) {
  if (last_visit.IsSet()) return last_visit.AddDays(in.days);
  const int days = first ? std::min(in.days, cfg.first_visit_days) : in.days;
  return planned_from.AddDays(days);
}

}  // namespace th::domain
