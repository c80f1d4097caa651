#include "app/reports_demo.h"

#include "app/demo_accounts.h"
#include "modules/accounts/service/accounts.h"
#include "modules/accounts/service/org_service.h"
#include "modules/accounts/service/user_service.h"
#include "modules/reports/service/report_service.h"
#include "modules/screening/service/screening_service.h"

namespace th::app {

namespace {

constexpr std::int64_t kHourMs = 3600LL * 1000;

Result<std::int64_t> Agency(App& app, std::int64_t unit, const char* type, const std::string& name) {
  TH_ASSIGN_OR_RETURN(auto sys, DemoSystemPrincipal(app, unit));
  repo::Agency a;
  a.org_unit_id = unit;
  a.kind = "reporting_unit";
  a.dept_type = type;
  a.name = name;
  TH_ASSIGN_OR_RETURN(auto made, app.modules->accounts().org().CreateAgency(sys, a));
  return made.id;
}

Status Reporter(App& app, const char* username, const char* name, std::int64_t unit, std::int64_t agency) {
  service::NewUser u;
  u.username = username;
  u.display_name = name;
  u.role = "mandatory_reporter";
  u.org_unit_id = unit;
  u.agency_id = agency;
  u.password = kDemoPassword;
  u.must_change_password = false;
  return app.modules->accounts().users().Create(nullptr, u).status();
}

service::ReportInput Input(const char* channel, const char* description, const std::string& place,
                           std::vector<std::string> situations) {
  service::ReportInput in;
  in.channel = channel;
  in.description = description;
  in.place = place;
  in.situations = std::move(situations);
  return in;
}

// A school-register file with a child the registry does not know: its finding escalated into a report
// by the 儿童主任 (the screening channel).
Status EscalateDemoFinding(App& app, const service::Principal& district, const service::Principal& director) {
  service::ScreeningService* screening = app.modules->screening();
  service::ReportService* reports = app.modules->reports();
  if (!screening) return Status::Internal("screening module not configured");
  TH_ASSIGN_OR_RETURN(auto source, screening->CreateSource(district, {"学籍数据（报告演示）", "education",
                                                                      {{"name", "姓名"}, {"birth_date", "出生日期"},
                                                                       {"community", "所在社区"}}}));
  service::BatchUploadOptions o;
  o.source_id = source.id;
  o.file_name = "学籍-报告演示.csv";
  const std::string csv = "姓名,出生日期,所在社区\r\n陈小雨,2015-04-03," + director.org_code + "\r\n";
  TH_ASSIGN_OR_RETURN(auto batch, screening->Upload(district, csv, o));
  TH_RETURN_IF_ERROR(screening->RunPending().status());
  std::int64_t total = 0;
  TH_ASSIGN_OR_RETURN(auto findings, screening->ListFindings(district, batch.batch.id, "", "", {1, 20}, &total));
  if (findings.empty()) return Status::Internal("demo screening batch yielded no finding");
  auto in = Input("screening", "排查发现陈小雨未建档，入户核查见孩子父母常年在外，由年迈外婆照看，已辍学在家。",
                  director.org_name + "新村8栋", {"s6"});
  in.finding_id = findings.front().finding.id;
  in.child_name = "陈小雨";
  in.child_age = 11;
  return reports->Create(director, in).status();
}

}  // namespace

// Long: one linear demo script (units, reporters, roster, one report per channel and state).
Status LoadDemoReports(App& app) {
  service::ReportService* reports = app.modules->reports();
  if (!reports) return Status::Internal("reports module not configured");
  TH_ASSIGN_OR_RETURN(auto district, DemoPrincipal(app, "district"));
  TH_ASSIGN_OR_RETURN(auto director, DemoPrincipal(app, "director"));
  TH_ASSIGN_OR_RETURN(auto grid, DemoPrincipal(app, "grid"));
  TH_ASSIGN_OR_RETURN(auto supervisor, DemoPrincipal(app, "supervisor"));
  TH_ASSIGN_OR_RETURN(auto director2, DemoPrincipal(app, "director2"));
  // Reporting units: a primary school in the 儿童主任's community, a hospital in 布吉街道.
  TH_ASSIGN_OR_RETURN(auto school, Agency(app, director.org_unit_id, "school", director.org_name + "实验小学"));
  TH_ASSIGN_OR_RETURN(auto hospital, Agency(app, supervisor.org_unit_id, "hospital", "布吉人民医院"));
  TH_RETURN_IF_ERROR(Reporter(app, "school", "孙老师", director.org_unit_id, school));
  TH_RETURN_IF_ERROR(Reporter(app, "hospital", "郑医生", supervisor.org_unit_id, hospital));
  TH_ASSIGN_OR_RETURN(auto teacher, DemoPrincipal(app, "school"));
  TH_ASSIGN_OR_RETURN(auto doctor, DemoPrincipal(app, "hospital"));

  // The duty roster: the center's officer is on duty now and tomorrow.
  const std::int64_t now = app.clock->NowMillis();
  TH_RETURN_IF_ERROR(reports->AddShift(district, {district.user_id, now - 2 * kHourMs, now + 22 * kHourMs, "白班+夜班"}).status());
  TH_RETURN_IF_ERROR(reports->AddShift(district, {district.user_id, now + 22 * kHourMs, now + 46 * kHourMs, ""}).status());
  TH_RETURN_IF_ERROR(reports->AddHandover(district, "夜间接热线2起，其中1起疑似家暴已电话联系派出所，待白班研判。").status());

  // The public page: an anonymous passer-by.
  TH_RETURN_IF_ERROR(reports->CreatePublic("demo", Input("public", "晚上十点多看到一个七八岁的孩子独自在公园长椅上睡觉，问他家在哪里不说话。",
                                                         "布吉街道中心公园东门", {"s6"})).status());
  // Hotline: an anonymous neighbour (sensitive, urgent: the duty officer is alerted), then triaged.
  auto hot = Input("hotline", "邻居家的男孩身上经常有淤青，晚上常听到打骂和哭声，已经持续几个月。", "布吉街道某小区3栋", {"s4"});
  hot.anonymous = true;
  hot.child_age = 9;
  TH_ASSIGN_OR_RETURN(auto h1, reports->Create(district, hot));
  TH_RETURN_IF_ERROR(reports->Triage(district, h1.report.id, {h1.report.version, std::nullopt, "immediate", "abuse",
                                                             "已联系派出所上门核实，拟派教育局和街道协同处置", supervisor.org_unit_id})
                         .status());
  // Hotline: a named caller (callback number sealed), about a child out of school.
  auto hot2 = Input("hotline", "亲戚家初二的女儿已经两个月没去上学，在家帮忙看店。", "坂田街道某商铺", {});
  hot2.reporter_name = "李女士";
  hot2.reporter_phone = "13912345678";
  hot2.child_name = "小敏";
  hot2.child_age = 14;
  TH_ASSIGN_OR_RETURN(auto h2, reports->Create(district, hot2));
  TH_RETURN_IF_ERROR(reports->Triage(district, h2.report.id, {h2.report.version, std::nullopt, "routine", "dropout", "", director2.org_unit_id}).status());
  // Field reports: the 儿童主任 (triaged and closed) and the 网格员 (awaiting triage).
  auto f1 = Input("field", "走访发现一名留守儿童与年迈奶奶同住，奶奶卧病，家中断粮。", director.org_name + "幸福巷12号", {"s6"});
  f1.child_age = 8;
  TH_ASSIGN_OR_RETURN(auto r1, reports->Create(director, f1));
  TH_ASSIGN_OR_RETURN(auto t1, reports->Triage(district, r1.report.id, {r1.report.version, std::nullopt, "24h", "hardship", "", std::nullopt}));
  TH_RETURN_IF_ERROR(reports->Close(district, r1.report.id, t1.report.version, "已协调街道发放临时救助并联系其父亲返乡，纳入重点关注。",
                                    "感谢您的报告，孩子已得到临时救助，社区将持续关注。").status());
  TH_RETURN_IF_ERROR(reports->Create(grid, Input("field", "地铁站口有两名孩子由成年人带领乞讨，已持续一周。", "布吉地铁站B出口", {"s8"})).status());
  // Mandatory reports: the school (triaged) and the hospital (sensitive, closed: the reporter sees the result).
  auto m1 = Input("mandatory", "学生连续三天未到校，家访发现父母外出务工，孩子独自在家无人照料。", director.org_name + "某出租屋", {"s6"});
  m1.child_name = "王小明";
  m1.child_age = 10;
  m1.child_school = teacher.org_name + "实验小学";
  m1.police_reported = true;
  m1.police_station = "布吉派出所";
  m1.police_reported_at = "2026-12-01 09:30";
  m1.police_receipt_no = "JJ20261201-0032";
  m1.told_education = true;
  TH_ASSIGN_OR_RETURN(auto s1, reports->Create(teacher, m1));
  TH_RETURN_IF_ERROR(reports->Triage(district, s1.report.id, {s1.report.version, std::nullopt, "24h", "guardianship", "", std::nullopt}).status());
  auto m2 = Input("mandatory", "接诊一名13岁女孩，检查发现已怀孕，本人称曾遭受侵害。", "布吉人民医院妇产科", {"s2"});
  m2.child_age = 13;
  m2.police_reported = true;
  m2.police_station = "布吉派出所";
  m2.police_reported_at = "2026-11-28 15:10";
  m2.told_civil_affairs = true;
  TH_ASSIGN_OR_RETURN(auto s2, reports->Create(doctor, m2));
  TH_ASSIGN_OR_RETURN(auto t2, reports->Triage(district, s2.report.id, {s2.report.version, std::nullopt, "immediate", "sexual_assault", "公安已立案", std::nullopt}));
  TH_RETURN_IF_ERROR(reports->Close(district, s2.report.id, t2.report.version, "公安机关已立案侦查，妇联和民政已安排心理疏导与临时照料。",
                                    "您报告的情况公安机关已依法立案处理，感谢您履行强制报告义务。").status());
  return EscalateDemoFinding(app, district, director);
}

}  // namespace th::app
