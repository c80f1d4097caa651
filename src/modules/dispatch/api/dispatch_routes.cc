#include "modules/dispatch/api/dispatch_routes.h"

#include <boost/json.hpp>

#include "domain/date.h"
#include "modules/dispatch/service/dispatch_service.h"
#include "modules/dispatch/service/dispatch_workflow.h"
#include "platform/api/json_io.h"
#include "platform/api/time_json.h"
#include "platform/api/upload.h"

namespace th::api {

namespace json = boost::json;
using service::DispatchService;
using service::OrderAccess;
using service::OrderView;
using service::Principal;

namespace {

json::value Time(const std::optional<std::int64_t>& ms) {
  return ms && *ms < repo::kNoDeadline ? json::value(IsoShanghai(*ms)) : json::value(nullptr);
}

json::value OptBool(const std::optional<std::int64_t>& v) { return v ? json::value(*v != 0) : json::value(nullptr); }

const char* AccessName(OrderAccess a) {
  switch (a) {
    case OrderAccess::kCenter: return "center";
    case OrderAccess::kReceiver: return "receiver";
    case OrderAccess::kLeadReceiver: return "lead_receiver";
    case OrderAccess::kReader: return "reader";
    default: return "none";
  }
}

json::object ReportJson(const service::ReportFacts& r) {
  // What the order needs of the report; never the reporter (ReportFacts has none).
  return json::object{{"id", r.id},
                      {"status", r.status},
                      {"urgency", r.urgency},
                      {"category", r.category},
                      {"channel", r.channel},
                      {"sensitive", r.sensitive},
                      {"summary", r.summary},
                      {"place", r.place},
                      {"child_id", OptInt(r.child_id)},
                      {"unit_path", r.unit_path}};
}

json::object OrderJson(const OrderView& v, bool en) {
  const auto& o = v.order;
  json::array actions;
  for (const auto& a : v.actions) actions.push_back(json::value(a));
  json::object j{
      {"id", o.id},
      {"report_id", o.report_id},
      {"role", o.lead ? "lead" : "co"},
      {"lead_order_id", OptInt(o.lead_order_id)},
      {"target", json::object{{"kind", o.target_kind},
                              {"agency_id", OptInt(o.agency_id)},
                              {"unit_id", o.unit_id},
                              {"name", o.target_name},
                              {"role", o.receiver_role}}},
      {"instructions", o.instructions},
      {"designated", o.designated},
      {"status", o.status},
      {"status_name", service::DispatchStatusName(v.flow_state, en)},
      {"flow_state", v.flow_state},
      {"extension_pending", o.extension_pending},
      {"extension_due_at", Time(o.extension_due_at)},
      {"round", o.round},
      {"category", o.category},
      {"urgency", o.urgency},
      {"channel", o.channel},
      {"child_id", OptInt(o.child_id)},
      {"dispatched_at", IsoShanghai(o.dispatched_at)},
      {"accept_due_at", Time(o.accept_due_at)},
      {"accepted_at", Time(o.accepted_at)},
      {"accepted_on_time", o.accepted_late ? json::value(*o.accepted_late == 0) : json::value(nullptr)},
      {"handle_due_at", Time(o.handle_due_at)},
      {"feedback_at", Time(o.feedback_at)},
      {"handled_on_time", o.handled_late ? json::value(*o.handled_late == 0) : json::value(nullptr)},
      {"revisit_due_at", Time(o.revisit_due_at)},
      {"revisited_at", Time(o.revisited_at)},
      {"satisfied", OptBool(o.satisfied)},
      {"closed_at", Time(o.closed_at)},
      {"returned", o.returned},
      {"extensions", o.extensions},
      {"redos", o.redos},
      {"due_at", Time(o.next_due_at)},
      {"overdue", v.overdue},
      {"access", AccessName(v.access)},
      {"actions", std::move(actions)},
      {"version", o.version}};
  if (v.report) j["report"] = ReportJson(*v.report);
  if (!v.attachments.empty() || v.report) {
    json::array atts;
    for (const auto& a : v.attachments) atts.push_back(StoredFileJson(a, "order_id"));
    j["attachments"] = std::move(atts);
  }
  return j;
}

json::object StepJson(const service::TimelineEntry& e, bool en) {
  const auto& s = e.step;
  json::array atts;
  std::size_t at = 0;
  while (at < s.attachment_ids.size()) {
    std::size_t end = s.attachment_ids.find(',', at);
    if (end == std::string::npos) end = s.attachment_ids.size();
    atts.push_back(std::stoll(s.attachment_ids.substr(at, end - at)));
    at = end + 1;
  }
  return json::object{{"id", s.id},
                      {"order_id", s.order_id},
                      {"target_name", e.target_name},
                      {"role", e.lead ? "lead" : "co"},
                      {"action", s.action},
                      {"action_name", service::DispatchActionName(s.action, en)},
                      {"from", s.from_state},
                      {"to", s.to_state},
                      {"by", json::object{{"id", OptInt(s.by_user_id)}, {"name", s.by_name}, {"unit", s.by_unit}}},
                      {"at", IsoShanghai(s.at)},
                      {"note", s.note},
                      {"due_at", Time(s.due_at)},
                      {"met", OptBool(s.met)},
                      {"new_due_at", Time(s.new_due_at)},
                      {"reached", s.reached ? json::value(*s.reached) : json::value(nullptr)},
                      {"satisfied", OptBool(s.satisfied)},
                      {"attachment_ids", std::move(atts)}};
}

json::object StatsRowJson(const repo::DispatchStatsRow& r) {
  auto rate = [](std::int64_t n, std::int64_t d) { return d ? json::value(double(n) / double(d)) : json::value(nullptr); };
  return json::object{{"key", r.key},
                      {"name", r.name},
                      {"received", r.received},
                      {"accepted", r.accepted},
                      {"accepted_on_time", r.accepted_on_time},
                      {"accept_due", r.accept_due},
                      {"on_time_accept_rate", rate(r.accepted_on_time, r.accept_due)},
                      {"fed_back", r.fed_back},
                      {"handled_on_time", r.handled_on_time},
                      {"handle_due", r.handle_due},
                      {"on_time_handle_rate", rate(r.handled_on_time, r.handle_due)},
                      {"returned", r.returned},
                      {"return_rate", rate(r.returned, r.received)},
                      {"extensions", r.extensions},
                      {"revisited", r.revisited},
                      {"satisfied", r.satisfied},
                      {"satisfaction_rate", rate(r.satisfied, r.revisited)},
                      {"overdue_now", r.overdue_now}};
}

}  // namespace

// Parsers of the request bodies and query strings (dispatch_routes_parse.cc).
Result<service::DispatchInput> DispatchInputFrom(const http::Request& req);
Result<service::OrderActionInput> ActionInputFrom(const http::Request& req);
Result<service::DispatchListParams> ListParamsFrom(const http::Request& req);
Status StatsQueryFrom(const http::Request& req, domain::Date* from, domain::Date* to, std::string* by);
http::Response XlsxDownload(std::string bytes, const std::string& name);

// Long: a flat list of route registrations, one lambda each.
void RegisterDispatchRoutes(http::Router& r, DispatchService& svc_ref, const RouteContext& ctx) {
  DispatchService* svc = &svc_ref;
  auto A = ctx.authed;
  auto page_from = ctx.page_from;

  r.Add("POST", "/api/v1/reports/{id}/dispatch", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto in, DispatchInputFrom(req));
          TH_ASSIGN_OR_RETURN(auto orders, svc->Dispatch(who, id, in));
          json::array items;
          for (const auto& o : orders) items.push_back(OrderJson(o, WantsEnglish(req)));
          return JsonResponse(json::object{{"items", std::move(items)}}, 201);
        }));
  r.Add("GET", "/api/v1/reports/{id}/timeline", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto t, svc->Timeline(who, id));
          const bool en = WantsEnglish(req);
          json::array orders, steps;
          for (const auto& o : t.orders) orders.push_back(OrderJson(o, en));
          for (const auto& s : t.steps) steps.push_back(StepJson(s, en));
          json::object report{{"id", t.report.id}, {"status", t.report.status}, {"urgency", t.report.urgency},
                              {"category", t.report.category}, {"channel", t.report.channel}};
          return JsonResponse(json::object{{"report", std::move(report)}, {"orders", std::move(orders)},
                                           {"steps", std::move(steps)}});
        }));
  r.Add("GET", "/api/v1/dispatch-orders", A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          TH_ASSIGN_OR_RETURN(auto p, ListParamsFrom(req));
          std::int64_t total = 0;
          bool capped = false;
          TH_ASSIGN_OR_RETURN(auto list, svc->List(who, p, page, &total, &capped));
          json::array items;
          for (const auto& o : list) items.push_back(OrderJson(o, WantsEnglish(req)));
          json::object out = Paged(std::move(items), total, page);
          out["total_capped"] = capped;  // more than `total` (10,000) orders match
          return JsonResponse(out);
        }));
  r.Add("GET", "/api/v1/dispatch-orders/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Get(who, id));
          return JsonResponse(OrderJson(v, WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/dispatch-orders/{id}/actions", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto in, ActionInputFrom(req));
          TH_ASSIGN_OR_RETURN(auto v, svc->Act(who, id, in));
          return JsonResponse(OrderJson(v, WantsEnglish(req)));
        }));
  r.Add("GET", "/api/v1/children/{id}/dispatch-orders", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto list, svc->ForChild(who, id));
          json::array items;
          for (const auto& o : list) items.push_back(OrderJson(o, WantsEnglish(req)));
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("GET", "/api/v1/dispatch/stats", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          domain::Date from, to;
          std::string by;
          TH_RETURN_IF_ERROR(StatsQueryFrom(req, &from, &to, &by));
          TH_ASSIGN_OR_RETURN(auto v, svc->Stats(who, from, to, by));
          json::array rows;
          for (const auto& row : v.rows) rows.push_back(StatsRowJson(row));
          return JsonResponse(json::object{{"by", v.by}, {"from", from.ToString()}, {"to", to.ToString()},
                                           {"rows", std::move(rows)}, {"total", StatsRowJson(v.total)}});
        }));
  r.Add("GET", "/api/v1/dispatch/stats.xlsx", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          domain::Date from, to;
          std::string by;
          TH_RETURN_IF_ERROR(StatsQueryFrom(req, &from, &to, &by));
          TH_ASSIGN_OR_RETURN(auto bytes, svc->StatsXlsx(who, from, to, by));
          return XlsxDownload(std::move(bytes), "dispatch_stats_" + by + ".xlsx");
        }));
  // Feedback attachments: raw body (kFiles: JPEG, PNG or PDF by its bytes), under the upload prefix.
  AddAttachmentRoutes(r, ctx, {"/api/v1/dispatch-attachments", "order_id",
                               [svc](const Principal& who, std::int64_t id, const std::string& name,
                                     const std::string& bytes) { return svc->Attach(who, id, name, bytes); },
                               [svc](const Principal& who, std::int64_t id, std::int64_t attachment_id) {
                                 return svc->Attachment(who, id, attachment_id);
                               }});
}

}  // namespace th::api
