// Cases and assessments against both engines: open from a child (one open case per child, scope,
// permissions), the workflow with its work items, drafts and completion (validation names the
// question, a completed assessment is immutable), the grade on the child and its listeners,
// comparison, the contract plans builds on, and the assessment deadlines (set-based evaluation).
#include "modules/cases/service/case_service.h"

#include <gtest/gtest.h>

#include "app/testing/service_fixture.h"
#include "modules/cases/api/cases_module.h"
#include "modules/registry/service/child_service.h"
#include "platform/work/work_service.h"

namespace th::service {
namespace {

class CaseServiceTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(work::InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
    domain::CaseConfig cfg;
    domain::FormSet forms;
    ASSERT_TRUE(api::LoadCasesConfig(std::string(TH_SOURCE_DIR) + "/config", &cfg, &forms).ok());
    cases_ = std::make_unique<CaseService>(services_->deps(), cfg, forms, *children_);
    worker_ = MakeUser("worker", "social_worker", buji_.id);
    worker2_ = MakeUser("worker2", "social_worker", bantian_.id);
    leader_ = MakeUser("leader", "leader", root_.id);
    child_ = Child("张小明", community_.id);
  }

  std::int64_t Child(const std::string& name, std::int64_t community) {
    NewChild n;
    n.child.present = {"name", "sex", "birth_date", "no_id_reason", "community_id"};
    n.child.name = name;
    n.child.sex = "male";
    n.child.birth_date = "2016-03-02";
    n.child.no_id_reason = "未落户";
    n.child.community_id = community;
    auto c = children_->Create(district_, n);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return c.ok() ? c->child.id : 0;
  }

