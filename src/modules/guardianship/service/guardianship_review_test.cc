// Guardianship interventions, session 7's review (both engines, instantiated in guardianship_service_test.cc):
// a grid moved to another street's community and a child moved by ChildService::UpdateIn carry the interventions;
// each action from each status; a later return assessment supersedes the linked one; the step's permission before
// its body; an approved intervention that was never placed can be ended.
#include "modules/guardianship/testing/guardianship_fixture.h"

namespace th::service {
namespace {

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

}  // namespace
}  // namespace th::service
