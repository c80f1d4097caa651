// The case statistics as an XLSX workbook: one row per group and the total, the grades' columns in the
// risk form's order, the guardianship columns only when a source is wired; the watermark (caller and
// time) as the last row, the subject and the page header, as every export with personal data carries.
#include "base/json_writer.h"
#include "io/xlsx_writer.h"
#include "modules/casestats/service/casestats_service.h"
#include "platform/service/watermark.h"

namespace th::service {

namespace {

std::string N(std::int64_t n) { return std::to_string(n); }

std::string Rate(std::int64_t num, std::int64_t den) {
  if (den == 0) return "";
  const std::int64_t permille = (num * 1000 + den / 2) / den;
  return std::to_string(permille / 10) + "." + std::to_string(permille % 10) + "%";
}

std::vector<std::string> Header(const CaseStatsView& v, bool en) {
  std::vector<std::string> h = {en ? "Unit" : "单位", en ? "Open cases" : "在办个案"};
  for (const auto& g : v.grades) h.push_back((en ? "Open " + g.name_en : "在办" + g.name));
  h.push_back(en ? "Open ungraded" : "在办未评级");
  const std::vector<std::pair<const char*, const char*>> rest = {
      {"新接案", "Opened"},           {"结案", "Closed"},
      {"完成评估", "Assessments done"}, {"评估到期", "Assessments due"},
      {"按时评估", "On time"},        {"评估按时率", "On-time rate"},
      {"评估逾期", "Assessments overdue"}, {"批准个案计划", "Plans approved"},
      {"执行中计划", "Plans in force"}, {"开展小组", "Groups active"},
      {"个案服务次数", "Service records"}, {"小组活动次数", "Group sessions"},
      {"应走访", "Visits due"},        {"已走访", "Visits done"},
      {"按时走访", "Visits on time"},  {"走访逾期", "Visits overdue"},
      {"召开会商", "Conferences held"}, {"会商决定", "Decisions made"},
      {"决定已落实", "Decisions done"}, {"决定逾期", "Decisions overdue"}};
  for (const auto& [zh, e] : rest) h.push_back(en ? e : zh);
  if (v.has_guardianship) {
    h.push_back(en ? "In temporary guardianship" : "临时监护中");
    h.push_back(en ? "Returned home" : "返家");
    h.push_back(en ? "In long-term guardianship" : "长期监护中");
  }
  return h;
}

std::vector<std::string> Row(const CaseStatsView& v, const domain::CaseStatsRow& r) {
  std::vector<std::string> out = {r.name, N(r.open_now)};
  auto grade = [&](const std::string& g) {
    auto it = r.open_by_grade.find(g);
    return N(it == r.open_by_grade.end() ? 0 : it->second);
  };
  for (const auto& g : v.grades) out.push_back(grade(g.code));
  out.push_back(grade("none"));
  for (std::int64_t n : {r.opened, r.closed, r.assessments_done, r.assessments_due, r.assessments_on_time}) {
    out.push_back(N(n));
  }
  out.push_back(Rate(r.assessments_on_time, r.assessments_due));
  for (std::int64_t n : {r.assessments_overdue_now, r.plans_approved, r.plans_in_force, r.groups_active,
                         r.service_records, r.group_sessions, r.visits.due, r.visits.done, r.visits.on_time,
                         r.visits.overdue_now, r.conferences_held, r.decisions_made, r.decisions_done,
                         r.decisions_overdue_now}) {
    out.push_back(N(n));
  }
  if (v.has_guardianship) {
    const domain::GuardianshipCells g = r.guardianship.value_or(domain::GuardianshipCells{});
    out.insert(out.end(), {N(g.temporary_now), N(g.returned), N(g.long_term_now)});
  }
  return out;
}

}  // namespace

Result<std::string> CaseStatsService::StatsXlsx(const Principal& who, domain::Date from, domain::Date to, bool en) {
  TH_ASSIGN_OR_RETURN(auto v, Stats(who, from, to));
  const std::vector<std::string> header = Header(v, en);
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : v.rows) rows.push_back(Row(v, r));
  domain::CaseStatsRow total = v.total;
  total.name = en ? "Total" : "合计";
  rows.push_back(Row(v, total));
  const std::string mark = WatermarkText(who, deps_.clock.NowMillis());
  std::vector<std::string> last(header.size());  // a full row, so a reader sees it as data
  last[0] = kExportWatermarkPrefix + mark;
  rows.push_back(std::move(last));
  io::XlsxWriteOptions wo;
  wo.sheet_name = "个案统计";
  wo.title = "个案统计 " + who.org_name + " " + from.ToString() + " 至 " + to.AddDays(-1).ToString();
  wo.subject = mark;
  wo.page_header = mark;
  TH_ASSIGN_OR_RETURN(auto bytes, io::WriteXlsx(header, rows, wo));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"casestat.export", "case_stats", std::to_string(who.org_unit_id), who.org_path, "",
                       JsonObjectWriter().Str("from", from.ToString()).Str("to", to.ToString()).Finish(), ""});
  }));
  return bytes;
}

}  // namespace th::service
