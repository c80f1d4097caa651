// Guardianship interventions against both engines: proposal and approval with their work items,
// placement with the placement check and the time limit (the limit escalates on a fake clock), the
// return gate (no assessment, a failing one, one from before the placement), conversion to
// long-term with the fallback_guardianship category and its end by adoption, visibility and scope,
// audited reads, the red-grade check (idempotent) and the case statistics' counts.
#include "modules/guardianship/service/guardianship_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "app/testing/service_fixture.h"
#include "modules/cases/api/cases_module.h"
#include "modules/cases/service/case_service.h"
#include "modules/guardianship/api/guardianship_module.h"
#include "modules/registry/service/child_service.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_service.h"

namespace th::service {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

class GuardianshipServiceTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    const std::string config = std::string(TH_SOURCE_DIR) + "/config";
    auto installed = work::InstallWork(services_->deps(), config);
    ASSERT_TRUE(installed.ok()) << installed.ToString();
    domain::CaseConfig cfg;
    domain::FormSet forms;
    ASSERT_TRUE(api::LoadCasesConfig(config, &cfg, &forms).ok());
    cases_ = std::make_unique<CaseService>(services_->deps(), cfg, forms, *children_);
    auto gcfg = api::GuardianshipModule::LoadConfig(config);
    ASSERT_TRUE(gcfg.ok()) << gcfg.status().ToString();
    svc_ = std::make_unique<GuardianshipService>(services_->deps(), *gcfg, *children_, *cases_);
    worker_ = MakeUser("worker", "social_worker", buji_.id);
    worker2_ = MakeUser("worker2", "social_worker", bantian_.id);
    leader_ = MakeUser("leader", "leader", root_.id);
    child_ = Child("何小萱", community_.id);
  }

  std::int64_t Child(const std::string& name, std::int64_t community, std::optional<std::int64_t> grid = {}) {
    NewChild n;
    n.child.present = {"name", "sex", "birth_date", "no_id_reason", "community_id"};
    if (grid) n.child.present.insert("grid_id");
    n.child.grid_id = grid;
    n.child.name = name;
    n.child.sex = "female";
    n.child.birth_date = "2015-06-30";
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
  std::int64_t OpenItems(const std::string& kind) {
    return Count("SELECT COUNT(*) FROM work_item WHERE kind = $1 AND is_open = 1", {kind});
  }

  Result<GuardianshipView> Propose(const Principal& who, std::int64_t child, const std::string& kind = "temporary") {
    return svc_->Propose(who, {child, kind, {kind == "temporary" ? "a92_3" : "a94_2"}, "母亲被羁押，父亲拒绝返回照料"});
  }
  // Proposed by the worker, approved by the district, placed with relatives now.
  GuardianshipView Placed(std::int64_t child) {
    auto p = Propose(worker_, child);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    auto a = svc_->Decide(district_, p->record.id, "approve", "同意", p->record.version);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    auto v = svc_->Place(worker_, a->record.id, {"relatives", "姑姑家", "何丽华", "13923456781", "百鸽路 120 号", 0},
                         a->record.version);
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return *v;
  }
  Result<repo::AssessmentRecord> Assess(std::int64_t child, const std::string& answers) {
    AssessmentInput in;
    in.child_id = child;
    in.form = "guardianship";
    in.answers_json = answers;
    auto d = cases_->SaveDraft(worker_, std::nullopt, in, 0);
    if (!d.ok()) return d.status();
    return cases_->Complete(worker_, d->id, d->version);
  }
  static constexpr const char* kGood =
      R"({"gd_health":"good","gd_will":"willing","gd_care":"good","gd_income":false,"gd_housing":false})";
  static constexpr const char* kPoor =
      R"({"gd_health":"weak","gd_will":"refuses","gd_care":"poor","gd_income":true,"gd_housing":true})";

  void ExpectMovedToBantian(const GuardianshipView& v, const std::string& new_path);

  // An intervention of `kid` brought to `state` by the worker and the district.
  Result<GuardianshipView> InState(std::int64_t kid, const std::string& state) {
    if (state == "active" || state == "adopted") {
      auto p = Propose(worker_, kid, "long_term");
      if (!p.ok()) return p;
      auto a = svc_->Decide(district_, p->record.id, "approve", "", p->record.version);
      if (!a.ok() || state == "active") return a;
      return svc_->End(district_, a->record.id, "adopted", 0, "依法被收养", a->record.version);
    }
    if (state == "placed" || state == "returned") {
      GuardianshipView v = Placed(kid);
      if (state == "placed") return v;
      auto good = Assess(kid, kGood);
      if (!good.ok()) return good.status();
      auto l = svc_->LinkReturnAssessment(worker_, v.record.id, good->id, v.record.version);
      if (!l.ok()) return l;
      return svc_->Return(worker_, v.record.id, "", l->record.version);
    }
    auto p = Propose(worker_, kid);
    if (!p.ok() || state == "proposed") return p;
    if (state == "rejected") return svc_->Decide(district_, p->record.id, "reject", "不符合情形", p->record.version);
    auto a = svc_->Decide(district_, p->record.id, "approve", "", p->record.version);
    if (!a.ok() || state == "approved") return a;
    return svc_->End(district_, a->record.id, "ended", 0, "亲属接回", a->record.version);  // ended
  }
  // `action` on g by the district (who holds all three permissions), with valid input and g's version.
  Result<GuardianshipView> Act(const GuardianshipView& g, const std::string& action) {
    const std::int64_t id = g.record.id, ver = g.record.version;
    if (action == "approve" || action == "reject") return svc_->Decide(district_, id, action, "意见", ver);
    if (action == "place") return svc_->Place(district_, id, {"relatives", "姑姑家", "何丽华", "13923456781", "百鸽路", 0}, ver);
    if (action == "check") return svc_->RecordCheck(district_, id, {0, "good", ""}, ver);
    if (action == "return_assessment") {
      auto a = Assess(g.record.child_id, kGood);
      if (!a.ok()) return a.status();
      return svc_->LinkReturnAssessment(district_, id, a->id, ver);
    }
    if (action == "return") return svc_->Return(district_, id, "", ver);
    if (action == "convert") return svc_->Convert(district_, id, {"a94_2"}, "父母均已死亡", ver);
    return svc_->End(district_, id, action == "adopt" ? "adopted" : "ended", 0, "结束说明", ver);
  }

  std::unique_ptr<CaseService> cases_;
  std::unique_ptr<GuardianshipService> svc_;
  Principal worker_, worker2_, leader_;
  std::int64_t child_ = 0;
};

