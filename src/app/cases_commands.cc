// `tonghu cases demo-load`: the case bench's five years of case work, written set-based. Every statement is an
// INSERT ... SELECT over one block of child ids (or of the case ids that block just received), so the load costs a
// few dozen statements per 5,000 children on either engine. Integers are written into the SQL as literals (the
// loader computes them; nothing comes from a user) so that PostgreSQL never has to guess a parameter's type;
// the texts that vary are parameters cast to TEXT.
#include "app/cases_commands.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "app/command_util.h"
#include "app/modules.h"
#include "domain/date.h"
#include "modules/cases/service/case_service.h"
#include "storage/connection.h"

namespace th::app {

namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;
constexpr std::int64_t kBlock = 5000;
constexpr std::int64_t kHistoryDays = 1830;  // a little over five years: the rows of bench_day

constexpr const char* kRiskRed =
    R"({"g_status":"absent","g_unseen_months":14,"s_harm":false,"s_home":"hazard","h_health":"good","h_mood":"distress","e_school":"at_risk","f_income":"extreme","f_support":["allowance"],"note":"父亲服刑，母亲失联一年多，由70岁奶奶照看，奶奶卧病。"})";
constexpr const char* kRiskYellow =
    R"({"g_status":"weak","g_unseen_months":0,"s_harm":false,"s_home":"safe","h_health":"serious","h_mood":"distress","e_school":"at_risk","f_income":"hard","f_support":["allowance","medical"]})";
constexpr const char* kRiskBlue =
    R"({"g_status":"weak","g_unseen_months":0,"s_harm":false,"s_home":"safe","h_health":"good","h_mood":"stable","e_school":"in_school","f_income":"hard","f_support":["allowance","medical"]})";
constexpr const char* kRiskGreen =
    R"({"g_status":"proper","g_unseen_months":1,"s_harm":false,"s_home":"safe","h_health":"good","h_mood":"stable","e_school":"in_school","f_income":"stable"})";
constexpr const char* kNeedsAnswers =
    R"({"n_living":"2","n_living_aid":true,"n_safety":"1","n_education":"2","n_health":"0","n_mind":"2","n_family":"3","n_social":"1","n_note":"需链接临时救助、学业辅导和情绪支持，协助联系母亲。"})";
constexpr const char* kNeedsJson =
    R"([{"code":"living","name":"生活","level":2,"note":""},{"code":"safety","name":"安全","level":1,"note":""},{"code":"education","name":"教育","level":2,"note":""},{"code":"health","name":"健康与心理","level":2,"note":""},{"code":"family","name":"家庭关系","level":3,"note":"协助联系母亲"},{"code":"social","name":"社会融入","level":1,"note":""}])";
constexpr const char* kGuardianAnswers =
    R"({"gd_health":"weak","gd_will":"willing","gd_care":"partial","gd_income":true,"gd_housing":false,"gd_note":"祖父年迈体弱，照料尚可，经济困难。"})";
constexpr const char* kGroupNames[3] = {"情绪支持小组（第1期）", "安全教育小组（第1期）", "童伴成长小组（第1期）"};

std::string N(std::int64_t v) { return std::to_string(v); }

// The integers 0..n-1 as a derived table `n(k)` (BIGINT, so that products with day lengths stay 64-bit).
std::string Seq(int n) {
  std::string s = "(SELECT CAST(0 AS BIGINT) AS k";
  for (int i = 1; i < n; ++i) s += " UNION ALL SELECT " + N(i);
  return s + ") n";
}

// The risk grade (广东 four colours) of a child id expression: the same id pattern as visits' demo load.
std::string GradeOf(const std::string& x) {
  const std::string m = "((" + x + ") * 7) % 20";
  return "CASE WHEN " + m + " = 0 THEN 'red' WHEN " + m + " < 5 THEN 'yellow' WHEN " + m + " < 13 THEN 'blue' ELSE 'green' END";
}

struct Ctx {
  storage::Connection& c;
  std::int64_t now = 0;
  std::string worker;  // a social worker's user id, as SQL
  std::string today;   // YYYY-MM-DD
  CasesLoadCounts n;
};

Result<std::int64_t> MaxId(storage::Connection& c, const char* table) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query(std::string("SELECT COALESCE(MAX(id), 0) FROM ") + table));
  return rows[0].Int(0);
}

