#include "modules/accounts/api/accounts_routes.h"

#include "modules/accounts/api/accounts_module.h"

#include <boost/json.hpp>

#include "platform/api/upload.h"
#include "modules/accounts/service/accounts.h"
#include "platform/api/json_io.h"
#include "platform/service/roles.h"
#include "modules/accounts/permissions.h"

namespace th::api {

namespace json = boost::json;
using service::Principal;

namespace {

// The import's answer: 200 with the counts, or with rejected rows 400 import_rejected (field
// "file") carrying the same `rejected` list; nothing was written then.
http::Response OrgImportResponse(const http::Request& req, const service::OrgImportReport& report, bool dry) {
  json::array rejected;
  bool en = WantsEnglish(req);
  for (auto& x : report.rejected) {
    rejected.push_back(json::object{{"line", x.line}, {"code", x.code}, {"message", en ? x.message_en : x.message}});
  }
  if (!report.rejected.empty()) {
    Status st = Status::Invalid("file", "import_rejected",
                                "有" + std::to_string(report.rejected.size()) + "行未通过校验，未导入任何数据",
                                std::to_string(report.rejected.size()) + " rows were rejected; nothing was imported");
    http::Response resp = ErrorResponse(req, st);
    json::value v = json::parse(resp.body);
    v.as_object()["rejected"] = std::move(rejected);
    v.as_object()["dry_run"] = dry;
    // What the valid rows would have done, for the dry run's summary.
    v.as_object()["created"] = report.created;
    v.as_object()["updated"] = report.updated;
    v.as_object()["unchanged"] = report.unchanged;
    v.as_object()["rows"] = report.rows;
    resp.body = json::serialize(v);
    return resp;
  }
  // charset in lower case as this route always said it ("utf-8", "gb18030"); the preview says "GB18030".
  std::string cs = report.charset;
  for (char& c : cs) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return JsonResponse(json::object{{"created", report.created}, {"updated", report.updated},
                                   {"unchanged", report.unchanged}, {"rows", report.rows}, {"dry_run", dry},
                                   {"format", report.format}, {"charset", cs},
                                   {"rejected", std::move(rejected)}});
}

json::object OrgJson(service::Accounts& s, const repo::OrgUnit& u, bool with_names) {
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

json::object UserJson(const service::RoleTable& roles, const repo::User& u) {
  return json::object{{"id", u.id},
                      {"username", u.username},
                      {"display_name", u.display_name},
                      {"role", RoleJson(roles, u.role)},
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

// Org units ---------------------------------------------------------------------------------

// Long: a flat list of route registrations (org units, agencies), one short lambda each.
void RegisterOrg(http::Router& r, service::Accounts& s, const RouteContext& ctx) {
  auto A = ctx.authed;
  r.Add("GET", "/api/v1/org-units", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
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
  r.Add("GET", "/api/v1/org-units/{id}", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Get(who, id));
          return JsonResponse(OrgJson(s, u, true));
        }));
  r.Add("POST", "/api/v1/org-units", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"parent_id", "code", "name", "level"}));
          TH_ASSIGN_OR_RETURN(auto parent, b.Int("parent_id"));
          TH_ASSIGN_OR_RETURN(auto code, b.Str("code"));
          TH_ASSIGN_OR_RETURN(auto name, b.Str("name"));
          TH_ASSIGN_OR_RETURN(auto level, b.Str("level"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Create(who, parent, code, name, level));
          return JsonResponse(OrgJson(s, u, true), 201);
        }));
  r.Add("PATCH", "/api/v1/org-units/{id}", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"name", "version"}));
          TH_ASSIGN_OR_RETURN(auto name, b.Str("name"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Rename(who, id, name, version));
          return JsonResponse(OrgJson(s, u, true));
        }));
  r.Add("POST", "/api/v1/org-units/{id}/move", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"parent_id", "version"}));
          TH_ASSIGN_OR_RETURN(auto parent, b.Int("parent_id"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Move(who, id, parent, version));
          return JsonResponse(OrgJson(s, u, true));
        }));
  r.Add("POST", "/api/v1/org-units/{id}/retire", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version"}));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto u, s.org().Retire(who, id, version));
          return JsonResponse(OrgJson(s, u, true));
        }));
  r.Add("POST", "/api/v1/org-units/import/preview",
        A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto up, ReadUpload(req));
          std::string sheet = up.sheet.empty() ? req.Query("sheet").value_or("") : up.sheet;
          TH_ASSIGN_OR_RETURN(auto p, s.org().PreviewImport(who, up.bytes, sheet, 10));
          return JsonResponse(SheetPreviewJson(p, service::OrgImportFields(), up.file_name));
        }));
  r.Add("POST", "/api/v1/org-units/import", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          if (!who.Can(perm::kOrgManage)) return Status::Forbidden();
          TH_ASSIGN_OR_RETURN(auto up, ReadUpload(req));
          service::OrgSheetImport o;
          o.sheet = up.sheet.empty() ? req.Query("sheet").value_or("") : up.sheet;
          o.dry_run = req.Query("dry_run").value_or("") == "1" || req.Query("dry_run").value_or("") == "true";
          TH_ASSIGN_OR_RETURN(o.mapping,
                              ParseMapping(up.mapping_json.empty() ? req.Query("mapping").value_or("") : up.mapping_json));
          TH_ASSIGN_OR_RETURN(auto report, s.org().ImportSheet(who, up.bytes, o));
          return OrgImportResponse(req, report, o.dry_run);
        }));

  // Agencies.
  r.Add("GET", "/api/v1/agencies", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
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
  r.Add("POST", "/api/v1/agencies", A([&s, agency_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"org_unit_id", "kind", "dept_type", "name", "contact", "phone"}));
          repo::Agency a;
          TH_RETURN_IF_ERROR(agency_from(b, a));
          TH_ASSIGN_OR_RETURN(auto out, s.org().CreateAgency(who, a));
          return JsonResponse(AgencyJson(out), 201);
        }));
  r.Add("GET", "/api/v1/agencies/{id}", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto a, s.org().GetAgency(who, id));
          return JsonResponse(AgencyJson(a));
        }));
  r.Add("PATCH", "/api/v1/agencies/{id}", A([&s, agency_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"org_unit_id", "kind", "dept_type", "name", "contact", "phone", "version"}));
          repo::Agency a;
          TH_RETURN_IF_ERROR(agency_from(b, a));
          a.id = id;
          TH_ASSIGN_OR_RETURN(a.version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto out, s.org().UpdateAgency(who, a));
          return JsonResponse(AgencyJson(out));
        }));
  r.Add("POST", "/api/v1/agencies/{id}/retire", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version"}));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto out, s.org().RetireAgency(who, id, version));
          return JsonResponse(AgencyJson(out));
        }));
}

