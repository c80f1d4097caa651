// Routes of the conferences module (docs/API.md "Case conferences"): JSON in and out, the minutes'
// .docx, materials as raw uploads under /api/v1/conference-attachments.
#include <boost/json.hpp>

#include "domain/date.h"
#include "http/message.h"
#include "modules/conferences/service/conference_service.h"
#include "platform/api/json_io.h"
#include "platform/api/route_context.h"
#include "platform/api/time_json.h"
#include "platform/api/upload.h"

namespace th::api {

namespace json = boost::json;
using service::ConferenceService;
using service::Principal;

namespace {

constexpr std::int64_t kDayMs = 86400000, kHourMs = 3600000, kShanghaiMs = 8 * kHourMs;

json::value OptTime(const std::optional<std::int64_t>& ms) { return ms ? json::value(IsoShanghai(*ms)) : json::value(nullptr); }

Status BadField(const std::string& field, const char* zh, const char* en) {
  return Status::Invalid(field, "invalid_type", field + " 应为" + zh, field + " must be " + en);
}

// "2026-12-06 09:30", "2026-12-06T09:30", "2026-12-06T09:30:00+08:00": Asia/Shanghai.
Result<std::int64_t> ParseLocalTime(const std::string& s, const std::string& field) {
  auto bad = [&] {
    return Status::Invalid(field, "invalid_datetime", field + " 应为 YYYY-MM-DD HH:MM", field + " must be YYYY-MM-DD HH:MM");
  };
  if (s.size() < 16 || (s[10] != ' ' && s[10] != 'T') || s[13] != ':') return bad();
  auto d = domain::ParseDate(s.substr(0, 10), field);
  if (!d.ok()) return bad();
  auto digits = [&](std::size_t at) { return std::isdigit(static_cast<unsigned char>(s[at])) && std::isdigit(static_cast<unsigned char>(s[at + 1])); };
  if (!digits(11) || !digits(14)) return bad();
  const int h = std::stoi(s.substr(11, 2)), m = std::stoi(s.substr(14, 2));
  if (h > 23 || m > 59) return bad();
  return d->ToDays() * kDayMs - kShanghaiMs + h * kHourMs + m * 60000LL;
}

Result<json::value> ParseNested(const Body& b, const char* key) {
  const std::string text = b.Json(key);
  if (text.empty()) return json::value(json::array());
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return BadField(key, "数组", "an array");
  return v;
}

std::string Str(const json::object& o, const char* k) {
  const auto* v = o.if_contains(k);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

std::optional<std::int64_t> Id(const json::object& o, const char* k) {
  const auto* v = o.if_contains(k);
  if (v && v->is_int64() && v->as_int64() > 0) return v->as_int64();
  return std::nullopt;
}

Result<service::ConveneInput> ConveneFrom(const http::Request& req, bool edit) {
  TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"child_id", "case_id", "reason", "reason_note", "title", "scheduled_at",
                                                "place", "online", "agenda", "participants", "version"}));
  service::ConveneInput in;
  if (!edit) {
    TH_ASSIGN_OR_RETURN(in.child_id, b.Int("child_id"));
  } else {
    TH_ASSIGN_OR_RETURN(in.version, b.Int("version"));
  }
  TH_ASSIGN_OR_RETURN(in.case_id, b.MaybeInt("case_id"));
  TH_ASSIGN_OR_RETURN(auto reason, b.MaybeStr("reason"));
  in.reason = reason.value_or("");
  TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("reason_note"));
  in.reason_note = note.value_or("");
  TH_ASSIGN_OR_RETURN(auto title, b.MaybeStr("title"));
  in.title = title.value_or("");
  TH_ASSIGN_OR_RETURN(auto when, b.MaybeStr("scheduled_at"));
  if (when && !when->empty()) {
    TH_ASSIGN_OR_RETURN(in.scheduled_at, ParseLocalTime(*when, "scheduled_at"));
  }
  TH_ASSIGN_OR_RETURN(auto place, b.MaybeStr("place"));
  in.place = place.value_or("");
  const std::string online = b.Json("online");
  if (!online.empty() && online != "true" && online != "false") return BadField("online", "true 或 false", "true or false");
  in.online = online == "true";
  TH_ASSIGN_OR_RETURN(auto agenda, b.MaybeStr("agenda"));
  in.agenda = agenda.value_or("");
  TH_ASSIGN_OR_RETURN(auto parts, ParseNested(b, "participants"));
  for (const auto& x : parts.as_array()) {
    if (!x.is_object()) return BadField("participants", "对象数组", "an array of objects");
    const auto& o = x.as_object();
    in.participants.push_back({Str(o, "kind"), Id(o, "agency_id"), Id(o, "unit_id"), Str(o, "name"), Str(o, "note")});
  }
  return in;
}

