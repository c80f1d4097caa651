#include "app/plans_demo.h"

#include "app/demo_accounts.h"
#include "domain/date.h"
#include "modules/cases/service/case_service.h"
#include "modules/plans/service/plan_service.h"

namespace th::app {

namespace {

domain::PlanLine L(const char* kind, const char* code, const char* name, const char* text = "", const char* extra = "") {
  domain::PlanLine l;
  l.kind = kind;
  l.code = code;
  l.name = name;
  l.text = text;
  l.extra = extra;
  return l;
}

std::string DaysFrom(std::int64_t now, int days) {
  return domain::Date::FromEpochMillisShanghai(now).AddDays(days).ToString();
}

// A complete plan for a case of `unit_id`: a goal per need (or two defaults), services, a 1+N team, tasks.
service::PlanInput DemoPlan(const std::vector<service::PlanNeed>& needs, std::int64_t unit_id, std::int64_t now, int k) {
  service::PlanInput in;
  in.lines_given = true;
  in.title = "个案服务计划(一人一策)";
  in.summary = k % 2 ? "父母外出务工，由年迈祖母照看；孩子性格内向，学习跟不上。" : "父亲服刑、母亲失联，事实无人抚养，暂由伯父照看。";
  in.period_from = DaysFrom(now, -20);
  in.period_to = DaysFrom(now, 160);
  const char* goal_for[] = {"建立稳定的照料安排，保障日常生活", "掌握居家和出行安全知识", "按时到校，学习成绩稳步提高"};
  int i = 0;
  for (const auto& n : needs) in.lines.push_back(L("goal", n.code.c_str(), n.name.c_str(), goal_for[i++ % 3], "每月走访评估"));
  if (needs.empty()) {
    in.lines.push_back(L("goal", "safety", "安全", "掌握居家和出行安全知识", "安全知识问答合格"));
    in.lines.push_back(L("goal", "education", "教育", "按时到校，学习成绩稳步提高", "出勤率不低于95%"));
  }
  auto s1 = L("service", "counseling", "每周一次心理疏导", "", "驻站社工");
  s1.frequency = "weekly";
  auto s2 = L("service", "study_support", "周末学业辅导", "", "青年志愿者");
  s2.frequency = "weekly";
  auto s3 = L("service", "group", "参加安全教育小组", "", "街道未保站");
  s3.frequency = "monthly";
  in.lines.insert(in.lines.end(), {s1, s2, s3});
  auto m1 = L("member", "village_cadre", "陈建国", "", "社区居委会");
  m1.phone = "13800138001";
  auto m2 = L("member", "caring_mother", "刘爱华", "", "社区妇联");
  m2.phone = "13900139002";
  auto m3 = L("member", "teacher", "周老师", "", "实验小学");
  m3.phone = "13700137003";
  auto m4 = L("member", "enterprise", "布吉爱心超市", "", "爱心企业");
  in.lines.insert(in.lines.end(), {m1, m2, m3, m4});
  auto t1 = L("task", "", "联系学校班主任了解出勤和学习情况");
  t1.owner_unit_id = unit_id;
  t1.owner_role = "child_director";
  t1.due_date = DaysFrom(now, 7);
  auto t2 = L("task", "", "申请临时救助并链接爱心企业物资");
  t2.owner_unit_id = unit_id;
  t2.owner_role = "child_director";
  t2.due_date = DaysFrom(now, -2);  // overdue: shows on the 督办 view
  in.lines.insert(in.lines.end(), {t1, t2});
  return in;
}

}  // namespace

// Long: one linear demo script.
Status LoadDemoPlans(App& app) {
  service::CaseService* cases = app.modules->cases();
  service::PlanService* plans = app.modules->plans();
  if (!cases || !plans) return Status::Internal("cases or plans module not configured");
  TH_ASSIGN_OR_RETURN(auto director, DemoPrincipal(app, "director"));
  TH_ASSIGN_OR_RETURN(auto supervisor, DemoPrincipal(app, "supervisor"));
  const std::int64_t now = app.clock->NowMillis();
  std::int64_t total = 0;
  service::CaseListParams p;
  p.open_only = true;
  TH_ASSIGN_OR_RETURN(auto list, cases->List(supervisor, p, repo::Page{1, 50}, &total));
  std::vector<std::int64_t> planned;
  int k = 0;
  for (const auto& c : list) {
    const auto& rec = c.record;
    if (rec.status != "planning" && rec.status != "intervening") continue;
    const auto& who = director;
    std::vector<service::PlanNeed> needs;
    {
      TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
      TH_ASSIGN_OR_RETURN(auto nf, cases->LatestNeeds(*h, rec.id));
      for (auto& n : nf) needs.push_back({n.code, n.name, n.level, n.note});
    }
    auto created = plans->Create(who, rec.id, DemoPlan(needs, rec.unit_id, now, k));
    if (!created.ok()) continue;  // a case outside the director's community: the street's own cases
    const auto& v = created->plan;
    planned.push_back(rec.id);
    if (k % 3 != 2) {
      TH_ASSIGN_OR_RETURN(auto sub, plans->Submit(who, v.id, v.version));
      if (k % 3 == 0) TH_RETURN_IF_ERROR(plans->Review(supervisor, v.id, true, "同意，请按计划落实", sub.plan.version).status());
    }
    service::ServiceInput s1{DaysFrom(now, -14), "home_visit", director.display_name, "入户探访，了解孩子近况和照料情况，孩子情绪平稳。",
                             "照料安排基本落实", 60, v.id};
    service::ServiceInput s2{DaysFrom(now, -7), "counseling", "驻站社工", "一对一心理疏导，孩子谈到想念外出务工的父母。",
                             "孩子愿意每周视频联系父母", 45, v.id};
    TH_RETURN_IF_ERROR(plans->AddRecord(who, rec.id, s1).status());
    TH_RETURN_IF_ERROR(plans->AddRecord(who, rec.id, s2).status());
    ++k;
  }
  // Group services of the street: 安全教育小组 (with the planned children and two sessions), 情绪支持小组.
  TH_ASSIGN_OR_RETURN(auto safety, plans->CreateGroup(supervisor, {supervisor.org_unit_id, "安全小卫士", "safety",
                                                                   "提高困境儿童居家、防溺水和交通安全意识", "驻站社工"}));
  TH_RETURN_IF_ERROR(plans->CreateGroup(supervisor, {supervisor.org_unit_id, "心灵港湾", "emotion", "帮助留守儿童表达和调节情绪",
                                                     "心理咨询师志愿者"}).status());
  for (auto id : planned) TH_RETURN_IF_ERROR(plans->AddMember(supervisor, safety.id, id));
  TH_RETURN_IF_ERROR(plans->AddSession(supervisor, safety.id, {DaysFrom(now, -21), "防溺水安全第一课", "观看视频、情景演练、安全承诺签名",
                                                               "驻站社工", "全部儿童能说出三条防溺水要点", 90, planned}).status());
  TH_RETURN_IF_ERROR(plans->AddSession(supervisor, safety.id, {DaysFrom(now, -7), "居家用电用火安全", "家中隐患找一找、逃生路线绘制",
                                                               "驻站社工", "", 60, planned}).status());
  return Status::Ok();
}

}  // namespace th::app
