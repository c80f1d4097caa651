#include "app/conferences_demo.h"

#include "app/demo_accounts.h"
#include "app/modules.h"
#include "modules/cases/service/case_service.h"
#include "modules/conferences/service/conference_service.h"
#include "modules/registry/service/child_service.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_service.h"

namespace th::app {

namespace {

constexpr std::int64_t kMinute = 60LL * 1000, kHour = 60 * kMinute, kDay = 24 * kHour;

// The agency of the district named `suffix` (e.g. "春晖社会工作服务中心").
Result<std::int64_t> AgencyNamed(App& app, std::int64_t district, const std::string& suffix) {
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  TH_ASSIGN_OR_RETURN(auto rows, (*h).Query("SELECT id, name FROM agency WHERE org_unit_id = $1 ORDER BY id", {district}));
  for (const auto& r : rows.rows) {
    const std::string name = r.Text(1);
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      return r.Int(0);
    }
  }
  return Status::Internal("demo: no agency " + suffix);
}

// A red risk grade starts the station's conference_needed to-do (config/cases/cases.json
// alarm.start_conference, on by default; the cases module's grade listener, wired in modules.cc):
// 杨若曦, graded red by the social worker yesterday, waits in the 布吉 supervisor's 待办 until a
// conference about her is convened. Nothing opens when a deployment turns the listener off.
constexpr const char* kRedAnswers =
    R"({"g_status":"absent","g_unseen_months":13,"s_harm":false,"s_home":"hazard","h_health":"good","h_mood":"distress","e_school":"at_risk","f_income":"extreme","f_support":["allowance"],"note":"父亲服刑在押，母亲离家一年多未联系，由患病的外婆照看，家中无稳定收入。"})";

Status DemoRedGrade(App& app, std::int64_t at) {
  service::CaseService* cases = app.modules->cases();
  service::ChildService* children = app.modules->children();
  if (!cases || !children) return Status::Internal("cases or registry module not configured");
  TH_ASSIGN_OR_RETURN(auto social, DemoPrincipal(app, "social"));
  service::ChildListParams p;
  p.q = "杨若曦";
  std::int64_t total = 0;
  TH_ASSIGN_OR_RETURN(auto found, children->List(social, p, repo::Page{1, 5}, &total));
  if (found.empty()) return Status::Internal("demo: child 杨若曦 not found");
  service::AssessmentInput in;
  in.child_id = found.front().id;
  in.form = "gd_risk";
  in.answers_json = kRedAnswers;
  app.clock->Pin(at);
  auto done = [&]() -> Result<repo::AssessmentRecord> {
    TH_ASSIGN_OR_RETURN(auto d, cases->SaveDraft(social, std::nullopt, in, 0));
    return cases->Complete(social, d.id, d.version);
  }();
  app.clock->Unpin();
  if (!done.ok()) return done.status();
  if (done->grade != "red") return Status::Internal("demo: 杨若曦's risk assessment graded " + done->grade);
  return Status::Ok();
}

}  // namespace

