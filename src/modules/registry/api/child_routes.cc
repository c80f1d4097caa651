// Over 600 lines: the registry's routes and DTOs in one place (the import routes are in child_import_routes.cc).
#include "modules/registry/api/child_routes.h"

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "modules/registry/api/child_import_routes.h"
#include "platform/api/json_io.h"
#include "modules/registry/domain/categories.h"
#include "domain/date.h"
#include "platform/service/audit_service.h"
#include "platform/service/services.h"
#include "modules/registry/service/child_service.h"

namespace th::api {

namespace json = boost::json;
using service::ChildService;
using service::Principal;

namespace {

json::value DateJson(std::int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return nullptr;
  auto d = domain::DateFromYyyymmdd(yyyymmdd);
  if (!d.ok()) return nullptr;
  return json::string(d->ToString());
}


json::array Codes(const std::string& joined, char sep) {
  json::array a;
  std::size_t start = 0;
  while (start < joined.size()) {
    std::size_t end = joined.find(sep, start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) a.push_back(json::string(joined.substr(start, end - start)));
    start = end + 1;
  }
  return a;
}

template <typename E>
json::string Zh(const std::string& code) {
  E v{};
  domain::ParseEnum(code, &v);
  return json::string(domain::ZhOf(v));
}

int AgeOf(std::int32_t birth, std::int64_t now_ms) {
  auto b = domain::DateFromYyyymmdd(birth);
  if (!b.ok()) return 0;
  return domain::AgeOn(*b, domain::Date::FromEpochMillisShanghai(now_ms));
}

json::object Summary(const repo::ChildRecord& c, std::int64_t now_ms) {
  return json::object{
      {"id", c.id},
      {"name", c.name},
      {"sex", c.sex},
      {"birth_date", DateJson(c.birth_date)},
      {"age", AgeOf(c.birth_date, now_ms)},
      {"id_number_masked", c.id_masked},
      {"has_id_number", !c.id_masked.empty()},
      {"street", json::object{{"id", c.street_id}, {"name", c.street_name}}},
      {"community", json::object{{"id", c.community_id}, {"name", c.community_name}}},
      {"grid", c.grid_id ? json::value(json::object{{"id", *c.grid_id}, {"name", c.grid_name}}) : json::value(nullptr)},
      {"flow_status", c.flow_status},
      {"school_stage", c.school_stage},
      {"school_name", c.school_name},
      {"categories", Codes(c.categories, ',')},
      {"roll_status", c.roll_status},
      {"risk_grade", c.risk_grade},
      {"risk_graded_at", OptInt(c.risk_graded_at)},
      {"guardian_name", c.guardian_name},
      {"version", c.version},
      {"updated_at", c.updated_at}};
}

json::object UserRef(const std::optional<std::int64_t>& id, const std::string& name) {
  return json::object{{"id", OptInt(id)}, {"display_name", name}};
}

// Long: the ChildFile DTO, one field per line (docs/API.md "ChildFile").
json::object FileJson(const service::ChildFile& f, const ChildService& cs, std::int64_t now_ms) {
  const repo::ChildRecord& c = f.child;
  json::object o = Summary(c, now_ms);
  o["former_names"] = Codes(c.former_names, '\n');
  o["ethnicity"] = c.ethnicity;
  o["no_id_reason"] = c.no_id_reason;
  o["hukou_registered"] = c.hukou_registered;
  o["hukou_region_code"] = c.hukou_region_code;
  o["hukou_nature"] = c.hukou_nature;
  o["hukou_address"] = c.hukou_address;
  o["residence_address"] = c.residence_address;
  o["resident_since"] = DateJson(c.resident_since);
  o["boarding"] = c.boarding;
  o["health"] = c.health;
  o["disability_type"] = c.disability_type;
  o["disability_grade"] = c.disability_grade;
  o["illness"] = c.illness;
  json::array assist;
  static const std::pair<const char*, std::int64_t> kAssist[] = {
      {"dibao", 1}, {"tekun", 2}, {"low_income", 4}, {"temporary", 8}, {"medical", 16}};
  for (const auto& [code, bit] : kAssist) {
    if (c.assistance & bit) assist.push_back(json::string(code));
  }
  o["assistance"] = std::move(assist);
  o["parents_not_findable"] = c.parents_not_findable;
  o["director"] = c.director_user_id ? json::value(UserRef(c.director_user_id, c.director_name)) : json::value(nullptr);
  o["notes"] = c.notes;
  o["household_id"] = c.household_id;
  json::array sibs;
  for (const auto& s : f.siblings) {
    sibs.push_back(json::object{{"id", s.id}, {"name", s.name}, {"sex", s.sex}, {"birth_date", DateJson(s.birth_date)}});
  }
  o["siblings"] = std::move(sibs);
  json::array fam;
  for (const auto& m : f.family) {
    fam.push_back(json::object{{"id", m.id},
                               {"relation", m.relation},
                               {"relation_name", Zh<domain::Relation>(m.relation)},
                               {"name", m.name},
                               {"id_number_masked", m.id_masked},
                               {"has_id_number", !m.id_masked.empty()},
                               {"phone_masked", m.phone_masked},
                               {"state", m.state},
                               {"state_name", Zh<domain::MemberState>(m.state)},
                               {"state_since", DateJson(m.state_since)},
                               {"restriction_months", m.restriction_months},
                               {"disability_type", m.disability_type},
                               {"disability_grade", m.disability_grade},
                               {"illness", m.illness},
                               {"work_city", m.work_city},
                               {"work_region_code", m.work_region_code},
                               {"works_outside_hukou_county", m.works_outside},
                               {"lives_with_child", m.lives_with_child}});
  }
  o["family"] = std::move(fam);
  if (c.guardian_name.empty() && !c.guardian_member_id) {
    o["guardian"] = nullptr;
  } else {
    o["guardian"] = json::object{{"name", c.guardian_name},
                                 {"relation", c.guardian_relation},
                                 {"relation_note", c.guardian_relation_note},
                                 {"member_id", OptInt(c.guardian_member_id)},
                                 {"phone_masked", c.guardian_phone_masked},
                                 {"id_number_masked", c.guardian_id_masked},
                                 {"agreement_date", DateJson(c.guardian_agreement_date)}};
  }
  json::array verdicts;
  for (const auto& v : f.verdicts) {
    json::object j{{"code", v.def->code},
                   {"name", v.def->name},
                   {"kind", v.def->kind == domain::CategoryKind::kProtected ? "protected" : "monitored"},
                   {"national_type", std::string(domain::CodeOf(v.def->national_type))},
                   {"national_type_name", std::string(domain::ZhOf(v.def->national_type))},
                   {"derivation", v.def->rule_derived() ? "rule" : "worker"},
                   {"rule_outcome", v.rule_outcome.empty() ? json::value(nullptr) : json::value(json::string(v.rule_outcome))},
                   {"rule_id", v.rule_id},
                   {"rule_name", std::string(domain::RuleLabelZh(v.rule_id))},
                   {"rule_name_en", std::string(domain::RuleLabelEn(v.rule_id))},
                   {"reason", v.reason},
                   {"met_since", DateJson(v.met_since)},
                   {"ends_on", DateJson(v.ends_on)},
                   {"next_change_date", DateJson(v.next_change)},
                   {"met", v.met},
                   {"source", v.source}};
    if (v.override_met) {
      j["override"] = json::object{{"met", *v.override_met},
                                   {"reason", v.override_reason},
                                   {"by", UserRef(v.override_by, v.override_by_name)},
                                   {"at", OptInt(v.override_at)}};
    } else {
      j["override"] = nullptr;
    }
    verdicts.push_back(std::move(j));
  }
  o["category_verdicts"] = std::move(verdicts);
  o["next_change_date"] = DateJson(c.next_change_date);
  o["roll"] = json::object{{"status", c.roll_status},
                           {"categories", Codes(c.roll_categories, ',')},
                           {"entered_on", DateJson(c.roll_entered_on)},
                           {"exited_on", DateJson(c.roll_exited_on)},
                           {"pending_request_id", OptInt(f.pending_request_id)}};
  o["created_at"] = c.created_at;
  o["created_by"] = UserRef(c.created_by, c.created_by_name);
  (void)cs;
  return o;
}

}  // namespace

json::object RequestJson(const service::RollRequestView& v) {
  const auto& r = v.request;
  json::array steps;
  for (const auto& s : v.steps) {
    steps.push_back(json::object{{"action", s.action},
                                 {"by", UserRef(s.by_user_id, s.by_name)},
                                 {"at", s.at},
                                 {"note", s.note}});
  }
  return json::object{
      {"id", r.id},
      {"child", json::object{{"id", r.child_id},
                             {"name", r.child_name},
                             {"community", json::object{{"id", r.community_id}, {"name", r.community_name}}}}},
      {"kind", r.kind},
      {"category", r.category},
      {"reason", r.reason},
      {"evidence", r.evidence},
      {"rule_outcome", r.rule_outcome},
      {"rule_reason", r.rule_reason},
      {"status", r.status},
      {"proposed_by", UserRef(r.proposed_by, r.proposed_by_name)},
      {"proposed_at", r.proposed_at},
      {"steps", std::move(steps)},
      {"version", r.version}};
}

namespace {

// Typed access to a JSON object whose keys were already checked (Body::Parse or CheckKeys).
Status CheckKeys(const json::object& o, std::initializer_list<const char*> allowed, const std::string& prefix) {
  for (const auto& kv : o) {
    bool ok = false;
    for (const char* a : allowed) ok |= kv.key() == a;
    if (!ok) {
      std::string k = prefix + std::string(kv.key());
      return Status::Invalid(k, "unknown_field", "未知字段: " + k, "Unknown field: " + k);
    }
  }
  return Status::Ok();
}

Status TypeErr(const std::string& field, const char* zh, const char* en) {
  return Status::Invalid(field, "invalid_type", "字段 " + field + " 应为" + zh, "Field " + field + " must be " + en);
}

Status GetStr(const json::object& o, const char* key, const std::string& prefix, std::string* out) {
  const json::value& v = o.at(key);
  if (v.is_null()) {
    out->clear();
    return Status::Ok();
  }
  if (!v.is_string()) return TypeErr(prefix + key, "字符串", "a string");
  std::string s(v.as_string());
  std::size_t b = s.find_first_not_of(" \t\r\n");
  std::size_t e = s.find_last_not_of(" \t\r\n");
  *out = b == std::string::npos ? "" : s.substr(b, e - b + 1);
  return Status::Ok();
}

Status GetBool(const json::object& o, const char* key, const std::string& prefix, bool* out) {
  const json::value& v = o.at(key);
  if (!v.is_bool()) return TypeErr(prefix + key, "布尔值", "true or false");
  *out = v.as_bool();
  return Status::Ok();
}

Status GetInt(const json::object& o, const char* key, const std::string& prefix, std::int64_t* out) {
  const json::value& v = o.at(key);
  if (v.is_int64()) {
    *out = v.as_int64();
  } else if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    *out = static_cast<std::int64_t>(v.as_uint64());
  } else {
    return TypeErr(prefix + key, "整数", "an integer");
  }
  return Status::Ok();
}

Status GetOptInt(const json::object& o, const char* key, const std::string& prefix, std::optional<std::int64_t>* out) {
  if (o.at(key).is_null()) {
    out->reset();
    return Status::Ok();
  }
  std::int64_t v = 0;
  TH_RETURN_IF_ERROR(GetInt(o, key, prefix, &v));
  *out = v;
  return Status::Ok();
}

Status GetStrList(const json::object& o, const char* key, const std::string& prefix, std::vector<std::string>* out) {
  const json::value& v = o.at(key);
  out->clear();
  if (v.is_null()) return Status::Ok();
  if (!v.is_array()) return TypeErr(prefix + key, "字符串数组", "an array of strings");
  for (const auto& x : v.as_array()) {
    if (!x.is_string()) return TypeErr(prefix + key, "字符串数组", "an array of strings");
    out->emplace_back(x.as_string());
  }
  return Status::Ok();
}

#define TH_CHILD_FIELDS                                                                                         \
  "name", "former_names", "sex", "ethnicity", "birth_date", "id_number", "no_id_reason", "hukou_registered",    \
      "hukou_region_code", "hukou_nature", "hukou_address", "community_id", "grid_id", "residence_address",     \
      "resident_since", "school_name", "school_stage", "boarding", "health", "disability_type",                \
      "disability_grade", "illness", "flow_status", "assistance", "parents_not_findable", "director_user_id", \
      "notes"

Result<service::ChildInput> ParseChild(const json::object& o) {
  service::ChildInput in;
  const std::string p;
  for (const auto& kv : o) {
    std::string k(kv.key());
    const char* key = k.c_str();
    Status s;
    if (k == "name") s = GetStr(o, key, p, &in.name);
    else if (k == "former_names") s = GetStrList(o, key, p, &in.former_names);
    else if (k == "sex") s = GetStr(o, key, p, &in.sex);
    else if (k == "ethnicity") s = GetStr(o, key, p, &in.ethnicity);
    else if (k == "birth_date") s = GetStr(o, key, p, &in.birth_date);
    else if (k == "id_number") s = GetStr(o, key, p, &in.id_number);
    else if (k == "no_id_reason") s = GetStr(o, key, p, &in.no_id_reason);
    else if (k == "hukou_registered") s = GetBool(o, key, p, &in.hukou_registered);
    else if (k == "hukou_region_code") s = GetStr(o, key, p, &in.hukou_region_code);
    else if (k == "hukou_nature") s = GetStr(o, key, p, &in.hukou_nature);
    else if (k == "hukou_address") s = GetStr(o, key, p, &in.hukou_address);
    else if (k == "community_id") s = GetInt(o, key, p, &in.community_id);
    else if (k == "grid_id") s = GetOptInt(o, key, p, &in.grid_id);
    else if (k == "residence_address") s = GetStr(o, key, p, &in.residence_address);
    else if (k == "resident_since") s = GetStr(o, key, p, &in.resident_since);
    else if (k == "school_name") s = GetStr(o, key, p, &in.school_name);
    else if (k == "school_stage") s = GetStr(o, key, p, &in.school_stage);
    else if (k == "boarding") s = GetBool(o, key, p, &in.boarding);
    else if (k == "health") s = GetStr(o, key, p, &in.health);
    else if (k == "disability_type") s = GetStr(o, key, p, &in.disability_type);
    else if (k == "disability_grade") s = GetInt(o, key, p, &in.disability_grade);
    else if (k == "illness") s = GetStr(o, key, p, &in.illness);
    else if (k == "flow_status") s = GetStr(o, key, p, &in.flow_status);
    else if (k == "assistance") s = GetStrList(o, key, p, &in.assistance);
    else if (k == "parents_not_findable") s = GetBool(o, key, p, &in.parents_not_findable);
    else if (k == "director_user_id") s = GetOptInt(o, key, p, &in.director_user_id);
    else if (k == "notes") s = GetStr(o, key, p, &in.notes);
    else continue;
    TH_RETURN_IF_ERROR(s);
    in.present.insert(k);
  }
  return in;
}

Result<service::MemberInput> ParseMember(const json::value& v, const std::string& prefix) {
  if (!v.is_object()) return TypeErr(prefix.substr(0, prefix.size() - 1), "对象", "an object");
  const json::object& o = v.as_object();
  TH_RETURN_IF_ERROR(CheckKeys(o,
                               {"relation", "name", "id_number", "phone", "state", "state_since", "restriction_months",
                                "disability_type", "disability_grade", "illness", "work_city", "work_region_code",
                                "works_outside_hukou_county", "lives_with_child"},
                               prefix));
  service::MemberInput m;
  for (const auto& kv : o) {
    std::string k(kv.key());
    const char* key = k.c_str();
    Status s;
    std::string present = k;
    if (k == "relation") s = GetStr(o, key, prefix, &m.relation);
    else if (k == "name") s = GetStr(o, key, prefix, &m.name);
    else if (k == "id_number") s = GetStr(o, key, prefix, &m.id_number);
    else if (k == "phone") s = GetStr(o, key, prefix, &m.phone);
    else if (k == "state") s = GetStr(o, key, prefix, &m.state);
    else if (k == "state_since") s = GetStr(o, key, prefix, &m.state_since);
    else if (k == "restriction_months") s = GetInt(o, key, prefix, &m.restriction_months);
    else if (k == "disability_type") s = GetStr(o, key, prefix, &m.disability_type);
    else if (k == "disability_grade") s = GetInt(o, key, prefix, &m.disability_grade);
    else if (k == "illness") s = GetStr(o, key, prefix, &m.illness);
    else if (k == "work_city") s = GetStr(o, key, prefix, &m.work_city);
    else if (k == "work_region_code") s = GetStr(o, key, prefix, &m.work_region_code);
    else if (k == "works_outside_hukou_county") {
      s = GetStr(o, key, prefix, &m.works_outside);
      present = "works_outside";
    } else if (k == "lives_with_child") s = GetBool(o, key, prefix, &m.lives_with_child);
    TH_RETURN_IF_ERROR(s);
    m.present.insert(present);
  }
  return m;
}

Result<std::optional<service::GuardianInput>> ParseGuardian(const json::value& v) {
  if (v.is_null()) return std::optional<service::GuardianInput>();
  if (!v.is_object()) return TypeErr("guardian", "对象", "an object");
  const json::object& o = v.as_object();
  const std::string p = "guardian.";
  TH_RETURN_IF_ERROR(
      CheckKeys(o, {"name", "relation", "relation_note", "member_id", "phone", "id_number", "agreement_date"}, p));
  service::GuardianInput g;
  g.phone_present = o.contains("phone");
  g.id_number_present = o.contains("id_number");
  for (const auto& kv : o) {
    std::string k(kv.key());
    const char* key = k.c_str();
    Status s;
    if (k == "name") s = GetStr(o, key, p, &g.name);
    else if (k == "relation") s = GetStr(o, key, p, &g.relation);
    else if (k == "relation_note") s = GetStr(o, key, p, &g.relation_note);
    else if (k == "member_id") s = GetOptInt(o, key, p, &g.member_id);
    else if (k == "phone") s = GetStr(o, key, p, &g.phone);
    else if (k == "id_number") s = GetStr(o, key, p, &g.id_number);
    else if (k == "agreement_date") s = GetStr(o, key, p, &g.agreement_date);
    TH_RETURN_IF_ERROR(s);
  }
  return std::optional<service::GuardianInput>(g);
}

// Body::Parse checks the allow-list and the error shape; the object is then read with types.
Result<json::object> ParseObject(const http::Request& req, std::initializer_list<const char*> allowed) {
  TH_RETURN_IF_ERROR(Body::Parse(req, allowed).status());
  boost::system::error_code ec;
  json::value v = json::parse(req.body.empty() ? std::string_view("{}") : std::string_view(req.body), ec);
  return std::move(v.as_object());
}

Result<std::int64_t> Version(const json::object& o) {
  if (!o.contains("version") || o.at("version").is_null()) {
    return Status::Required("version");
  }
  std::int64_t v = 0;
  TH_RETURN_IF_ERROR(GetInt(o, "version", "", &v));
  return v;
}

// The optional change reason (变更原因) of an edit body; the service checks its length.
Result<std::string> Reason(const json::object& o) {
  std::string reason;
  if (o.contains("reason")) { TH_RETURN_IF_ERROR(GetStr(o, "reason", "", &reason)); }
  return reason;
}

}  // namespace

