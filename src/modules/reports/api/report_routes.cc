#include "modules/reports/api/report_routes.h"

#include <boost/json.hpp>

#include "modules/reports/api/report_json.h"
#include "modules/reports/service/report_service.h"
#include "platform/api/json_io.h"
#include "platform/service/principal.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;
using service::ReportService;

namespace {

constexpr std::size_t kPublicBodyLimit = 16 * 1024;
constexpr std::size_t kUploadLimit = (5u << 20) + 1024;

Status UnknownField(const std::string& k) {
  return Status::Invalid(k, "unknown_field", "未知字段: " + k, "Unknown field: " + k);
}
Status WrongType(const std::string& k, const char* zh, const char* en) {
  return Status::Invalid(k, "invalid_type", k + " " + zh, k + " " + en);
}

Result<json::value> Raw(const Body& b, const char* key) {
  const std::string text = b.Json(key);
  if (text.empty()) return json::value(nullptr);
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) return Status::Invalid(key, "malformed_json", "JSON 格式错误", "Malformed JSON");
  return v;
}

Result<bool> BoolOf(const json::value& v, const std::string& key) {
  if (v.is_null()) return false;
  if (!v.is_bool()) return WrongType(key, "应为 true 或 false", "must be true or false");
  return v.as_bool();
}

Result<std::string> StrOf(const json::value& v, const std::string& key) {
  if (v.is_null()) return std::string();
  if (!v.is_string()) return WrongType(key, "应为文本", "must be a string");
  return std::string(v.as_string());
}

Result<std::vector<std::string>> Strings(const Body& b, const char* key) {
  TH_ASSIGN_OR_RETURN(auto v, Raw(b, key));
  std::vector<std::string> out;
  if (v.is_null()) return out;
  if (!v.is_array() || v.as_array().size() > 20) return WrongType(key, "应为最多20项的文本数组", "must be an array of at most 20 strings");
  for (const auto& x : v.as_array()) {
    if (!x.is_string()) return WrongType(key, "应为文本数组", "must be an array of strings");
    out.emplace_back(x.as_string());
  }
  return out;
}

// A nested object with an allow-list of keys ("police": {...}).
Result<json::object> Nested(const Body& b, const char* key, std::initializer_list<const char*> allowed) {
  TH_ASSIGN_OR_RETURN(auto v, Raw(b, key));
  if (v.is_null()) return json::object();
  if (!v.is_object()) return WrongType(key, "应为对象", "must be an object");
  for (const auto& kv : v.as_object()) {
    bool ok = false;
    for (const char* a : allowed) ok |= kv.key() == a;
    if (!ok) return UnknownField(std::string(key) + "." + std::string(kv.key()));
  }
  return std::move(v.as_object());
}

json::value At(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  return v ? *v : json::value(nullptr);
}