// Users ------------------------------------------------------------------------------------

// Long: a flat list of route registrations (users, roles), one short lambda each.
void RegisterUsers(http::Router& r, service::Accounts& s, const RouteContext& ctx) {
  auto A = ctx.authed;
  r.Add("GET", "/api/v1/roles", A([&s](http::Request&, const Principal&) -> Result<http::Response> {
          json::array items;
          for (const auto& role : s.roles().all()) {
            json::array perms;
            for (const auto& p : role.permissions) perms.push_back(json::string(p));
            items.push_back(json::object{{"code", role.code}, {"name", role.name}, {"name_en", role.name_en},
                                         {"permissions", std::move(perms)}});
          }
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("GET", "/api/v1/users", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, PageFrom(req));
          repo::UserFilter f;
          TH_ASSIGN_OR_RETURN(f.org_unit_id, OptQueryId(req, "org_unit_id"));
          f.q = req.Query("q").value_or("");
          f.role = req.Query("role").value_or("");
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto users, s.users().List(who, f, page, &total));
          json::array items;
          for (auto& u : users) items.push_back(UserJson(s.roles(), u));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  r.Add("GET", "/api/v1/users/{id}", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto u, s.users().Get(who, id));
          return JsonResponse(UserJson(s.roles(), u));
        }));
  r.Add("POST", "/api/v1/users", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
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
          return JsonResponse(json::object{{"user", UserJson(s.roles(), created.first)}, {"initial_password", created.second}}, 201);
        }));
  r.Add("PATCH", "/api/v1/users/{id}", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
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
          return JsonResponse(UserJson(s.roles(), u));
        }));
  r.Add("POST", "/api/v1/users/{id}/reset-password", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto pw, s.users().ResetPassword(who, id));
          return JsonResponse(json::object{{"initial_password", pw}});
        }));
  auto toggle = [&s](bool disable) {
    return [&s, disable](http::Request& req, const Principal& who) -> Result<http::Response> {
      TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
      TH_ASSIGN_OR_RETURN(auto u, s.users().SetDisabled(who, id, disable));
      return JsonResponse(UserJson(s.roles(), u));
    };
  };
  r.Add("POST", "/api/v1/users/{id}/disable", A(toggle(true)));
  r.Add("POST", "/api/v1/users/{id}/enable", A(toggle(false)));
  r.Add("POST", "/api/v1/users/{id}/unlock", A([&s](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto u, s.users().Unlock(who, id));
          return JsonResponse(UserJson(s.roles(), u));
        }));
}

}  // namespace

void AccountsModule::RegisterRoutes(http::Router& r, const RouteContext& ctx) {
  RegisterAccountsRoutes(r, accounts_, ctx);
}

void RegisterAccountsRoutes(http::Router& r, service::Accounts& accounts, const RouteContext& ctx) {
  RegisterOrg(r, accounts, ctx);
  RegisterUsers(r, accounts, ctx);
}

}  // namespace th::api