  std::int64_t Count(const std::string& sql, const storage::Params& p = {}) {
    auto r = conn().Query(sql, p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int(0) : -1;
  }

  Result<CaseView> OpenCase(const Principal& who, std::int64_t child) {
    OpenCaseInput in;
    in.child_id = child;
    in.source = "decision";
    in.reason = "入户走访发现父亲服刑、母亲失联";
    return cases_->Open(who, in);
  }

  Result<repo::AssessmentRecord> Assess(const Principal& who, std::int64_t child, const std::string& form,
                                        const std::string& answers) {
    AssessmentInput in;
    in.child_id = child;
    in.form = form;
    in.answers_json = answers;
    auto d = cases_->SaveDraft(who, std::nullopt, in, 0);
    if (!d.ok()) return d.status();
    return cases_->Complete(who, d->id, d->version);
  }

  static constexpr const char* kRed =
      R"({"g_status":"absent","g_unseen_months":13,"s_harm":true,"s_home":"safe","h_health":"good","h_mood":"stable","e_school":"in_school","f_income":"hard"})";
  static constexpr const char* kBlue =
      R"({"g_status":"weak","g_unseen_months":6,"s_harm":false,"s_home":"safe","h_health":"good","h_mood":"stable","e_school":"in_school","f_income":"stable"})";
  static constexpr const char* kGuardian =
      R"({"gd_health":"weak","gd_will":"willing","gd_care":"partial","gd_income":true,"gd_housing":false})";
  static constexpr const char* kNeeds =
      R"({"n_living":"2","n_safety":"0","n_education":"1","n_health":"0","n_mind":"3","n_family":"0"})";

  std::unique_ptr<CaseService> cases_;
  Principal worker_, worker2_, leader_;
  std::int64_t child_ = 0;
};

TEST_P(CaseServiceTest, OpensOneCasePerChildInScope) {
  auto k = OpenCase(worker_, child_);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_EQ(k->record.status, "intake");
  EXPECT_EQ(k->record.worker_user_id, std::optional<std::int64_t>(worker_.user_id));  // a worker opens for themselves
  EXPECT_EQ(k->record.unit_path, community_.path);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'case' AND kind = 'case_assess' AND is_open = 1"), 1);
  auto again = OpenCase(director_, child_);
  EXPECT_EQ(again.status().code(), Code::kConflict);
  EXPECT_EQ(again.status().error_code(), "case_open");
  // The other street cannot see it, nor open one for a child outside its scope.
  EXPECT_EQ(cases_->Get(worker2_, k->record.id).status().code(), Code::kNotFound);
  EXPECT_EQ(OpenCase(worker2_, Child("李四", community_.id)).status().code(), Code::kNotFound);
  // A leader reads (reason masked) but cannot write; a decision needs a reason.
  auto lead = cases_->Get(leader_, k->record.id);
  ASSERT_TRUE(lead.ok());
  EXPECT_EQ(lead->record.reason, "***");
  EXPECT_TRUE(lead->actions.empty());
  EXPECT_EQ(OpenCase(leader_, child_).status().code(), Code::kPermissionDenied);
  // 403 before 409: a reader without case.write is refused whatever version it sends.
  EXPECT_EQ(cases_->Act(leader_, k->record.id, "assess", "", 999).status().code(), Code::kPermissionDenied);
  OpenCaseInput bad;
  bad.child_id = Child("王五", community_.id);
  bad.source = "decision";
  EXPECT_EQ(cases_->Open(worker_, bad).status().field(), "reason");
  bad.source = "whim";
  EXPECT_EQ(cases_->Open(worker_, bad).status().error_code(), "invalid_enum");
  // Assigning someone else needs case.assign; the worker must belong to the child's street.
  bad.source = "roll";
  bad.worker_user_id = worker2_.user_id;
  EXPECT_EQ(cases_->Open(sup_, bad).status().error_code(), "invalid_worker");
  bad.worker_user_id = worker_.user_id;
  EXPECT_EQ(cases_->Open(director_, bad).status().code(), Code::kPermissionDenied);
  auto assigned = cases_->Open(sup_, bad);
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  EXPECT_EQ(assigned->record.worker_user_id, std::optional<std::int64_t>(worker_.user_id));
  // Every read and change is audited.
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'case.open'"), 2);
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'case.read'"), 1);
}

// A grid moved to another community (of another street) takes its children there: their cases (which copy the
// child's community, not the grid) and the cases' work follow, through the registry's unit hook running the child
// hooks for the grid's children.
TEST_P(CaseServiceTest, AGridMovedToAnotherStreetTakesItsChildrensCases) {
  const repo::OrgUnit grid = Insert(community_.id, "440307001001-G09", "九网格", "grid");
  ASSERT_TRUE(conn().Execute("UPDATE child SET grid_id = $1 WHERE id = $2", {grid.id, child_}).ok());
  auto k = OpenCase(worker_, child_);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) -> Status {
                TH_RETURN_IF_ERROR(repo::OrgRepo(c).Move(grid, community2_, grid.version, clock_.NowMillis()));
                TH_ASSIGN_OR_RETURN(auto moved, repo::OrgRepo(c).Get(grid.id));
                return services_->deps().jurisdiction.AfterUnitMove(c, grid, moved.path);
              }).ok());
  auto moved = cases_->Get(worker2_, k->record.id);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(moved->record.unit_path, community2_.path);
  EXPECT_EQ(cases_->Get(worker_, k->record.id).status().code(), Code::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'case' AND subject_id = $1 AND is_open = 1 "
                  "AND owner_unit_id = $2",
                  {k->record.id, bantian_.id}),
            1);
}

TEST_P(CaseServiceTest, CarriesACaseFromIntakeToClosureAndReopens) {
  auto k = OpenCase(worker_, child_);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  const std::int64_t id = k->record.id;
  // Planning needs a risk assessment of this case.
  auto moved = cases_->Act(worker_, id, "assess", "", k->record.version);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(cases_->Act(worker_, id, "plan", "", moved->record.version).status().error_code(), "assessment_required");
  EXPECT_EQ(cases_->Act(worker_, id, "plan", "", 1).status().error_code(), "stale_version");
  EXPECT_EQ(cases_->Act(worker_, id, "review", "", moved->record.version).status().error_code(), "invalid_state");
  EXPECT_EQ(cases_->Act(worker_, id, "fly", "", moved->record.version).status().error_code(), "invalid_enum");
  ASSERT_TRUE(Assess(worker_, child_, "gd_risk", kBlue).ok());
  auto v = cases_->Get(worker_, id);
  ASSERT_TRUE(v.ok());
  for (const char* step : {"plan", "intervene", "review"}) {
    auto s = cases_->Act(worker_, id, step, "", v->record.version);
    ASSERT_TRUE(s.ok()) << step << ": " << s.status().ToString();
    v = s;
  }
  EXPECT_EQ(v->record.status, "reviewing");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'case' AND kind = 'case_review' AND is_open = 1"), 1);
  EXPECT_EQ(cases_->Act(worker_, id, "close", "", v->record.version).status().field(), "note");
  v = cases_->Act(worker_, id, "close", "目标达成，监护恢复", v->record.version);
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->record.status, "closed");
  EXPECT_EQ(v->record.close_reason, "目标达成，监护恢复");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'case' AND is_open = 1"), 0);
  // Closed: a new case may open; reopening the old one then conflicts (one open case per child).
  auto second = OpenCase(worker_, child_);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(cases_->Act(worker_, id, "reopen", "再次发现风险", v->record.version).status().error_code(), "case_open");
  ASSERT_TRUE(cases_->Act(worker_, second->record.id, "close", "误开", second->record.version).ok());
  auto re = cases_->Act(worker_, id, "reopen", "再次发现风险", v->record.version);
  ASSERT_TRUE(re.ok()) << re.status().ToString();
  EXPECT_EQ(re->record.status, "assessing");
  // The timeline has every step.
  EXPECT_EQ(re->events.size(), 7u);  // open, assess, plan, intervene, review, close, reopen
}