// Long: the intake form's fields, staff and public, parsed in one place.
Result<service::ReportInput> ParseReportInput(const http::Request& req, bool is_public) {
  service::ReportInput in;
  Result<Body> parsed = is_public
      ? Body::Parse(req, {"description", "place", "child_name", "child_age", "seen_at", "situations", "contact_name",
                          "contact_phone"})
      : Body::Parse(req, {"channel", "description", "place", "situations", "child_id", "child_name", "child_age",
                          "child_school", "seen_at", "reporter_name", "reporter_phone", "anonymous", "police", "told",
                          "finding_id", "urgency"});
  TH_ASSIGN_OR_RETURN(auto b, std::move(parsed));
  auto str = [&](const char* k) -> Result<std::string> {
    TH_ASSIGN_OR_RETURN(auto v, b.MaybeStr(k));
    return v.value_or("");
  };
  TH_ASSIGN_OR_RETURN(in.description, str("description"));
  TH_ASSIGN_OR_RETURN(in.place, str("place"));
  TH_ASSIGN_OR_RETURN(in.child_name, str("child_name"));
  TH_ASSIGN_OR_RETURN(in.child_age, b.MaybeInt("child_age"));
  TH_ASSIGN_OR_RETURN(in.seen_at, str("seen_at"));
  TH_ASSIGN_OR_RETURN(in.situations, Strings(b, "situations"));
  if (is_public) {
    TH_ASSIGN_OR_RETURN(in.reporter_name, str("contact_name"));
    TH_ASSIGN_OR_RETURN(in.reporter_phone, str("contact_phone"));
    return in;
  }
  TH_ASSIGN_OR_RETURN(in.channel, str("channel"));
  TH_ASSIGN_OR_RETURN(in.child_id, b.MaybeInt("child_id"));
  TH_ASSIGN_OR_RETURN(in.child_school, str("child_school"));
  TH_ASSIGN_OR_RETURN(in.reporter_name, str("reporter_name"));
  TH_ASSIGN_OR_RETURN(in.reporter_phone, str("reporter_phone"));
  TH_ASSIGN_OR_RETURN(in.urgency, str("urgency"));
  TH_ASSIGN_OR_RETURN(in.finding_id, b.MaybeInt("finding_id"));
  TH_ASSIGN_OR_RETURN(auto anon, Raw(b, "anonymous"));
  TH_ASSIGN_OR_RETURN(in.anonymous, BoolOf(anon, "anonymous"));
  TH_ASSIGN_OR_RETURN(auto police, Nested(b, "police", {"reported", "station", "reported_at", "receipt_no"}));
  TH_ASSIGN_OR_RETURN(in.police_reported, BoolOf(At(police, "reported"), "police.reported"));
  TH_ASSIGN_OR_RETURN(in.police_station, StrOf(At(police, "station"), "police.station"));
  TH_ASSIGN_OR_RETURN(in.police_reported_at, StrOf(At(police, "reported_at"), "police.reported_at"));
  TH_ASSIGN_OR_RETURN(in.police_receipt_no, StrOf(At(police, "receipt_no"), "police.receipt_no"));
  TH_ASSIGN_OR_RETURN(auto told, Nested(b, "told", {"civil_affairs", "education"}));
  TH_ASSIGN_OR_RETURN(in.told_civil_affairs, BoolOf(At(told, "civil_affairs"), "told.civil_affairs"));
  TH_ASSIGN_OR_RETURN(in.told_education, BoolOf(At(told, "education"), "told.education"));
  return in;
}

// Wraps a public (no session, no CSRF) handler: errors become the one error shape.
http::Handler Public(std::function<Result<http::Response>(http::Request&)> fn) {
  return [fn = std::move(fn)](http::Request& req) -> http::Response {
    auto r = fn(req);
    http::Response resp = r.ok() ? std::move(r).value() : ErrorResponse(req, r.status());
    resp.AddHeader("Cache-Control", "no-store");
    return resp;
  };
}

Status PayloadTooLarge(std::size_t limit) {
  return Status::Error(Code::kPayloadTooLarge, "payload_too_large",
                       "请求内容过大(最多" + std::to_string(limit / 1024) + " KB)",
                       "Request body too large (at most " + std::to_string(limit / 1024) + " KB)");
}

json::object Options(const domain::ReportConfig& cfg, bool en) {
  json::array cats, sits;
  for (const auto& c : cfg.categories) {
    cats.push_back(json::object{{"code", c.code}, {"name", en && !c.name_en.empty() ? c.name_en : c.name},
                                {"sensitive", c.sensitive}});
  }
  for (const auto& s : cfg.situations) {
    sits.push_back(json::object{{"code", s.code}, {"name", en && !s.name_en.empty() ? s.name_en : s.name},
                                {"urgent", s.urgent}});
  }
  return json::object{{"categories", std::move(cats)}, {"situations", std::move(sits)},
                      {"max_photos", cfg.intake.max_photos}, {"photo_hours", cfg.intake.photo_hours}};
}

void RegisterPublicRoutes(http::Router& r, ReportService* svc) {
  r.Add("GET", "/api/v1/public/report-options", Public([svc](http::Request& req) -> Result<http::Response> {
          return JsonResponse(Options(svc->config(), WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/public/reports", Public([svc](http::Request& req) -> Result<http::Response> {
          if (req.body.size() > svc->config().intake.max_body_bytes) return PayloadTooLarge(svc->config().intake.max_body_bytes);
          TH_ASSIGN_OR_RETURN(auto in, ParseReportInput(req, true));
          TH_ASSIGN_OR_RETURN(auto code, svc->CreatePublic(req.client_ip, in));
          return JsonResponse(json::object{{"tracking_code", code}, {"status", "received"},
                                           {"status_name", domain::PublicStatusName("received", WantsEnglish(req))}},
                              201);
        }));
  r.Add("GET", "/api/v1/public/reports/{code}", Public([svc](http::Request& req) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto status, svc->PublicStatus(req.client_ip, req.path_params["code"]));
          return JsonResponse(json::object{{"status", status},
                                           {"status_name", domain::PublicStatusName(status, WantsEnglish(req))}});
        }));
  r.Add("POST", "/api/v1/public/reports/{code}/photos", Public([svc](http::Request& req) -> Result<http::Response> {
          const std::string type = req.Header("content-type");
          if (type != "image/jpeg" && type != "image/png") {
            return Status::Error(Code::kUnsupportedMedia, "unsupported_media_type", "照片须以 image/jpeg 或 image/png 上传",
                                 "Send the photo as image/jpeg or image/png", "photo");
          }
          TH_RETURN_IF_ERROR(svc->AddPublicPhoto(req.client_ip, req.path_params["code"], req.body));
          return JsonResponse(json::object{{"accepted", true}}, 201);
        }));
}

