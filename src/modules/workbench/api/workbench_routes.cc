#include "modules/workbench/api/workbench_routes.h"

#include <boost/json.hpp>

#include <memory>

#include "platform/api/json_io.h"
#include "modules/workbench/service/workbench_service.h"
#include "platform/api/time_json.h"
#include "platform/service/audit_service.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;

namespace {

json::object TodoJson(const workbench::Todo& t) {
  json::array counts;
  for (const auto& c : t.counts) {
    counts.push_back(json::object{{"kind", c.kind},
                                  {"kind_name", c.kind_name},
                                  {"count", c.count},
                                  {"overdue", c.overdue},
                                  {"due_today", c.due_today}});
  }
  return json::object{{"due_today", t.due_today}, {"overdue", t.overdue}, {"total", t.total},
                      {"counts", std::move(counts)}, {"source", t.source}};
}

json::object NumbersJson(const workbench::Numbers& n) {
  json::array cats, units;
  for (const auto& c : n.by_category) cats.push_back(json::object{{"code", c.code}, {"name", c.name}, {"count", c.count}});
  for (const auto& u : n.by_unit) {
    units.push_back(json::object{{"id", u.id ? json::value(*u.id) : json::value(nullptr)}, {"name", u.name}, {"count", u.count}});
  }
  return json::object{{"visible", n.visible},
                      {"children_total", n.children_total},
                      {"on_roll", n.on_roll},
                      {"entered_this_month", n.entered_this_month},
                      {"exited_this_month", n.exited_this_month},
                      {"open_tasks", n.open_tasks},
                      {"computed_at", n.computed_at ? json::value(IsoShanghai(n.computed_at)) : json::value(nullptr)},
                      {"by_category", std::move(cats)},
                      {"by_unit", std::move(units)}};
}

json::object WorkbenchJson(const workbench::Workbench& w) {
  json::array trend, recent;
  for (const auto& m : w.trend) {
    trend.push_back(json::object{{"month", m.month}, {"entered", m.entered}, {"exited", m.exited}, {"on_roll", m.on_roll}});
  }
  for (const auto& f : w.recent_files) {
    recent.push_back(json::object{{"child_id", f.child_id}, {"name", f.name}, {"unit_name", f.unit_name},
                                  {"viewed_at", IsoShanghai(f.viewed_at)}});
  }
  return json::object{{"unit", json::object{{"id", w.unit_id}, {"name", w.unit_name}, {"level", w.unit_level}}},
                      {"todo", TodoJson(w.todo)},
                      {"numbers", NumbersJson(w.numbers)},
                      {"trend", std::move(trend)},
                      {"recent_files", std::move(recent)}};
}

}  // namespace

void RegisterWorkbenchRoutes(http::Router& r, std::shared_ptr<workbench::WorkbenchService> svc,
                             const RouteContext& h) {
  r.Add("GET", "/api/v1/workbench", h.authed([svc](http::Request&, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto w, svc->Get(who));
          return JsonResponse(WorkbenchJson(w));
        }));
}

}  // namespace th::api