TEST_P(CaseServiceTest, RiskAssessmentGradesTheChildAndTellsListeners) {
  auto k = OpenCase(worker_, child_);
  ASSERT_TRUE(k.ok());
  std::vector<std::pair<std::int64_t, std::string>> told;
  cases_->AddGradeListener([&](storage::Connection&, std::int64_t child, const std::string& grade, std::int64_t at) {
    told.emplace_back(child, grade);
    EXPECT_EQ(at, clock_.NowMillis());
    return Status::Ok();
  });
  // A draft may be partial; completing names the first unanswered question.
  AssessmentInput in;
  in.child_id = child_;
  in.form = "gd_risk";
  in.answers_json = R"({"g_status":"absent"})";
  auto d = cases_->SaveDraft(worker_, std::nullopt, in, 0);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->case_id, std::optional<std::int64_t>(k->record.id));  // the child's open case
  EXPECT_EQ(d->form_version, 1);
  auto incomplete = cases_->Complete(worker_, d->id, d->version);
  EXPECT_EQ(incomplete.status().field(), "g_unseen_months");
  in.answers_json = R"({"g_status":"nope"})";
  EXPECT_EQ(cases_->SaveDraft(worker_, d->id, in, d->version).status().field(), "g_status");
  in.answers_json = kRed;
  auto d2 = cases_->SaveDraft(worker_, d->id, in, d->version);
  ASSERT_TRUE(d2.ok()) << d2.status().ToString();
  auto done = cases_->Complete(worker_, d2->id, d2->version);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->grade, "red");
  EXPECT_EQ(done->status, "completed");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0], std::make_pair(child_, std::string("red")));
  auto file = children_->Get(director_, child_);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->child.risk_grade, "red");
  EXPECT_EQ(file->child.risk_graded_at, std::optional<std::int64_t>(clock_.NowMillis()));
  // The child list filters by grade.
  ChildListParams p;
  p.risk_grade = "red";
  std::int64_t total = 0;
  auto list = children_->List(district_, p, {1, 20}, &total);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(total, 1);
  p.risk_grade = "green";
  ASSERT_TRUE(children_->List(district_, p, {1, 20}, &total).ok());
  EXPECT_EQ(total, 0);
  // The case moved on from intake; a completed assessment is immutable.
  EXPECT_EQ(cases_->Get(worker_, k->record.id)->record.status, "assessing");
  EXPECT_EQ(cases_->SaveDraft(worker_, d->id, in, done->version).status().error_code(), "invalid_state");
  EXPECT_EQ(cases_->Complete(worker_, d->id, done->version).status().error_code(), "invalid_state");
  // A listener's error rolls the assessment back.
  cases_->AddGradeListener([](storage::Connection&, std::int64_t, const std::string&, std::int64_t) {
    return Status::Internal("listener failed");
  });
  EXPECT_FALSE(Assess(worker_, child_, "gd_risk", kBlue).ok());
  EXPECT_EQ(children_->Get(director_, child_)->child.risk_grade, "red");
  // Another street's worker cannot assess the child; only active forms are offered.
  EXPECT_EQ(Assess(worker2_, child_, "gd_risk", kBlue).status().code(), Code::kNotFound);
  EXPECT_EQ(Assess(worker_, child_, "zj_risk", kBlue).status().error_code(), "invalid_enum");
}

