#include "app/cases_demo.h"

#include "app/demo_accounts.h"
#include "app/modules.h"
#include "domain/date.h"
#include "modules/cases/service/case_service.h"
#include "modules/registry/service/child_service.h"

namespace th::app {

namespace {

constexpr std::int64_t kHour = 3600LL * 1000;
constexpr std::int64_t kDay = 24 * kHour;

constexpr const char* kRed =
    R"({"g_status":"absent","g_unseen_months":14,"s_harm":false,"s_home":"hazard","h_health":"good","h_mood":"distress","e_school":"at_risk","f_income":"extreme","f_support":["allowance"],"note":"父亲服刑，母亲失联一年多，由70岁奶奶照看，奶奶卧病。"})";
constexpr const char* kYellow =
    R"({"g_status":"weak","g_unseen_months":0,"s_harm":false,"s_home":"safe","h_health":"serious","h_mood":"distress","e_school":"at_risk","f_income":"hard","f_support":["allowance","medical"]})";
constexpr const char* kBlue =
    R"({"g_status":"weak","g_unseen_months":0,"s_harm":false,"s_home":"safe","h_health":"good","h_mood":"stable","e_school":"in_school","f_income":"hard","f_support":["allowance","medical"]})";
constexpr const char* kGreen =
    R"({"g_status":"proper","g_unseen_months":1,"s_harm":false,"s_home":"safe","h_health":"good","h_mood":"stable","e_school":"in_school","f_income":"stable"})";
constexpr const char* kNeeds =
    R"({"n_living":"2","n_living_aid":true,"n_safety":"1","n_education":"2","n_health":"0","n_mind":"2","n_family":"3","n_social":"1","n_note":"需链接临时救助、学业辅导和情绪支持，协助联系母亲。"})";
constexpr const char* kGuardian =
    R"({"gd_health":"weak","gd_will":"willing","gd_care":"partial","gd_income":true,"gd_housing":false,"gd_note":"祖父年迈体弱，照料尚可，经济困难。"})";

class CaseScript {
 public:
  CaseScript(App& app, service::CaseService& cases, service::ChildService& children)
      : app_(app), cases_(cases), children_(children) {
    const std::int64_t shanghai_day = (app.clock->NowMillis() + 8 * kHour) / kDay;
    base_ = shanghai_day * kDay - 8 * kHour;  // 00:00 today in Asia/Shanghai
  }
  void At(int days_ago, int hour) { app_.clock->Pin(base_ - days_ago * kDay + hour * kHour); }

  Result<std::int64_t> ChildNamed(const service::Principal& who, const std::string& name) {
    service::ChildListParams p;
    p.q = name;
    std::int64_t total = 0;
    TH_ASSIGN_OR_RETURN(auto rows, children_.List(who, p, {1, 5}, &total));
    for (const auto& r : rows) {
      if (r.name == name) return r.id;
    }
    return Status::NotFound("demo child " + name);
  }

  Result<service::CaseView> Open(const service::Principal& who, std::int64_t child, const char* source,
                                 const char* reason) {
    service::OpenCaseInput in;
    in.child_id = child;
    in.source = source;
    in.reason = reason;
    return cases_.Open(who, in);
  }

  Result<repo::AssessmentRecord> Assess(const service::Principal& who, std::int64_t child, const char* form,
                                        const char* answers, bool complete = true) {
    service::AssessmentInput in;
    in.child_id = child;
    in.form = form;
    in.answers_json = answers;
    TH_ASSIGN_OR_RETURN(auto d, cases_.SaveDraft(who, std::nullopt, in, 0));
    if (!complete) return d;
    return cases_.Complete(who, d.id, d.version);
  }

  Result<service::CaseView> Step(const service::Principal& who, std::int64_t id, const char* action,
                                 const char* note = "") {
    TH_ASSIGN_OR_RETURN(auto v, cases_.Get(who, id));
    return cases_.Act(who, id, action, note, v.record.version);
  }

