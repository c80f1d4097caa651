#include "modules/cases/api/case_routes.h"

#include <boost/json.hpp>

#include "modules/cases/api/case_json.h"
#include "modules/cases/service/case_service.h"
#include "platform/api/json_io.h"
#include "platform/service/principal.h"

namespace th::api {

namespace json = boost::json;
using service::CaseService;
using service::Principal;

namespace {

Result<service::CaseListParams> ListParams(const http::Request& req) {
  service::CaseListParams p;
  p.status = QueryStr(req, "status");
  p.grade = QueryStr(req, "grade");
  p.q = QueryStr(req, "q");
  p.open_only = QueryStr(req, "open") == "1" || QueryStr(req, "open") == "true";
  TH_ASSIGN_OR_RETURN(p.worker_user_id, OptQueryId(req, "worker_id"));
  TH_ASSIGN_OR_RETURN(p.child_id, OptQueryId(req, "child_id"));
  TH_ASSIGN_OR_RETURN(p.unit_id, OptQueryId(req, "unit_id"));
  return p;
}

void RegisterCaseWork(http::Router& r, CaseService* svc, const RouteContext& ctx) {
  auto A = ctx.authed;
  auto page_from = ctx.page_from;
  r.Add("GET", "/api/v1/cases", A([svc, page_from](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto p, ListParams(req));
          TH_ASSIGN_OR_RETURN(auto page, page_from(req));
          std::int64_t total = 0;
          TH_ASSIGN_OR_RETURN(auto list, svc->List(who, p, page, &total));
          json::array items;
          for (const auto& v : list) items.push_back(CaseJson(v, svc->forms(), false));
          return JsonResponse(Paged(std::move(items), total, page));
        }));
  r.Add("POST", "/api/v1/cases", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"child_id", "source", "report_id", "reason", "worker_user_id"}));
          service::OpenCaseInput in;
          TH_ASSIGN_OR_RETURN(in.child_id, b.Int("child_id"));
          TH_ASSIGN_OR_RETURN(in.report_id, b.MaybeInt("report_id"));
          TH_ASSIGN_OR_RETURN(in.worker_user_id, b.MaybeInt("worker_user_id"));
          TH_ASSIGN_OR_RETURN(auto source, b.MaybeStr("source"));
          TH_ASSIGN_OR_RETURN(auto reason, b.MaybeStr("reason"));
          in.source = source.value_or("");
          in.reason = reason.value_or("");
          TH_ASSIGN_OR_RETURN(auto v, svc->Open(who, in));
          return JsonResponse(CaseJson(v, svc->forms(), true), 201);
        }));
  r.Add("GET", "/api/v1/cases/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Get(who, id));
          return JsonResponse(CaseJson(v, svc->forms(), true));
        }));
  r.Add("POST", "/api/v1/cases/{id}/actions", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"action", "note", "version"}));
          TH_ASSIGN_OR_RETURN(auto action, b.Str("action"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Act(who, id, action, note.value_or(""), version));
          return JsonResponse(CaseJson(v, svc->forms(), true));
        }));
  r.Add("GET", "/api/v1/cases/{id}/workers", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto list, svc->AssignableWorkers(who, id));
          boost::json::array items;
          for (const auto& w : list) {
            items.push_back(boost::json::object{
                {"id", w.id}, {"display_name", w.display_name}, {"role", w.role}, {"unit_name", w.unit_name}});
          }
          return JsonResponse(boost::json::object{{"items", std::move(items)}});
        }));
  r.Add("POST", "/api/v1/cases/{id}/assign", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"worker_user_id", "version"}));
          TH_ASSIGN_OR_RETURN(auto worker, b.Int("worker_user_id"));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto v, svc->Assign(who, id, worker, version));
          return JsonResponse(CaseJson(v, svc->forms(), true));
        }));
}

Result<service::AssessmentInput> AssessmentBody(const Body& b) {
  service::AssessmentInput in;
  TH_ASSIGN_OR_RETURN(auto form, b.MaybeStr("form"));
  TH_ASSIGN_OR_RETURN(auto child, b.MaybeInt("child_id"));
  TH_ASSIGN_OR_RETURN(in.case_id, b.MaybeInt("case_id"));
  TH_ASSIGN_OR_RETURN(auto note, b.MaybeStr("note"));
  in.form = form.value_or("");
  in.child_id = child.value_or(0);
  in.note = note.value_or("");
  in.answers_json = b.Json("answers");
  if (in.answers_json.size() > 64 * 1024) return Status::TooLong("answers", 64 * 1024);
  return in;
}

