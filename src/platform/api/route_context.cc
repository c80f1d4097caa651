#include "platform/api/route_context.h"

#include "platform/api/json_io.h"
#include "platform/service/auth_service.h"
#include "platform/service/roles.h"
#include "platform/service/services.h"
#include "security/crypto.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;
using service::Services;

namespace {

bool IsSafeMethod(const std::string& m) { return m == "GET" || m == "HEAD"; }

// Wraps a handler with session authentication, CSRF checking for state-changing methods and
// the forced-password-change gate.
http::Handler Authed(Services& s, AuthedFn fn, bool allow_during_password_change) {
  return [&s, fn = std::move(fn), allow_during_password_change](http::Request& req) -> http::Response {
    auto it = req.cookies.find(kSessionCookie);
    if (it == req.cookies.end()) return ErrorResponse(req, Status::Unauthenticated());
    auto who = s.auth().Authenticate(it->second, req.client_ip);
    if (!who.ok()) return ErrorResponse(req, who.status());
    if (!IsSafeMethod(req.method)) {
      std::string token = req.Header("x-csrf-token");
      if (token.empty() || !security::SafeEquals(token, who->csrf_token)) {
        return ErrorResponse(req, Status::Error(Code::kPermissionDenied, "csrf_failed", "安全校验失败，请刷新页面后重试",
                                                "CSRF check failed; reload the page and try again"));
      }
    }
    if (who->must_change_password && !allow_during_password_change) {
      return ErrorResponse(req, Status::Error(Code::kPermissionDenied, "password_change_required",
                                              "首次登录或密码被重置，请先修改密码",
                                              "You must change your password first"));
    }
    auto r = fn(req, *who);
    if (!r.ok()) return ErrorResponse(req, r.status());
    return std::move(r).value();
  };
}


}  // namespace

Result<repo::Page> PageFrom(const http::Request& req) {
  std::int64_t page = 1, size = 20;
  if (auto p = req.Query("page"); p && !p->empty()) {
    auto v = ParseId(*p, "page");
    if (!v.ok()) return Status::Invalid("page", "invalid_page", "页码无效", "Invalid page");
    page = *v;
  }
  if (auto p = req.Query("page_size"); p && !p->empty()) {
    auto v = ParseId(*p, "page_size");
    if (!v.ok()) return Status::Invalid("page_size", "invalid_page_size", "每页条数无效", "Invalid page_size");
    size = *v;
  }
  return service::MakePage(page, size);
}

RouteContext MakeRouteContext(Services& s) {
  RouteContext ctx;
  ctx.authed_with = [&s](AuthedFn fn, bool allow) { return Authed(s, std::move(fn), allow); };
  ctx.authed = [&s](AuthedFn fn) { return Authed(s, std::move(fn), false); };
  ctx.page_from = PageFrom;
  return ctx;
}

json::object Paged(json::array items, std::int64_t total, const repo::Page& p) {
  return json::object{{"items", std::move(items)}, {"total", total}, {"page", p.page}, {"page_size", p.page_size}};
}

Result<std::optional<std::int64_t>> OptQueryId(const http::Request& req, const char* name) {
  auto q = req.Query(name);
  if (!q || q->empty()) return std::optional<std::int64_t>();
  TH_ASSIGN_OR_RETURN(auto v, ParseId(*q, name));
  return std::optional<std::int64_t>(v);
}

json::value OptInt(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object RoleJson(const service::RoleTable& roles, const std::string& code) {
  const service::Role* r = roles.Find(code);
  return json::object{{"code", code}, {"name", r ? r->name : code}, {"name_en", r ? r->name_en : code}};
}

}  // namespace th::api
