#include "modules/plans/api/plan_routes.h"

#include <boost/json.hpp>

#include "modules/plans/api/plan_json.h"
#include "modules/plans/service/plan_service.h"
#include "platform/api/json_io.h"
#include "platform/api/upload.h"

namespace th::api {

namespace json = boost::json;
using service::PlanService;
using service::Principal;

namespace {

bool Reveal(const http::Request& req) { return QueryStr(req, "reveal") == "1"; }

http::Response Binary(std::string bytes, const std::string& type, const std::string& disposition) {
  http::Response resp;
  resp.content_type = type;
  resp.body = std::move(bytes);
  resp.AddHeader("Cache-Control", "private, no-store");
  resp.AddHeader("X-Content-Type-Options", "nosniff");
  resp.AddHeader("Content-Disposition", disposition);
  return resp;
}

// The plan routes: a case's plans, one plan, its steps, its document, the approval queue.
void RegisterPlans(http::Router& r, PlanService* svc, const RouteContext& ctx) {
  auto A = ctx.authed;
  r.Add("GET", "/api/v1/plan-config", A([svc](http::Request&, const Principal&) -> Result<http::Response> {
          return JsonResponse(ConfigJson(svc->config()));
        }));
  r.Add("GET", "/api/v1/cases/{id}/plans", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->ForCase(who, id, Reveal(req)));
          return JsonResponse(CasePlansJson(v, svc->config(), WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/cases/{id}/plans", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto in, PlanInputFrom(req, false));
          TH_ASSIGN_OR_RETURN(auto v, svc->Create(who, id, in));
          return JsonResponse(PlanJson(v, svc->config(), WantsEnglish(req)), 201);
        }));
  r.Add("GET", "/api/v1/plans/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Get(who, id, Reveal(req)));
          return JsonResponse(PlanJson(v, svc->config(), WantsEnglish(req)));
        }));
  r.Add("PUT", "/api/v1/plans/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto in, PlanInputFrom(req, true));
          TH_ASSIGN_OR_RETURN(auto v, svc->Update(who, id, in));
          return JsonResponse(PlanJson(v, svc->config(), WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/plans/{id}/actions", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"action", "note", "version"}));
          TH_ASSIGN_OR_RETURN(auto action, b.Str("action"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          const std::string note = b.OptStr("note").value_or("");
          Result<service::PlanView> v = Status::InvalidEnum("action", action);
          if (action == "submit") v = svc->Submit(who, id, version);
          if (action == "approve" || action == "return") v = svc->Review(who, id, action == "approve", note, version);
          TH_RETURN_IF_ERROR(v.status());
          return JsonResponse(PlanJson(*v, svc->config(), WantsEnglish(req)));
        }));
  r.Add("POST", "/api/v1/plans/{id}/tasks/{task}/done", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto task, ParseId(req.path_params["task"], "task"));
          TH_ASSIGN_OR_RETURN(auto v, svc->CompleteTask(who, id, task));
          return JsonResponse(PlanJson(v, svc->config(), WantsEnglish(req)));
        }));
  r.Add("GET", "/api/v1/plans/{id}/document", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto d, svc->Document(who, id, WantsEnglish(req)));
          return JsonResponse(DocumentJson(d));
        }));
  r.Add("GET", "/api/v1/plans/{id}/docx", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto d, svc->Docx(who, id, WantsEnglish(req)));
          return Binary(std::move(d.bytes), "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "attachment; filename=\"" + d.file_name + "\"");
        }));
  r.Add("GET", "/api/v1/plan-approvals", A([svc, ctx](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, ctx.page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->Pending(who, page, &total));
          json::array items;
          for (const auto& p : list) items.push_back(PlanSummaryJson(p, WantsEnglish(req)));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
}

// Service records and their attachments.
void RegisterRecords(http::Router& r, PlanService* svc, const RouteContext& ctx) {
  auto A = ctx.authed;
  r.Add("GET", "/api/v1/cases/{id}/services", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto list, svc->Records(who, id));
          json::array items;
          for (const auto& x : list) items.push_back(RecordJson(x, svc->config(), WantsEnglish(req)));
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("POST", "/api/v1/cases/{id}/services", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto in, ServiceInputFrom(req));
          TH_ASSIGN_OR_RETURN(auto rec, svc->AddRecord(who, id, in));
          return JsonResponse(RecordJson(rec, svc->config(), WantsEnglish(req)), 201);
        }));
  r.Add("GET", "/api/v1/service-records/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->GetRecord(who, id));
          json::object j = RecordJson(v.record, svc->config(), WantsEnglish(req));
          json::array atts;
          for (const auto& a : v.attachments) atts.push_back(StoredFileJson(a, "record_id"));
          j["attachments"] = std::move(atts);
          return JsonResponse(j);
        }));
  // Raw body (kFiles: JPEG, PNG or PDF by its bytes) under the upload prefix.
  AddAttachmentRoutes(r, ctx, {"/api/v1/service-attachments", "record_id",
                               [svc](const Principal& who, std::int64_t id, const std::string& name,
                                     const std::string& bytes) { return svc->Attach(who, id, name, bytes); },
                               [svc](const Principal& who, std::int64_t id, std::int64_t attachment_id) {
                                 return svc->Attachment(who, id, attachment_id);
                               }});
}