TEST_P(GuardianshipServiceTest, ProposalNeedsApprovalAndOneOpenPerChild) {
  auto p = Propose(worker_, child_);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->record.status, "proposed");
  EXPECT_EQ(p->record.unit_path, community_.path);
  EXPECT_EQ(OpenItems("guardianship_approve"), 1);
  EXPECT_EQ(Propose(worker_, child_).status().error_code(), "guardianship_open");
  // Grounds come from the kind's checklist.
  EXPECT_EQ(svc_->Propose(worker_, {child_, "temporary", {"a94_2"}, "理由说明"}).status().field(), "grounds");
  EXPECT_EQ(svc_->Propose(worker_, {child_, "temporary", {}, "理由说明"}).status().field(), "grounds");
  // The worker cannot approve; the district can, once (stale version → 409).
  EXPECT_EQ(svc_->Decide(worker_, p->record.id, "approve", "", p->record.version).status().code(),
            Code::kPermissionDenied);
  auto a = svc_->Decide(district_, p->record.id, "approve", "同意", p->record.version);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->record.status, "approved");
  EXPECT_EQ(OpenItems("guardianship_approve"), 0);
  EXPECT_EQ(svc_->Decide(district_, p->record.id, "reject", "不同意", p->record.version).status().error_code(),
            "invalid_state");
  EXPECT_EQ(svc_->Place(worker_, a->record.id, {"relatives", "姑姑家", "何丽华", "13923456781", "百鸽路", 0},
                        a->record.version - 1)
                .status()
                .error_code(),
            "stale_version");
}

