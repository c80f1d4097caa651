// GET /api/v1/case-stats?from=&to= (JSON) and GET /api/v1/case-stats.xlsx?from=&to= (the workbook);
// `to` is the last day included (as dispatch's statistics).
#include <boost/json.hpp>

#include "modules/casestats/api/casestats_module.h"
#include "platform/api/json_io.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;

namespace {

json::object VisitJson(const domain::VisitCounts& v) {
  return json::object{{"due", v.due}, {"done", v.done}, {"on_time", v.on_time}, {"overdue_now", v.overdue_now}};
}

json::value Rate(std::int64_t n, std::int64_t d) { return d ? json::value(double(n) / double(d)) : json::value(nullptr); }

// Long: one flat object of the row's counts.
json::object RowJson(const domain::CaseStatsRow& r) {
  json::object by_grade, visits_by_grade;
  for (const auto& [g, n] : r.open_by_grade) by_grade[g] = n;
  for (const auto& [g, v] : r.visits_by_grade) visits_by_grade[g] = VisitJson(v);
  json::object o{{"key", r.key},
                 {"unit_id", r.unit_id ? json::value(r.unit_id) : json::value(nullptr)},
                 {"name", r.name},
                 {"open_now", r.open_now},
                 {"open_by_grade", std::move(by_grade)},
                 {"opened", r.opened},
                 {"closed", r.closed},
                 {"assessments_done", r.assessments_done},
                 {"assessments_due", r.assessments_due},
                 {"assessments_on_time", r.assessments_on_time},
                 {"assessments_on_time_rate", Rate(r.assessments_on_time, r.assessments_due)},
                 {"assessments_open_now", r.assessments_open_now},
                 {"assessments_overdue_now", r.assessments_overdue_now},
                 {"plans_approved", r.plans_approved},
                 {"plans_in_force", r.plans_in_force},
                 {"groups_active", r.groups_active},
                 {"service_records", r.service_records},
                 {"group_sessions", r.group_sessions},
                 {"visits", VisitJson(r.visits)},
                 {"visits_by_grade", std::move(visits_by_grade)},
                 {"conferences_held", r.conferences_held},
                 {"decisions_made", r.decisions_made},
                 {"decisions_done", r.decisions_done},
                 {"decisions_overdue_now", r.decisions_overdue_now}};
  if (r.guardianship) {
    o["guardianship"] = json::object{{"temporary_now", r.guardianship->temporary_now},
                                     {"returned", r.guardianship->returned},
                                     {"long_term_now", r.guardianship->long_term_now}};
  }
  return o;
}

Status PeriodFrom(const http::Request& req, domain::Date* from, domain::Date* to) {
  const std::string f = QueryStr(req, "from"), t = QueryStr(req, "to");
  if (f.empty()) return Status::Required("from");
  if (t.empty()) return Status::Required("to");
  TH_ASSIGN_OR_RETURN(*from, domain::ParseDate(f, "from"));
  TH_ASSIGN_OR_RETURN(auto last, domain::ParseDate(t, "to"));
  *to = last.AddDays(1);  // `to` is the last day included
  return Status::Ok();
}

}  // namespace

void RegisterCaseStatsRoutes(http::Router& r, service::CaseStatsService& svc_ref, const RouteContext& ctx) {
  service::CaseStatsService* svc = &svc_ref;
  auto A = ctx.authed;
  r.Add("GET", "/api/v1/case-stats", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          domain::Date from, to;
          TH_RETURN_IF_ERROR(PeriodFrom(req, &from, &to));
          TH_ASSIGN_OR_RETURN(auto v, svc->Stats(who, from, to));
          const bool en = WantsEnglish(req);
          json::array grades, rows;
          for (const auto& g : v.grades) {
            grades.push_back(json::object{{"code", g.code}, {"name", en ? g.name_en : g.name}, {"color", g.color}});
          }
          for (const auto& row : v.rows) {
            json::object o = RowJson(row);
            if (en && row.key == "other" && row.unit_id == 0 && row.name == "其他") o["name"] = "Other";
            rows.push_back(std::move(o));
          }
          json::object total = RowJson(v.total);
          total["name"] = en ? "Total" : "合计";
          return JsonResponse(json::object{{"from", v.from.ToString()},
                                           {"to", v.to.AddDays(-1).ToString()},
                                           {"unit", json::object{{"name", v.unit_name}, {"level", v.unit_level}}},
                                           {"grades", std::move(grades)},
                                           {"has_guardianship", v.has_guardianship},
                                           {"rows", std::move(rows)},
                                           {"total", std::move(total)}});
        }));
  r.Add("GET", "/api/v1/case-stats.xlsx", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          domain::Date from, to;
          TH_RETURN_IF_ERROR(PeriodFrom(req, &from, &to));
          TH_ASSIGN_OR_RETURN(auto bytes, svc->StatsXlsx(who, from, to, WantsEnglish(req)));
          http::Response resp;
          resp.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
          resp.body = std::move(bytes);
          resp.AddHeader("Content-Disposition", "attachment; filename=\"case_stats_" + from.ToString() + ".xlsx\"");
          resp.AddHeader("Cache-Control", "no-store");
          resp.AddHeader("X-Content-Type-Options", "nosniff");
          return resp;
        }));
}

}  // namespace th::api