Result<service::RecordInput> RecordFrom(const http::Request& req) {
  TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "discussion", "attendance", "decisions"}));
  service::RecordInput in;
  TH_ASSIGN_OR_RETURN(in.version, b.Int("version"));
  TH_ASSIGN_OR_RETURN(auto discussion, b.MaybeStr("discussion"));
  in.discussion = discussion.value_or("");
  TH_ASSIGN_OR_RETURN(auto att, ParseNested(b, "attendance"));
  for (const auto& x : att.as_array()) {
    if (!x.is_object()) return BadField("attendance", "对象数组", "an array of objects");
    const auto& o = x.as_object();
    auto pid = Id(o, "participant_id");
    if (!pid) return Status::Required("attendance.participant_id");
    std::optional<bool> attended;
    if (const auto* a = o.if_contains("attended"); a && a->is_bool()) attended = a->as_bool();
    in.attendance.emplace_back(*pid, attended);
  }
  TH_ASSIGN_OR_RETURN(auto ds, ParseNested(b, "decisions"));
  for (const auto& x : ds.as_array()) {
    if (!x.is_object()) return BadField("decisions", "对象数组", "an array of objects");
    const auto& o = x.as_object();
    in.decisions.push_back({Str(o, "content"), Id(o, "agency_id"), Id(o, "unit_id"), Str(o, "due_date")});
  }
  return in;
}

json::object ConferenceJson(const domain::ConferenceRecord& c, const domain::ConferenceConfig& cfg, bool en) {
  const auto* reason = cfg.Find(c.reason);
  return json::object{{"id", c.id},
                      {"child_id", c.child_id},
                      {"case_id", OptInt(c.case_id)},
                      {"child_name", c.child_name},
                      {"reason", c.reason},
                      {"reason_name", reason ? (en ? reason->name_en : reason->name) : c.reason},
                      {"reason_note", c.reason_note},
                      {"title", c.title},
                      {"convener_unit_id", c.convener_unit_id},
                      {"convener_name", c.convener_name},
                      {"scheduled_at", IsoShanghai(c.scheduled_at)},
                      {"place", c.place},
                      {"online", c.online},
                      {"agenda", c.agenda},
                      {"status", c.status},
                      {"status_name", domain::ConferenceStatusName(c.status, en)},
                      {"discussion", c.discussion},
                      {"held_at", OptTime(c.held_at)},
                      {"closed_at", OptTime(c.closed_at)},
                      {"version", c.version},
                      {"created_at", IsoShanghai(c.created_at)}};
}

json::object DecisionJson(const service::DecisionView& v) {
  const auto& d = v.decision;
  return json::object{{"id", d.id},
                      {"conference_id", d.conference_id},
                      {"seq", d.seq},
                      {"content", d.content},
                      {"owner", json::object{{"kind", d.owner_kind},
                                             {"agency_id", OptInt(d.owner_agency_id)},
                                             {"unit_id", d.owner_unit_id},
                                             {"name", d.owner_name}}},
                      {"due_date", d.due_date},
                      {"status", d.status},
                      {"overdue", v.overdue},
                      {"result_note", d.result_note},
                      {"done_at", OptTime(d.done_at)},
                      {"version", d.version},
                      {"can_complete", v.can_complete},
                      {"conference", json::object{{"title", v.conference_title},
                                                  {"child_name", v.child_name},
                                                  {"scheduled_at", IsoShanghai(v.conference_scheduled_at)},
                                                  {"status", v.conference_status}}}};
}

json::object ViewJson(const service::ConferenceView& v, const domain::ConferenceConfig& cfg, bool en) {
  json::object o = ConferenceJson(v.conference, cfg, en);
  json::array parts, decisions, followups, attachments, actions;
  for (const auto& p : v.participants) {
    parts.push_back(json::object{{"id", p.id},
                                 {"kind", p.kind},
                                 {"agency_id", OptInt(p.agency_id)},
                                 {"unit_id", OptInt(p.unit_id)},
                                 {"name", p.name},
                                 {"note", p.note},
                                 {"attended", p.attended ? json::value(*p.attended) : json::value(nullptr)}});
  }
  for (const auto& d : v.decisions) decisions.push_back(DecisionJson(d));
  for (const auto& d : v.followups) followups.push_back(DecisionJson(d));
  for (const auto& a : v.attachments) attachments.push_back(StoredFileJson(a, "conference_id"));
  for (const auto& a : v.actions) actions.push_back(json::value(a));
  o["participants"] = std::move(parts);
  o["decisions"] = std::move(decisions);
  o["followups"] = std::move(followups);
  o["attachments"] = std::move(attachments);
  o["actions"] = std::move(actions);
  o["can_manage"] = v.can_manage;
  return o;
}

}  // namespace