// bench_day(days_ago, on_date): the calendar dates the rows need, so that SQL never formats a date.
Status MakeDays(Ctx& x) {
  TH_RETURN_IF_ERROR(x.c.ExecuteScript("CREATE TEMP TABLE bench_day (days_ago BIGINT PRIMARY KEY, on_date TEXT NOT NULL)"));
  const domain::Date today = domain::Date::FromEpochMillisShanghai(x.now);
  for (std::int64_t lo = 0; lo <= kHistoryDays; lo += 200) {
    std::string sql = "INSERT INTO bench_day (days_ago, on_date) VALUES ";
    for (std::int64_t d = lo; d < lo + 200 && d <= kHistoryDays; ++d) {
      sql += (d == lo ? "(" : ", (") + N(d) + ", '" + today.AddDays(static_cast<int>(-d)).ToString() + "')";
    }
    TH_RETURN_IF_ERROR(x.c.Execute(sql).status());
  }
  return Status::Ok();
}

// Three groups per street, with 20 sessions each over the last years (once; skipped when present).
Status MakeGroups(Ctx& x) {
  std::string name = "CASE n.k WHEN 0 THEN '" + std::string(kGroupNames[0]) + "' WHEN 1 THEN '" + kGroupNames[1] +
                     "' ELSE '" + kGroupNames[2] + "' END";
  TH_ASSIGN_OR_RETURN(auto g0, MaxId(x.c, "group_service"));
  TH_ASSIGN_OR_RETURN(
      auto groups,
      x.c.Execute("INSERT INTO group_service (unit_id, unit_path, name, group_type, goal, facilitator, status, created_by, "
                  "version, created_at, updated_at) SELECT u.id, u.path, " + name +
                  ", CASE n.k WHEN 0 THEN 'emotion' WHEN 1 THEN 'safety' ELSE 'growth' END, '提升情绪管理与自我保护能力', "
                  "'社工 张敏', 'open', " + x.worker + ", 1, " + N(x.now - 1500 * kDay) + ", " + N(x.now - 1500 * kDay) +
                  " FROM org_unit u CROSS JOIN " + Seq(3) + " WHERE u.level = 'street' AND NOT EXISTS (SELECT 1 FROM "
                  "group_service g WHERE g.unit_id = u.id AND g.name = " + name + ") ORDER BY u.id, n.k"));
  x.n.groups = groups;
  return x.c
      .Execute("INSERT INTO group_session (group_id, held_on, topic, content, duration_min, facilitator, outcome, "
               "created_by, created_at) SELECT g.id, d.on_date, '第' || CAST(n.k + 1 AS TEXT) || '次小组活动', "
               "'游戏破冰、主题分享与角色扮演', 90, '社工 张敏', '组员参与积极', " + x.worker + ", " + N(x.now) +
               " - d.days_ago * " + N(kDay) + " FROM group_service g CROSS JOIN " + Seq(20) +
               " JOIN bench_day d ON d.days_ago = 1400 - 65 * n.k WHERE g.id > " + N(g0) + " ORDER BY g.id, n.k")
      .status();
}

// The current case of every child of ids [lo, hi] on the roll without any case.
Status InsertCases(Ctx& x, std::int64_t lo, std::int64_t hi) {
  const std::string m = "c.id % 20";
  TH_ASSIGN_OR_RETURN(
      auto n,
      x.c.Execute(
          "INSERT INTO case_file (child_id, unit_id, unit_path, street_unit_id, district_unit_id, status, source, "
          "reason, worker_user_id, close_reason, opened_by, opened_at, closed_at, created_at, updated_at, version) "
          "SELECT c.id, c.community_id, u.path, c.street_id, c.district_id, CASE WHEN " + m + " < 2 THEN 'intake' WHEN " +
          m + " < 4 THEN 'assessing' WHEN " + m + " < 6 THEN 'planning' WHEN " + m + " < 17 THEN 'intervening' ELSE "
          "'reviewing' END, CASE WHEN c.id % 10 = 0 THEN 'decision' ELSE 'roll' END, CASE WHEN c.id % 10 = 0 THEN "
          "'父母外出务工，祖辈照看困难，社工研判接案' ELSE '在册困境儿童接案' END, CASE WHEN " + m + " < 2 THEN NULL ELSE " +
          x.worker + " END, '', " + x.worker + ", " + N(x.now - 1095 * kDay) + " + (c.id % 300) * " + N(kDay) +
          ", NULL, " + N(x.now - 1095 * kDay) + " + (c.id % 300) * " + N(kDay) + ", " + N(x.now) + " - (c.id % 30) * " +
          N(kDay) + ", 1 + c.id % 5 FROM child c JOIN org_unit u ON u.id = c.community_id WHERE c.id BETWEEN " + N(lo) +
          " AND " + N(hi) + " AND c.roll_status = 'on_roll' AND NOT EXISTS (SELECT 1 FROM case_file x WHERE x.child_id "
          "= c.id) ORDER BY c.id"));
  x.n.cases += n;
  return Status::Ok();
}