Result<service::ReportListParams> ListParams(const http::Request& req) {
  service::ReportListParams p;
  p.status = QueryStr(req, "status");
  p.channel = QueryStr(req, "channel");
  p.urgency = QueryStr(req, "urgency");
  p.category = QueryStr(req, "category");
  p.q = QueryStr(req, "q");
  TH_ASSIGN_OR_RETURN(p.unit_id, QueryInt(req, "unit_id", false));
  const std::string mine = QueryStr(req, "mine");
  if (!mine.empty() && mine != "0" && mine != "1" && mine != "true" && mine != "false") {
    return Status::Invalid("mine", "invalid_bool", "mine 应为 true 或 false", "mine must be true or false");
  }
  p.mine = mine == "1" || mine == "true";
  return p;
}

json::array Items(const std::vector<service::ReportView>& list, const domain::ReportConfig& cfg, bool en) {
  json::array items;
  for (const auto& v : list) items.push_back(ReportJson(v, cfg, en));
  return items;
}

// Long: a flat list of route registrations, one lambda each.
void RegisterStaffRoutes(http::Router& r, ReportService* svc, const RouteContext& ctx) {
  auto A = ctx.authed;
  auto page_from = ctx.page_from;
  r.Add("GET", "/api/v1/report-options", A([svc](http::Request& req, const Principal&) -> Result<http::Response> {
          return JsonResponse(Options(svc->config(), WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/reports", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto in, ParseReportInput(req, false));
          TH_ASSIGN_OR_RETURN(auto v, svc->Create(who, in));
          return JsonResponse(ReportJson(v, svc->config(), WantsEnglish(req)), 201);
        }));
  r.Add("GET", "/api/v1/reports", A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          TH_ASSIGN_OR_RETURN(auto p, ListParams(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->List(who, p, page, &total));
          return JsonResponse(Paged(Items(list, svc->config(), WantsEnglish(req)), total, page));
        }));
  r.Add("GET", "/api/v1/reports/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Get(who, id, QueryStr(req, "purpose")));
          return JsonResponse(ReportJson(v, svc->config(), WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/reports/{id}/reveal-reporter", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"purpose"}));
          TH_ASSIGN_OR_RETURN(auto purpose, b.MaybeStr("purpose"));
          TH_ASSIGN_OR_RETURN(auto rep, svc->RevealReporter(who, id, purpose.value_or("")));
          auto opt = [](const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); };
          return JsonResponse(json::object{
              {"name", opt(rep.name)}, {"phone", opt(rep.phone)}, {"anonymous", rep.anonymous},
              {"agency", rep.agency_id ? json::value(json::object{{"id", *rep.agency_id}, {"name", rep.agency_name}})
                                       : json::value(nullptr)},
              {"user_id", rep.user_id ? json::value(*rep.user_id) : json::value(nullptr)}});
        }));
  r.Add("POST", "/api/v1/reports/{id}/triage", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "child_id", "urgency", "category", "unit_id", "note"}));
          service::TriageInput in;
          TH_ASSIGN_OR_RETURN(in.version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(in.child_id, b.MaybeInt("child_id"));
          TH_ASSIGN_OR_RETURN(in.unit_id, b.MaybeInt("unit_id"));
          TH_ASSIGN_OR_RETURN(auto urgency, b.MaybeStr("urgency"));
          TH_ASSIGN_OR_RETURN(auto category, b.MaybeStr("category"));
          TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
          in.urgency = urgency.value_or("");
          in.category = category.value_or("");
          in.note = note.value_or("");
          TH_ASSIGN_OR_RETURN(auto v, svc->Triage(who, id, in));
          return JsonResponse(ReportJson(v, svc->config(), WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/reports/{id}/close", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "outcome", "reply_to_reporter"}));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto outcome, b.MaybeStr("outcome"));
          TH_ASSIGN_OR_RETURN(auto reply, b.MaybeStr("reply_to_reporter"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Close(who, id, version, outcome.value_or(""), reply.value_or("")));
          return JsonResponse(ReportJson(v, svc->config(), WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/reports/{id}/attachments", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto a, svc->AddAttachment(who, id, req.body));
          return JsonResponse(AttachmentJson(a), 201);
        }));
  r.Add("GET", "/api/v1/reports/{id}/attachments/{attachment_id}",
        A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto aid, ParseId(req.path_params["attachment_id"], "attachment_id"));
          TH_ASSIGN_OR_RETURN(auto a, svc->GetAttachment(who, id, aid));
          http::Response resp;
          resp.content_type = a.content_type;
          resp.body = std::move(a.data_enc);
          resp.AddHeader("Cache-Control", "private, no-store");
          resp.AddHeader("Content-Disposition", "inline");
          return resp;
        }));
  r.Add("GET", "/api/v1/children/{id}/reports", A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->ForChild(who, id, page, &total));
          return JsonResponse(Paged(Items(list, svc->config(), WantsEnglish(req)), total, page));
        }));
}

