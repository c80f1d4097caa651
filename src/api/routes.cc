#include <boost/json.hpp>

#include "api/api.h"
#include "api/child_routes.h"
#include "api/screening_routes.h"
#include "platform/work/work_routes.h"
#include "modules/workbench/api/workbench_routes.h"
#include "platform/notify/api/notification_routes.h"
#include "api/json_io.h"
#include "base/clock.h"
#include "io/csv.h"
#include "io/upload_limits.h"
#include "security/crypto.h"
#include "service/audit_service.h"
#include "service/auth_service.h"
#include "service/org_service.h"
#include "service/roles.h"
#include "service/user_service.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;
using service::Services;

namespace {

constexpr const char* kSessionCookie = "th_session";

using AuthedFn = std::function<Result<http::Response>(http::Request&, const Principal&)>;

bool IsSafeMethod(const std::string& m) { return m == "GET" || m == "HEAD"; }

// Wraps a handler with session authentication, CSRF checking for state-changing methods and
// the forced-password-change gate.
http::Handler Authed(Services& s, AuthedFn fn, bool allow_during_password_change = false) {
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

json::object RoleJson(const std::string& code) {
  const service::Role* r = service::FindRole(code);
  return json::object{{"code", code}, {"name", r ? r->name : code}, {"name_en", r ? r->name_en : code}};
}

json::object OrgJson(Services& s, const repo::OrgUnit& u, bool with_names) {
  json::object o{{"id", u.id},
                 {"parent_id", OptInt(u.parent_id)},
                 {"code", u.code},
                 {"name", u.name},
                 {"level", u.level},
                 {"path", u.path},
                 {"retired", u.retired},
                 {"child_count", u.child_count},
                 {"version", u.version},
                 {"created_at", u.created_at},
                 {"updated_at", u.updated_at}};
  if (with_names) {
    json::array names;
    auto n = s.org().PathNames(u.path);
    if (n.ok()) {
      for (auto& x : *n) names.push_back(json::string(x));
    }
    o["path_names"] = std::move(names);
  }
  return o;
}

json::object UserJson(const repo::User& u) {
  return json::object{{"id", u.id},
                      {"username", u.username},
                      {"display_name", u.display_name},
                      {"role", RoleJson(u.role)},
                      {"org_unit", json::object{{"id", u.org_unit_id}, {"name", u.org_unit_name}, {"code", u.org_unit_code}}},
                      {"agency_id", OptInt(u.agency_id)},
                      {"phone_masked", u.phone_masked},
                      {"disabled", u.disabled},
                      {"locked_until", OptInt(u.locked_until)},
                      {"must_change_password", u.must_change_password},
                      {"last_login_at", OptInt(u.last_login_at)},
                      {"version", u.version},
                      {"created_at", u.created_at}};
}

json::object AgencyJson(const repo::Agency& a) {
  return json::object{{"id", a.id},           {"org_unit_id", a.org_unit_id}, {"org_unit_name", a.org_unit_name},
                      {"kind", a.kind},       {"dept_type", a.dept_type},     {"name", a.name},
                      {"contact", a.contact}, {"phone", a.phone},             {"retired", a.retired},
                      {"version", a.version}};
}

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
                      {"role", RoleJson(p.role)},
                      {"permissions", std::move(perms)},
                      {"org_unit", json::object{{"id", p.org_unit_id},
                                                {"code", p.org_code},
                                                {"name", p.org_name},
                                                {"level", p.org_level},
                                                {"path", p.org_path},
                                                {"path_names", std::move(path_names)}}},
                      {"must_change_password", p.must_change_password},
                      {"csrf_token", p.csrf_token}};
}

// Org units ---------------------------------------------------------------------------------

