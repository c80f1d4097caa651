#include "app/dispatch_demo.h"

#include "app/demo_accounts.h"
#include "modules/dispatch/service/dispatch_service.h"
#include "modules/reports/service/report_service.h"

namespace th::app {

namespace {


struct Demo {
  App& app;
  service::ReportService& reports;
  service::DispatchService& dispatch;
  service::Principal district, liaison, supervisor;
  std::int64_t education = 0;

  // A hotline report, triaged for the unit `unit_id`.
  Result<std::int64_t> Report(const char* text, const char* place, const char* urgency, const char* category,
                              std::int64_t unit_id) {
    service::ReportInput in;
    in.channel = "hotline";
    in.description = text;
    in.place = place;
    in.anonymous = true;
    TH_ASSIGN_OR_RETURN(auto r, reports.Create(district, in));
    TH_ASSIGN_OR_RETURN(auto t, reports.Triage(district, r.report.id, {r.report.version, std::nullopt, urgency, category,
                                                                       "", unit_id}));
    return t.report.id;
  }

  // Dispatches report `id` to 区教育局 (lead), with co units.
  Result<std::int64_t> Send(std::int64_t id, const char* instructions, std::vector<std::int64_t> co = {},
                            bool designated = false) {
    TH_ASSIGN_OR_RETURN(auto facts, reports.Get(district, id));
    service::DispatchInput in;
    in.version = facts.report.version;
    in.lead.agency_id = education;
    in.lead.instructions = instructions;
    in.lead.designated = designated;
    for (auto u : co) in.co.push_back({std::nullopt, u, "请街道配合入户核实", false});
    TH_ASSIGN_OR_RETURN(auto orders, dispatch.Dispatch(district, id, in));
    return orders.front().order.id;
  }

  Status Do(const service::Principal& who, std::int64_t order, const char* action, const char* note,
            std::function<void(service::OrderActionInput&)> more = nullptr) {
    TH_ASSIGN_OR_RETURN(auto cur, dispatch.Get(district, order));
    service::OrderActionInput in;
    in.action = action;
    in.note = note;
    in.version = cur.order.version;
    if (more) more(in);
    return dispatch.Act(who, order, in).status();
  }
};

}  // namespace

// Long: one linear demo script, an order per state of the workflow.
Status LoadDemoDispatch(App& app) {
  service::ReportService* reports = app.modules->reports();
  service::DispatchService* dispatch = app.modules->dispatch();
  if (!reports || !dispatch) return Status::Internal("reports or dispatch module not configured");
  Demo d{app, *reports, *dispatch, {}, {}, {}};
  TH_ASSIGN_OR_RETURN(d.district, DemoPrincipal(app, "district"));
  TH_ASSIGN_OR_RETURN(d.liaison, DemoPrincipal(app, "liaison"));
  TH_ASSIGN_OR_RETURN(d.supervisor, DemoPrincipal(app, "supervisor"));
  TH_ASSIGN_OR_RETURN(auto director, DemoPrincipal(app, "director"));
  if (!d.liaison.agency_id) return Status::Internal("the demo liaison has no agency");
  d.education = *d.liaison.agency_id;
  const std::int64_t buji = d.supervisor.org_unit_id, community = director.org_unit_id;
  auto revisit = [](bool ok) {
    return [ok](service::OrderActionInput& in) {
      in.reached = ok ? "监护人" : "报告人";
      in.satisfied = ok;
      in.verified = ok;
    };
  };

  // 待签收: a designated order with a co-handling street.
  TH_ASSIGN_OR_RETURN(auto r1, d.Report("孩子多次在放学后被锁在门外，衣着单薄，邻居多次收留。", "布吉街道某小区", "24h",
                                        "guardianship", community));
  TH_RETURN_IF_ERROR(d.Send(r1, "请联系学校核实监护情况并督促监护人履责", {buji}, true).status());
  // 办理中.
  TH_ASSIGN_OR_RETURN(auto r2, d.Report("初一学生近一个月频繁旷课，在网吧出没。", "布吉街道某网吧", "routine", "dropout", community));
  TH_ASSIGN_OR_RETURN(auto o2, d.Send(r2, "请学校开展劝返并反馈"));
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o2, "accept", ""));
  // 延期待审.
  TH_ASSIGN_OR_RETURN(auto r3, d.Report("学生家长长期在外，孩子由年迈外婆照顾，学习生活困难。", "布吉街道某村", "routine",
                                        "guardianship", community));
  TH_ASSIGN_OR_RETURN(auto o3, d.Send(r3, "请核实并协调帮扶"));
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o3, "accept", ""));
  const domain::Date today = domain::Date::FromEpochMillisShanghai(app.clock->NowMillis());
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o3, "request_extension", "需联系外省务工的父母，申请延期",
                          [&](auto& in) { in.due_date = today.AddDays(21); }));
  // 退单待审.
  TH_ASSIGN_OR_RETURN(auto r4, d.Report("小区内有儿童被大孩子勒索钱财。", "布吉街道某小区", "24h", "other", community));
  TH_ASSIGN_OR_RETURN(auto o4, d.Send(r4, "请核实"));
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o4, "return", "事发地在校外，不属于教育部门职责，建议派公安和街道"));
  // 已退单, then sent to the street.
  TH_ASSIGN_OR_RETURN(auto r5, d.Report("流动摊贩带着两名幼童深夜摆摊。", "布吉街道夜市", "routine", "wandering", buji));
  TH_ASSIGN_OR_RETURN(auto o5, d.Send(r5, "请核实"));
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o5, "return", "幼童未入学，不属于教育部门职责"));
  TH_RETURN_IF_ERROR(d.Do(d.district, o5, "approve_return", ""));
  {
    TH_ASSIGN_OR_RETURN(auto facts, reports->Get(d.district, r5));
    service::DispatchInput in;
    in.version = facts.report.version;
    in.lead.unit_id = buji;
    in.lead.instructions = "请街道入户核实并协调救助";
    TH_RETURN_IF_ERROR(dispatch->Dispatch(d.district, r5, in).status());
  }
  // 已反馈 (待回访).
  TH_ASSIGN_OR_RETURN(auto r6, d.Report("学生反映在家经常被父亲打骂，身上有伤。", "布吉街道某小区", "immediate", "abuse", community));
  TH_ASSIGN_OR_RETURN(auto o6, d.Send(r6, "请学校立即了解情况并会同公安处置"));
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o6, "accept", ""));
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o6, "feedback", "已约谈家长，学校心理老师跟进，公安已出具告诫书"));
  // 已办结 after a redo: unresolved at the first visit, then satisfied.
  TH_ASSIGN_OR_RETURN(auto r7, d.Report("残疾儿童未能入学，家长不知如何申请送教上门。", "布吉街道某社区", "routine", "dropout",
                                        community));
  TH_ASSIGN_OR_RETURN(auto o7, d.Send(r7, "请落实送教上门"));
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o7, "accept", ""));
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o7, "feedback", "已告知家长申请流程"));
  TH_RETURN_IF_ERROR(d.Do(d.district, o7, "revisit", "家长反映仍未安排老师", revisit(false)));
  TH_RETURN_IF_ERROR(d.Do(d.liaison, o7, "feedback", "已安排特教老师每周两次送教上门"));
  TH_RETURN_IF_ERROR(d.Do(d.district, o7, "revisit", "回访家长，送教已落实，表示满意", revisit(true)));
  return Status::Ok();
}

}  // namespace th::app
