// Case statistics against both engines: a known set of cases, assessments and their deadline items,
// plans, service records, group sessions, visits, schedules, conferences and decisions, written row by
// row, and the exact counts per group (district → streets, street → communities, community → itself),
// scope, permissions, the period check, the guardianship source (absent vs wired) and the watermarked
// XLSX export.
#include <gtest/gtest.h>

#include "app/testing/service_fixture.h"
#include "io/xlsx_reader.h"
#include "modules/casestats/service/casestats_service.h"
#include "modules/visits/repo/visits_repo.h"
#include "platform/repo/sql_values.h"
#include "platform/service/watermark.h"
#include "platform/work/work_config.h"

namespace th::service {
namespace {

using domain::Date;

// Epoch ms of `d` at `hour`:00 in Asia/Shanghai.
std::int64_t At(Date d, int hour) { return work::EndOfDayShanghai(d.AddDays(-1)) + 1 + hour * 3600000LL; }

class CaseStatsTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    clock_.Set(At(Date::Of(2026, 9, 21), 10));
    svc_ = std::make_unique<CaseStatsService>(
        services_->deps(), std::vector<GradeInfo>{{"red", "红", "Red", "#d93026"},
                                                      {"orange", "橙", "Orange", "#f08c00", /*optional=*/true},
                                                      {"blue", "蓝", "Blue", "#1f6feb"}});
    social_ = MakeUser("social", "social_worker", buji_.id);
    grid_ = MakeUser("gridw", "grid_worker", community_.id);
    a_ = Child("陈一", "44030720140512002", community_.id);
    b_ = Child("陈二", "44030720140512004", community_.id);
    c_ = Child("陈三", "44030720140512006", community2_.id);
    Records();
  }

  std::int64_t Child(const std::string& name, const std::string& id17, std::int64_t community) {
    NewChild n;
    ChildInput& c = n.child;
    c.present = {"name", "sex", "birth_date", "id_number", "community_id", "hukou_nature", "hukou_region_code", "flow_status"};
    c.name = name;
    c.sex = "female";
    c.birth_date = "2014-05-12";
    c.id_number = testing::MakeId(id17);
    c.community_id = community;
    c.hukou_nature = "agricultural";
    c.hukou_region_code = "440307";
    c.flow_status = "local";
    auto f = children_->Create(community == community_.id ? director_ : director2_, n);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? f->child.id : 0;
  }

  std::int64_t Exec(const std::string& sql, const storage::Params& p) {
    auto r = conn().Query(sql + " RETURNING id", p);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    return r.ok() && !r->rows.empty() ? (*r)[0].Int(0) : 0;
  }
  void Run(const std::string& sql, const storage::Params& p = {}) {
    auto r = conn().Execute(sql, p);
    EXPECT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }

