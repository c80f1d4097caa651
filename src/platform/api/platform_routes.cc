#include "platform/api/platform_routes.h"

#include <boost/json.hpp>
#include <chrono>

#include "platform/api/json_io.h"
#include "platform/service/audit_service.h"
#include "platform/service/auth_service.h"
#include "platform/service/services.h"
#include "platform/service/permissions.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;
using service::Services;

namespace {

json::value ParseOrNull(const std::string& s) {
  if (s.empty()) return nullptr;
  boost::system::error_code ec;
  json::value v = json::parse(s, ec);
  return ec ? json::value(json::string(s)) : v;
}

json::object NameJson(const service::AuditActionName& n) { return json::object{{"zh", n.zh}, {"en", n.en}}; }

json::object AuditJson(const repo::AuditEntry& e, const service::AuditNames& names) {
  std::string object_name = names.Of(e.object_type, e.object_id);
  return json::object{{"id", e.seq},
                      {"at", e.at},
                      {"actor_id", OptInt(e.actor_id)},
                      {"actor_name", e.actor_name},
                      {"action", e.action},
                      {"action_name", NameJson(service::AuditActionNameOf(e.action))},
                      {"object_type", e.object_type},
                      {"object_type_name", NameJson(service::AuditObjectTypeNameOf(e.object_type))},
                      {"object_id", e.object_id},
                      {"object_name", object_name.empty() ? json::value(nullptr) : json::value(object_name)},
                      {"purpose", e.purpose},
                      {"client_ip", e.client_ip},
                      {"before", ParseOrNull(e.before_json)},
                      {"after", ParseOrNull(e.after_json)},
                      {"hash", e.hash}};
}

Result<json::object> MeJson(Services& s, const Principal& p) {
  json::array path_names;
  for (auto& x : p.org_path_names) path_names.push_back(json::string(x));
  json::array perms;
  for (const auto& x : p.permissions) perms.push_back(json::string(x));
  return json::object{{"id", p.user_id},
                      {"username", p.username},
                      {"display_name", p.display_name},
                      {"role", RoleJson(s.roles(), p.role)},
                      {"permissions", std::move(perms)},
                      {"agency_id", p.agency_id ? json::value(*p.agency_id) : json::value(nullptr)},
                      {"org_unit", json::object{{"id", p.org_unit_id},
                                                {"code", p.org_code},
                                                {"name", p.org_name},
                                                {"level", p.org_level},
                                                {"path", p.org_path},
                                                {"path_names", std::move(path_names)}}},
                      {"must_change_password", p.must_change_password},
                      {"csrf_token", p.csrf_token}};
}

// Audit ------------------------------------------------------------------------------------

void RegisterAudit(http::Router& r, Services& s, const RouteContext& ctx) {
  auto A = ctx.authed;
  r.Add("GET", "/api/v1/audit", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, PageFrom(req));
          repo::AuditFilter f;
          TH_ASSIGN_OR_RETURN(f.actor_id, OptQueryId(req, "actor_id"));
          f.actor = req.Query("actor").value_or("");
          f.action = req.Query("action").value_or("");
          f.object_type = req.Query("object_type").value_or("");
          f.object_id = req.Query("object_id").value_or("");
          TH_ASSIGN_OR_RETURN(f.from, OptQueryId(req, "from"));
          TH_ASSIGN_OR_RETURN(f.to, OptQueryId(req, "to"));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto entries, s.audit().List(who, f, page, &total));
          json::array items;
          TH_ASSIGN_OR_RETURN(auto names, s.audit().ObjectNames(who, entries));
          for (auto& e : entries) items.push_back(AuditJson(e, names));
          json::object out = Paged(std::move(items), total, page);
          json::object names_json;  // unit and user ids in the changes, by kind
          for (const char* kind : {"org_unit", "user"}) {
            auto it = names.by_kind.find(kind);
            if (it == names.by_kind.end()) continue;
            json::object o;
            for (const auto& [id, name] : it->second) o[std::to_string(id)] = name;
            names_json[kind] = std::move(o);
          }
          out["names"] = std::move(names_json);
          return JsonResponse(out);
        }));
  r.Add("GET", "/api/v1/audit/actions", A([](http::Request&, const Principal& who) -> Result<http::Response> {
          if (!who.Can(perm::kAuditRead)) return Status::Forbidden();
          json::array items;
          for (const auto& a : service::AuditActionNames()) {
            items.push_back(json::object{{"code", a.code}, {"zh", a.zh}, {"en", a.en}});
          }
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("GET", "/api/v1/audit/verify", A([&s](http::Request&, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto v, s.audit().Verify(&who));
          json::object o{{"ok", v.ok}, {"checked", v.checked}};
          if (!v.ok) {
            o["first_bad_id"] = v.first_bad_seq;
            o["reason"] = v.reason;
          }
          return JsonResponse(o);
        }));
}


}  // namespace