// An earlier case, closed, for one child in three of the current cases (a, b].
Status InsertClosedCases(Ctx& x, std::int64_t a, std::int64_t b) {
  const std::string opened = N(x.now - 1825 * kDay) + " + (k.child_id % 97) * " + N(kDay);
  const std::string closed = N(x.now - 1225 * kDay) + " - (k.child_id % 97) * " + N(kDay);
  TH_ASSIGN_OR_RETURN(
      auto n, x.c.Execute("INSERT INTO case_file (child_id, unit_id, unit_path, street_unit_id, district_unit_id, status, "
                          "source, reason, worker_user_id, close_reason, opened_by, opened_at, closed_at, created_at, "
                          "updated_at, version) SELECT k.child_id, k.unit_id, k.unit_path, k.street_unit_id, "
                          "k.district_unit_id, 'closed', 'roll', '在册困境儿童接案', " + x.worker + ", "
                          "'服务目标达成，家庭监护恢复', " + x.worker + ", " + opened + ", " + closed + ", " + opened + ", " +
                          closed + ", 7 FROM case_file k WHERE k.id > " + N(a) + " AND k.id <= " + N(b) +
                          " AND k.child_id % 3 = 0 ORDER BY k.id"));
  x.n.cases += n;
  return Status::Ok();
}

// Each case's timeline: open, assess, assign, plan, intervene, review, close, as far as its status.
Status InsertEvents(Ctx& x, std::int64_t a, std::int64_t b) {
  auto pick = [](const char* v0, const char* v1, const char* v2, const char* v3, const char* v4, const char* v5,
                 const char* v6) {
    return std::string("CASE n.k WHEN 0 THEN '") + v0 + "' WHEN 1 THEN '" + v1 + "' WHEN 2 THEN '" + v2 +
           "' WHEN 3 THEN '" + v3 + "' WHEN 4 THEN '" + v4 + "' WHEN 5 THEN '" + v5 + "' ELSE '" + v6 + "' END";
  };
  TH_ASSIGN_OR_RETURN(
      auto n,
      x.c.Execute("INSERT INTO case_event (case_id, at, user_id, action, from_status, to_status, note) SELECT k.id, "
                  "k.opened_at + n.k * (CASE WHEN k.status = 'closed' THEN 80 ELSE 30 END) * " + N(kDay) + ", " +
                  x.worker + ", " + pick("open", "assess", "assign", "plan", "intervene", "review", "close") + ", " +
                  pick("", "intake", "assessing", "assessing", "planning", "intervening", "reviewing") + ", " +
                  pick("intake", "assessing", "assessing", "planning", "intervening", "reviewing", "closed") +
                  ", CASE n.k WHEN 0 THEN k.reason WHEN 2 THEN '社工 张敏' WHEN 6 THEN k.close_reason ELSE '' END FROM "
                  "case_file k CROSS JOIN " + Seq(7) + " WHERE k.id > " + N(a) + " AND k.id <= " + N(b) + " AND n.k < "
                  "CASE k.status WHEN 'intake' THEN 1 WHEN 'assessing' THEN 3 WHEN 'planning' THEN 4 WHEN "
                  "'intervening' THEN 5 WHEN 'reviewing' THEN 6 ELSE 7 END ORDER BY k.id, n.k"));
  x.n.events += n;
  return Status::Ok();
}

