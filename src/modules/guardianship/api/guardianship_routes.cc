#include "modules/guardianship/api/guardianship_routes.h"

#include <boost/json.hpp>

#include "modules/guardianship/api/guardianship_json.h"
#include "modules/guardianship/permissions.h"
#include "modules/guardianship/service/guardianship_service.h"
#include "platform/api/json_io.h"

namespace th::api {

namespace json = boost::json;
using service::GuardianshipService;
using service::Principal;

namespace {

// A JSON array of strings (the grounds' codes); 400 naming `field` otherwise.
Result<std::vector<std::string>> Codes(const Body& b, const char* field) {
  std::vector<std::string> out;
  const std::string text = b.Json(field);
  if (text.empty()) return out;
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array() || v.as_array().size() > 20) return Status::Invalid(field, "invalid_list", "应为代码列表", "Expected a list of codes");
  for (const auto& e : v.as_array()) {
    if (!e.is_string()) return Status::Invalid(field, "invalid_list", "应为代码列表", "Expected a list of codes");
    out.emplace_back(e.as_string());
  }
  return out;
}

Result<service::GuardianshipListParams> ListParams(const http::Request& req) {
  service::GuardianshipListParams p;
  p.kind = QueryStr(req, "kind");
  p.status = QueryStr(req, "status");
  p.q = QueryStr(req, "q");
  p.open_only = QueryStr(req, "open") == "1" || QueryStr(req, "open") == "true";
  TH_ASSIGN_OR_RETURN(p.child_id, QueryInt(req, "child_id", false));
  TH_ASSIGN_OR_RETURN(p.unit_id, QueryInt(req, "unit_id", false));
  return p;
}

using Handler = std::function<Result<service::GuardianshipView>(GuardianshipService*, const http::Request&,
                                                                const Principal&, std::int64_t id)>;

// POST /api/v1/guardianship/{id}/<verb>: the step answers the intervention's detail.
void AddStep(http::Router& r, GuardianshipService* svc, const RouteContext& ctx, const std::string& verb, Handler h) {
  r.Add("POST", "/api/v1/guardianship/{id}/" + verb,
        ctx.authed([svc, h](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, h(svc, req, who, id));
          return JsonResponse(GuardianshipJson(v, svc->config(), true));
        }));
}

Result<std::string> OptStr(const Body& b, const char* key) {
  TH_ASSIGN_OR_RETURN(auto v, b.MaybeStr(key));
  return v.value_or("");
}

void RegisterReads(http::Router& r, GuardianshipService* svc, const RouteContext& ctx) {
  auto A = ctx.authed;
  auto page_from = ctx.page_from;
  r.Add("GET", "/api/v1/guardianship/config", A([svc](http::Request&, const Principal& who) -> Result<http::Response> {
          if (!who.Can(perm::kGuardianshipRead)) return Status::Forbidden();
          return JsonResponse(GuardianshipConfigJson(svc->config()));
        }));
  r.Add("GET", "/api/v1/guardianship", A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto p, ListParams(req));
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->List(who, p, page, &total));
          json::array items;
          for (const auto& v : list) items.push_back(GuardianshipJson(v, svc->config(), false));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  r.Add("GET", "/api/v1/guardianship/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Get(who, id));
          return JsonResponse(GuardianshipJson(v, svc->config(), true));
        }));
}

