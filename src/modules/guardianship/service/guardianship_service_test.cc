// Guardianship interventions against both engines: proposal and approval with their work items,
// placement with the placement check and the time limit (the limit escalates on a fake clock), the
// return gate (no assessment, a failing one, one from before the placement), conversion to
// long-term with the fallback_guardianship category and its end by adoption, visibility and scope,
// audited reads, the red-grade check (idempotent) and the case statistics' counts.
#include "modules/guardianship/testing/guardianship_fixture.h"

namespace th::service {
namespace {

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