  std::int64_t Case(std::int64_t child, const repo::OrgUnit& community, const repo::OrgUnit& street,
                    const std::string& status, std::int64_t opened, std::optional<std::int64_t> closed) {
    return Exec("INSERT INTO case_file (child_id, unit_id, unit_path, street_unit_id, district_unit_id, status, source, "
                "reason, opened_by, opened_at, closed_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, "
                "'decision', '接案', 1, $7, $8, $7, $7)",
                {child, community.id, community.path, street.id, root_.id, status, opened, repo::OptInt(closed)});
  }
  void Assessment(std::int64_t child, const std::string& status, std::optional<std::int64_t> completed) {
    Exec("INSERT INTO assessment (child_id, unit_path, kind, form_code, form_version, status, assessor_user_id, "
         "completed_at, created_at, updated_at) VALUES ($1, '/x/', 'risk', 'gd_risk', 1, $2, 1, $3, 1, 1)",
         {child, status, repo::OptInt(completed)});
  }
  void Item(std::int64_t child, const std::string& kind, std::int64_t due, std::optional<std::int64_t> closed) {
    Exec("INSERT INTO work_item (kind, subject_type, subject_id, title, owner_unit_id, owner_unit_path, owner_role, "
         "district_unit_id, state, is_open, started_at, warn_at, due_at, district_at, created_at, closed_at) "
         "VALUES ($1, 'child_assessment', $2, '评估', $3, $4, 'street_supervisor', $5, $6, $7, 1, $8, $8, $8, 1, $9)",
         {kind, child, buji_.id, buji_.path, root_.id, closed ? "closed" : "open", std::int64_t{closed ? 0 : 1}, due,
          repo::OptInt(closed)});
  }
  void Plan(std::int64_t kase, std::int64_t child, int number, const std::string& status, std::int64_t reviewed) {
    Exec("INSERT INTO plan (case_id, child_id, unit_path, number, status, reviewed_at, created_at, updated_at) "
         "VALUES ($1, $2, '/x/', $3, $4, $5, 1, 1)",
         {kase, child, std::int64_t{number}, status, reviewed});
  }
  void Service(std::int64_t kase, std::int64_t child, const std::string& on) {
    Exec("INSERT INTO service_record (case_id, child_id, unit_path, served_on, service_type, delivered_by, "
         "duration_min, content, created_at, updated_at) VALUES ($1, $2, '/x/', $3, 'counselling', '周敏', 30, '谈心', 1, 1)",
         {kase, child, on});
  }
  std::int64_t Group(const repo::OrgUnit& unit) {
    return Exec("INSERT INTO group_service (unit_id, unit_path, name, group_type, created_at, updated_at) VALUES ($1, $2, "
                "'童伴成长', 'growth', 1, 1)",
                {unit.id, unit.path});
  }
  void Session(std::int64_t group, const std::string& on) {
    Exec("INSERT INTO group_session (group_id, held_on, topic, duration_min, created_at) VALUES ($1, $2, '情绪', 60, 1)",
         {group, on});
  }
  // A visit row written here, and its rollup rows as the visits repo adds them in the visit's transaction.
  void Visit(std::int64_t child, const repo::OrgUnit& community, const repo::OrgUnit& street, std::int32_t on,
             const std::string& grade, std::int32_t due_on, bool on_time) {
    const std::int64_t id = Exec("INSERT INTO visit (child_id, district_id, street_id, community_id, unit_path, visited_on, month, grade, "
         "due_on, on_time, place, child_state, home_state, guardian_care, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
         "$7, $8, $9, $10, 'home', 'good', 'good', 'good', 1)",
         {child, root_.id, street.id, community.id, community.path, std::int64_t{on}, std::int64_t{on / 100}, grade,
          std::int64_t{due_on}, std::int64_t{on_time ? 1 : 0}});
    Status s = repo::VisitsRepo(conn()).RollupVisits("v.id = $1", {id}, 1);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  void Schedule(std::int64_t child, const repo::OrgUnit& community, const repo::OrgUnit& street,
                const std::string& grade, std::int32_t next_due, bool active) {
    Run("INSERT INTO visit_schedule (child_id, district_id, street_id, community_id, unit_path, active, grade, "
        "interval_days, planned_from, next_due_on, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 7, 20260101, $8, 1)",
        {child, root_.id, street.id, community.id, community.path, std::int64_t{active ? 1 : 0}, grade,
         std::int64_t{next_due}});
  }
  std::int64_t Conference(std::int64_t child, const std::string& status, std::int64_t held) {
    return Exec("INSERT INTO conference (child_id, child_name, reason, title, convener_unit_id, convener_name, unit_path, "
                "district_unit_id, scheduled_at, status, held_at, created_at, updated_at) VALUES ($1, '陈', 'red_grade', "
                "'会商', $2, '布吉街道', $3, $4, $5, $6, $5, 1, 1)",
                {child, buji_.id, buji_.path, root_.id, held, status});
  }
  void Decision(std::int64_t conf, std::int64_t child, int seq, const std::string& due, const std::string& status,
                std::int64_t created, std::optional<std::int64_t> done) {
    Exec("INSERT INTO conference_decision (conference_id, child_id, seq, content, owner_kind, owner_unit_id, "
         "owner_unit_path, owner_role, owner_name, due_date, status, done_at, created_at, updated_at) VALUES ($1, $2, "
         "$3, '落实', 'unit', $4, $5, 'child_director', '布吉社区', $6, $7, $8, $9, $9)",
         {conf, child, std::int64_t{seq}, community_.id, community_.path, due, status, repo::OptInt(done), created});
  }

  // Long: the known records (period 2026-09-01 .. 2026-09-30, now 2026-09-21 10:00); the expected
  // counts are spelled out in the tests.
  void Records() {
    const std::int64_t in = At(Date::Of(2026, 9, 5), 9), before = At(Date::Of(2026, 8, 10), 9);
    Run("UPDATE child SET risk_grade = 'red' WHERE id = $1", {a_});
    Run("UPDATE child SET risk_grade = 'blue' WHERE id = $1", {c_});
    const std::int64_t ka = Case(a_, community_, buji_, "intervening", in, std::nullopt);
    Case(b_, community_, buji_, "assessing", before, std::nullopt);
    const std::int64_t kc = Case(c_, community2_, bantian_, "closed", before, At(Date::Of(2026, 9, 15), 9));
    Assessment(a_, "completed", in);
    Assessment(b_, "completed", before);
    Assessment(c_, "draft", std::nullopt);
    Item(a_, "assessment_due", At(Date::Of(2026, 9, 10), 23), At(Date::Of(2026, 9, 5), 9));      // met
    Item(b_, "assessment_due", At(Date::Of(2026, 9, 12), 23), At(Date::Of(2026, 9, 14), 9));     // late
    Item(c_, "assessment_due", At(Date::Of(2026, 9, 15), 23), std::nullopt);                      // overdue now
    Item(a_, "guardianship_due", At(Date::Of(2026, 10, 10), 23), std::nullopt);                   // open, due later
    Item(b_, "assessment_due", At(Date::Of(2026, 8, 10), 23), At(Date::Of(2026, 8, 9), 9));       // before the period
    Plan(ka, a_, 1, "approved", in);
    Plan(kc, c_, 1, "superseded", in);
    Plan(kc, c_, 2, "draft", 0);
    Service(ka, a_, "2026-09-02");
    Service(ka, a_, "2026-09-30");
    Service(ka, a_, "2026-08-31");
    Service(kc, c_, "2026-09-03");
    const std::int64_t g1 = Group(community_), g2 = Group(bantian_);
    Session(g1, "2026-09-04");
    Session(g1, "2026-09-18");
    Session(g1, "2026-08-04");
    Session(g2, "2026-09-08");
    Visit(a_, community_, buji_, 20260904, "red", 20260905, true);
    Visit(a_, community_, buji_, 20260914, "red", 20260912, false);
    Visit(c_, community2_, bantian_, 20260828, "blue", 20260903, true);
    Schedule(a_, community_, buji_, "red", 20260925, true);
    Schedule(b_, community_, buji_, "", 20260910, true);
    Schedule(c_, community2_, bantian_, "blue", 20260901, false);
    const std::int64_t fa = Conference(a_, "held", in);
    Conference(c_, "closed", before);
    Decision(fa, a_, 1, "2026-09-10", "done", in, At(Date::Of(2026, 9, 9), 9));
    Decision(fa, a_, 2, "2026-09-15", "open", in, std::nullopt);
    Decision(fa, a_, 3, "2026-10-15", "open", in, std::nullopt);
  }

  Result<CaseStatsView> Sept(const Principal& who) { return svc_->Stats(who, Date::Of(2026, 9, 1), Date::Of(2026, 10, 1)); }

  std::unique_ptr<CaseStatsService> svc_;
  Principal social_, grid_;
  std::int64_t a_ = 0, b_ = 0, c_ = 0;
};

std::int64_t G(const std::map<std::string, std::int64_t>& m, const std::string& k) {
  auto it = m.find(k);
  return it == m.end() ? 0 : it->second;
}

// The 布吉 counts (children 陈一 and 陈二, the community's group): as a district's street row, a
// street's community row and a community's own row.
void ExpectBuji(const domain::CaseStatsRow& r) {
  EXPECT_EQ(r.open_now, 2);
  EXPECT_EQ(G(r.open_by_grade, "red"), 1);
  EXPECT_EQ(G(r.open_by_grade, "none"), 1);
  EXPECT_EQ(r.opened, 1);
  EXPECT_EQ(r.closed, 0);
  EXPECT_EQ(r.assessments_done, 1);
  EXPECT_EQ(r.assessments_due, 2);
  EXPECT_EQ(r.assessments_on_time, 1);
  EXPECT_EQ(r.assessments_open_now, 1);
  EXPECT_EQ(r.assessments_overdue_now, 0);
  EXPECT_EQ(r.plans_approved, 1);
  EXPECT_EQ(r.plans_in_force, 1);
  EXPECT_EQ(r.service_records, 2);
  EXPECT_EQ(r.groups_active, 1);
  EXPECT_EQ(r.group_sessions, 2);
  EXPECT_EQ(r.visits.done, 2);
  EXPECT_EQ(r.visits.on_time, 1);
  EXPECT_EQ(r.visits.due, 4);  // two visits due in September, 陈一's next (09-25) and 陈二's (09-10)
  EXPECT_EQ(r.visits.overdue_now, 1);
  EXPECT_EQ(r.visits_by_grade.at("red").due, 3);
  EXPECT_EQ(r.visits_by_grade.at("none").overdue_now, 1);
  EXPECT_EQ(r.conferences_held, 1);
  EXPECT_EQ(r.decisions_made, 3);
  EXPECT_EQ(r.decisions_done, 1);
  EXPECT_EQ(r.decisions_overdue_now, 1);
  EXPECT_FALSE(r.guardianship.has_value());
}

TEST_P(CaseStatsTest, DistrictSeesItsStreetsWithExactCounts) {
  auto v = Sept(district_);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_FALSE(v->has_guardianship);
  ASSERT_EQ(v->rows.size(), 2u);  // 布吉街道, 坂田街道 (no 其他: nothing in the district's own unit)
  EXPECT_EQ(v->rows[0].name, "布吉街道");
  ExpectBuji(v->rows[0]);
  const auto& bt = v->rows[1];
  EXPECT_EQ(bt.name, "坂田街道");
  EXPECT_EQ(bt.open_now, 0);
  EXPECT_EQ(bt.closed, 1);
  EXPECT_EQ(bt.assessments_done, 0);
  EXPECT_EQ(bt.assessments_due, 1);
  EXPECT_EQ(bt.assessments_on_time, 0);
  EXPECT_EQ(bt.assessments_overdue_now, 1);
  EXPECT_EQ(bt.plans_approved, 1);
  EXPECT_EQ(bt.plans_in_force, 0);
  EXPECT_EQ(bt.service_records, 1);
  EXPECT_EQ(bt.groups_active, 1);
  EXPECT_EQ(bt.group_sessions, 1);
  EXPECT_EQ(bt.visits.done, 0);
  EXPECT_EQ(bt.visits.due, 1);  // visited in August for its due date 09-03; the schedule is inactive
  EXPECT_EQ(bt.visits.overdue_now, 0);
  EXPECT_EQ(bt.conferences_held, 0);
  EXPECT_EQ(v->total.open_now, 2);
  EXPECT_EQ(v->total.assessments_due, 3);
  EXPECT_EQ(v->total.visits.due, 5);
  EXPECT_EQ(v->total.service_records, 3);
  EXPECT_EQ(v->total.group_sessions, 3);
  EXPECT_EQ(v->total.closed, 1);
  // Only the form's grades (red, blue) in the data: no column for another form's orange.
  EXPECT_EQ(v->grades.size(), 2u);
}

TEST_P(CaseStatsTest, AnotherFormsGradeInTheDataGetsItsColumnInPlace) {
  Visit(b_, community_, buji_, 20260915, "orange", 20260915, true);
  Visit(b_, community_, buji_, 20260916, "purple", 20260916, true);
  auto v = Sept(district_);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  ASSERT_EQ(v->grades.size(), 4u);
  EXPECT_EQ(v->grades[0].code, "red");
  EXPECT_EQ(v->grades[1].code, "orange");  // between red and blue, as the module placed it
  EXPECT_EQ(v->grades[1].name, "橙");
  EXPECT_EQ(v->grades[2].code, "blue");
  EXPECT_EQ(v->grades[3].code, "purple");  // no form lists it: last, under its code
  EXPECT_EQ(v->total.visits_by_grade.at("orange").done, 1);
  EXPECT_EQ(v->total.visits_by_grade.at("purple").done, 1);
}

TEST_P(CaseStatsTest, StreetAndCommunityCallersSeeTheirOwnSubtreeOnly) {
  for (const Principal* who : {&sup_, &social_}) {
    auto v = Sept(*who);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    ASSERT_EQ(v->rows.size(), 1u);  // 布吉社区 (the street's only community)
    EXPECT_EQ(v->rows[0].name, "布吉社区");
    ExpectBuji(v->rows[0]);
    EXPECT_EQ(v->total.closed, 0);  // 坂田's closed case is not theirs
  }
  auto d = Sept(director_);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d->rows.size(), 1u);
  EXPECT_EQ(d->rows[0].name, "布吉社区");
  ExpectBuji(d->rows[0]);
  auto d2 = Sept(director2_);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2->total.open_now, 0);
  EXPECT_EQ(d2->total.closed, 1);
  EXPECT_EQ(d2->total.service_records, 1);
  EXPECT_EQ(d2->total.group_sessions, 0);  // 坂田's group belongs to the street, not to 坂田社区
}