void RegisterChanges(http::Router& r, GuardianshipService* svc, const RouteContext& ctx) {
  r.Add("POST", "/api/v1/guardianship", ctx.authed([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"child_id", "kind", "grounds", "reason"}));
          service::ProposeGuardianshipInput in;
          TH_ASSIGN_OR_RETURN(in.child_id, b.Int("child_id"));
          TH_ASSIGN_OR_RETURN(in.kind, OptStr(b, "kind"));
          TH_ASSIGN_OR_RETURN(in.grounds, Codes(b, "grounds"));
          TH_ASSIGN_OR_RETURN(in.reason, OptStr(b, "reason"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Propose(who, in));
          return JsonResponse(GuardianshipJson(v, svc->config(), true), 201);
        }));
  AddStep(r, svc, ctx, "decide",
          [](auto* s, const http::Request& req, const Principal& who, auto id) -> Result<service::GuardianshipView> {
            TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "action", "note"}));
            TH_ASSIGN_OR_RETURN(auto ver, b.Int("version"));

    TH_ASSIGN_OR_RETURN(auto action, b.Str("action"));
    TH_ASSIGN_OR_RETURN(auto note, OptStr(b, "note"));
    return s->Decide(who, id, action, note, ver);
  });
  AddStep(r, svc, ctx, "place",
          [](auto* s, const http::Request& req, const Principal& who, auto id) -> Result<service::GuardianshipView> {
            TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "placement_kind", "placement_name", "placement_contact", "placement_phone", "placement_address",
           "placed_at"}));
            TH_ASSIGN_OR_RETURN(auto ver, b.Int("version"));

            service::PlacementInput in;
            TH_ASSIGN_OR_RETURN(in.kind, OptStr(b, "placement_kind"));
            TH_ASSIGN_OR_RETURN(in.name, OptStr(b, "placement_name"));
            TH_ASSIGN_OR_RETURN(in.contact, OptStr(b, "placement_contact"));
            TH_ASSIGN_OR_RETURN(in.phone, OptStr(b, "placement_phone"));
            TH_ASSIGN_OR_RETURN(in.address, OptStr(b, "placement_address"));
            TH_ASSIGN_OR_RETURN(auto at, b.MaybeInt("placed_at"));
            in.placed_at = at.value_or(0);
            return s->Place(who, id, in, ver);
          });
  AddStep(r, svc, ctx, "checks",
          [](auto* s, const http::Request& req, const Principal& who, auto id) -> Result<service::GuardianshipView> {
            TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "checked_at", "child_state", "notes"}));
            TH_ASSIGN_OR_RETURN(auto ver, b.Int("version"));

            service::PlacementCheckInput in;
            TH_ASSIGN_OR_RETURN(auto at, b.MaybeInt("checked_at"));
            in.checked_at = at.value_or(0);
            TH_ASSIGN_OR_RETURN(in.child_state, OptStr(b, "child_state"));
            TH_ASSIGN_OR_RETURN(in.notes, OptStr(b, "notes"));
            return s->RecordCheck(who, id, in, ver);
          });
  AddStep(r, svc, ctx, "return-assessment",
          [](auto* s, const http::Request& req, const Principal& who, auto id) -> Result<service::GuardianshipView> {
            TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "assessment_id"}));
            TH_ASSIGN_OR_RETURN(auto ver, b.Int("version"));

            TH_ASSIGN_OR_RETURN(auto a, b.Int("assessment_id"));
            return s->LinkReturnAssessment(who, id, a, ver);
          });
  AddStep(r, svc, ctx, "return",
          [](auto* s, const http::Request& req, const Principal& who, auto id) -> Result<service::GuardianshipView> {
            TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "note"}));
            TH_ASSIGN_OR_RETURN(auto ver, b.Int("version"));

            TH_ASSIGN_OR_RETURN(auto note, OptStr(b, "note"));
            return s->Return(who, id, note, ver);
          });
  AddStep(r, svc, ctx, "convert",
          [](auto* s, const http::Request& req, const Principal& who, auto id) -> Result<service::GuardianshipView> {
            TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "grounds", "note"}));
            TH_ASSIGN_OR_RETURN(auto ver, b.Int("version"));

            TH_ASSIGN_OR_RETURN(auto grounds, Codes(b, "grounds"));
            TH_ASSIGN_OR_RETURN(auto note, OptStr(b, "note"));
            return s->Convert(who, id, grounds, note, ver);
          });
  AddStep(r, svc, ctx, "end",
          [](auto* s, const http::Request& req, const Principal& who, auto id) -> Result<service::GuardianshipView> {
            TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version", "end_kind", "ended_at", "note"}));
            TH_ASSIGN_OR_RETURN(auto ver, b.Int("version"));

            TH_ASSIGN_OR_RETURN(auto kind, OptStr(b, "end_kind"));
            TH_ASSIGN_OR_RETURN(auto at, b.MaybeInt("ended_at"));
            TH_ASSIGN_OR_RETURN(auto note, OptStr(b, "note"));
            return s->End(who, id, kind, at.value_or(0), note, ver);
          });
  r.Add("POST", "/api/v1/guardianship/children/{id}/check-done",
        ctx.authed([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"note"}));
          TH_ASSIGN_OR_RETURN(auto note, OptStr(b, "note"));
          TH_RETURN_IF_ERROR(svc->CloseCheck(who, id, note));
          return NoContent();
        }));
}

}  // namespace

void RegisterGuardianshipRoutes(http::Router& r, GuardianshipService& svc, const RouteContext& ctx) {
  RegisterReads(r, &svc, ctx);
  RegisterChanges(r, &svc, ctx);
}

}  // namespace th::api
