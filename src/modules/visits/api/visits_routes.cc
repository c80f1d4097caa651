#include "modules/visits/api/visits_routes.h"

#include <boost/json.hpp>

#include <cstdio>

#include "modules/visits/service/visits_internal.h"
#include "modules/visits/service/visits_service.h"
#include "platform/api/json_io.h"
#include "platform/api/time_json.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;
using service::VisitsService;

namespace {

json::value DateJson(std::int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return nullptr;
  return json::value(service::visits_internal::DateOf(yyyymmdd).ToString());
}

json::array CodesJson(const std::string& csv) {
  json::array a;
  std::size_t i = 0;
  while (i < csv.size()) {
    std::size_t j = csv.find(',', i);
    if (j == std::string::npos) j = csv.size();
    if (j > i) a.push_back(json::value(csv.substr(i, j - i)));
    i = j + 1;
  }
  return a;
}

json::object ScheduleJson(const repo::VisitScheduleRecord& s, std::int64_t overdue_days) {
  return json::object{{"child_id", s.child_id},
                      {"child_name", s.child_name},
                      {"sex", s.sex},
                      {"birth_date", DateJson(s.birth_date)},
                      {"community_id", s.community_id},
                      {"street_id", s.street_id},
                      {"unit_path", s.unit_path},
                      {"grade", s.grade},
                      {"graded_on", DateJson(s.graded_on)},
                      {"categories", CodesJson(s.categories)},
                      {"rule", s.rule},
                      {"interval_days", s.interval_days},
                      {"last_visit_on", DateJson(s.last_visit_on)},
                      {"next_due_on", DateJson(s.next_due_on)},
                      {"overdue_days", overdue_days > 0 ? overdue_days : 0},
                      {"days_until_due", overdue_days < 0 ? -overdue_days : 0},
                      {"overdue", overdue_days > 0},
                      {"version", s.version}};
}

json::object PhotoJson(const repo::VisitPhotoRecord& p) {
  return json::object{{"id", p.id},
                      {"visit_id", p.visit_id},
                      {"content_type", p.content_type},
                      {"size", p.size_bytes},
                      {"url", "/api/v1/visit-photos/" + std::to_string(p.id)},
                      {"created_at", IsoShanghai(p.created_at)}};
}

json::object VisitJson(const service::VisitView& view) {
  const auto& v = view.visit;
  json::array photos;
  for (const auto& p : view.photos) photos.push_back(PhotoJson(p));
  return json::object{{"id", v.id},
                      {"child_id", v.child_id},
                      {"visited_on", DateJson(v.visited_on)},
                      {"grade", v.grade},
                      {"due_on", DateJson(v.due_on)},
                      {"on_time", v.on_time},
                      {"seen", CodesJson(v.seen)},
                      {"seen_others", v.seen_others},
                      {"place", v.place},
                      {"place_note", v.place_note},
                      {"child_state", v.child_state},
                      {"child_note", v.child_note},
                      {"home_state", v.home_state},
                      {"home_note", v.home_note},
                      {"guardian_care", v.guardian_care},
                      {"guardian_note", v.guardian_note},
                      {"needs", CodesJson(v.needs)},
                      {"needs_note", v.needs_note},
                      {"follow_ups", v.follow_ups},
                      {"photo_count", v.photos},
                      {"photos", std::move(photos)},
                      {"visitor", json::object{{"id", OptInt(v.visitor_user_id)}, {"name", v.visitor_name}}},
                      {"created_at", IsoShanghai(v.created_at)},
                      {"version", v.version}};
}

Result<std::vector<std::string>> StrList(const json::value& body, const char* key) {
  std::vector<std::string> out;
  const json::value* v = body.as_object().if_contains(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return Status::Invalid(key, "invalid_type", "应为列表", "Must be a list");
  for (const auto& x : v->as_array()) {
    if (!x.is_string()) return Status::Invalid(key, "invalid_type", "应为文字列表", "Must be a list of strings");
    out.emplace_back(x.as_string());
  }
  if (out.size() > 10) return Status::Invalid(key, "too_many", "选项过多", "Too many items");
  return out;
}

Result<service::VisitInput> VisitInputFrom(const http::Request& req) {
  TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"visited_on", "seen", "seen_others", "place", "place_note", "child_state",
                                                "child_note", "home_state", "home_note", "guardian_care",
                                                "guardian_note", "needs", "needs_note", "follow_ups"}));
  service::VisitInput in;
  auto str = [&](const char* k, std::string* out) -> Status {
    TH_ASSIGN_OR_RETURN(auto v, b.MaybeStr(k));
    *out = v.value_or("");
    return Status::Ok();
  };
  TH_RETURN_IF_ERROR(str("visited_on", &in.visited_on));
  TH_RETURN_IF_ERROR(str("seen_others", &in.seen_others));
  TH_RETURN_IF_ERROR(str("place", &in.place));
  TH_RETURN_IF_ERROR(str("place_note", &in.place_note));
  TH_RETURN_IF_ERROR(str("child_state", &in.child_state));
  TH_RETURN_IF_ERROR(str("child_note", &in.child_note));
  TH_RETURN_IF_ERROR(str("home_state", &in.home_state));
  TH_RETURN_IF_ERROR(str("home_note", &in.home_note));
  TH_RETURN_IF_ERROR(str("guardian_care", &in.guardian_care));
  TH_RETURN_IF_ERROR(str("guardian_note", &in.guardian_note));
  TH_RETURN_IF_ERROR(str("needs_note", &in.needs_note));
  TH_RETURN_IF_ERROR(str("follow_ups", &in.follow_ups));
  // Lists: Body has no list accessor; the body parsed (and checked) above is valid JSON.
  boost::system::error_code ec;
  json::value raw = json::parse(req.body, ec);
  if (!ec && raw.is_object()) {
    TH_ASSIGN_OR_RETURN(in.seen, StrList(raw, "seen"));
    TH_ASSIGN_OR_RETURN(in.needs, StrList(raw, "needs"));
  }
  return in;
}