TEST_P(GuardianshipServiceTest, ReturnNeedsAPassingAssessmentSincePlacement) {
  auto early = Assess(child_, kGood);  // before the placement: does not count
  ASSERT_TRUE(early.ok()) << early.status().ToString();
  clock_.Advance(kDay);
  GuardianshipView v = Placed(child_);
  EXPECT_EQ(OpenItems("placement_check"), 1);
  EXPECT_EQ(OpenItems("guardianship_limit"), 1);
  EXPECT_EQ(*v.record.limit_at, *v.record.placed_at + 365 * kDay);
  // No assessment linked: refused.
  auto r = svc_->Return(worker_, v.record.id, "", v.record.version);
  EXPECT_EQ(r.status().error_code(), "return_assessment_required");
  EXPECT_EQ(r.status().code(), Code::kConflict);
  // One from before the placement: linked, still refused.
  auto l = svc_->LinkReturnAssessment(worker_, v.record.id, early->id, v.record.version);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_FALSE(l->return_assessment->passes);
  EXPECT_EQ(svc_->Return(worker_, v.record.id, "", l->record.version).status().error_code(),
            "return_assessment_required");
  // A failing one: refused.
  clock_.Advance(10 * kDay);
  auto poor = Assess(child_, kPoor);
  ASSERT_TRUE(poor.ok()) << poor.status().ToString();
  l = svc_->LinkReturnAssessment(worker_, v.record.id, poor->id, l->record.version);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_EQ(svc_->Return(worker_, v.record.id, "", l->record.version).status().error_code(),
            "return_assessment_failed");
  // Another child's assessment cannot be linked.
  const std::int64_t other = Child("王小明", community_.id);
  auto theirs = Assess(other, kGood);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(svc_->LinkReturnAssessment(worker_, v.record.id, theirs->id, l->record.version).status().error_code(),
            "invalid_assessment");
  // A passing one after the placement: the child goes home, the placement's items close.
  auto good = Assess(child_, kGood);
  ASSERT_TRUE(good.ok());
  l = svc_->LinkReturnAssessment(worker_, v.record.id, good->id, l->record.version);
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l->return_assessment->passes);
  auto done = svc_->Return(worker_, v.record.id, "送返家庭", l->record.version);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->record.status, "returned");
  EXPECT_EQ(OpenItems("placement_check"), 0);
  EXPECT_EQ(OpenItems("guardianship_limit"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'guardianship.return'"), 1);
}

TEST_P(GuardianshipServiceTest, ChecksRescheduleAndTheLimitEscalates) {
  GuardianshipView v = Placed(child_);
  const std::int64_t placed = *v.record.placed_at;
  EXPECT_EQ(Count("SELECT due_at FROM work_item WHERE kind = 'placement_check' AND is_open = 1"), placed + 30 * kDay);
  clock_.Advance(20 * kDay);
  auto c = svc_->RecordCheck(worker_, v.record.id, {0, "good", "情绪稳定"}, v.record.version);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->checks.size(), 1u);
  EXPECT_EQ(OpenItems("placement_check"), 1);
  EXPECT_EQ(Count("SELECT due_at FROM work_item WHERE kind = 'placement_check' AND is_open = 1"),
            clock_.NowMillis() + 30 * kDay);
  EXPECT_EQ(svc_->RecordCheck(worker_, v.record.id, {0, "bogus", ""}, c->record.version).status().field(),
            "child_state");
  // A year and two days after the placement nobody acted: the limit is overdue → 督办 and the district.
  clock_.Advance(365 * kDay - 20 * kDay + 8 * kDay);
  auto sweep = work::FindWork(services_->deps())->Sweep();
  ASSERT_TRUE(sweep.ok()) << sweep.status().ToString();
  EXPECT_GE(Count("SELECT COUNT(*) FROM work_escalation e JOIN work_item w ON w.id = e.item_id WHERE w.subject_id = $1 "
                  "AND w.kind = 'guardianship_limit' AND e.level >= 2",
                  {v.record.id}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation e JOIN work_item w ON w.id = e.item_id WHERE w.subject_id = $1 "
                  "AND w.kind = 'guardianship_limit' AND e.level = 3",
                  {v.record.id}),
            1);
}

TEST_P(GuardianshipServiceTest, LongTermSetsTheFallbackCategoryUntilAdoption) {
  GuardianshipView v = Placed(child_);
  EXPECT_EQ(svc_->Convert(worker_, v.record.id, {"a94_2"}, "父母均已死亡", v.record.version).status().code(),
            Code::kPermissionDenied);
  auto c = svc_->Convert(district_, v.record.id, {"a94_2"}, "父母均已死亡", v.record.version);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->record.kind, "long_term");
  EXPECT_EQ(c->record.status, "active");
  EXPECT_EQ(OpenItems("guardianship_limit"), 0);
  auto child = children_->Get(district_, child_);
  ASSERT_TRUE(child.ok());
  EXPECT_NE(child->child.categories.find(",fallback_guardianship,"), std::string::npos);
  auto e = svc_->End(district_, c->record.id, "adopted", 0, "依法被收养", c->record.version);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->record.status, "adopted");
  child = children_->Get(district_, child_);
  EXPECT_EQ(child->child.categories.find(",fallback_guardianship,"), std::string::npos);
}