TEST_P(CaseServiceTest, ComparesAndGivesPlansTheNeedsAndTheMove) {
  auto k = OpenCase(worker_, child_);
  ASSERT_TRUE(k.ok());
  auto a = Assess(worker_, child_, "gd_risk", kRed);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  clock_.Advance(90LL * 24 * 3600 * 1000);
  auto b = Assess(worker_, child_, "gd_risk", kBlue);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  auto cmp = cases_->Compare(worker_, a->id, b->id);
  ASSERT_TRUE(cmp.ok()) << cmp.status().ToString();
  int changed = 0;
  for (const auto& r : cmp->rows) changed += r.changed;
  EXPECT_EQ(changed, 4);  // g_status, months unseen, harmed, income
  auto needs = Assess(worker_, child_, "needs", kNeeds);
  ASSERT_TRUE(needs.ok()) << needs.status().ToString();
  EXPECT_EQ(cases_->Compare(worker_, a->id, needs->id).status().error_code(), "not_comparable");
  auto got = cases_->LatestNeeds(conn(), k->record.id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 3u);  // living 2, education 1, health 3 (mind)
  EXPECT_EQ((*got)[0].name, "生活");
  EXPECT_EQ((*got)[2].level, 3);
  auto facts = cases_->LoadInScope(conn(), worker_, k->record.id);
  ASSERT_TRUE(facts.ok());
  EXPECT_EQ(facts->status, "assessing");
  EXPECT_EQ(facts->grade, "blue");
  EXPECT_EQ(cases_->LoadInScope(conn(), worker2_, k->record.id).status().code(), Code::kNotFound);
  // Both in one batch: the same facts and needs; the same 404 out of scope or for no case.
  auto both = cases_->LoadWithNeeds(conn(), worker_, k->record.id);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(both->first.child_id, facts->child_id);
  EXPECT_EQ(both->first.grade, "blue");
  ASSERT_EQ(both->second.size(), 3u);
  EXPECT_EQ(both->second[2].level, 3);
  EXPECT_EQ(cases_->LoadWithNeeds(conn(), worker2_, k->record.id).status().code(), Code::kNotFound);
  EXPECT_EQ(cases_->LoadWithNeeds(conn(), worker_, k->record.id + 1000).status().code(), Code::kNotFound);
  EXPECT_TRUE(cases_->LatestNeeds(conn(), k->record.id + 1000)->empty());
  // MoveIn runs in the caller's transaction (plans: approving a plan moves planning -> intervening).
  auto in_tx = [&](const std::string& to, const std::string& note) {
    storage::Transaction tx(conn());
    Status st = tx.Begin();
    if (st.ok()) st = cases_->MoveIn(conn(), worker_, k->record.id, to, note);
    if (st.ok()) st = tx.Commit();
    return st;
  };
  EXPECT_EQ(in_tx("intervening", "").error_code(), "invalid_state");
  auto mv = in_tx("planning", "");
  ASSERT_TRUE(mv.ok()) << mv.ToString();
  ASSERT_TRUE(in_tx("intervening", "计划已批准").ok());
  EXPECT_EQ(cases_->Get(worker_, k->record.id)->record.status, "intervening");
}