void RegisterOrg(http::Router& r, Services& s) {
  r.Add("GET", "/api/v1/org-units", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          if (auto q = req.Query("q"); q && !q->empty()) {
            TH_ASSIGN_OR_RETURN(auto page, PageFrom(req));
            std::int64_t total = 0;
            TH_ASSIGN_OR_RETURN(auto units, s.org().Search(who, *q, page, &total));
            json::array items;
            for (auto& u : units) items.push_back(OrgJson(s, u, true));
            return JsonResponse(Paged(std::move(items), total, page));
          }
          TH_ASSIGN_OR_RETURN(auto parent, OptQueryId(req, "parent_id"));
          bool include_retired = req.Query("include_retired").value_or("") == "1";
          TH_ASSIGN_OR_RETURN(auto units, s.org().ListChildren(who, parent, include_retired));
          json::array items;
          for (auto& u : units) items.push_back(OrgJson(s, u, !parent));
          std::int64_t n = static_cast<std::int64_t>(items.size());
          return JsonResponse(json::object{{"items", std::move(items)}, {"total", n}, {"page", 1}, {"page_size", n}});
        }));
  r.Add("GET", "/api/v1/org-units/{id}", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Get(who, id));
          return JsonResponse(OrgJson(s, u, true));
        }));
  r.Add("POST", "/api/v1/org-units", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"parent_id", "code", "name", "level"}));
          TH_ASSIGN_OR_RETURN(auto parent, b.Int("parent_id"));
          TH_ASSIGN_OR_RETURN(auto code, b.Str("code"));
          TH_ASSIGN_OR_RETURN(auto name, b.Str("name"));
          TH_ASSIGN_OR_RETURN(auto level, b.Str("level"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Create(who, parent, code, name, level));
          return JsonResponse(OrgJson(s, u, true), 201);
        }));
  r.Add("PATCH", "/api/v1/org-units/{id}", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"name", "version"}));
          TH_ASSIGN_OR_RETURN(auto name, b.Str("name"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Rename(who, id, name, version));
          return JsonResponse(OrgJson(s, u, true));
        }));
  r.Add("POST", "/api/v1/org-units/{id}/move", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"parent_id", "version"}));
          TH_ASSIGN_OR_RETURN(auto parent, b.Int("parent_id"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Move(who, id, parent, version));
          return JsonResponse(OrgJson(s, u, true));
        }));
  r.Add("POST", "/api/v1/org-units/{id}/retire", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version"}));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Retire(who, id, version));
          return JsonResponse(OrgJson(s, u, true));
        }));
  r.Add("POST", "/api/v1/org-units/import", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          if (!who.Can("org.manage")) return Status::Forbidden();
          TH_ASSIGN_OR_RETURN(auto table, io::ParseCsv(req.body, io::UploadCsvOptions()));
          int c_code = table.ColumnIndex("code"), c_name = table.ColumnIndex("name");
          int c_level = table.ColumnIndex("level"), c_parent = table.ColumnIndex("parent_code");
          if (c_code < 0 || c_name < 0) {
            return Status::Invalid("file", "missing_columns", "CSV缺少必需的列: code, name",
                                   "The CSV needs the columns code and name (level and parent_code optional)");
          }
          std::vector<service::OrgImportRow> rows;
          for (std::size_t i = 0; i < table.rows.size(); ++i) {
            const auto& f = table.rows[i];
            service::OrgImportRow row;
            row.line = static_cast<int>(table.row_lines[i]);
            row.code = f[c_code];
            row.name = f[c_name];
            if (c_level >= 0) row.level = f[c_level];
            if (c_parent >= 0) row.parent_code = f[c_parent];
            rows.push_back(std::move(row));
          }
          bool dry = req.Query("dry_run").value_or("") == "1";
          TH_ASSIGN_OR_RETURN(auto report, s.org().Import(who, rows, dry));
          json::array rejected;
          bool en = WantsEnglish(req);
          for (auto& x : report.rejected) {
            rejected.push_back(json::object{{"line", x.line}, {"code", x.code}, {"message", en ? x.message_en : x.message}});
          }
          for (auto& rr : table.ragged) {
            rejected.push_back(json::object{{"line", rr.line}, {"code", ""},
                                            {"message", en ? "wrong number of fields" : "列数与表头不一致"}});
          }
          json::object out{{"created", report.created}, {"updated", report.updated}, {"unchanged", report.unchanged},
                           {"rows", static_cast<std::int64_t>(rows.size())}, {"dry_run", dry},
                           {"charset", table.charset == text::Charset::kUtf8 ? "utf-8" : "gb18030"},
                           {"rejected", rejected}};
          if (!report.rejected.empty()) {
            Status st = Status::Invalid("file", "import_rejected",
                                        "有" + std::to_string(report.rejected.size()) + "行未通过校验，未导入任何数据",
                                        std::to_string(report.rejected.size()) + " rows were rejected; nothing was imported");
            http::Response resp = ErrorResponse(req, st);
            json::value v = json::parse(resp.body);
            v.as_object()["rejected"] = std::move(rejected);
            resp.body = json::serialize(v);
            return resp;
          }
          return JsonResponse(out);
        }));

  // Agencies.
  r.Add("GET", "/api/v1/agencies", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, PageFrom(req));
          TH_ASSIGN_OR_RETURN(auto unit, OptQueryId(req, "org_unit_id"));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, s.org().ListAgencies(who, unit, req.Query("kind").value_or(""), page, &total));
          json::array items;
          for (auto& a : list) items.push_back(AgencyJson(a));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  auto agency_from = [](const Body& b, repo::Agency& a) -> Status {
    TH_ASSIGN_OR_RETURN(a.org_unit_id, b.Int("org_unit_id"));
    TH_ASSIGN_OR_RETURN(a.kind, b.Str("kind"));
    TH_ASSIGN_OR_RETURN(a.name, b.Str("name"));
    TH_ASSIGN_OR_RETURN(auto dt, b.MaybeStr("dept_type"));
    TH_ASSIGN_OR_RETURN(auto contact, b.MaybeStr("contact"));
    TH_ASSIGN_OR_RETURN(auto phone, b.MaybeStr("phone"));
    a.dept_type = dt.value_or("");
    a.contact = contact.value_or("");
    a.phone = phone.value_or("");
    return Status::Ok();
  };
  r.Add("POST", "/api/v1/agencies", Authed(s, [&s, agency_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"org_unit_id", "kind", "dept_type", "name", "contact", "phone"}));
          repo::Agency a;
          TH_RETURN_IF_ERROR(agency_from(b, a));
          TH_ASSIGN_OR_RETURN(auto out, s.org().CreateAgency(who, a));
          return JsonResponse(AgencyJson(out), 201);
        }));
  r.Add("GET", "/api/v1/agencies/{id}", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto a, s.org().GetAgency(who, id));
          return JsonResponse(AgencyJson(a));
        }));
  r.Add("PATCH", "/api/v1/agencies/{id}", Authed(s, [&s, agency_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"org_unit_id", "kind", "dept_type", "name", "contact", "phone", "version"}));
          repo::Agency a;
          TH_RETURN_IF_ERROR(agency_from(b, a));
          a.id = id;
          TH_ASSIGN_OR_RETURN(a.version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto out, s.org().UpdateAgency(who, a));
          return JsonResponse(AgencyJson(out));
        }));
  r.Add("POST", "/api/v1/agencies/{id}/retire", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version"}));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto out, s.org().RetireAgency(who, id, version));
          return JsonResponse(AgencyJson(out));
        }));
}