// Group services: list, create, read, members, sessions, open/close.
void RegisterGroups(http::Router& r, PlanService* svc, const RouteContext& ctx) {
  auto A = ctx.authed;
  r.Add("GET", "/api/v1/service-groups", A([svc, ctx](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto page, ctx.page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->Groups(who, page, &total));
          json::array items;
          for (const auto& g : list) items.push_back(GroupJson(g, svc->config(), WantsEnglish(req)));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  r.Add("POST", "/api/v1/service-groups", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto in, GroupInputFrom(req));
          TH_ASSIGN_OR_RETURN(auto g, svc->CreateGroup(who, in));
          return JsonResponse(GroupJson(g, svc->config(), WantsEnglish(req)), 201);
        }));
  r.Add("GET", "/api/v1/service-groups/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          std::vector<repo::GroupMemberRow> members;
          std::vector<repo::GroupSessionRecord> sessions;
          TH_ASSIGN_OR_RETURN(auto g, svc->GetGroup(who, id, &members, &sessions));
          json::object j = GroupJson(g, svc->config(), WantsEnglish(req));
          json::array ms, ss;
          for (const auto& m : members) {
            ms.push_back(json::object{{"case_id", m.case_id}, {"child_id", m.child_id}, {"joined_at", m.joined_at}});
          }
          for (const auto& s : sessions) ss.push_back(SessionJson(s));
          j["member_list"] = std::move(ms);
          j["session_list"] = std::move(ss);
          return JsonResponse(j);
        }));
  r.Add("POST", "/api/v1/service-groups/{id}/members", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"case_id"}));
          TH_ASSIGN_OR_RETURN(auto case_id, b.Int("case_id"));
          TH_RETURN_IF_ERROR(svc->AddMember(who, id, case_id));
          return NoContent();
        }));
  r.Add("DELETE", "/api/v1/service-groups/{id}/members/{case}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto case_id, ParseId(req.path_params["case"], "case"));
          TH_RETURN_IF_ERROR(svc->RemoveMember(who, id, case_id));
          return NoContent();
        }));
  r.Add("POST", "/api/v1/service-groups/{id}/sessions", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto in, SessionInputFrom(req));
          TH_ASSIGN_OR_RETURN(auto s, svc->AddSession(who, id, in));
          return JsonResponse(SessionJson(s), 201);
        }));
  r.Add("POST", "/api/v1/service-groups/{id}/status", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"status", "version"}));
          TH_ASSIGN_OR_RETURN(auto status, b.Str("status"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto g, svc->SetGroupStatus(who, id, status, version));
          return JsonResponse(GroupJson(g, svc->config(), WantsEnglish(req)));
        }));
}

}  // namespace

void RegisterPlanRoutes(http::Router& r, PlanService& svc, const RouteContext& ctx) {
  RegisterPlans(r, &svc, ctx);
  RegisterRecords(r, &svc, ctx);
  RegisterGroups(r, &svc, ctx);
}

}  // namespace th::api