TEST_P(CaseServiceTest, DeadlinesOpenSetBasedAndCloseWhenAssessed) {
  const std::int64_t orphan = Child("孤儿甲", community_.id);
  const std::int64_t other = Child("乙", community2_.id);
  ASSERT_TRUE(conn().Execute("UPDATE child SET roll_status = 'on_roll', roll_entered_on = 20260915, categories = "
                             "',orphan,' WHERE id = $1", {orphan}).ok());
  ASSERT_TRUE(conn().Execute("UPDATE child SET roll_status = 'on_roll', roll_entered_on = 20260901 WHERE id = $1",
                             {other}).ok());
  auto n = cases_->EvaluateDeadlines();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 3);  // two risk-and-needs items (new on the roll), one guardianship (orphan)
  EXPECT_EQ(*cases_->EvaluateDeadlines(), 0);  // idempotent: open items are not opened again
  // The month runs from entering the roll (Shanghai midnight of 2026-09-15).
  EXPECT_EQ(Count("SELECT started_at FROM work_item WHERE kind = 'assessment_due' AND subject_id = $1", {orphan}),
            1789401600000LL);
  ASSERT_TRUE(Assess(worker_, orphan, "gd_risk", kBlue).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE kind = 'assessment_due' AND subject_id = $1 AND is_open = 1",
                  {orphan}), 0);
  EXPECT_EQ(*cases_->EvaluateDeadlines(), 0);  // assessed within the year: nothing due
  // Eleven months later the yearly reassessment opens, starting a month before the year is up.
  clock_.Advance(340LL * 24 * 3600 * 1000);
  EXPECT_EQ(*cases_->EvaluateDeadlines(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE kind = 'assessment_due' AND subject_id = $1 AND is_open = 1",
                  {orphan}), 1);
}