// Users ------------------------------------------------------------------------------------

void RegisterUsers(http::Router& r, Services& s) {
  r.Add("GET", "/api/v1/roles", Authed(s, [](http::Request&, const Principal&) -> Result<http::Response> {
          json::array items;
          for (const auto& role : service::AllRoles()) {
            json::array perms;
            for (const auto& p : role.permissions) perms.push_back(json::string(p));
            items.push_back(json::object{{"code", role.code}, {"name", role.name}, {"name_en", role.name_en},
                                         {"permissions", std::move(perms)}});
          }
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("GET", "/api/v1/users", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, PageFrom(req));
          repo::UserFilter f;
          TH_ASSIGN_OR_RETURN(f.org_unit_id, OptQueryId(req, "org_unit_id"));
          f.q = req.Query("q").value_or("");
          f.role = req.Query("role").value_or("");
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto users, s.users().List(who, f, page, &total));
          json::array items;
          for (auto& u : users) items.push_back(UserJson(u));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  r.Add("GET", "/api/v1/users/{id}", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto u, s.users().Get(who, id));
          return JsonResponse(UserJson(u));
        }));
  r.Add("POST", "/api/v1/users", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"username", "display_name", "role", "org_unit_id", "phone", "agency_id"}));
          service::NewUser u;
          TH_ASSIGN_OR_RETURN(u.username, b.Str("username"));
          TH_ASSIGN_OR_RETURN(u.display_name, b.Str("display_name"));
          TH_ASSIGN_OR_RETURN(u.role, b.Str("role"));
          TH_ASSIGN_OR_RETURN(u.org_unit_id, b.Int("org_unit_id"));
          TH_ASSIGN_OR_RETURN(u.agency_id, b.MaybeInt("agency_id"));
          TH_ASSIGN_OR_RETURN(auto phone, b.MaybeStr("phone"));
          u.phone = phone.value_or("");
          TH_ASSIGN_OR_RETURN(auto created, s.users().Create(&who, u));
          return JsonResponse(json::object{{"user", UserJson(created.first)}, {"initial_password", created.second}}, 201);
        }));
  r.Add("PATCH", "/api/v1/users/{id}", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"display_name", "role", "org_unit_id", "phone", "version"}));
          service::UserEdit e;
          e.id = id;
          TH_ASSIGN_OR_RETURN(e.version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(e.display_name, b.MaybeStr("display_name"));
          TH_ASSIGN_OR_RETURN(e.role, b.MaybeStr("role"));
          TH_ASSIGN_OR_RETURN(e.org_unit_id, b.MaybeInt("org_unit_id"));
          TH_ASSIGN_OR_RETURN(e.phone, b.MaybeStr("phone"));
          TH_ASSIGN_OR_RETURN(auto u, s.users().Update(who, e));
          return JsonResponse(UserJson(u));
        }));
  r.Add("POST", "/api/v1/users/{id}/reset-password", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto pw, s.users().ResetPassword(who, id));
          return JsonResponse(json::object{{"initial_password", pw}});
        }));
  auto toggle = [&s](bool disable) {
    return [&s, disable](http::Request& req, const Principal& who) -> Result<http::Response> {
      TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
      TH_ASSIGN_OR_RETURN(auto u, s.users().SetDisabled(who, id, disable));
      return JsonResponse(UserJson(u));
    };
  };
  r.Add("POST", "/api/v1/users/{id}/disable", Authed(s, toggle(true)));
  r.Add("POST", "/api/v1/users/{id}/enable", Authed(s, toggle(false)));
  r.Add("POST", "/api/v1/users/{id}/unlock", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto u, s.users().Unlock(who, id));
          return JsonResponse(UserJson(u));
        }));
}