TEST_P(CaseStatsTest, PermissionAndPeriodErrors) {
  EXPECT_EQ(Sept(grid_).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Stats(district_, Date::Of(2026, 9, 1), Date::Of(2026, 9, 1)).status().error_code(), "invalid_range");
  EXPECT_EQ(svc_->Stats(district_, Date::Of(2010, 1, 1), Date::Of(2026, 9, 1)).status().error_code(), "invalid_range");
}

TEST_P(CaseStatsTest, GuardianshipColumnsComeFromTheSourceWhenWired) {
  std::vector<std::string> seen;
  svc_->SetGuardianshipSource([&](storage::Connection&, const std::string& scope, const std::vector<std::string>& groups,
                                  std::int64_t from, std::int64_t to) -> Result<std::vector<GuardianshipGroupCounts>> {
    seen = groups;
    EXPECT_EQ(scope, root_.path);
    EXPECT_EQ(from, At(Date::Of(2026, 9, 1), 0));
    EXPECT_EQ(to, At(Date::Of(2026, 10, 1), 0));
    return std::vector<GuardianshipGroupCounts>{{buji_.path, 2, 1, 0}, {bantian_.path, 0, 0, 1}, {root_.path, 0, 0, 0}};
  });
  auto v = Sept(district_);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(seen, (std::vector<std::string>{buji_.path, bantian_.path, root_.path}));
  EXPECT_TRUE(v->has_guardianship);
  ASSERT_TRUE(v->rows[0].guardianship.has_value());
  EXPECT_EQ(v->rows[0].guardianship->temporary_now, 2);
  EXPECT_EQ(v->rows[0].guardianship->returned, 1);
  EXPECT_EQ(v->rows[1].guardianship->long_term_now, 1);
  EXPECT_EQ(v->total.guardianship->temporary_now, 2);
  EXPECT_EQ(v->total.guardianship->long_term_now, 1);
}

TEST_P(CaseStatsTest, ExportIsWatermarkedAndAudited) {
  auto x = svc_->StatsXlsx(district_, Date::Of(2026, 9, 1), Date::Of(2026, 10, 1), false);
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  auto sheet = io::ParseXlsx(*x);
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_EQ(sheet->header.at(0), "单位");
  EXPECT_EQ(sheet->header.at(2), "在办红");
  bool total = false, mark = false;
  for (const auto& r : sheet->rows) {
    if (!r.empty() && r[0] == "合计") total = r.at(1) == "2";
    if (!r.empty() && r[0].rfind(kExportWatermarkPrefix, 0) == 0) mark = r[0].find("(district)") != std::string::npos;
  }
  EXPECT_TRUE(total);
  EXPECT_TRUE(mark);
  auto n = conn().Query("SELECT COUNT(*) FROM audit_log WHERE action = 'casestat.export'");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ((*n)[0].Int(0), 1);
  EXPECT_EQ(svc_->StatsXlsx(grid_, Date::Of(2026, 9, 1), Date::Of(2026, 10, 1), false).status().code(),
            Code::kPermissionDenied);
}

TH_INSTANTIATE_ENGINE_TEST(CaseStatsTest);

}  // namespace
}  // namespace th::service