// Long: a flat list of route registrations, one lambda each.
void RegisterConferenceRoutes(http::Router& r, ConferenceService& svc_ref, const RouteContext& ctx) {
  ConferenceService* svc = &svc_ref;
  auto A = ctx.authed;
  auto page_from = ctx.page_from;
  const domain::ConferenceConfig* cfg = &svc->config();

  r.Add("GET", "/api/v1/conferences/config", A([svc, cfg](http::Request& req, const Principal& who) -> Result<http::Response> {
          const bool en = WantsEnglish(req);
          json::array reasons, agencies;
          for (const auto& x : cfg->reasons) {
            reasons.push_back(json::object{{"code", x.code}, {"name", en ? x.name_en : x.name},
                                           {"note_required", x.note_required}});
          }
          TH_ASSIGN_OR_RETURN(auto list, svc->Agencies(who));
          for (const auto& a : list) agencies.push_back(json::object{{"id", a.id}, {"name", a.name}, {"kind", a.kind}});
          return JsonResponse(json::object{{"reasons", std::move(reasons)}, {"agencies", std::move(agencies)}});
        }));
  r.Add("GET", "/api/v1/conferences", A([svc, cfg, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          service::ConferenceListParams p;
          p.status = QueryStr(req, "status");
          TH_ASSIGN_OR_RETURN(p.child_id, OptQueryId(req, "child_id"));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->List(who, p, page, &total));
          json::array items;
          for (const auto& c : list) items.push_back(ConferenceJson(c, *cfg, WantsEnglish(req)));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  r.Add("POST", "/api/v1/conferences", A([svc, cfg](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto in, ConveneFrom(req, false));
          TH_ASSIGN_OR_RETURN(auto v, svc->Convene(who, in));
          return JsonResponse(ViewJson(v, *cfg, WantsEnglish(req)), 201);
        }));
  r.Add("GET", "/api/v1/conferences/{id}", A([svc, cfg](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Get(who, id));
          return JsonResponse(ViewJson(v, *cfg, WantsEnglish(req)));
        }));
  r.Add("PUT", "/api/v1/conferences/{id}", A([svc, cfg](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto in, ConveneFrom(req, true));
          TH_ASSIGN_OR_RETURN(auto v, svc->Edit(who, id, in));
          return JsonResponse(ViewJson(v, *cfg, WantsEnglish(req)));
        }));
  for (const char* action : {"record", "amend"}) {
    const bool amend = std::string(action) == "amend";
    r.Add("POST", std::string("/api/v1/conferences/{id}/") + action,
          A([svc, cfg, amend](http::Request& req, const Principal& who) -> Result<http::Response> {
            TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
            TH_ASSIGN_OR_RETURN(auto in, RecordFrom(req));
            TH_ASSIGN_OR_RETURN(auto v, svc->Record(who, id, in, amend));
            return JsonResponse(ViewJson(v, *cfg, WantsEnglish(req)));
          }));
  }
  r.Add("POST", "/api/v1/conferences/{id}/cancel", A([svc, cfg](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "note"}));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Cancel(who, id, version, note.value_or("")));
          return JsonResponse(ViewJson(v, *cfg, WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/conferences/{id}/close", A([svc, cfg](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version"}));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Close(who, id, version));
          return JsonResponse(ViewJson(v, *cfg, WantsEnglish(req)));
        }));
  r.Add("GET", "/api/v1/conferences/{id}/minutes.docx", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto bytes, svc->MinutesDocx(who, id));
          http::Response resp;
          resp.content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
          resp.body = std::move(bytes);
          resp.AddHeader("Cache-Control", "private, no-store");
          resp.AddHeader("Content-Disposition", "attachment; filename=\"conference_" + std::to_string(id) +
                                                    "_minutes.docx\"; filename*=UTF-8''%E4%BC%9A%E5%95%86%E7%BA%AA%E8%A6%81_" +
                                                    std::to_string(id) + ".docx");
          return resp;
        }));
  r.Add("GET", "/api/v1/children/{id}/conferences", A([svc, cfg](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto list, svc->ForChild(who, id));
          json::array items;
          for (const auto& c : list) items.push_back(ConferenceJson(c, *cfg, WantsEnglish(req)));
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  // The case page's 个案会商 section: the case's conferences (scoped through the case) and the count of its child's
  // others, so that the page asks for them with the case instead of after it.
  r.Add("GET", "/api/v1/cases/{id}/conferences", A([svc, cfg](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->ForCase(who, id));
          json::array items;
          for (const auto& c : v.items) items.push_back(ConferenceJson(c, *cfg, WantsEnglish(req)));
          return JsonResponse(json::object{{"items", std::move(items)}, {"child_others", v.child_others}});
        }));
  r.Add("GET", "/api/v1/conference-decisions", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto list, svc->MyDecisions(who, QueryStr(req, "status")));
          json::array items;
          for (const auto& d : list) items.push_back(DecisionJson(d));
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("GET", "/api/v1/conference-decisions/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->GetDecision(who, id));
          return JsonResponse(DecisionJson(v));
        }));
  r.Add("POST", "/api/v1/conference-decisions/{id}/complete", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "note"}));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
          TH_ASSIGN_OR_RETURN(auto v, svc->CompleteDecision(who, id, version, note.value_or("")));
          return JsonResponse(DecisionJson(v));
        }));
  // Materials: raw body (kFiles: JPEG, PNG or PDF by its bytes), under the upload prefix.
  AddAttachmentRoutes(r, ctx, {"/api/v1/conference-attachments", "conference_id",
                               [svc](const Principal& who, std::int64_t id, const std::string& name,
                                     const std::string& bytes) { return svc->Attach(who, id, name, bytes); },
                               [svc](const Principal& who, std::int64_t id, std::int64_t attachment_id) {
                                 return svc->Attachment(who, id, attachment_id);
                               }});
}

}  // namespace th::api