// Audit ------------------------------------------------------------------------------------

void RegisterAudit(http::Router& r, Services& s) {
  r.Add("GET", "/api/v1/audit", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
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
  r.Add("GET", "/api/v1/audit/actions", Authed(s, [](http::Request&, const Principal& who) -> Result<http::Response> {
          if (!who.Can("audit.read")) return Status::Forbidden();
          json::array items;
          for (const auto& a : service::AuditActionNames()) {
            items.push_back(json::object{{"code", a.code}, {"zh", a.zh}, {"en", a.en}});
          }
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("GET", "/api/v1/audit/verify", Authed(s, [&s](http::Request&, const Principal& who) -> Result<http::Response> {
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

void RegisterRoutes(http::Router& r, Services& s, const ApiOptions& options) {
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
  r.Add("POST", "/api/v1/auth/logout", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_RETURN_IF_ERROR(s.auth().Logout(who));
          http::Response resp = NoContent();
          resp.AddHeader("Set-Cookie", http::MakeSetCookie(kSessionCookie, "", true, req.secure, 0));
          return resp;
        }, true));
  r.Add("POST", "/api/v1/auth/logout-all", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_RETURN_IF_ERROR(s.auth().LogoutAll(who));
          http::Response resp = NoContent();
          resp.AddHeader("Set-Cookie", http::MakeSetCookie(kSessionCookie, "", true, req.secure, 0));
          return resp;
        }, true));
  r.Add("GET", "/api/v1/me", Authed(s, [&s](http::Request&, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto me, MeJson(s, who));
          return JsonResponse(me);
        }, true));
  r.Add("POST", "/api/v1/me/password", Authed(s, [&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"old_password", "new_password"}));
          TH_ASSIGN_OR_RETURN(auto old_pw, b.MaybeStr("old_password"));
          TH_ASSIGN_OR_RETURN(auto new_pw, b.Str("new_password"));
          TH_RETURN_IF_ERROR(s.auth().ChangePassword(who, old_pw.value_or(""), new_pw));
          return NoContent();
        }, true), /*offload=*/true);
  RegisterOrg(r, s);
  RegisterUsers(r, s);
  RegisterAudit(r, s);
  RegisterChildRoutes(r, s, {[&s](ChildAuthedFn f) { return Authed(s, std::move(f)); }, PageFrom});
  RegisterScreeningRoutes(r, s, {[&s](ChildAuthedFn f) { return Authed(s, std::move(f)); }, PageFrom});
  RegisterWorkRoutes(r, s, {[&s](ChildAuthedFn f) { return Authed(s, std::move(f)); }, PageFrom});
  RegisterNotificationRoutes(r, s, {[&s](ChildAuthedFn f) { return Authed(s, std::move(f)); }, PageFrom});
  RegisterWorkbenchRoutes(r, s, {[&s](ChildAuthedFn f) { return Authed(s, std::move(f)); }, PageFrom});
}

}  // namespace th::api