Result<service::ChildListParams> ChildListParamsFrom(const http::Request& req) {
  service::ChildListParams p;
  p.q = QueryStr(req, "q");
  TH_ASSIGN_OR_RETURN(p.org_unit_id, QueryInt(req, "org_unit_id", false));
  p.category = QueryStr(req, "category");
  p.flow_status = QueryStr(req, "flow_status");
  p.roll_status = QueryStr(req, "roll_status");
  p.school_stage = QueryStr(req, "school_stage");
  p.sex = QueryStr(req, "sex");
  p.risk_grade = QueryStr(req, "risk_grade");
  p.sort = QueryStr(req, "sort");
  TH_ASSIGN_OR_RETURN(p.age_min, QueryInt(req, "age_min", true));
  TH_ASSIGN_OR_RETURN(p.age_max, QueryInt(req, "age_max", true));
  return p;
}

// Long: a flat list of route registrations (children, family, guardian, categories, roll), one lambda each.
void RegisterChildRoutes(http::Router& r, service::Services& s, ChildService& child_service,
                         const ChildRouteHelpers& h) {
  // Built by the registry module from the configuration directory (the server stops at start
  // when a configuration file is missing or invalid); never read from the working directory.
  ChildService* cs = &child_service;
  RegisterChildImportRoutes(r, s, *cs, h);  // before /children/{id}: /children/export is not an id
  const Clock* clock = &s.deps().clock;
  auto A = h.authed;
  auto page_from = h.page_from;
  auto file = [cs, clock](const service::ChildFile& f) { return FileJson(f, *cs, clock->NowMillis()); };

  r.Add("GET", "/api/v1/categories", A([cs](http::Request&, const Principal&) -> Result<http::Response> {
          const auto& c = cs->categories();
          json::array items;
          for (const auto& d : c.categories) {
            items.push_back(json::object{{"code", d.code},
                                         {"name", d.name},
                                         {"kind", d.kind == domain::CategoryKind::kProtected ? "protected" : "monitored"},
                                         {"national_type", std::string(domain::CodeOf(d.national_type))},
                                         {"national_type_name", std::string(domain::ZhOf(d.national_type))},
                                         {"derivation", d.rule_derived() ? "rule" : "worker"},
                                         {"rule", std::string(domain::CodeOf(d.rule))},
                                         {"max_age", d.max_age},
                                         {"description", d.description}});
          }
          return JsonResponse(json::object{{"province", c.province},
                                           {"province_code", c.province_code},
                                           {"title", c.title},
                                           {"version", c.version},
                                           {"items", std::move(items)}});
        }));

  r.Add("GET", "/api/v1/children/duplicates", A([cs, clock](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto d, cs->Duplicates(who, QueryStr(req, "id_number"), QueryStr(req, "name"),
                                                     QueryStr(req, "birth_date"), QueryStr(req, "guardian_name")));
          json::array items;
          for (const auto& m : d.items) {
            json::object o = Summary(m.child, clock->NowMillis());
            o["match"] = m.match;
            items.push_back(std::move(o));
          }
          return JsonResponse(json::object{{"items", std::move(items)}, {"outside_jurisdiction", d.outside_jurisdiction}});
        }));

  r.Add("GET", "/api/v1/children", A([cs, clock, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          TH_ASSIGN_OR_RETURN(service::ChildListParams p, ChildListParamsFrom(req));
          std::int64_t total = 0;
          bool total_capped = false;
          TH_ASSIGN_OR_RETURN(auto rows, cs->List(who, p, page, &total, &total_capped));
          json::array items;
          for (const auto& c : rows) items.push_back(Summary(c, clock->NowMillis()));
          json::object out = Paged(std::move(items), total, page);
          out["total_capped"] = total_capped;
          return JsonResponse(out);
        }));

  r.Add("GET", "/api/v1/children/{id}", A([cs, file](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto f, cs->Get(who, id));
          return JsonResponse(file(f));
        }));

  r.Add("POST", "/api/v1/children", A([cs, file](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto o, ParseObject(req, {TH_CHILD_FIELDS, "sibling_of", "family", "guardian"}));
          service::NewChild n;
          TH_ASSIGN_OR_RETURN(n.child, ParseChild(o));
          if (o.contains("sibling_of")) {
            std::optional<std::int64_t> sib;
            TH_RETURN_IF_ERROR(GetOptInt(o, "sibling_of", "", &sib));
            n.sibling_of = sib;
          }
          if (o.contains("family") && !o.at("family").is_null()) {
            if (!o.at("family").is_array()) return TypeErr("family", "数组", "an array");
            int i = 0;
            for (const auto& m : o.at("family").as_array()) {
              TH_ASSIGN_OR_RETURN(auto mi, ParseMember(m, "family[" + std::to_string(i++) + "]."));
              n.family.push_back(std::move(mi));
            }
          }
          if (o.contains("guardian")) {
            TH_ASSIGN_OR_RETURN(n.guardian, ParseGuardian(o.at("guardian")));
          }
          TH_ASSIGN_OR_RETURN(auto f, cs->Create(who, n));
          return JsonResponse(file(f), 201);
        }));

  r.Add("PATCH", "/api/v1/children/{id}", A([cs, file](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto o, ParseObject(req, {TH_CHILD_FIELDS, "version", "reason"}));
          TH_ASSIGN_OR_RETURN(auto version, Version(o));
          TH_ASSIGN_OR_RETURN(auto reason, Reason(o));
          TH_ASSIGN_OR_RETURN(auto in, ParseChild(o));
          TH_ASSIGN_OR_RETURN(auto f, cs->Update(who, id, in, version, reason));
          return JsonResponse(file(f));
        }));

  r.Add("POST", "/api/v1/children/{id}/family", A([cs, file](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto o, ParseObject(req, {"member", "version", "reason"}));
          TH_ASSIGN_OR_RETURN(auto version, Version(o));
          TH_ASSIGN_OR_RETURN(auto reason, Reason(o));
          if (!o.contains("member")) return Status::Invalid("member", "required", "缺少 member", "member is required");
          TH_ASSIGN_OR_RETURN(auto m, ParseMember(o.at("member"), "member."));
          TH_ASSIGN_OR_RETURN(auto f, cs->AddMember(who, id, m, version, reason));
          return JsonResponse(file(f), 201);
        }));

  r.Add("PATCH", "/api/v1/children/{id}/family/{member_id}", A([cs, file](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto mid, ParseId(req.path_params["member_id"], "member_id"));
          TH_ASSIGN_OR_RETURN(auto o, ParseObject(req, {"member", "version", "reason"}));
          TH_ASSIGN_OR_RETURN(auto version, Version(o));
          TH_ASSIGN_OR_RETURN(auto reason, Reason(o));
          if (!o.contains("member")) return Status::Invalid("member", "required", "缺少 member", "member is required");
          TH_ASSIGN_OR_RETURN(auto m, ParseMember(o.at("member"), "member."));
          TH_ASSIGN_OR_RETURN(auto f, cs->UpdateMember(who, id, mid, m, version, reason));
          return JsonResponse(file(f));
        }));

  r.Add("DELETE", "/api/v1/children/{id}/family/{member_id}", A([cs, file](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto mid, ParseId(req.path_params["member_id"], "member_id"));
          TH_ASSIGN_OR_RETURN(auto version, QueryInt(req, "version", false));
          if (!version) return Status::Required("version");
          TH_ASSIGN_OR_RETURN(auto f, cs->RemoveMember(who, id, mid, *version, QueryStr(req, "reason")));
          return JsonResponse(file(f));
        }));

  r.Add("PUT", "/api/v1/children/{id}/guardian", A([cs, file](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto o, ParseObject(req, {"guardian", "version", "reason"}));
          TH_ASSIGN_OR_RETURN(auto version, Version(o));
          TH_ASSIGN_OR_RETURN(auto reason, Reason(o));
          std::optional<service::GuardianInput> g;
          if (o.contains("guardian")) {
            TH_ASSIGN_OR_RETURN(g, ParseGuardian(o.at("guardian")));
          }
          TH_ASSIGN_OR_RETURN(auto f, cs->SetGuardian(who, id, g, version, reason));
          return JsonResponse(file(f));
        }));

  r.Add("POST", "/api/v1/children/{id}/reveal", A([cs](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"target", "member_id", "ref_id", "field", "purpose"}));
          TH_ASSIGN_OR_RETURN(auto target, b.MaybeStr("target"));
          TH_ASSIGN_OR_RETURN(auto member_id, b.MaybeInt("member_id"));
          TH_ASSIGN_OR_RETURN(auto ref_id, b.MaybeInt("ref_id"));  // another module's record (AddRevealSource)
          if (!member_id) member_id = ref_id;
          TH_ASSIGN_OR_RETURN(auto field, b.Str("field"));
          TH_ASSIGN_OR_RETURN(auto purpose, b.MaybeStr("purpose"));
          TH_ASSIGN_OR_RETURN(auto value, cs->Reveal(who, id, target.value_or("child"), member_id, field,
                                                     purpose.value_or("")));
          return JsonResponse(json::object{{"value", value}});
        }));

  // The child's photo (照片). Under /api/v1/child-photos/ so the server's upload limit applies
  // (the service caps the image at 5 MiB); the image is served only here, never cached.
  auto photo_json = [](const ChildService::PhotoInfo& p) {
    return json::object{{"content_type", p.content_type},     {"size_bytes", p.size_bytes},
                        {"sha256", p.sha256},                 {"photo_version", p.photo_version},
                        {"updated_at", p.updated_at},         {"version", p.child_version}};
  };
  r.Add("GET", "/api/v1/child-photos/{id}", A([cs](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto img, cs->GetPhoto(who, id));
          http::Response resp;
          resp.content_type = img.content_type;
          resp.body = std::move(img.bytes);
          resp.AddHeader("Cache-Control", "private, no-store");
          resp.AddHeader("X-Photo-Version", std::to_string(img.photo_version));
          resp.AddHeader("Content-Disposition", "inline");
          return resp;
        }));
  r.Add("GET", "/api/v1/child-photos/{id}/info", A([cs, photo_json](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto p, cs->PhotoMeta(who, id));
          return JsonResponse(json::object{{"photo", p ? json::value(photo_json(*p)) : json::value(nullptr)}});
        }));
  r.Add("PUT", "/api/v1/child-photos/{id}", A([cs, photo_json](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto version, QueryInt(req, "version", false));
          if (!version) return Status::Required("version");
          TH_ASSIGN_OR_RETURN(auto p, cs->SetPhoto(who, id, req.body, *version, QueryStr(req, "reason")));
          return JsonResponse(photo_json(p));
        }));
  r.Add("DELETE", "/api/v1/child-photos/{id}", A([cs](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto version, QueryInt(req, "version", false));
          if (!version) return Status::Required("version");
          TH_ASSIGN_OR_RETURN(auto v, cs->RemovePhoto(who, id, *version, QueryStr(req, "reason")));
          return JsonResponse(json::object{{"photo", nullptr}, {"version", v}});
        }));

  r.Add("GET", "/api/v1/children/{id}/history", A([cs, page_from, &s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto rows, cs->History(who, id, page, &total));
          json::array items;
          // Ids in the changes (community, grid, responsible director) are named in `names`.
          std::map<std::string, std::vector<std::int64_t>> ids;
          auto collect = [&ids](const json::value& v) {
            if (!v.is_object()) return;
            for (const auto& kv : v.as_object()) {
              std::string_view k = kv.key();
              const char* kind = k == "community_id" || k == "grid_id" ? "org_unit"
                                 : k == "director_user_id"            ? "user"
                                                                      : nullptr;
              if (!kind || !kv.value().is_string()) continue;
              auto n = ParseId(std::string(kv.value().as_string()), "id");
              if (n.ok()) ids[kind].push_back(*n);
            }
          };
          for (const auto& e : rows) {
            auto parse = [](const std::string& t) -> json::value {
              if (t.empty()) return nullptr;
              boost::system::error_code ec;
              json::value v = json::parse(t, ec);
              return ec ? json::value(nullptr) : v;
            };
            json::value before = parse(e.before_json), after = parse(e.after_json);
            collect(before);
            collect(after);
            const auto an = service::AuditActionNameOf(e.action);
            items.push_back(json::object{{"id", e.seq},
                                         {"at", e.at},
                                         {"actor_id", OptInt(e.actor_id)},
                                         {"actor_name", e.actor_name},
                                         {"action", e.action},
                                         {"action_name", json::object{{"zh", an.zh}, {"en", an.en}}},
                                         {"purpose", e.purpose},
                                         {"before", std::move(before)},
                                         {"after", std::move(after)}});
          }
          TH_ASSIGN_OR_RETURN(auto names, s.audit().Names(ids));
          json::object names_json;
          for (const auto& [kind, m] : names.by_kind) {
            json::object o;
            for (const auto& [k, v] : m) o[std::to_string(k)] = v;
            names_json[kind] = std::move(o);
          }
          json::object out = Paged(std::move(items), total, page);
          out["names"] = std::move(names_json);
          return JsonResponse(out);
        }));

  r.Add("POST", "/api/v1/children/{id}/category-overrides", A([cs, file](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto o, ParseObject(req, {"category", "met", "reason", "version"}));
          TH_ASSIGN_OR_RETURN(auto version, Version(o));
          std::string category, reason;
          if (o.contains("category")) TH_RETURN_IF_ERROR(GetStr(o, "category", "", &category));
          if (o.contains("reason")) TH_RETURN_IF_ERROR(GetStr(o, "reason", "", &reason));
          std::optional<bool> met;
          if (o.contains("met") && !o.at("met").is_null()) {
            bool b = false;
            TH_RETURN_IF_ERROR(GetBool(o, "met", "", &b));
            met = b;
          }
          TH_ASSIGN_OR_RETURN(auto f, cs->SetOverride(who, id, category, met, reason, version));
          return JsonResponse(file(f));
        }));

  r.Add("POST", "/api/v1/children/{id}/roll-requests", A([cs](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"kind", "category", "reason", "evidence"}));
          TH_ASSIGN_OR_RETURN(auto kind, b.Str("kind"));
          TH_ASSIGN_OR_RETURN(auto category, b.MaybeStr("category"));
          TH_ASSIGN_OR_RETURN(auto reason, b.MaybeStr("reason"));
          TH_ASSIGN_OR_RETURN(auto evidence, b.MaybeStr("evidence"));
          TH_ASSIGN_OR_RETURN(auto v, cs->Propose(who, id, kind, category.value_or(""), reason.value_or(""),
                                                  evidence.value_or("")));
          return JsonResponse(RequestJson(v), 201);
        }));

  r.Add("GET", "/api/v1/roll-requests", A([cs, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto rows, cs->ListRequests(who, QueryStr(req, "queue"), QueryStr(req, "status"), page, &total));
          json::array items;
          for (const auto& v : rows) items.push_back(RequestJson(v));
          return JsonResponse(Paged(std::move(items), total, page));
        }));

  r.Add("GET", "/api/v1/roll-requests/{id}", A([cs](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, cs->GetRequest(who, id));
          return JsonResponse(RequestJson(v));
        }));

  for (const char* action : {"review", "confirm", "return"}) {
    std::string a = action;
    r.Add("POST", "/api/v1/roll-requests/{id}/" + a, A([cs, a](http::Request& req, const Principal& who) -> Result<http::Response> {
            TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
            TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"note", "version"}));
            TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
            TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
            TH_ASSIGN_OR_RETURN(auto v, cs->Decide(who, id, a, note.value_or(""), version));
            return JsonResponse(RequestJson(v));
          }));
  }
}

}  // namespace th::api
