#include "modules/warnings/api/warnings_routes.h"

#include <boost/json.hpp>

#include "modules/warnings/permissions.h"
#include "modules/warnings/service/warning_service.h"
#include "platform/api/json_io.h"
#include "platform/api/time_json.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;
using service::WarningService;

namespace {

json::value TimeOrNull(const std::optional<std::int64_t>& t) {
  if (!t) return nullptr;
  return json::value(IsoShanghai(*t));
}

json::object WarningJson(const repo::WarningRecord& w, const domain::WarningConfig& cfg) {
  const domain::WarningRule* rule = cfg.Find(w.rule_code);
  return json::object{{"id", w.id},
                      {"rule", w.rule_code},
                      {"rule_name", rule ? rule->name : w.rule_code},
                      {"rule_name_en", rule ? rule->name_en : w.rule_code},
                      {"severity", w.severity},
                      {"child_id", w.child_id},
                      {"child_name", w.child_name},
                      {"street_id", w.street_id},
                      {"community_id", w.community_id},
                      {"unit_path", w.unit_path},
                      {"status", w.status},
                      {"open", w.is_open},
                      {"reason", w.reason},
                      {"raised_at", IsoShanghai(w.raised_at)},
                      {"raised_by", json::object{{"id", OptInt(w.raised_by)}, {"name", w.raised_by_name}}},
                      {"closed_at", TimeOrNull(w.closed_at)},
                      {"closed_by", json::object{{"id", OptInt(w.closed_by)}, {"name", w.closed_by_name}}},
                      {"close_note", w.close_note},
                      {"version", w.version}};
}

json::object RuleJson(const domain::WarningRule& r) {
  json::object o{{"code", r.code},
                 {"name", r.name},
                 {"name_en", r.name_en},
                 {"kind", domain::WarningKindCode(r.kind)},
                 {"severity", r.severity},
                 {"owner", json::object{{"level", r.owner_level}, {"role", r.owner_role}}},
                 {"auto_close", r.auto_close},
                 {"reason", r.reason}};
  json::object params;
  auto list = [](const std::vector<std::string>& v) {
    json::array a;
    for (const auto& s : v) a.push_back(json::value(s));
    return a;
  };
  if (!r.relations.empty()) params["relations"] = list(r.relations);
  if (!r.states.empty()) params["states"] = list(r.states);
  if (!r.grades.empty()) params["grades"] = list(r.grades);
  if (!r.school_stages.empty()) params["school_stages"] = list(r.school_stages);
  if (!r.finding_rules.empty()) params["finding_rules"] = list(r.finding_rules);
  if (!r.work_kinds.empty()) params["work_kinds"] = list(r.work_kinds);
  if (r.days) params["days"] = r.days;
  if (r.months) params["months"] = r.months;
  if (r.min_reports) params["min_reports"] = r.min_reports;
  o["params"] = std::move(params);
  return o;
}

Result<service::WarningListParams> ListParamsFrom(const http::Request& req) {
  service::WarningListParams p;
  p.rule_code = QueryStr(req, "rule");
  p.status = QueryStr(req, "status");
  TH_ASSIGN_OR_RETURN(p.street_id, QueryInt(req, "street_id", false));
  TH_ASSIGN_OR_RETURN(p.community_id, QueryInt(req, "community_id", false));
  TH_ASSIGN_OR_RETURN(p.child_id, QueryInt(req, "child_id", false));
  return p;
}

}  // namespace

// Long: a flat list of route registrations, one lambda each.
void RegisterWarningsRoutes(http::Router& r, WarningService& svc_ref, const RouteContext& ctx) {
  WarningService* svc = &svc_ref;
  auto A = ctx.authed;
  auto page_from = ctx.page_from;
  r.Add("GET", "/api/v1/warnings/rules", A([svc](http::Request&, const Principal& who) -> Result<http::Response> {
          if (!who.Can(perm::kWarningRead)) return Status::Forbidden();
          json::array rules;
          for (const auto& rule : svc->config().rules) rules.push_back(RuleJson(rule));
          return JsonResponse(json::object{{"version", svc->config().version}, {"rules", std::move(rules)}});
        }));
  r.Add("GET", "/api/v1/warnings/counts", A([svc](http::Request&, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto counts, svc->OpenByRule(who));
          json::array items;
          std::int64_t total = 0;
          for (const auto& c : counts) {
            const domain::WarningRule* rule = svc->config().Find(c.rule_code);
            items.push_back(json::object{{"rule", c.rule_code},
                                         {"rule_name", rule ? rule->name : c.rule_code},
                                         {"rule_name_en", rule ? rule->name_en : c.rule_code},
                                         {"severity", rule ? rule->severity : "medium"},
                                         {"open", c.open}});
            total += c.open;
          }
          return JsonResponse(json::object{{"open", total}, {"by_rule", std::move(items)}});
        }));
  r.Add("GET", "/api/v1/warnings", A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          TH_ASSIGN_OR_RETURN(auto p, ListParamsFrom(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto rows, svc->List(who, p, page, &total));
          json::array items;
          for (const auto& w : rows) items.push_back(WarningJson(w, svc->config()));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  r.Add("GET", "/api/v1/warnings/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto w, svc->Get(who, id));
          return JsonResponse(WarningJson(w, svc->config()));
        }));
  r.Add("POST", "/api/v1/warnings/{id}/handle", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"outcome", "note", "version"}));
          TH_ASSIGN_OR_RETURN(auto outcome, b.Str("outcome"));
          TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto w, svc->Handle(who, id, outcome, note.value_or(""), version));
          return JsonResponse(WarningJson(w, svc->config()));
        }));
  r.Add("POST", "/api/v1/children/{id}/warnings", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"rule", "reason"}));
          TH_ASSIGN_OR_RETURN(auto rule, b.MaybeStr("rule"));
          TH_ASSIGN_OR_RETURN(auto reason, b.MaybeStr("reason"));
          bool created = false;
          TH_ASSIGN_OR_RETURN(auto w, svc->RaiseManual(who, id, rule.value_or(""), reason.value_or(""), &created));
          json::object out = WarningJson(w, svc->config());
          out["created"] = created;
          return JsonResponse(out, created ? 201 : 200);
        }));
}

}  // namespace th::api