void RegisterPlatformRoutes(http::Router& r, Services& s, const RouteContext& ctx, const ApiOptions& options) {
  auto A = [&ctx](AuthedFn fn, bool allow = false) { return ctx.authed_with(std::move(fn), allow); };
  r.Add("GET", "/api/v1/health", [options](http::Request&) {
    return JsonResponse(json::object{{"status", "ok"}, {"database", options.database_engine}, {"version", options.version}});
  });
  r.Add("POST", "/api/v1/auth/login", [&s](http::Request& req) -> http::Response {
    auto b = Body::Parse(req, {"username", "password"});
    if (!b.ok()) return ErrorResponse(req, b.status());
    auto user = b->Str("username");
    auto pw = b->MaybeStr("password");
    if (!user.ok()) return ErrorResponse(req, user.status());
    if (!pw.ok()) return ErrorResponse(req, pw.status());
    // Time spent queued for an offload thread counts against the bounded wait for a hashing slot.
    const std::int64_t queued_ms =
        req.received == std::chrono::steady_clock::time_point{}
            ? 0
            : std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - req.received).count();
    auto res = s.auth().Login(*user, pw->value_or(""), req.client_ip, req.Header("user-agent"), queued_ms);
    if (!res.ok()) {
      http::Response err = ErrorResponse(req, res.status());
      if (err.status == 429 || err.status == 503) {
        err.AddHeader("Retry-After", std::to_string(s.auth().RetryAfterSeconds(res.status())));
      }
      return err;
    }
    auto me = MeJson(s, res->principal);
    if (!me.ok()) return ErrorResponse(req, me.status());
    std::string csrf = res->principal.csrf_token;
    http::Response resp = JsonResponse(json::object{{"user", std::move(me).value()}, {"csrf_token", csrf}});
    resp.AddHeader("Set-Cookie", http::MakeSetCookie(kSessionCookie, res->token, true, req.secure, -1));
    return resp;
  }, /*offload=*/true);  // waits for a hashing slot: never on an I/O thread
  r.Add("POST", "/api/v1/auth/logout", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_RETURN_IF_ERROR(s.auth().Logout(who));
          http::Response resp = NoContent();
          resp.AddHeader("Set-Cookie", http::MakeSetCookie(kSessionCookie, "", true, req.secure, 0));
          return resp;
        }, true));
  r.Add("POST", "/api/v1/auth/logout-all", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_RETURN_IF_ERROR(s.auth().LogoutAll(who));
          http::Response resp = NoContent();
          resp.AddHeader("Set-Cookie", http::MakeSetCookie(kSessionCookie, "", true, req.secure, 0));
          return resp;
        }, true));
  r.Add("GET", "/api/v1/me", A([&s](http::Request&, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto me, MeJson(s, who));
          return JsonResponse(me);
        }, true));
  r.Add("POST", "/api/v1/me/password", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"old_password", "new_password"}));
          TH_ASSIGN_OR_RETURN(auto old_pw, b.MaybeStr("old_password"));
          TH_ASSIGN_OR_RETURN(auto new_pw, b.Str("new_password"));
          TH_RETURN_IF_ERROR(s.auth().ChangePassword(who, old_pw.value_or(""), new_pw));
          return NoContent();
        }, true), /*offload=*/true);
  RegisterAudit(r, s, ctx);
}

}  // namespace th::api
