#include "modules/screening/api/screening_routes.h"

#include <boost/json.hpp>
#include <fstream>
#include <map>
#include <sstream>

#include "modules/registry/api/child_import_routes.h"
#include "platform/api/json_io.h"
#include "domain/date.h"
#include "platform/service/audit_service.h"
#include "modules/registry/service/child_service.h"
#include "modules/screening/service/screening_service.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;
using service::ScreeningService;

namespace {


json::value DateJson(std::int32_t yyyymmdd) {
  if (yyyymmdd == 0) return nullptr;
  auto d = domain::DateFromYyyymmdd(yyyymmdd);
  return d.ok() ? json::value(d->ToString()) : json::value(nullptr);
}

json::object MappingJson(const service::ImportMapping& m) {
  json::object o;
  for (const auto& [k, v] : m) o[k] = v;
  return o;
}

json::object SourceJson(const repo::DataSourceRecord& s) {
  auto m = service::ParseMappingJson(s.mapping_json);
  return json::object{{"id", s.id},
                      {"name", s.name},
                      {"dept_type", s.dept_type},
                      {"mapping", m.ok() ? MappingJson(*m) : json::object()},
                      {"org_unit_id", s.org_unit_id},
                      {"created_at", s.created_at},
                      {"version", s.version}};
}

json::object BatchJson(const service::BatchView& v) {
  const auto& b = v.batch;
  const auto& c = v.counts;
  json::object by_rule;
  for (const auto& [k, n] : c.findings_by_rule) by_rule[k] = n;
  return json::object{
      {"id", b.id},
      {"source", json::object{{"id", b.source_id}, {"name", b.source_name}, {"dept_type", b.source_dept_type}}},
      {"file_name", b.file_name},
      {"org_unit", json::object{{"id", b.org_unit_id}, {"name", b.org_unit_name}}},
      {"uploaded_by", json::object{{"id", b.uploaded_by}, {"display_name", b.uploaded_by_name}}},
      {"status", b.status},
      {"stage", b.stage},
      {"processed", b.processed},
      {"total", b.total},
      {"attempts", b.attempts},
      {"complete_roster", b.complete_roster},
      {"reference_date", DateJson(b.reference_date)},
      {"error", b.error},
      {"created_at", b.created_at},
      {"finished_at", OptInt(b.finished_at)},
      {"stats", json::object{{"records", b.records},
                             {"matched", b.matched},
                             {"review", b.review},
                             {"unmatched", b.unmatched},
                             {"findings", c.findings},
                             {"findings_by_rule", std::move(by_rule)},
                             {"pending", c.open},
                             {"confirmed", c.confirmed},
                             {"rejected", c.rejected},
                             {"not_found", c.not_found},
                             {"added", c.added},
                             {"exited", c.exited},
                             {"overdue", c.overdue}}}};
}

json::object CountsJson(std::int64_t records, std::int64_t matched, const repo::BatchCounts& c) {
  json::object by_rule;
  for (const auto& [k, n] : c.findings_by_rule) by_rule[k] = n;
  return json::object{{"records", records},      {"matched", matched},     {"findings", c.findings},
                      {"findings_by_rule", std::move(by_rule)},           {"pending", c.open},
                      {"confirmed", c.confirmed}, {"rejected", c.rejected}, {"not_found", c.not_found},
                      {"added", c.added},          {"exited", c.exited},     {"overdue", c.overdue}};
}

json::object UnitStatsJson(const service::UnitStatsView& v, const service::ScreeningRules& rules) {
  auto unit = [](const repo::OrgUnit& u) {
    return json::object{{"id", u.id}, {"name", u.name}, {"code", u.code}, {"level", u.level},
                        {"parent_id", u.parent_id ? json::value(*u.parent_id) : json::value(nullptr)}};
  };
  json::array rows;
  for (const auto& r : v.rows) {
    json::object o{{"unit", r.unit ? json::value(unit(*r.unit)) : json::value(nullptr)}};
    o["stats"] = CountsJson(r.records, r.matched, r.counts);
    rows.push_back(std::move(o));
  }
  json::array rule_list;
  for (const auto& r : rules.rules) {
    rule_list.push_back(json::object{{"id", r.id}, {"name", r.name}, {"name_en", r.name_en}});
  }
  return json::object{{"unit", unit(v.unit)},
                      {"rows", std::move(rows)},
                      {"totals", CountsJson(v.totals.records, v.totals.matched, v.totals.counts)},
                      {"rules", std::move(rule_list)}};
}

json::object FindingJson(const service::FindingView& v) {
  const auto& f = v.finding;
  const auto& r = v.record;
  json::value child = nullptr;
  if (v.child) {
    auto d = domain::DateFromYyyymmdd(v.child->birth_date);
    child = json::object{{"id", v.child->id},
                         {"name", v.child->name},
                         {"birth_date", d.ok() ? json::value(d->ToString()) : json::value(nullptr)},
                         {"roll_status", v.child->roll_status},
                         {"version", v.child->version}};
  }
  json::array changes;
  for (const auto& c : v.file_changes) {
    changes.push_back(json::object{{"field", c.field},
                                   {"label", c.label},
                                   {"label_en", c.label_en},
                                   {"file_value", c.file_value},
                                   {"department_value", c.department_value},
                                   {"file_text", c.file_text},
                                   {"department_text", c.department_text}});
  }
  json::value community = nullptr;
  if (f.community_id) community = json::object{{"id", *f.community_id}, {"name", f.community_name}};
  return json::object{
      {"id", f.id},
      {"batch_id", f.batch_id},
      {"rule_id", f.rule_id},
      {"rule_name", v.rule ? v.rule->name : f.rule_id},
      {"rule_name_en", v.rule ? v.rule->name_en : f.rule_id},
      {"reason", f.reason},
      {"record", json::object{{"origin", r.origin},
                              {"line", r.line},
                              {"name", r.name},
                              {"sex", r.sex},
                              {"birth_date", r.birth_date},
                              {"id_number_masked", r.id_masked},
                              {"residence_address", r.residence_address},
                              {"hukou_address", r.hukou_address},
                              {"school_name", r.school_name},
                              {"disability_type", r.disability_type},
                              {"disability_grade", r.disability_grade},
                              {"assistance", r.assistance},
                              {"father_state", r.father_state},
                              {"mother_state", r.mother_state}}},
      {"child", std::move(child)},
      {"file_changes", std::move(changes)},
      {"confirm_action", v.rule ? v.rule->action : std::string()},
      {"match", json::object{{"band", r.band}, {"probability", r.probability}, {"explanation", r.explanation}}},
      {"community", std::move(community)},
      {"status", f.status},
      {"task_id", OptInt(f.task_id)}};
}

// The "file" member of an outcome body: {"field": "code" | integer}, absent or null = none.
Result<std::map<std::string, std::string>> FileValues(const http::Request& req) {
  std::map<std::string, std::string> out;
  boost::system::error_code ec;
  json::value v = json::parse(req.body, ec);
  if (ec || !v.is_object()) return out;  // Body::Parse has already reported it
  const json::value* f = v.as_object().if_contains("file");
  if (!f || f->is_null()) return out;
  if (!f->is_object()) return Status::Invalid("file", "invalid_type", "file 应为对象", "file must be an object");
  for (const auto& kv : f->as_object()) {
    const std::string key(kv.key());
    if (kv.value().is_string()) out[key] = std::string(kv.value().as_string());
    else if (kv.value().is_int64()) out[key] = std::to_string(kv.value().as_int64());
    else return Status::Invalid("file." + key, "invalid_type", "取值应为文本或整数", "Expected a string or an integer");
  }
  return out;
}

json::object TaskJson(const service::TaskView& v) {
  const auto& t = v.task;
  json::value community = nullptr;
  if (t.community_id) community = json::object{{"id", *t.community_id}, {"name", t.community_name}};
  json::value decided_by = nullptr;
  if (t.decided_by) decided_by = json::object{{"id", *t.decided_by}, {"display_name", t.decided_by_name}};
  return json::object{{"id", t.id},
                      {"finding", FindingJson(v.finding)},
                      {"community", std::move(community)},
                      {"due_date", DateJson(t.due_date)},
                      {"overdue", v.overdue},
                      {"outcome", t.outcome.empty() ? json::value(nullptr) : json::value(t.outcome)},
                      {"note", t.note},
                      {"decided_by", std::move(decided_by)},
                      {"decided_at", OptInt(t.decided_at)},
                      {"roll_request_id", OptInt(t.roll_request_id)},
                      {"version", t.version}};
}

json::object SuggestedJson(const service::SuggestedChild& s) {
  return json::object{{"name", s.name},
                      {"sex", s.sex},
                      {"birth_date", s.birth_date},
                      {"id_number_masked", s.id_number_masked},
                      {"community_id", OptInt(s.community_id)},
                      {"residence_address", s.residence_address},
                      {"hukou_address", s.hukou_address},
                      {"hukou_region_code", s.hukou_region_code},
                      {"school_name", s.school_name},
                      {"flow_status", s.flow_status},
                      {"father_name", s.father_name},
                      {"mother_name", s.mother_name},
                      {"guardian_name", s.guardian_name},
                      {"category", s.category}};
}


}  // namespace

