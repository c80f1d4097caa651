// The printable plan (the print view's and the .docx's model).
#include <map>

#include "modules/plans/permissions.h"
#include "modules/plans/service/plan_service.h"
#include "modules/plans/service/plans_internal.h"
#include "io/docx_writer.h"
#include "platform/service/watermark.h"

namespace th::service {

using namespace plans_detail;
using domain::DocBlock;
using domain::DocModel;
using domain::PlansConfig;

namespace {

DocBlock Heading(std::string t) { return DocBlock{DocBlock::kHeading, std::move(t), {}}; }
DocBlock Para(std::string t) { return DocBlock{DocBlock::kParagraph, std::move(t), {}}; }
DocBlock Table(std::vector<std::vector<std::string>> rows) { return DocBlock{DocBlock::kTable, "", std::move(rows)}; }

std::string Or(const std::string& v, const char* dflt) { return v.empty() ? dflt : v; }

// The colour grades of issue 12 in words (other codes as they are).
std::string GradeName(const std::string& g, bool en) {
  static const std::map<std::string, std::pair<const char*, const char*>> kNames = {
      {"red", {"红色(高风险)", "red (high risk)"}},         {"orange", {"橙色(较高风险)", "orange (elevated risk)"}},
      {"yellow", {"黄色(中高风险)", "yellow (medium-high risk)"}}, {"blue", {"蓝色(中低风险)", "blue (medium-low risk)"}},
      {"green", {"绿色(低风险)", "green (low risk)"}}};
  auto it = kNames.find(g);
  if (it == kNames.end()) return g.empty() ? "-" : g;
  return en ? it->second.second : it->second.first;
}

// A task owner's role in words (the shipped roles; others as they are).
std::string RoleName(const std::string& r, bool en) {
  static const std::map<std::string, std::pair<const char*, const char*>> kNames = {
      {"child_director", {"儿童主任", "Child director"}},       {"social_worker", {"社工", "Social worker"}},
      {"street_supervisor", {"街道儿童督导员", "Street supervisor"}}, {"district", {"区民政/未保中心", "District"}},
      {"grid_worker", {"网格员", "Grid worker"}}};
  auto it = kNames.find(r);
  return it == kNames.end() ? r : (en ? it->second.second : it->second.first);
}

}  // namespace

// Long: one block per section of the printed plan, in order.
DocModel BuildPlanDocument(const PlansConfig& cfg, const repo::PlanRecord& p, const PlanCase& k,
                           const std::vector<domain::PlanLine>& lines, bool en) {
  DocModel d;
  d.title = p.title.empty() ? (en ? "Case plan" : "个案服务计划(一人一策)") : p.title;
  d.blocks.push_back(Para((en ? "Case #" : "个案编号：") + std::to_string(p.case_id) + (en ? "  Version " : "　版本：第") +
                          std::to_string(p.number) + (en ? "" : "版") + (en ? "  Status: " : "　状态：") +
                          domain::PlanStatusName(p.status, en)));
  d.blocks.push_back(Para((en ? "Risk grade: " : "风险等级：") + GradeName(k.grade, en) + (en ? "  Period: " : "　计划周期：") +
                          Or(p.period_from, "-") + " ~ " + Or(p.period_to, "-")));
  if (!p.summary.empty()) {
    d.blocks.push_back(Heading(en ? "Summary" : "情况概述"));
    d.blocks.push_back(Para(p.summary));
  }
  std::vector<std::vector<std::string>> goals{{en ? "Need" : "需求", en ? "Goal" : "服务目标", en ? "Measure" : "评估指标"}};
  std::vector<std::vector<std::string>> services{
      {en ? "Type" : "服务类型", en ? "Service" : "服务内容", en ? "Frequency" : "频次", en ? "Provider" : "提供者"}};
  std::vector<std::vector<std::string>> team{
      {en ? "Role" : "角色", en ? "Name" : "姓名", en ? "Organisation" : "单位", en ? "Phone" : "电话"}};
  std::vector<std::vector<std::string>> tasks{{en ? "Task" : "任务", en ? "Owner" : "负责", en ? "Due" : "完成期限",
                                               en ? "Done" : "完成情况"}};
  for (const auto& l : lines) {
    if (l.kind == domain::kLineGoal) goals.push_back({Or(l.name, l.code.c_str()), l.text, l.extra});
    if (l.kind == domain::kLineService) {
      services.push_back({PlansConfig::NameOf(cfg.service_types, l.code, en), l.name,
                          PlansConfig::NameOf(cfg.frequencies, l.frequency, en), l.extra});
    }
    if (l.kind == domain::kLineMember) {
      team.push_back({PlansConfig::NameOf(cfg.team_roles, l.code, en), l.name, l.extra, domain::MaskPhone(l.phone)});
    }
    if (l.kind == domain::kLineTask) {
      tasks.push_back({l.name, l.owner_role.empty() ? (en ? "named person" : "指定人员") : RoleName(l.owner_role, en), l.due_date,
                       l.done_at ? (en ? "done" : "已完成") : (en ? "open" : "进行中")});
    }
  }
  d.blocks.push_back(Heading(en ? "Goals per need" : "一、需求与服务目标"));
  d.blocks.push_back(Table(std::move(goals)));
  d.blocks.push_back(Heading(en ? "Services" : "二、服务安排(个案服务与小组服务)"));
  d.blocks.push_back(Table(std::move(services)));
  d.blocks.push_back(Heading(en ? "The 1+N team" : "三、“1+N”关爱帮扶团队"));
  d.blocks.push_back(Table(std::move(team)));
  d.blocks.push_back(Heading(en ? "Tasks" : "四、任务分工"));
  d.blocks.push_back(Table(std::move(tasks)));
  d.blocks.push_back(Heading(en ? "Approval" : "五、审批意见"));
  d.blocks.push_back(Para(p.status == domain::kPlanApproved || p.status == domain::kPlanSuperseded
                              ? (en ? "Approved. " : "已批准。") + p.review_note
                              : (en ? "Not approved yet." : "尚未批准。")));
  return d;
}

Result<DocModel> PlanService::Document(const Principal& who, std::int64_t plan_id, bool en) {
  DocModel d;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    auto got = repo::PlanRepo(c).Get(plan_id);
    if (!got.ok()) return got.status().code() == Code::kNotFound ? Status::NotFound("plan") : got.status();
    auto kase = cases_.LoadInScope(c, who, got->case_id);
    if (!kase.ok()) return kase.status().code() == Code::kNotFound ? Status::NotFound("plan") : kase.status();
    TH_ASSIGN_OR_RETURN(auto lines, repo::PlanRepo(c).Lines(plan_id));
    d = BuildPlanDocument(config_, *got, *kase, lines, en);
    return Audit(deps_, c, who, "plan.export", "plan", plan_id, kase->unit_path, "");
  }));
  return d;
}