Result<service::DueParams> DueParamsFrom(const http::Request& req) {
  service::DueParams p;
  TH_ASSIGN_OR_RETURN(p.community_id, QueryInt(req, "community_id", false));
  TH_ASSIGN_OR_RETURN(p.street_id, QueryInt(req, "street_id", false));
  TH_ASSIGN_OR_RETURN(p.min_overdue_days, QueryInt(req, "overdue_days", true));
  TH_ASSIGN_OR_RETURN(p.within_days, QueryInt(req, "within_days", true));
  p.grade = QueryStr(req, "grade");
  return p;
}

}  // namespace

// Long: a flat list of route registrations, one lambda each.
void RegisterVisitsRoutes(http::Router& r, VisitsService& svc_ref, const RouteContext& ctx) {
  VisitsService* svc = &svc_ref;
  auto A = ctx.authed;
  auto page_from = ctx.page_from;
  r.Add("GET", "/api/v1/visits/config", A([svc](http::Request&, const Principal& who) -> Result<http::Response> {
          if (!who.Can("visit.read")) return Status::Forbidden();
          json::array grades;
          for (const auto& g : svc->config().grades) {
            grades.push_back(json::object{{"code", g.code}, {"name", g.name}, {"name_en", g.name_en},
                                          {"color", g.color}, {"days", g.days}});
          }
          json::array cats;
          for (const auto& c : svc->config().categories) cats.push_back(json::object{{"code", c.code}, {"days", c.days}});
          return JsonResponse(json::object{{"grades", std::move(grades)}, {"categories", std::move(cats)},
                                           {"default_days", svc->config().default_days},
                                           {"first_visit_days", svc->config().first_visit_days},
                                           {"due_soon_days", svc->config().due_soon_days}});
        }));
  r.Add("GET", "/api/v1/visits/due", A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          TH_ASSIGN_OR_RETURN(auto p, DueParamsFrom(req));
          std::int64_t total = 0;
          bool capped = false;
          TH_ASSIGN_OR_RETURN(auto rows, svc->Due(who, p, page, &total, &capped));
          json::array items;
          for (const auto& d : rows) items.push_back(ScheduleJson(d.s, d.overdue_days));
          json::object out = Paged(std::move(items), total, page);
          out["total_capped"] = capped;
          return JsonResponse(out);
        }));
  r.Add("GET", "/api/v1/visits/stats", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto st, svc->Stats(who, QueryStr(req, "from"), QueryStr(req, "to")));
          json::array cells;
          for (const auto& c : st.cells) {
            char month[8];
            std::snprintf(month, sizeof month, "%04d-%02d", c.month / 100, c.month % 100);
            cells.push_back(json::object{{"grade", c.grade}, {"month", month}, {"done", c.done},
                                         {"on_time", c.on_time}, {"due", c.due}});
          }
          char from[8], to[8];
          std::snprintf(from, sizeof from, "%04d-%02d", st.from_month / 100, st.from_month % 100);
          std::snprintf(to, sizeof to, "%04d-%02d", st.to_month / 100, st.to_month % 100);
          return JsonResponse(json::object{{"from", from}, {"to", to}, {"cells", std::move(cells)}});
        }));
  r.Add("GET", "/api/v1/children/{id}/visit-schedule", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Schedule(who, id));
          if (!v.schedule) {
            return JsonResponse(json::object{{"child_id", id}, {"child_name", v.child_name}, {"schedule", nullptr}});
          }
          v.schedule->child_name = v.child_name;
          return JsonResponse(json::object{{"child_id", id}, {"child_name", v.child_name},
                                           {"schedule", ScheduleJson(*v.schedule, v.overdue_days)}});
        }));
  r.Add("GET", "/api/v1/children/{id}/visits", A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->History(who, id, page, &total));
          json::array items;
          for (const auto& v : list) items.push_back(VisitJson(v));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  r.Add("POST", "/api/v1/children/{id}/visits", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto in, VisitInputFrom(req));
          TH_ASSIGN_OR_RETURN(auto v, svc->Record(who, id, in));
          return JsonResponse(VisitJson(v), 201);
        }));
  r.Add("GET", "/api/v1/visits/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Get(who, id));
          return JsonResponse(VisitJson(v));
        }));
  // Photos: raw image body (JPEG, PNG or WebP by magic bytes), under the upload prefix
  // /api/v1/visit-photos so the server's upload limit applies (the service caps 5 MB).
  r.Add("POST", "/api/v1/visit-photos", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto visit, QueryInt(req, "visit_id", false));
          if (!visit) return Status::Required("visit_id");
          TH_ASSIGN_OR_RETURN(auto p, svc->AddPhoto(who, *visit, req.body));
          return JsonResponse(PhotoJson(p), 201);
        }));
  r.Add("GET", "/api/v1/visit-photos/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto p, svc->Photo(who, id));
          http::Response resp;
          resp.content_type = p.content_type;
          resp.body = std::move(p.data_enc);
          resp.AddHeader("Cache-Control", "private, no-store");
          resp.AddHeader("X-Content-Type-Options", "nosniff");
          return resp;
        }));
}

}  // namespace th::api