// Long: a flat list of route registrations (sources, batches, findings, tasks, stats), one lambda each.
void RegisterScreeningRoutes(http::Router& r, ScreeningService& screening, const ChildRouteHelpers& h) {
  // Built with the registry from the configuration directory (src/app/modules.cc), which stops
  // the server at start when the rules file is missing or invalid.
  ScreeningService* svc = &screening;
  auto A = h.authed;
  auto page_from = h.page_from;

  r.Add("POST", "/api/v1/screening/sources", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"name", "dept_type", "mapping"}));
          service::DataSourceInput in;
          TH_ASSIGN_OR_RETURN(in.name, b.Str("name"));
          TH_ASSIGN_OR_RETURN(auto dept, b.MaybeStr("dept_type"));
          in.dept_type = dept.value_or("");
          if (b.Has("mapping")) { TH_ASSIGN_OR_RETURN(in.mapping, ParseMapping(b.Json("mapping"))); }
          TH_ASSIGN_OR_RETURN(auto src, svc->CreateSource(who, in));
          return JsonResponse(SourceJson(src), 201);
        }));

  r.Add("GET", "/api/v1/screening/sources", A([svc](http::Request&, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto list, svc->ListSources(who));
          json::array items;
          for (const auto& x : list) items.push_back(SourceJson(x));
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));

  r.Add("POST", "/api/v1/screening/batches", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          service::BatchUploadOptions o;
          auto sid = req.Query("source_id");
          if (!sid || sid->empty()) {
            return Status::Invalid("source_id", "required", "请选择数据源", "source_id is required");
          }
          TH_ASSIGN_OR_RETURN(o.source_id, ParseId(*sid, "source_id"));
          TH_ASSIGN_OR_RETURN(auto up, ReadUpload(req));
          o.file_name = up.file_name;
          o.sheet = up.sheet.empty() ? QueryStr(req, "sheet") : up.sheet;
          TH_ASSIGN_OR_RETURN(o.mapping, ParseMapping(up.mapping_json.empty() ? QueryStr(req, "mapping") : up.mapping_json));
          std::string complete = QueryStr(req, "complete_roster");
          if (complete != "" && complete != "0" && complete != "1" && complete != "true" && complete != "false") {
            return Status::Invalid("complete_roster", "invalid_bool", "complete_roster 应为 true 或 false",
                                   "complete_roster must be true or false");
          }
          o.complete_roster = complete == "1" || complete == "true";
          TH_ASSIGN_OR_RETURN(auto b, svc->Upload(who, up.bytes, o));
          // Accepted: the batch is queued; GET /screening/batches/{id} shows its progress.
          return JsonResponse(BatchJson(b), 202);
        }));

  r.Add("GET", "/api/v1/screening/batches",
        A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->ListBatches(who, page, &total));
          json::array items;
          for (const auto& x : list) items.push_back(BatchJson(x));
          return JsonResponse(Paged(std::move(items), total, page));
        }));

  r.Add("GET", "/api/v1/screening/stats/units", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          std::optional<std::int64_t> unit_id, batch_id;
          if (auto u = req.Query("unit_id"); u && !u->empty()) {
            TH_ASSIGN_OR_RETURN(unit_id, ParseId(*u, "unit_id"));
          }
          if (auto b = req.Query("batch_id"); b && !b->empty()) {
            TH_ASSIGN_OR_RETURN(batch_id, ParseId(*b, "batch_id"));
          }
          TH_ASSIGN_OR_RETURN(auto v, svc->UnitStats(who, unit_id, batch_id));
          return JsonResponse(UnitStatsJson(v, svc->rules()));
        }));

  r.Add("GET", "/api/v1/screening/batches/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, svc->GetBatch(who, id));
          return JsonResponse(BatchJson(b));
        }));

  r.Add("GET", "/api/v1/screening/batches/{id}/findings",
        A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list,
                              svc->ListFindings(who, id, QueryStr(req, "rule_id"), QueryStr(req, "status"), page, &total));
          json::array items;
          for (const auto& x : list) items.push_back(FindingJson(x));
          return JsonResponse(Paged(std::move(items), total, page));
        }));

  r.Add("GET", "/api/v1/screening/tasks",
        A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list,
                              svc->ListTasks(who, QueryStr(req, "queue"), QueryStr(req, "status"), page, &total));
          json::array items;
          for (const auto& x : list) items.push_back(TaskJson(x));
          return JsonResponse(Paged(std::move(items), total, page));
        }));

  r.Add("GET", "/api/v1/screening/tasks/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto t, svc->GetTask(who, id));
          return JsonResponse(TaskJson(t));
        }));

  r.Add("POST", "/api/v1/screening/tasks/{id}/outcome",
        A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b,
                              Body::Parse(req, {"outcome", "note", "version", "file", "child_version", "child_id"}));
          TH_ASSIGN_OR_RETURN(auto outcome, b.Str("outcome"));
          TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          service::OutcomeFile file;
          TH_ASSIGN_OR_RETURN(file.child_version, b.MaybeInt("child_version"));
          TH_ASSIGN_OR_RETURN(file.child_id, b.MaybeInt("child_id"));
          TH_ASSIGN_OR_RETURN(file.values, FileValues(req));
          TH_ASSIGN_OR_RETURN(auto res, svc->RecordOutcome(who, id, outcome, note.value_or(""), version, file));
          return JsonResponse(json::object{
              {"task", TaskJson(res.task)},
              {"roll_request", res.roll_request ? json::value(RequestJson(*res.roll_request)) : json::value(nullptr)},
              {"suggested_child",
               res.suggested_child ? json::value(SuggestedJson(*res.suggested_child)) : json::value(nullptr)}});
        }));
}

}  // namespace th::api