Result<PlanDocx> PlanService::Docx(const Principal& who, std::int64_t plan_id, bool en) {
  TH_ASSIGN_OR_RETURN(auto d, Document(who, plan_id, en));
  io::DocxDocument doc;
  doc.Title(d.title);
  for (const auto& b : d.blocks) {
    if (b.kind == domain::DocBlock::kHeading) doc.Heading(b.text);
    if (b.kind == domain::DocBlock::kParagraph) doc.Paragraph(b.text);
    if (b.kind == domain::DocBlock::kTable) doc.Table(b.rows);
  }
  doc.Paragraph("");
  doc.Paragraph(en ? "Social worker: ____________    Supervisor: ____________    Date: ____________"
                   : "社工（签名）：____________　　督导（签名）：____________　　日期：____________",
                {false, io::DocxAlign::kLeft, false});
  io::DocxWriteOptions opts;
  opts.title = d.title;
  opts.subject = "plan " + std::to_string(plan_id);
  opts.page_header = WatermarkText(who, deps_.clock.NowMillis());
  TH_ASSIGN_OR_RETURN(auto bytes, io::WriteDocx(doc, opts));
  return PlanDocx{std::move(bytes), "plan_" + std::to_string(plan_id) + ".docx"};
}

}  // namespace th::service