Result<std::int64_t> TimeParam(const http::Request& req, const char* name, std::int64_t dflt) {
  const std::string v = QueryStr(req, name);
  if (v.empty()) return dflt;
  if (v.size() > 15 || v.find_first_not_of("0123456789") != std::string::npos) {
    return Status::Invalid(name, "invalid_time", std::string(name) + " 应为毫秒时间戳", std::string(name) + " must be epoch milliseconds");
  }
  return std::stoll(v);
}

void RegisterDutyRoutes(http::Router& r, ReportService* svc, const RouteContext& ctx) {
  auto A = ctx.authed;
  auto page_from = ctx.page_from;
  r.Add("GET", "/api/v1/duty/shifts", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto from, TimeParam(req, "from", 0));
          TH_ASSIGN_OR_RETURN(auto to, TimeParam(req, "to", 0));
          TH_ASSIGN_OR_RETURN(auto list, svc->ListShifts(who, from, to));
          json::array items;
          for (const auto& s : list) items.push_back(ShiftJson(s));
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("POST", "/api/v1/duty/shifts", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"user_id", "starts_at", "ends_at", "note"}));
          service::DutyShiftInput in;
          TH_ASSIGN_OR_RETURN(in.user_id, b.Int("user_id"));
          TH_ASSIGN_OR_RETURN(in.starts_at, b.Int("starts_at"));
          TH_ASSIGN_OR_RETURN(in.ends_at, b.Int("ends_at"));
          TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
          in.note = note.value_or("");
          TH_ASSIGN_OR_RETURN(auto s, svc->AddShift(who, in));
          return JsonResponse(ShiftJson(s), 201);
        }));
  r.Add("DELETE", "/api/v1/duty/shifts/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto version, QueryInt(req, "version", false));
          if (!version) return Status::Required("version");
          TH_RETURN_IF_ERROR(svc->DeleteShift(who, id, *version));
          return NoContent();
        }));
  r.Add("GET", "/api/v1/duty/now", A([svc](http::Request&, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto list, svc->OnDutyNow(who));
          json::array items;
          for (const auto& s : list) items.push_back(ShiftJson(s));
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("GET", "/api/v1/duty/handovers", A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->ListHandovers(who, page, &total));
          json::array items;
          for (const auto& h : list) items.push_back(HandoverJson(h));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  r.Add("POST", "/api/v1/duty/handovers", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"note"}));
          TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
          TH_ASSIGN_OR_RETURN(auto h, svc->AddHandover(who, note.value_or("")));
          return JsonResponse(HandoverJson(h), 201);
        }));
}

}  // namespace

void RegisterReportRoutes(http::Router& r, ReportService& svc, const RouteContext& ctx) {
  RegisterPublicRoutes(r, &svc);
  RegisterStaffRoutes(r, &svc, ctx);
  RegisterDutyRoutes(r, &svc, ctx);
}

std::optional<std::size_t> ReportsBodyLimit(std::string_view target) {
  const std::string_view path = target.substr(0, target.find('?'));
  auto ends_with = [&](std::string_view s) { return path.size() >= s.size() && path.substr(path.size() - s.size()) == s; };
  if (path.starts_with("/api/v1/public/")) return ends_with("/photos") ? kUploadLimit : kPublicBodyLimit;
  if (path.starts_with("/api/v1/reports/") && ends_with("/attachments")) return kUploadLimit;
  return std::nullopt;
}

}  // namespace th::api