// Long: one linear demo script.
Status LoadDemoConferences(App& app) {
  service::ConferenceService* conf = app.modules->conferences();
  service::ChildService* children = app.modules->children();
  if (!conf || !children) return Status::Internal("conferences or registry module not configured");
  TH_ASSIGN_OR_RETURN(auto supervisor, DemoPrincipal(app, "supervisor"));
  TH_ASSIGN_OR_RETURN(auto director, DemoPrincipal(app, "director"));
  TH_ASSIGN_OR_RETURN(auto liaison, DemoPrincipal(app, "liaison"));
  if (!liaison.agency_id) return Status::Internal("the demo liaison has no agency");
  service::ChildListParams p;
  p.q = "陈思雨";
  std::int64_t total = 0;
  TH_ASSIGN_OR_RETURN(auto found, children->List(supervisor, p, repo::Page{1, 5}, &total));
  if (found.empty()) return Status::Internal("demo: child 陈思雨 not found");
  const std::int64_t child = found.front().id;
  TH_ASSIGN_OR_RETURN(auto district, DemoPrincipal(app, "district"));
  TH_ASSIGN_OR_RETURN(auto social_org, AgencyNamed(app, district.org_unit_id, "春晖社会工作服务中心"));

  const std::int64_t now = app.clock->NowMillis();
  const std::int64_t today = ((now + 8 * kHour) / kDay) * kDay - 8 * kHour;  // 00:00 Asia/Shanghai
  auto at = [&](int days_ago, int hour) { return today - days_ago * kDay + hour * kHour; };
  auto date = [&](int days_ago) { return domain::Date::FromEpochMillisShanghai(today - days_ago * kDay).ToString(); };

  service::ConveneInput in;
  in.child_id = child;
  in.reason = "red_grade";
  in.reason_note = "父亲服刑在押，母亲长期失联，风险评估为红色";
  in.title = "陈思雨个案会商";
  in.place = "布吉街道未成年人保护工作站会议室";
  in.agenda = "1. 通报儿童基本情况和风险评估结果\n2. 各部门提出帮扶意见\n3. 明确责任分工和完成时限";
  in.participants = {{"agency", liaison.agency_id, std::nullopt, "", "学校心理辅导"},
                     {"unit", std::nullopt, director.org_unit_id, "", "所在社区"},
                     {"agency", social_org, std::nullopt, "", "个案社工服务"},
                     {"person", std::nullopt, std::nullopt, "陈老师", "班主任"}};
  app.clock->Pin(at(20, 10));
  in.scheduled_at = at(14, 15);
  auto held = conf->Convene(supervisor, in);
  if (!held.ok()) {
    app.clock->Unpin();
    return held.status();
  }
  Status st = [&]() -> Status {
    app.clock->Pin(at(14, 17));
    service::RecordInput rec;
    rec.version = held->conference.version;
    rec.discussion =
        "社区通报：儿童随姑姑生活，情绪低落，近一月两次迟到。学校反映学习成绩下降。社工机构建议开展个案辅导。"
        "与会各方一致认为需尽快落实心理辅导和定期走访。";
    for (const auto& x : held->participants) rec.attendance.emplace_back(x.id, x.name != "陈老师");
    rec.decisions = {{"协调学校为儿童安排心理辅导，每两周一次，并反馈辅导情况", liaison.agency_id, std::nullopt, date(7)},
                     {"社区儿童主任每周入户走访一次，了解生活和监护情况", std::nullopt, director.org_unit_id, date(10)}};
    TH_ASSIGN_OR_RETURN(auto v, conf->Record(supervisor, held->conference.id, rec, false));
    app.clock->Pin(at(11, 16));
    for (const auto& d : v.decisions) {
      if (d.decision.owner_kind == "unit") {
        TH_RETURN_IF_ERROR(conf->CompleteDecision(director, d.decision.id, d.decision.version,
                                                  "已落实：每周三入户走访，已走访三次，儿童生活正常，姑姑照料尽责")
                               .status());
      }
    }
    // The next conference about the same child, planned: it shows 区教育局's open decision.
    app.clock->Pin(at(2, 9));
    service::ConveneInput next = in;
    next.title = "陈思雨个案会商（第二次）";
    next.reason = "multi_department";
    next.reason_note = "跟进前次会商决定事项的落实情况";
    next.scheduled_at = at(-3, 15);
    next.online = true;
    next.place = "腾讯会议";
    return conf->Convene(supervisor, next).status();
  }();
  app.clock->Unpin();
  TH_RETURN_IF_ERROR(st);
  TH_RETURN_IF_ERROR(DemoRedGrade(app, at(1, 16)));
  // Today: the overdue decision's escalation is recorded (and notified) as the sweeper would.
  if (work::WorkService* work = work::FindWork(app.services->deps())) TH_RETURN_IF_ERROR(work->Sweep().status());
  return Status::Ok();
}

}  // namespace th::app