// Risk yearly (5), needs every 600 days (3), guardianship yearly for one child in seven (3), a draft for one in
// twenty; for the current cases (a, b]. Older assessments than the case belong to no case.
Status InsertAssessments(Ctx& x, std::int64_t a, std::int64_t b) {
  const std::string cols =
      "INSERT INTO assessment (child_id, case_id, unit_path, kind, form_code, form_version, status, answers_json, "
      "score, grade, needs_json, note, assessor_user_id, completed_at, created_at, updated_at, version) ";
  const std::string range = " WHERE k.id > " + N(a) + " AND k.id <= " + N(b);
  struct Kind {
    std::string done, grade, answers, score, needs, filter;
    const char *kind, *form;
    int count;
    storage::Params texts;  // $1.. of `answers` and `needs`
  };
  const std::string g = GradeOf("k.child_id + n.k");
  const std::vector<Kind> kinds = {
      {N(x.now) + " - n.k * " + N(365 * kDay) + " - (k.child_id % 200 + 20) * " + N(kDay), g,
       "CASE " + g + " WHEN 'red' THEN CAST($1 AS TEXT) WHEN 'yellow' THEN CAST($2 AS TEXT) WHEN 'blue' THEN "
       "CAST($3 AS TEXT) ELSE CAST($4 AS TEXT) END",
       "CASE " + g + " WHEN 'red' THEN 18 WHEN 'yellow' THEN 10 WHEN 'blue' THEN 6 ELSE 2 END", "'[]'", "", "risk",
       "gd_risk", 5, {kRiskRed, kRiskYellow, kRiskBlue, kRiskGreen}},
      {N(x.now) + " - n.k * " + N(600 * kDay) + " - (k.child_id % 150 + 10) * " + N(kDay), "''", "CAST($1 AS TEXT)",
       "11", "CAST($2 AS TEXT)", "", "needs", "needs", 3, {kNeedsAnswers, kNeedsJson}},
      {N(x.now) + " - n.k * " + N(365 * kDay) + " - (k.child_id % 100 + 40) * " + N(kDay),
       "CASE (k.child_id + n.k) % 3 WHEN 0 THEN 'poor' WHEN 1 THEN 'fair' ELSE 'good' END", "CAST($1 AS TEXT)", "6",
       "'[]'", " AND k.child_id % 7 = 0", "guardianship", "guardianship", 3, {kGuardianAnswers}}};
  for (const auto& kd : kinds) {
    TH_ASSIGN_OR_RETURN(
        auto n, x.c.Execute(cols + "SELECT k.child_id, CASE WHEN " + kd.done + " >= k.opened_at THEN k.id ELSE NULL END, "
                                   "k.unit_path, '" + kd.kind + "', '" + kd.form + "', 1, 'completed', " + kd.answers +
                                   ", " + kd.score + ", " + kd.grade + ", " + kd.needs + ", '', " + x.worker + ", " +
                                   kd.done + ", " + kd.done + " - " + N(kDay) + ", " + kd.done + ", 2 FROM case_file k "
                                   "CROSS JOIN " + Seq(kd.count) + range + kd.filter + " ORDER BY k.id, n.k DESC",
                            kd.texts));
    x.n.assessments += n;
  }
  TH_ASSIGN_OR_RETURN(
      auto drafts,
      x.c.Execute(cols + "SELECT k.child_id, k.id, k.unit_path, 'risk', 'gd_risk', 1, 'draft', "
                         "'{\"g_status\":\"weak\",\"g_unseen_months\":8}', 0, '', '[]', '', " + x.worker + ", NULL, " +
                  N(x.now) + " - (k.child_id % 10) * " + N(kDay) + ", " + N(x.now) + " - (k.child_id % 10) * " +
                  N(kDay) + ", 1 FROM case_file k" + range + " AND k.child_id % 20 = 7 AND k.status <> 'closed' ORDER BY k.id"));
  x.n.assessments += drafts;
  // The child's grade is its latest risk assessment's.
  return x.c
      .Execute("UPDATE child SET risk_grade = " + GradeOf("id") + ", risk_graded_at = " + N(x.now) +
               " - (id % 200 + 20) * " + N(kDay) + " WHERE id IN (SELECT k.child_id FROM case_file k" + range + ")")
      .status();
}