TEST_P(GuardianshipServiceTest, VisibleOnlyToItsRolesInScopeAndReadsAudited) {
  GuardianshipView v = Placed(child_);
  EXPECT_EQ(svc_->Get(director_, v.record.id).status().code(), Code::kPermissionDenied);  // 儿童主任: nothing
  EXPECT_EQ(svc_->Get(leader_, v.record.id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Get(worker2_, v.record.id).status().error_code(), "not_found");  // the other street
  EXPECT_TRUE(svc_->Get(sup_, v.record.id).ok());
  const std::int64_t reads = Count("SELECT COUNT(*) FROM audit_log WHERE action = 'guardianship.read'");
  ASSERT_TRUE(svc_->Get(worker_, v.record.id).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'guardianship.read'"), reads + 1);
  std::int64_t total = 0;
  auto mine = svc_->List(worker_, {}, {1, 20}, &total);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(total, 1);
  auto theirs = svc_->List(worker2_, {}, {1, 20}, &total);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(total, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'guardianship.list'"), 2);
  EXPECT_EQ(Propose(worker2_, child_).status().error_code(), "not_found");
}

TEST_P(GuardianshipServiceTest, RedGradeOpensOneCheckUntilAnInterventionStarts) {
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnAlarmGrade(c, child_, "red", 0); }).ok());
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnAlarmGrade(c, child_, "red", 0); }).ok());
  EXPECT_EQ(OpenItems("guardianship_check"), 1);
  ASSERT_TRUE(Propose(worker_, child_).ok());
  EXPECT_EQ(OpenItems("guardianship_check"), 0);
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnAlarmGrade(c, child_, "red", 0); }).ok());
  EXPECT_EQ(OpenItems("guardianship_check"), 0);  // an intervention is under way
}

TEST_P(GuardianshipServiceTest, CountsByGroupFirstPrefixWins) {
  GuardianshipView a = Placed(child_);  // 布吉: temporary now
  const std::int64_t b = Child("许晨阳", community2_.id);
  auto lt = Propose(district_, b, "long_term");
  ASSERT_TRUE(lt.ok()) << lt.status().ToString();
  ASSERT_TRUE(svc_->Decide(district_, lt->record.id, "approve", "", lt->record.version).ok());
  const std::int64_t c3 = Child("孙小豪", community_.id);
  GuardianshipView r = Placed(c3);
  auto good = Assess(c3, kGood);
  ASSERT_TRUE(good.ok());
  auto l = svc_->LinkReturnAssessment(worker_, r.record.id, good->id, r.record.version);
  ASSERT_TRUE(l.ok());
  ASSERT_TRUE(svc_->Return(worker_, r.record.id, "", l->record.version).ok());
  const std::int64_t now = clock_.NowMillis();
  auto counts = InTransaction(*db(), [&](storage::Connection& c) -> Status {
    auto got = svc_->CountsByGroup(c, root_.path, {buji_.path, bantian_.path, root_.path}, now - kDay, now + 1);
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    if (!got.ok()) return got.status();
    EXPECT_EQ(got->size(), 3u);
    EXPECT_EQ((*got)[0].group_path, buji_.path);
    EXPECT_EQ((*got)[0].temporary_now, 1);
    EXPECT_EQ((*got)[0].returned, 1);
    EXPECT_EQ((*got)[0].long_term_now, 0);
    EXPECT_EQ((*got)[1].long_term_now, 1);
    EXPECT_EQ((*got)[2].temporary_now + (*got)[2].returned + (*got)[2].long_term_now, 0);
    auto before = svc_->CountsByGroup(c, root_.path, {root_.path}, now - 10 * kDay, now - kDay);
    EXPECT_EQ((*before)[0].returned, 0);  // outside [from, to)
    auto street = svc_->CountsByGroup(c, bantian_.path, {bantian_.path}, 0, now + 1);
    EXPECT_EQ((*street)[0].temporary_now, 0);  // the scope limits the rows
    return Status::Ok();
  });
  EXPECT_TRUE(counts.ok());
  (void)a;
}