 private:
  App& app_;
  service::CaseService& cases_;
  service::ChildService& children_;
  std::int64_t base_ = 0;
};

}  // namespace

// Long: one linear demo script (four cases, each in another state).
Status LoadDemoCases(App& app) {
  service::CaseService* cases = app.modules->cases();
  service::ChildService* children = app.modules->children();
  if (!cases || !children) return Status::Internal("cases module not configured");
  TH_ASSIGN_OR_RETURN(auto social, DemoPrincipal(app, "social"));
  TH_ASSIGN_OR_RETURN(auto director2, DemoPrincipal(app, "director2"));
  TH_ASSIGN_OR_RETURN(auto supervisor, DemoPrincipal(app, "supervisor"));
  CaseScript s(app, *cases, *children);
  TH_ASSIGN_OR_RETURN(auto chen, s.ChildNamed(social, "陈思雨"));
  TH_ASSIGN_OR_RETURN(auto lin, s.ChildNamed(social, "林浩然"));
  TH_ASSIGN_OR_RETURN(auto wu, s.ChildNamed(social, "吴子轩"));
  TH_ASSIGN_OR_RETURN(auto liu, s.ChildNamed(director2, "刘梦琪"));
  Status st = [&]() -> Status {
    // 刘梦琪 (坂田): opened by the 儿童主任 two months ago, green, closed.
    s.At(60, 10);
    TH_ASSIGN_OR_RETURN(auto k4, s.Open(director2, liu, "roll", "在册儿童年度评估接案"));
    s.At(58, 15);
    TH_RETURN_IF_ERROR(s.Assess(director2, liu, "gd_risk", kGreen).status());
    s.At(20, 9);
    TH_RETURN_IF_ERROR(s.Step(director2, k4.record.id, "close", "评估为低风险，监护到位，转入常规关注").status());
    // 林浩然 (orphan): yellow a month ago, guardianship 一般, intervening, reassessed blue three days ago.
    s.At(32, 9);
    TH_ASSIGN_OR_RETURN(auto k2, s.Open(social, lin, "roll", "孤儿，祖父年迈，纳入个案管理"));
    s.At(30, 14);
    TH_RETURN_IF_ERROR(s.Assess(social, lin, "gd_risk", kYellow).status());
    TH_RETURN_IF_ERROR(s.Assess(social, lin, "needs", kNeeds).status());
    s.At(30, 16);
    TH_RETURN_IF_ERROR(s.Assess(social, lin, "guardianship", kGuardian).status());
    s.At(27, 10);
    TH_RETURN_IF_ERROR(s.Step(social, k2.record.id, "plan").status());
    s.At(25, 10);
    TH_RETURN_IF_ERROR(s.Step(social, k2.record.id, "intervene", "服务计划经街道同意，开始介入").status());
    s.At(3, 15);
    TH_RETURN_IF_ERROR(s.Assess(social, lin, "gd_risk", kBlue).status());
    // 陈思雨: red (parents away, grandmother ill), planning.
    s.At(12, 9);
    TH_ASSIGN_OR_RETURN(auto k1, s.Open(supervisor, chen, "decision", "走访发现父亲服刑、母亲失联，奶奶卧病，孩子情绪低落"));
    TH_RETURN_IF_ERROR(cases->Assign(supervisor, k1.record.id, social.user_id, k1.record.version).status());
    s.At(10, 15);
    TH_RETURN_IF_ERROR(s.Assess(social, chen, "gd_risk", kRed).status());
    TH_RETURN_IF_ERROR(s.Assess(social, chen, "needs", kNeeds).status());
    s.At(9, 10);
    TH_RETURN_IF_ERROR(s.Step(social, k1.record.id, "plan").status());
    // 吴子轩: opened yesterday, the risk assessment half done (a draft).
    s.At(1, 16);
    TH_RETURN_IF_ERROR(s.Open(social, wu, "roll", "").status());
    return s.Assess(social, wu, "gd_risk", R"({"g_status":"weak","g_unseen_months":8})", false).status();
  }();
  app.clock->Unpin();
  TH_RETURN_IF_ERROR(st);
  return cases->EvaluateDeadlines().status();
}

}  // namespace th::app