// Plans in versions (planning: one draft or submitted; in service: 1-3, the newest approved) with eight lines
// each: two goals, three services, two 1+N members, a task.
Status InsertPlans(Ctx& x, std::int64_t a, std::int64_t b) {
  TH_ASSIGN_OR_RETURN(auto p0, MaxId(x.c, "plan"));
  const std::string status =
      "CASE WHEN k.status = 'planning' THEN (CASE WHEN k.child_id % 2 = 1 THEN 'submitted' ELSE 'draft' END) WHEN n.k = "
      "k.child_id % 3 THEN 'approved' ELSE 'superseded' END";
  const std::string at = "k.opened_at + (60 + 120 * n.k) * " + N(kDay);
  TH_ASSIGN_OR_RETURN(
      auto plans,
      x.c.Execute("INSERT INTO plan (case_id, child_id, unit_path, number, status, title, summary, grade, created_by, "
                  "submitted_at, submitted_by, reviewed_at, reviewed_by, review_note, approval_required, version, "
                  "created_at, updated_at) SELECT k.id, k.child_id, k.unit_path, n.k + 1, " + status +
                  ", '个案服务计划(一人一策)', '父母外出务工，祖母照看；需加强安全教育与学业支持', " + GradeOf("k.child_id") +
                  ", " + x.worker + ", CASE WHEN k.status = 'planning' AND k.child_id % 2 = 0 THEN NULL ELSE " + at +
                  " + " + N(3 * kDay) + " END, " + x.worker + ", CASE WHEN k.status = 'planning' THEN NULL ELSE " + at +
                  " + " + N(5 * kDay) + " END, CASE WHEN k.status = 'planning' THEN NULL ELSE " + x.worker +
                  " END, CASE WHEN k.status = 'planning' THEN '' ELSE '同意' END, 1, 3, " +
                  at + ", " + at + " + " + N(5 * kDay) + " FROM case_file k CROSS JOIN " + Seq(3) + " WHERE k.id > " +
                  N(a) + " AND k.id <= " + N(b) + " AND k.status IN ('planning', 'intervening', 'reviewing') AND n.k < "
                  "CASE WHEN k.status = 'planning' THEN 1 ELSE 1 + k.child_id % 3 END ORDER BY k.id, n.k"));
  x.n.plans += plans;
  auto pick = [](const char* v0, const char* v1, const char* v2, const char* v3, const char* v4, const char* v5,
                 const char* v6, const char* v7) {
    return std::string("CASE n.k WHEN 0 THEN '") + v0 + "' WHEN 1 THEN '" + v1 + "' WHEN 2 THEN '" + v2 +
           "' WHEN 3 THEN '" + v3 + "' WHEN 4 THEN '" + v4 + "' WHEN 5 THEN '" + v5 + "' WHEN 6 THEN '" + v6 +
           "' ELSE '" + v7 + "' END";
  };
  TH_ASSIGN_OR_RETURN(
      auto lines,
      x.c.Execute(
          "INSERT INTO plan_line (plan_id, kind, seq, code, name, text, extra, frequency, phone, owner_unit_id, "
          "owner_role, due_date, done_at, done_by) SELECT p.id, " +
          pick("goal", "goal", "service", "service", "service", "member", "member", "task") + ", n.k + 1, " +
          pick("safety", "education", "counseling", "study_support", "group", "caring_mother", "teacher", "") + ", " +
          pick("安全", "教育", "每周心理疏导", "学业辅导", "安全教育小组", "王爱心", "李老师", "联系学校了解出勤") + ", " +
          pick("掌握居家安全知识", "按时到校，成绩稳定", "", "", "", "", "", "") + ", " +
          pick("每月一次安全演练", "出勤率", "社工站", "志愿者", "社工站", "社区妇联", "布吉小学", "") + ", " +
          pick("", "", "weekly", "biweekly", "monthly", "", "", "") + ", " +
          pick("", "", "", "", "", "13812345678", "13987654321", "") + ", CASE WHEN n.k = 7 THEN k.unit_id ELSE NULL "
          "END, CASE WHEN n.k = 7 THEN 'child_director' ELSE '' END, CASE WHEN n.k = 7 THEN '" + x.today +
          "' ELSE NULL END, CASE WHEN n.k = 7 AND p.status = 'superseded' THEN p.updated_at ELSE NULL END, CASE WHEN "
          "n.k = 7 AND p.status = 'superseded' THEN " + x.worker + " ELSE NULL END FROM plan p JOIN case_file k ON k.id "
          "= p.case_id CROSS JOIN " + Seq(8) + " WHERE p.id > " + N(p0) + " ORDER BY p.id, n.k"));
  x.n.plan_lines += lines;
  return Status::Ok();
}