// The intervention copies its child's units: a child moved to another street takes the row and its open items
// along (the new street's supervisor and workers see it, the old street's get 404; the items are in the new
// street's social workers' 待办, and the next placement check opens there too).
TEST_P(GuardianshipServiceTest, ChildMoveTakesTheInterventionAlong) {
  GuardianshipView v = Placed(child_);
  auto file = children_->Get(district_, child_);
  ASSERT_TRUE(file.ok());
  ChildInput move;
  move.present = {"community_id", "grid_id"};
  move.community_id = community2_.id;
  ASSERT_TRUE(children_->Update(district_, child_, move, file->child.version, "").ok());
  ExpectMovedToBantian(v, community2_.path);
}

// A community moved to another street (the unit_moved hook): its open interventions' street and district copies
// and their items follow, and so does a child's open guardianship_check; a proposal's approval stays with the
// district. Closed interventions move their path only.
TEST_P(GuardianshipServiceTest, UnitMoveTakesTheInterventionsAndChecksAlong) {
  GuardianshipView v = Placed(child_);
  const std::int64_t other = Child("王小明", community_.id);
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnAlarmGrade(c, other, "red", 0); }).ok());
  const std::int64_t third = Child("孙小豪", community_.id);
  auto proposed = Propose(worker_, third);
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  auto unit = repo::OrgRepo(conn()).Get(community_.id);
  ASSERT_TRUE(unit.ok());
  auto moved = accounts_->org().Move(district_, community_.id, bantian_.id, unit->version);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  ExpectMovedToBantian(v, moved->path);
  EXPECT_EQ(Count("SELECT owner_unit_id FROM work_item WHERE kind = 'guardianship_check' AND is_open = 1 AND "
                  "subject_id = $1",
                  {other}),
            bantian_.id);
  EXPECT_EQ(Count("SELECT owner_unit_id FROM work_item WHERE kind = 'guardianship_approve' AND is_open = 1 AND "
                  "subject_id = $1",
                  {proposed->record.id}),
            root_.id);
  EXPECT_EQ(svc_->Get(sup_, proposed->record.id).status().error_code(), "not_found");
  EXPECT_TRUE(svc_->Get(MakeUser("sup3", "street_supervisor", bantian_.id), proposed->record.id).ok());
}

// A grid moved to a community of another street (the unit_moved hook, level grid): the row copies the community,
// not the grid, so its children's interventions take the grid's new community, street and district, and their
// items and open guardianship_checks pass to the new street, in the move's transaction.
TEST_P(GuardianshipServiceTest, GridMoveTakesItsChildrenInterventionsAlong) {
  const repo::OrgUnit grid = Insert(community_.id, "G-BJ-01", "布吉一网格", "grid");
  const std::int64_t kid = Child("林小雨", community_.id, grid.id);
  GuardianshipView v = Placed(kid);
  const std::int64_t checked = Child("陈小乐", community_.id, grid.id);
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnAlarmGrade(c, checked, "red", 0); }).ok());
  GuardianshipView stay = Placed(child_);  // not in the grid: stays in 布吉
  auto unit = repo::OrgRepo(conn()).Get(grid.id);
  ASSERT_TRUE(unit.ok());
  auto moved = accounts_->org().Move(district_, grid.id, community2_.id, unit->version);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  ExpectMovedToBantian(v, community2_.path);
  EXPECT_EQ(Count("SELECT unit_id FROM guardianship WHERE id = $1", {v.record.id}), community2_.id);
  EXPECT_EQ(Count("SELECT owner_unit_id FROM work_item WHERE kind = 'guardianship_check' AND is_open = 1 AND "
                  "subject_id = $1",
                  {checked}),
            bantian_.id);
  auto kept = svc_->Get(worker_, stay.record.id);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->record.unit_path, community_.path);
}

// ChildService::UpdateIn (an update inside another module's transaction, e.g. screening's) that changes the
// community runs the move hooks as Update does: the intervention follows.
TEST_P(GuardianshipServiceTest, UpdateInMoveTakesTheInterventionAlong) {
  GuardianshipView v = Placed(child_);
  auto file = children_->Get(district_, child_);
  ASSERT_TRUE(file.ok());
  ChildInput move;
  move.present = {"community_id"};
  move.community_id = community2_.id;
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) -> Status {
                return children_->UpdateIn(c, district_, child_, move, file->child.version, "").status();
              }).ok());
  ExpectMovedToBantian(v, community2_.path);
}