// The assign-worker picker lists exactly the accounts Assign accepts: the station's social worker and the
// community's 儿童主任, never another street's; the case in scope first (404), then case.assign (403).
TEST_P(CaseServiceTest, AssignableWorkersAreTheOnesAssignAccepts) {
  auto k = OpenCase(worker_, child_);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  auto w = cases_->AssignableWorkers(sup_, k->record.id);
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  std::vector<std::int64_t> ids;
  for (const auto& x : *w) ids.push_back(x.id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{director_.user_id, worker_.user_id}));  // the community's first
  EXPECT_EQ((*w)[0].unit_name, "布吉社区");
  for (std::int64_t id : ids) {
    auto cur = cases_->Get(sup_, k->record.id);
    ASSERT_TRUE(cur.ok());
    EXPECT_TRUE(cases_->Assign(sup_, k->record.id, id, cur->record.version).ok());
  }
  auto cur = cases_->Get(sup_, k->record.id);
  EXPECT_EQ(cases_->Assign(sup_, k->record.id, worker2_.user_id, cur->record.version).status().error_code(),
            "invalid_worker");
  EXPECT_EQ(cases_->AssignableWorkers(director_, k->record.id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(cases_->AssignableWorkers(worker2_, k->record.id).status().code(), Code::kNotFound);
}

// Path test finding: a child put on the roll had no assessment due until the next hourly evaluation, so
// the social worker's inbox did not show it; the roll decision now opens it in its transaction, and a
// child leaving the roll has it closed.
TEST_P(CaseServiceTest, RollDecisionsOpenAndCloseTheAssessmentDueAtOnce) {
  const std::int64_t kid = Child("入册儿童", community_.id);
  auto open_due = [&] {
    return Count("SELECT COUNT(*) FROM work_item WHERE kind = 'assessment_due' AND subject_id = $1 AND is_open = 1 "
                 "AND owner_role = 'social_worker' AND owner_unit_id = $2", {kid, buji_.id});
  };
  auto decide = [&](const Principal& who, std::int64_t id, const std::string& action) {
    auto req = children_->GetRequest(who, id);
    ASSERT_TRUE(req.ok()) << req.status().ToString();
    auto d = children_->Decide(who, id, action, "同意", req->request.version);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
  };
  auto p = children_->Propose(director_, kid, "entry", "de_facto_unsupported", "父亲服刑、母亲失联，经入户核实", "证明");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  decide(sup_, p->request.id, "review");
  EXPECT_EQ(open_due(), 0);  // not on the roll yet
  decide(district_, p->request.id, "confirm");
  EXPECT_EQ(open_due(), 1);  // no EvaluateDeadlines in between
  EXPECT_EQ(*cases_->EvaluateDeadlines(), 0);  // and the hourly pass does not open a second one
  // Leaving the roll closes it.
  auto e = children_->Propose(director_, kid, "exit", "", "已随父母迁出本区", "");
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  decide(sup_, e->request.id, "review");
  decide(district_, e->request.id, "confirm");
  EXPECT_EQ(open_due(), 0);
}

// EvaluateDeadlines opens each batch's items with work::OpenMany (helper bulkopen, session 7): the same
// work items (kinds, owners, titles, labels, links, clock starts new and yearly, deadlines, clock rows)
// as opening them one by one (SetOpenOneByOne, the path before), and a child whose item is open is skipped.
TEST_P(CaseServiceTest, BulkDeadlinesWriteWhatOneByOneWrites) {
  std::vector<std::int64_t> kids;
  for (int i = 0; i < 12; ++i) {
    const std::int64_t id = Child("儿童" + std::to_string(i), i % 2 ? community2_.id : community_.id);
    ASSERT_TRUE(conn().Execute("UPDATE child SET roll_status = 'on_roll', roll_entered_on = $1, categories = $2 "
                               "WHERE id = $3",
                               {std::int64_t{20260901 + i}, std::string(i % 3 ? ",left_behind," : ",orphan,"), id})
                    .ok());
    kids.push_back(id);
  }
  // Assessed a year ago (risk; guardianship for one orphan): due again, from a month before the year is up.
  for (int i : {0, 3, 4, 7}) ASSERT_TRUE(Assess(i % 2 ? worker2_ : worker_, kids[i], "gd_risk", kBlue).ok());
  ASSERT_TRUE(Assess(worker_, kids[0], "guardianship", kGuardian).ok());
  clock_.Advance(340LL * 24 * 3600 * 1000);
  auto run = [&](bool one_by_one, std::int64_t* opened) {
    for (const char* sql : {"DELETE FROM work_item_clock WHERE item_id IN (SELECT id FROM work_item WHERE subject_type "
                            "= 'child_assessment')",
                            "DELETE FROM work_step WHERE item_id IN (SELECT id FROM work_item WHERE subject_type = "
                            "'child_assessment')",
                            "DELETE FROM work_item WHERE subject_type = 'child_assessment'"}) {
      EXPECT_TRUE(conn().Execute(sql).ok()) << sql;
    }
    // One child's items are open already (its roll decision opened them).
    EXPECT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return cases_->OnRollChange(c, kids[5]); }).ok());
    cases_->SetOpenOneByOne(one_by_one);
    auto n = cases_->EvaluateDeadlines();
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    *opened = n.ok() ? *n : -1;
    std::vector<std::string> out;
    auto rows = conn().Query(
        "SELECT wi.subject_id, wi.kind, wi.title, wi.label, wi.link, wi.owner_unit_id, wi.owner_unit_path, wi.owner_role, "
        "wi.owner_user_id, wi.owner_agency_id, wi.district_unit_id, wi.state, wi.is_open, wi.started_at, wi.warn_at, "
        "wi.due_at, wi.district_at, wi.due_flags, wi.round, wi.version, wi.created_at, wi.closed_at, k.escalation_level, "
        "k.next_at FROM work_item wi LEFT JOIN work_item_clock k ON k.item_id = wi.id WHERE wi.subject_type = "
        "'child_assessment' ORDER BY wi.id");
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (!rows.ok()) return out;
    for (const auto& r : rows->rows) {
      std::string line;
      for (std::size_t i = 0; i < r.size(); ++i) line += (r.IsNull(i) ? std::string("∅") : r.Text(i)) + "|";
      out.push_back(line);
    }
    return out;
  };
  std::int64_t single_n = 0, bulk_n = 0;
  const std::vector<std::string> single = run(true, &single_n);
  const std::vector<std::string> bulk = run(false, &bulk_n);
  EXPECT_EQ(bulk, single);
  // 11 risk items (the 12th child's is open) and 4 guardianship ones (orphans); both streets; new and yearly starts.
  EXPECT_EQ(single_n, 15);
  EXPECT_EQ(bulk_n, 15);
  EXPECT_EQ(bulk.size(), 16u);  // with the one kids[5] opened at its roll decision
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT owner_unit_id) FROM work_item WHERE subject_type = 'child_assessment'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT kind) FROM work_item WHERE subject_type = 'child_assessment'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT title) FROM work_item WHERE subject_type = 'child_assessment'"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item_clock k JOIN work_item w ON w.id = k.item_id WHERE w.subject_type = "
                  "'child_assessment'"),
            16);
  // A second pass opens nothing, either way.
  EXPECT_EQ(*cases_->EvaluateDeadlines(), 0);
  cases_->SetOpenOneByOne(true);
  EXPECT_EQ(*cases_->EvaluateDeadlines(), 0);
}

TH_INSTANTIATE_ENGINE_TEST(CaseServiceTest);

}  // namespace
}  // namespace th::service