// Service records: 12 per case in service over the last ~21 months, 8 per closed case in its time; and one
// current case in ten in one of its street's groups.
Status InsertRecords(Ctx& x, std::int64_t a, std::int64_t c) {
  const std::string range = " WHERE k.id > " + N(a) + " AND k.id <= " + N(c);
  const std::string type =
      "CASE n.k % 5 WHEN 0 THEN 'counseling' WHEN 1 THEN 'home_visit' WHEN 2 THEN 'study_support' WHEN 3 THEN "
      "'material_aid' ELSE 'family_guidance' END";
  TH_ASSIGN_OR_RETURN(
      auto n,
      x.c.Execute("INSERT INTO service_record (case_id, child_id, unit_path, plan_id, served_on, service_type, "
                  "delivered_by, duration_min, content, outcome, created_by, version, created_at, updated_at) SELECT k.id, "
                  "k.child_id, k.unit_path, NULL, d.on_date, " + type + ", '社工 张敏', 30 + (n.k % 4) * 15, "
                  "'入户了解儿童近况，与祖母沟通照料安排，开展情绪疏导并检查作业完成情况，讲解居家用电安全。', "
                  "'儿童情绪稳定，按时到校', " + x.worker + ", 1, " + N(x.now) + " - d.days_ago * " + N(kDay) + ", " +
                  N(x.now) + " - d.days_ago * " + N(kDay) + " FROM case_file k CROSS JOIN " + Seq(12) +
                  " JOIN bench_day d ON d.days_ago = CASE WHEN k.status = 'closed' THEN 1240 + 40 * n.k + k.child_id % "
                  "97 ELSE k.child_id % 300 + 30 * (11 - n.k) + 5 END" + range +
                  " AND (k.status IN ('intervening', 'reviewing') OR (k.status = 'closed' AND n.k < 8)) ORDER BY k.id, n.k"));
  x.n.records += n;
  const std::string name = "CASE (k.child_id / 10) % 3 WHEN 0 THEN '" + std::string(kGroupNames[0]) + "' WHEN 1 THEN '" +
                           kGroupNames[1] + "' ELSE '" + kGroupNames[2] + "' END";
  TH_ASSIGN_OR_RETURN(
      auto m, x.c.Execute("INSERT INTO group_member (group_id, case_id, child_id, unit_path, joined_at) SELECT g.id, k.id, "
                          "k.child_id, k.unit_path, k.opened_at + " + N(90 * kDay) + " FROM case_file k JOIN group_service "
                          "g ON g.unit_id = k.street_unit_id AND g.name = " + name + range +
                          " AND k.status <> 'closed' AND k.child_id % 10 = 0 ORDER BY k.id"));
  x.n.members += m;
  return Status::Ok();
}

Status LoadBlock(Ctx& x, std::int64_t lo, std::int64_t hi) {
  storage::Transaction t(x.c);
  TH_RETURN_IF_ERROR(t.Begin());
  TH_ASSIGN_OR_RETURN(auto a, MaxId(x.c, "case_file"));
  TH_RETURN_IF_ERROR(InsertCases(x, lo, hi));
  TH_ASSIGN_OR_RETURN(auto b, MaxId(x.c, "case_file"));
  if (b == a) return t.Commit();
  TH_RETURN_IF_ERROR(InsertClosedCases(x, a, b));
  TH_ASSIGN_OR_RETURN(auto c, MaxId(x.c, "case_file"));
  TH_RETURN_IF_ERROR(InsertEvents(x, a, c));
  TH_RETURN_IF_ERROR(InsertAssessments(x, a, b));
  TH_RETURN_IF_ERROR(InsertPlans(x, a, b));
  TH_RETURN_IF_ERROR(InsertRecords(x, a, c));
  return t.Commit();
}

}  // namespace