// After a move to 坂田: v's row, items and reads are the 坂田 street's.
void GuardianshipServiceTest::ExpectMovedToBantian(const GuardianshipView& v, const std::string& new_path) {
  const Principal sup2 = MakeUser("sup2_" + std::to_string(v.record.id), "street_supervisor", bantian_.id);
  auto seen = svc_->Get(sup2, v.record.id);
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(seen->record.unit_path, new_path);
  EXPECT_EQ(seen->record.street_unit_id, bantian_.id);
  EXPECT_TRUE(svc_->Get(worker2_, v.record.id).ok());
  EXPECT_EQ(svc_->Get(worker_, v.record.id).status().error_code(), "not_found");
  EXPECT_EQ(svc_->Get(sup_, v.record.id).status().error_code(), "not_found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'guardianship' AND is_open = 1 "
                  "AND subject_id = $1 AND owner_unit_id = $2",
                  {v.record.id, bantian_.id}),
            2);  // placement_check and guardianship_limit
  work::WorkService* engine = work::FindWork(services_->deps());
  ASSERT_NE(engine, nullptr);
  for (const char* kind : {"placement_check", "guardianship_limit"}) {
    auto mine = engine->Inbox(worker2_, kind, {1, 50});
    ASSERT_TRUE(mine.ok()) << mine.status().ToString();
    EXPECT_TRUE(std::any_of(mine->items.begin(), mine->items.end(),
                            [&](const work::WorkItemRecord& w) { return w.subject_id == v.record.id; }))
        << kind << " in the new street's 待办";
    auto old = engine->Inbox(worker_, kind, {1, 50});
    ASSERT_TRUE(old.ok());
    EXPECT_TRUE(std::none_of(old->items.begin(), old->items.end(),
                             [&](const work::WorkItemRecord& w) { return w.subject_id == v.record.id; }))
        << kind << " left the old street's 待办";
  }
  // The placement phone's reveal follows the row: the new street's worker may, the old one's gets 404.
  EXPECT_TRUE(children_->Reveal(worker2_, v.record.child_id, "placement", v.record.id, "phone", "联系安置家庭").ok());
  EXPECT_EQ(children_->Reveal(worker_, v.record.child_id, "placement", v.record.id, "phone", "联系安置家庭")
                .status()
                .error_code(),
            "not_found");
  // The next placement check opens for the new street (the row's street copy moved too).
  auto c = svc_->RecordCheck(worker2_, v.record.id, {0, "good", "迁入新街道后首次回访"}, seen->record.version);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(Count("SELECT owner_unit_id FROM work_item WHERE kind = 'placement_check' AND is_open = 1 AND "
                  "subject_id = $1",
                  {v.record.id}),
            bantian_.id);
}

// Completing a guardianship check when none is open is 409 invalid_state and changes nothing (no audit entry);
// an open one is closed once.
TEST_P(GuardianshipServiceTest, CheckDoneNeedsAnOpenCheck) {
  const std::string audits = "SELECT COUNT(*) FROM audit_log WHERE action = 'guardianship.check_done'";
  Status st = svc_->CloseCheck(worker_, child_, "入户核查，监护正常");
  EXPECT_EQ(st.code(), Code::kConflict);
  EXPECT_EQ(st.error_code(), "invalid_state");
  EXPECT_EQ(Count(audits), 0);
  EXPECT_EQ(svc_->CloseCheck(worker2_, child_, "入户核查").error_code(), "not_found");  // out of scope first
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnAlarmGrade(c, child_, "red", 0); }).ok());
  ASSERT_TRUE(svc_->CloseCheck(worker_, child_, "入户核查，监护正常").ok());
  EXPECT_EQ(OpenItems("guardianship_check"), 0);
  EXPECT_EQ(Count(audits), 1);
  EXPECT_EQ(svc_->CloseCheck(worker_, child_, "再次核查").error_code(), "invalid_state");
  EXPECT_EQ(Count(audits), 1);
}