void RegisterAssessments(http::Router& r, CaseService* svc, const RouteContext& ctx) {
  auto A = ctx.authed;
  r.Add("GET", "/api/v1/assessment-forms", A([svc](http::Request&, const Principal& who) -> Result<http::Response> {
          if (!who.Can("case.read")) return Status::Forbidden();
          json::array items;
          for (const auto& [kind, code] : svc->forms().active) {
            if (const auto* f = svc->forms().Find(code)) items.push_back(FormJson(*f));
          }
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("GET", "/api/v1/assessment-forms/{code}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          if (!who.Can("case.read")) return Status::Forbidden();
          TH_ASSIGN_OR_RETURN(auto version, QueryInt(req, "version", false));
          const auto* f = svc->forms().Find(req.path_params["code"], version.value_or(0));
          if (!f) return Status::NotFound("code");
          return JsonResponse(FormJson(*f));
        }));
  r.Add("GET", "/api/v1/children/{id}/assessments", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto list, svc->ChildAssessments(who, id));
          json::array items;
          for (const auto& a : list) items.push_back(AssessmentJson(a, svc->forms()));
          return JsonResponse(json::object{{"items", std::move(items)}});
        }));
  r.Add("POST", "/api/v1/assessments", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"child_id", "form", "case_id", "answers", "note"}));
          TH_ASSIGN_OR_RETURN(auto in, AssessmentBody(b));
          TH_ASSIGN_OR_RETURN(auto a, svc->SaveDraft(who, std::nullopt, in, 0));
          return JsonResponse(AssessmentJson(a, svc->forms()), 201);
        }));
  r.Add("GET", "/api/v1/assessments/compare", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto a, OptQueryId(req, "a"));
          TH_ASSIGN_OR_RETURN(auto b, OptQueryId(req, "b"));
          if (!a) return Status::Required("a");
          if (!b) return Status::Required("b");
          TH_ASSIGN_OR_RETURN(auto cmp, svc->Compare(who, *a, *b));
          json::array rows;
          for (const auto& row : cmp.rows) {
            rows.push_back(json::object{{"section", row.section}, {"question_id", row.question_id}, {"text", row.text},
                                        {"a", row.a}, {"b", row.b}, {"changed", row.changed}});
          }
          return JsonResponse(json::object{{"a", AssessmentJson(cmp.a, svc->forms())},
                                           {"b", AssessmentJson(cmp.b, svc->forms())},
                                           {"rows", std::move(rows)}});
        }));
  r.Add("GET", "/api/v1/assessments/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto a, svc->GetAssessment(who, id));
          return JsonResponse(AssessmentJson(a, svc->forms()));
        }));
  r.Add("PUT", "/api/v1/assessments/{id}", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"answers", "note", "case_id", "version"}));
          TH_ASSIGN_OR_RETURN(auto in, AssessmentBody(b));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto a, svc->SaveDraft(who, id, in, version));
          return JsonResponse(AssessmentJson(a, svc->forms()));
        }));
  r.Add("POST", "/api/v1/assessments/{id}/complete", A([svc](http::Request& req, const Principal& who) -> Result<http::Response> {
          TH_ASSIGN_OR_RETURN(auto id, ParseId(req.path_params["id"], "id"));
          TH_ASSIGN_OR_RETURN(auto b, Body::Parse(req, {"version"}));
          TH_ASSIGN_OR_RETURN(auto version, b.Int("version"));
          TH_ASSIGN_OR_RETURN(auto a, svc->Complete(who, id, version));
          return JsonResponse(AssessmentJson(a, svc->forms()));
        }));
}

}  // namespace

void RegisterCaseRoutes(http::Router& r, CaseService& svc, const RouteContext& ctx) {
  RegisterCaseWork(r, &svc, ctx);
  RegisterAssessments(r, &svc, ctx);
}

}  // namespace th::api