Result<CasesLoadCounts> LoadDemoCasesBulk(App& app) {
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  Ctx x{*h};
  x.now = app.clock->NowMillis();
  x.today = domain::Date::FromEpochMillisShanghai(x.now).ToString();
  TH_ASSIGN_OR_RETURN(auto w, h->Query("SELECT COALESCE(MIN(id), 0) FROM app_user WHERE role = 'social_worker'"));
  TH_ASSIGN_OR_RETURN(auto any, h->Query("SELECT COALESCE(MIN(id), 0) FROM app_user"));
  x.worker = N(w[0].Int(0) > 0 ? w[0].Int(0) : any[0].Int(0));
  if (x.worker == "0") return Status::Invalid("database", "no_users", "请先载入演示数据", "Load the demo first (tonghu demo)");
  TH_RETURN_IF_ERROR(MakeDays(x));
  TH_RETURN_IF_ERROR(MakeGroups(x));
  TH_ASSIGN_OR_RETURN(auto max_child, MaxId(*h, "child"));
  for (std::int64_t lo = 1; lo <= max_child; lo += kBlock) TH_RETURN_IF_ERROR(LoadBlock(x, lo, lo + kBlock - 1));
  TH_RETURN_IF_ERROR(h->ExecuteScript("DROP TABLE bench_day"));
  TH_RETURN_IF_ERROR(AnalyzeAfterLoad(*h, {"case_file", "case_event", "assessment", "plan", "plan_line",
                                           "service_record", "group_service", "group_member", "group_session",
                                           "child"}));
  return x.n;
}

void AddCasesCommands(CLI::App& cli, AppConfig& cfg, CasesCommands& cmds) {
  auto* v = cli.add_subcommand("cases", "Case work (个案): synthetic load for the case page bench");
  v->require_subcommand(1);
  cmds.demo_load = v->add_subcommand(
      "demo-load", "Five years of cases, assessments, plans and service records for every child on the roll (bench/cases)");
  cmds.evaluate = v->add_subcommand(
      "evaluate", "Open the assessment_due / guardianship_due work items of every child due one now (as at server start)");
  for (CLI::App* sub : {cmds.demo_load, cmds.evaluate}) AddDatabaseOptions(sub, cfg);
  cmds.evaluate->add_option("--categories", cmds.categories, "Category rules (default guangdong)");
  cmds.evaluate->add_flag("--one-by-one", cmds.one_by_one,
                          "Open the items one by one (the path before work::OpenMany; bench comparison)");
}

std::optional<int> RunCasesCommands(const CasesCommands& cmds, const AppConfig& cfg) {
  const bool load = cmds.demo_load && *cmds.demo_load;
  const bool eval = cmds.evaluate && *cmds.evaluate;
  if (!load && !eval) return std::nullopt;
  auto a = OpenApp(cfg, false);
  if (!a.ok()) return CommandFailed(a.status());
  if (eval) {
    if (auto s = ConfigureModules(*a, cfg.config_dir, cmds.categories); !s.ok()) return CommandFailed(s);
    const Stopwatch clock;
    a->modules->cases()->SetOpenOneByOne(cmds.one_by_one);
    auto n = a->modules->cases()->EvaluateDeadlines();
    if (!n.ok()) return CommandFailed(n.status());
    std::printf("评估期限 / assessment deadlines evaluated: %lld work items opened in %.2f s\n",
                static_cast<long long>(*n), clock.Seconds());
    return 0;
  }
  const Stopwatch clock;
  auto n = LoadDemoCasesBulk(*a);
  if (!n.ok()) return CommandFailed(n.status());
  std::printf("已载入演示个案 / demo cases load: %lld cases, %lld events, %lld assessments, %lld plans (%lld lines), "
              "%lld service records, %lld groups (%lld members) in %.1f s\n",
              static_cast<long long>(n->cases), static_cast<long long>(n->events),
              static_cast<long long>(n->assessments), static_cast<long long>(n->plans),
              static_cast<long long>(n->plan_lines), static_cast<long long>(n->records),
              static_cast<long long>(n->groups), static_cast<long long>(n->members),
              clock.Seconds());
  return 0;
}

}  // namespace th::app