// The placement's phone is revealed only through the registry's reveal (target placement): the caller's
// guardianship.write, the child in scope, the intervention the child's, a purpose; audited as child.reveal.
TEST_P(GuardianshipServiceTest, PlacementPhoneRevealedThroughTheRegistry) {
  GuardianshipView v = Placed(child_);
  auto got = children_->Reveal(worker_, child_, "placement", v.record.id, "phone", "联系安置家庭安排回访");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "13923456781");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'child.reveal' AND object_id = $1 AND after_json "
                  "LIKE $2",
                  {std::to_string(child_), "%placement." + std::to_string(v.record.id) + ".phone%"}),
            1);
  EXPECT_EQ(children_->Reveal(worker_, child_, "placement", v.record.id, "phone", "").status().error_code(),
            "purpose_required");
  EXPECT_EQ(children_->Reveal(director_, child_, "placement", v.record.id, "phone", "联系安置家庭").status().code(),
            Code::kPermissionDenied);  // 儿童主任: child.reveal but no guardianship
  EXPECT_EQ(children_->Reveal(worker2_, child_, "placement", v.record.id, "phone", "联系安置家庭").status().error_code(),
            "not_found");
  const std::int64_t other = Child("王小明", community_.id);
  EXPECT_EQ(children_->Reveal(worker_, other, "placement", v.record.id, "phone", "联系安置家庭").status().field(),
            "ref_id");
  EXPECT_EQ(children_->Reveal(worker_, child_, "placement", std::nullopt, "phone", "联系安置家庭").status().field(),
            "ref_id");
  EXPECT_EQ(children_->Reveal(worker_, child_, "placement", v.record.id, "id_number", "联系安置家庭").status().field(),
            "field");
}

// The state machine, each action from each state: the allowed ones go through (the return reaches its assessment
// gate), every other one is 409 invalid_state and changes nothing.
TEST_P(GuardianshipServiceTest, EachActionFromEachState) {
  const std::vector<std::string> actions = {"approve", "reject", "place", "check", "return_assessment",
                                            "return", "convert", "adopt", "end"};
  const std::map<std::string, std::set<std::string>> allowed = {
      {"proposed", {"approve", "reject"}}, {"approved", {"place", "end"}},
      {"placed", {"check", "return_assessment", "return", "convert"}}, {"active", {"adopt", "end"}},
      {"returned", {}}, {"adopted", {}}, {"ended", {}}, {"rejected", {}}};
  int n = 0;
  for (const auto& [state, ok_actions] : allowed) {
    for (const auto& action : actions) {
      const std::int64_t kid = Child("状态" + std::to_string(++n), community_.id);
      auto g = InState(kid, state);
      ASSERT_TRUE(g.ok()) << state << ": " << g.status().ToString();
      ASSERT_EQ(g->record.status, state);
      auto r = Act(*g, action);
      const std::string at = state + " × " + action + ": " + (r.ok() ? "ok" : r.status().ToString());
      if (!ok_actions.count(action)) {
        EXPECT_EQ(r.status().error_code(), "invalid_state") << at;
        auto again = svc_->Get(district_, g->record.id);
        ASSERT_TRUE(again.ok());
        EXPECT_EQ(again->record.version, g->record.version) << at << " changed the row";
      } else if (action == "return") {
        EXPECT_EQ(r.status().error_code(), "return_assessment_required") << at;  // the gate, not the state
      } else {
        EXPECT_TRUE(r.ok()) << at;
      }
    }
  }
}

// The latest completed return assessment decides: a passing one linked, then a later failing one completed, the
// return is refused (return_assessment_superseded) until the latest is linked and passes.
TEST_P(GuardianshipServiceTest, ALaterAssessmentSupersedesTheLinkedOne) {
  GuardianshipView v = Placed(child_);
  clock_.Advance(kDay);
  auto good = Assess(child_, kGood);
  ASSERT_TRUE(good.ok());
  auto l = svc_->LinkReturnAssessment(worker_, v.record.id, good->id, v.record.version);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_TRUE(l->return_assessment->passes);
  clock_.Advance(kDay);
  auto poor = Assess(child_, kPoor);
  ASSERT_TRUE(poor.ok());
  auto seen = svc_->Get(worker_, v.record.id);
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->return_assessment->passes);
  EXPECT_EQ(seen->return_assessment->superseded_by.value_or(0), poor->id);
  auto r = svc_->Return(worker_, v.record.id, "", seen->record.version);
  EXPECT_EQ(r.status().error_code(), "return_assessment_superseded");
  EXPECT_EQ(r.status().code(), Code::kConflict);
  EXPECT_NE(r.status().message_zh().find("#" + std::to_string(poor->id)), std::string::npos);
  l = svc_->LinkReturnAssessment(worker_, v.record.id, poor->id, seen->record.version);
  ASSERT_TRUE(l.ok());
  EXPECT_EQ(svc_->Return(worker_, v.record.id, "", l->record.version).status().error_code(),
            "return_assessment_failed");
  clock_.Advance(kDay);
  auto better = Assess(child_, kGood);
  ASSERT_TRUE(better.ok());
  l = svc_->LinkReturnAssessment(worker_, v.record.id, better->id, l->record.version);
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(svc_->Return(worker_, v.record.id, "", l->record.version).ok());
}

// A caller without the step's permission gets 403 whatever the body (not 400 for a body it may not send), and an
// approved temporary guardianship that was never placed can be ended by the district (not adopted), not before it
// began; the child may then have a new intervention.
TEST_P(GuardianshipServiceTest, PermissionFirstAndAnUnplacedApprovalCanEnd) {
  auto p = Propose(worker_, child_);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(svc_->Decide(worker_, p->record.id, "bogus", "", p->record.version).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(svc_->Place(director_, p->record.id, {"bogus", "", "", "", "", 0}, p->record.version).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(svc_->RecordCheck(director_, p->record.id, {0, "bogus", ""}, p->record.version).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(svc_->End(worker_, p->record.id, "bogus", 0, "", p->record.version).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(svc_->Convert(worker_, p->record.id, {}, "", p->record.version).status().code(),
            Code::kPermissionDenied);
  auto a = svc_->Decide(district_, p->record.id, "approve", "", p->record.version);
  ASSERT_TRUE(a.ok());
  EXPECT_NE(std::find(a->actions.begin(), a->actions.end(), "end"), a->actions.end());
  // A phone the page cannot dial is refused: no digits, too few or too many, a + inside.
  for (const char* phone : {"-------", "+++++++", "123 45", "1392345678901234567", "139+23456781", "139２3456781"}) {
    EXPECT_EQ(svc_->Place(worker_, a->record.id, {"relatives", "姑姑家", "何丽华", phone, "百鸽路", 0}, a->record.version)
                  .status()
                  .error_code(),
              "invalid_phone")
        << phone;
  }
  EXPECT_EQ(svc_->End(district_, a->record.id, "adopted", 0, "未安置", a->record.version).status().error_code(),
            "invalid_state");
  EXPECT_EQ(svc_->End(district_, a->record.id, "ended", clock_.NowMillis() - 3 * kDay, "未安置", a->record.version)
                .status()
                .error_code(),
            "before_start");
  auto e = svc_->End(district_, a->record.id, "ended", 0, "亲属已接回照料，无需安置", a->record.version);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->record.status, "ended");
  EXPECT_TRUE(e->actions.empty());
  EXPECT_TRUE(Propose(worker_, child_).ok());  // no longer open
}

// The return assessment's pass grades must be grades of the guardianship form in use (checked at start).
TEST_P(GuardianshipServiceTest, ReturnGradesMustBeGradesOfTheForm) {
  domain::GuardianshipConfig cfg = svc_->config();
  EXPECT_TRUE(api::GuardianshipModule::CheckReturnGrades(cfg, cases_->forms(), "/etc/th").ok());
  cfg.pass_grades = {"good", "excellent"};
  Status st = api::GuardianshipModule::CheckReturnGrades(cfg, cases_->forms(), "/etc/th");
  EXPECT_EQ(st.error_code(), "invalid_guardianship_config");
  for (const std::string& m : {st.message_zh(), st.message_en()}) {
    EXPECT_NE(m.find("/etc/th/guardianship/guardianship.json"), std::string::npos) << m;
    EXPECT_NE(m.find("excellent"), std::string::npos) << m;
  }
  cfg.pass_grades = {"good"};
  cfg.return_kind = "welfare";
  st = api::GuardianshipModule::CheckReturnGrades(cfg, cases_->forms(), "/etc/th");
  EXPECT_NE(st.message_en().find("welfare"), std::string::npos) << st.message_en();
}

TH_INSTANTIATE_ENGINE_TEST(GuardianshipServiceTest);

}  // namespace
}  // namespace th::service
