// Case conferences against both engines: the workflow table (every action from every state),
// convene -> record -> decisions as work items -> done -> close, scope (the convening unit's subtree
// and above; a liaison only their agency's decisions), follow-ups at the next conference, the
// minutes' .docx, audit of reads, and a fake-clock escalation of an overdue decision.
#include <gtest/gtest.h>

#include "app/testing/service_fixture.h"
#include "modules/conferences/api/conferences_module.h"
#include "modules/conferences/service/conference_service.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_service.h"

namespace th::service {
namespace {

// Every action from every state: the next state or invalid_state (table-driven).
TEST(ConferenceWorkflow, EveryActionFromEveryState) {
  const std::map<std::pair<std::string, std::string>, std::string> allowed = {
      {{"planned", "edit"}, "planned"},   {{"planned", "record"}, "held"}, {{"planned", "cancel"}, "cancelled"},
      {{"planned", "attach"}, "planned"}, {{"held", "amend"}, "held"},     {{"held", "close"}, "closed"},
      {{"held", "attach"}, "held"}};
  int checked = 0;
  for (const char* s : domain::kConferenceStates) {
    for (const char* a : domain::kConferenceActions) {
      auto next = domain::ConferenceNext(s, a);
      auto it = allowed.find({s, a});
      if (it != allowed.end()) {
        ASSERT_TRUE(next.ok()) << s << " " << a;
        EXPECT_EQ(*next, it->second) << s << " " << a;
      } else {
        EXPECT_EQ(next.status().error_code(), "invalid_state") << s << " " << a;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, 24);
  EXPECT_EQ(domain::ConferenceNext("planned", "fly").status().error_code(), "invalid_enum");
}

TEST(ConferenceConfig, ShippedConfigParsesAndBadOnesNameTheProblem) {
  auto cfg = api::ConferencesModule::LoadConfig(std::string(TH_SOURCE_DIR) + "/config");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  EXPECT_NE(cfg->Find("red_grade"), nullptr);
  EXPECT_TRUE(cfg->Find("other")->note_required);
  EXPECT_FALSE(api::ConferencesModule::ParseConfig("{\"reasons\":[]}").ok());
  EXPECT_FALSE(api::ConferencesModule::ParseConfig(
                   "{\"reasons\":[{\"code\":\"a\",\"name\":\"x\"},{\"code\":\"a\",\"name\":\"y\"}]}")
                   .ok());
}

class ConferenceServiceTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(work::InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
    auto cfg = api::ConferencesModule::LoadConfig(std::string(TH_SOURCE_DIR) + "/config");
    ASSERT_TRUE(cfg.ok());
    svc_ = std::make_unique<ConferenceService>(services_->deps(), *children_, std::move(*cfg));
    education_ = AddAgency("龙岗区教育局", "department");
    police_ = AddAgency("龙岗区公安分局", "department");
    liaison_ = MakeLiaison("liaison", education_);
    police_liaison_ = MakeLiaison("police", police_);
    sup2_ = MakeUser("sup2", "street_supervisor", bantian_.id);
    NewChild n;
    ChildInput& c = n.child;
    c.present = {"name", "sex", "birth_date", "id_number", "community_id", "hukou_nature", "hukou_region_code", "flow_status"};
    c.name = "陈思雨";
    c.sex = "female";
    c.birth_date = "2014-05-12";
    c.id_number = testing::MakeId("44030720140512002");
    c.community_id = community_.id;
    c.hukou_nature = "agricultural";
    c.hukou_region_code = "440307";
    c.flow_status = "local";
    auto f = children_->Create(director_, n);
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    child_ = f->child.id;
  }

  std::int64_t AddAgency(const std::string& name, const std::string& kind) {
    repo::Agency a;
    a.org_unit_id = root_.id;
    a.kind = kind;
    a.dept_type = "education";
    a.name = name;
    a.created_at = a.updated_at = clock_.NowMillis();
    EXPECT_TRUE(repo::OrgRepo(conn()).InsertAgency(a).ok());
    return a.id;
  }

  Principal MakeLiaison(const std::string& username, std::int64_t agency) {
    NewUser n;
    n.username = username;
    n.display_name = username;
    n.role = "dept_liaison";
    n.org_unit_id = root_.id;
    n.agency_id = agency;
    n.password = kPassword;
    n.must_change_password = false;
    EXPECT_TRUE(accounts_->users().Create(nullptr, n).ok());
    auto login = services_->auth().Login(username, kPassword, "10.0.0.1", "test");
    EXPECT_TRUE(login.ok());
    return login.ok() ? login->principal : Principal();
  }

  std::int64_t Count(const std::string& sql, const storage::Params& p = {}) {
    auto r = conn().Query(sql, p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int(0) : -1;
  }

  ConveneInput Input() {
    ConveneInput in;
    in.child_id = child_;
    in.reason = "red_grade";
    in.scheduled_at = clock_.NowMillis() + 2 * 86400000LL;
    in.place = "布吉街道工作站";
    in.agenda = "通报情况";
    in.participants = {{"agency", education_, std::nullopt, "", ""},
                       {"unit", std::nullopt, community_.id, "", ""},
                       {"person", std::nullopt, std::nullopt, "陈老师", "班主任"}};
    return in;
  }

  // Convened by the Buji supervisor, then recorded with a decision for 教育局 and one for the community.
  ConferenceView Held(const std::string& due = "2026-09-30") {
    auto v = svc_->Convene(sup_, Input());
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    RecordInput rec;
    rec.version = v->conference.version;
    rec.discussion = "各方讨论了帮扶措施";
    rec.attendance = {{v->participants[0].id, true}, {v->participants[2].id, false}};
    rec.decisions = {{"安排心理辅导", education_, std::nullopt, due}, {"每周入户走访", std::nullopt, community_.id, due}};
    auto h = svc_->Record(sup_, v->conference.id, rec, false);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return *h;
  }

  std::unique_ptr<ConferenceService> svc_;
  std::int64_t education_ = 0, police_ = 0, child_ = 0;
  Principal liaison_, police_liaison_, sup2_;
};

TEST_P(ConferenceServiceTest, ConveneRecordCompleteClose) {
  auto h = Held();
  EXPECT_EQ(h.conference.status, "held");
  ASSERT_EQ(h.decisions.size(), 2u);
  EXPECT_EQ(h.participants[0].attended, std::optional<bool>(true));
  EXPECT_EQ(h.participants[2].attended, std::optional<bool>(false));
  EXPECT_FALSE(h.participants[1].attended.has_value());
  // Each decision is a work item: 教育局's owned by its liaisons, the community's by its director.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'conference_decision' AND kind = "
                  "'conference_decision' AND owner_agency_id = $1 AND owner_role = 'dept_liaison' AND state = 'open'",
                  {education_}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'conference_decision' AND owner_unit_id = $1 "
                  "AND owner_role = 'child_director' AND state = 'open'",
                  {community_.id}),
            1);
  // Closing waits for every decision.
  EXPECT_EQ(svc_->Close(sup_, h.conference.id, h.conference.version).status().error_code(), "decisions_open");
  const auto& edu = h.decisions[0].decision;
  const auto& com = h.decisions[1].decision;
  // The police liaison sees neither; the education liaison sees only its decision.
  EXPECT_EQ(svc_->GetDecision(police_liaison_, edu.id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->GetDecision(liaison_, com.id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Get(liaison_, h.conference.id).status().code(), Code::kPermissionDenied);
  auto mine = svc_->MyDecisions(liaison_, "");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_TRUE(mine->at(0).can_complete);
  EXPECT_EQ(svc_->CompleteDecision(liaison_, edu.id, edu.version, "").status().error_code(), "required");
  EXPECT_EQ(svc_->CompleteDecision(liaison_, edu.id, edu.version + 1, "x").status().error_code(), "stale_version");
  ASSERT_TRUE(svc_->CompleteDecision(liaison_, edu.id, edu.version, "已安排每两周一次心理辅导").ok());
  EXPECT_EQ(svc_->CompleteDecision(liaison_, edu.id, edu.version + 1, "again").status().error_code(), "invalid_state");
  EXPECT_EQ(svc_->CompleteDecision(police_liaison_, com.id, com.version, "x").status().code(), Code::kNotFound);
  ASSERT_TRUE(svc_->CompleteDecision(director_, com.id, com.version, "已走访").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_type = 'conference_decision' AND state = 'open'"), 0);
  auto cur = svc_->Get(sup_, h.conference.id);
  ASSERT_TRUE(cur.ok());
  // A director (below the convening street) reads but does not manage.
  EXPECT_EQ(svc_->Close(director_, h.conference.id, cur->conference.version).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Close(sup_, h.conference.id, cur->conference.version + 1).status().error_code(), "stale_version");
  auto closed = svc_->Close(sup_, h.conference.id, cur->conference.version);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->conference.status, "closed");
  EXPECT_EQ(svc_->Record(sup_, h.conference.id, {closed->conference.version, "x", {}, {}}, true).status().error_code(),
            "invalid_state");
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'conference.read'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'conference.decision_done'"), 2);
}

TEST_P(ConferenceServiceTest, ScopeIsTheConveningSubtreeAndAbove) {
  auto h = Held();
  const std::int64_t id = h.conference.id;
  EXPECT_TRUE(svc_->Get(district_, id).ok());
  EXPECT_TRUE(svc_->Get(director_, id).ok());
  EXPECT_EQ(svc_->Get(director2_, id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Get(sup2_, id).status().code(), Code::kNotFound);
  std::int64_t total = 0;
  auto list = svc_->List(sup2_, {}, {1, 20}, &total);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(total, 0);
  ASSERT_TRUE(svc_->List(district_, {}, {1, 20}, &total).ok());
  EXPECT_EQ(total, 1);
  ASSERT_TRUE(svc_->List(director_, {}, {1, 20}, &total).ok());
  EXPECT_EQ(total, 1);
  EXPECT_EQ(svc_->List(liaison_, {}, {1, 20}, &total).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->MyDecisions(sup2_, "").value().size(), 0u);
  // A director cannot convene; a street supervisor only about a child in its scope.
  EXPECT_EQ(svc_->Convene(director_, Input()).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Convene(sup2_, Input()).status().code(), Code::kNotFound);
  ConveneInput bad = Input();
  bad.reason = "other";
  EXPECT_EQ(svc_->Convene(sup_, bad).status().error_code(), "required");
  bad.reason = "nope";
  EXPECT_EQ(svc_->Convene(sup_, bad).status().error_code(), "invalid_enum");
  bad = Input();
  bad.participants.push_back({"person", std::nullopt, std::nullopt, "", ""});
  EXPECT_EQ(svc_->Convene(sup_, bad).status().error_code(), "invalid_participant");
}

TEST_P(ConferenceServiceTest, OpenDecisionsFollowUpAtTheNextConferenceAndMinutesExport) {
  auto h = Held();
  EXPECT_EQ(svc_->MinutesDocx(sup_, h.conference.id).status().ok(), true);
  auto next = svc_->Convene(sup_, Input());
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->followups.size(), 2u);
  EXPECT_EQ(svc_->MinutesDocx(sup_, next->conference.id).status().error_code(), "invalid_state");
  auto docx = svc_->MinutesDocx(district_, h.conference.id);
  ASSERT_TRUE(docx.ok());
  EXPECT_EQ(docx->substr(0, 2), "PK");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'conference.export'"), 2);
  auto tab = svc_->ForChild(director_, child_);
  ASSERT_TRUE(tab.ok());
  EXPECT_EQ(tab->size(), 2u);
  EXPECT_EQ(svc_->ForChild(director2_, child_).status().code(), Code::kNotFound);
  auto cancelled = svc_->Cancel(sup_, next->conference.id, next->conference.version, "改期");
  ASSERT_TRUE(cancelled.ok());
  EXPECT_EQ(cancelled->conference.status, "cancelled");
}

// Fake clock: an open decision past its due date escalates on the engine (overdue, then the district).
// Materials go through the platform's attachment path (platform/service/attachments.h), as dispatch
// feedback does: the bytes' checks, the cap, and a file read only under its own conference.
TEST_P(ConferenceServiceTest, MaterialsAreCheckedCappedAndReadUnderTheirConference) {
  auto convene = [&] {
    auto v = svc_->Convene(sup_, Input());
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    return v.ok() ? v->conference.id : 0;
  };
  const std::int64_t a = convene();
  const std::int64_t b = convene();
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "data";
  EXPECT_EQ(svc_->Attach(sup_, a, "a.exe", "MZ....").status().error_code(), "invalid_file_type");
  EXPECT_EQ(svc_->Attach(sup_, a, "x.png", "").status().error_code(), "required");
  EXPECT_EQ(svc_->Attach(sup_, a, "big.png", png + std::string(10u << 20, 'x')).status().error_code(), "file_too_large");
  EXPECT_EQ(svc_->Attach(director_, a, "x.png", png).status().code(), Code::kPermissionDenied);
  auto f = svc_->Attach(sup_, a, "", png);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->name, "材料");
  EXPECT_EQ(f->content_type, "image/png");
  EXPECT_EQ(f->owner_id, a);
  auto got = svc_->Attachment(district_, a, f->id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->data, png);
  EXPECT_EQ(svc_->Attachment(district_, b, f->id).status().code(), Code::kNotFound);  // another conference's
  ASSERT_EQ(svc_->Get(district_, a)->attachments.size(), 1u);
  for (int i = 1; i < 20; ++i) ASSERT_TRUE(svc_->Attach(sup_, a, "p.png", png).ok());
  EXPECT_EQ(svc_->Attach(sup_, a, "p.png", png).status().error_code(), "too_many_attachments");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'conference.attach'"), 20);
}

TEST_P(ConferenceServiceTest, OverdueDecisionEscalates) {
  auto h = Held("2026-09-23");  // the fixture's clock starts 2026-09-21
  work::WorkService* work = work::FindWork(services_->deps());
  ASSERT_NE(work, nullptr);
  std::int64_t steps = 0;
  for (int i = 0; i < 16; ++i) {
    clock_.Advance(12LL * 3600 * 1000);
    auto st = work->Sweep();
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    steps += st->escalations;
  }
  const std::int64_t edu = h.decisions[0].decision.id;
  EXPECT_GE(Count("SELECT COUNT(*) FROM work_escalation e JOIN work_item w ON w.id = e.item_id WHERE "
                  "w.subject_type = 'conference_decision' AND w.subject_id = $1",
                  {edu}),
            2);
  auto d = svc_->GetDecision(liaison_, edu);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->overdue);
  EXPECT_GT(steps, 0);
}

// A red grade (the cases module's grade listener, wired by the app when alarm.start_conference is on) opens one
// conference_needed item for the child's street station, started at the grading time; a second red grade
// while it waits opens nothing; on the fake clock it escalates past its 5 working days; convening a
// conference about the child closes it; a later red grade opens a new one.
TEST_P(ConferenceServiceTest, RedGradeAsksTheStreetToConveneOnceUntilConvened) {
  auto open_items = [&] {
    return Count("SELECT COUNT(*) FROM work_item WHERE kind = 'conference_needed' AND subject_id = $1 AND is_open = 1",
                 {child_});
  };
  const std::int64_t graded = clock_.NowMillis();
  // As the cases module's grade listener runs it: inside the grading transaction.
  auto alarm = [&](std::int64_t at) {
    return InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnAlarmGrade(c, child_, "red", at); });
  };
  Status st = alarm(graded);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(open_items(), 1);
  EXPECT_EQ(Count("SELECT owner_unit_id FROM work_item WHERE kind = 'conference_needed' AND subject_id = $1", {child_}),
            buji_.id);
  EXPECT_EQ(Count("SELECT started_at FROM work_item WHERE kind = 'conference_needed' AND subject_id = $1", {child_}),
            graded);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE kind = 'conference_needed' AND owner_role = "
                  "'street_supervisor' AND link LIKE '/conferences/new?child_id=%'"),
            1);
  clock_.Advance(24LL * 3600 * 1000);
  ASSERT_TRUE(alarm(clock_.NowMillis()).ok());
  EXPECT_EQ(open_items(), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'conference.need_open'"), 1);
  work::WorkService* work = work::FindWork(services_->deps());
  ASSERT_NE(work, nullptr);
  for (int i = 0; i < 20; ++i) {
    clock_.Advance(12LL * 3600 * 1000);
    ASSERT_TRUE(work->Sweep().ok());
  }
  EXPECT_GE(Count("SELECT COUNT(*) FROM work_escalation e JOIN work_item w ON w.id = e.item_id WHERE w.kind = "
                  "'conference_needed' AND w.subject_id = $1",
                  {child_}),
            1);
  auto conf = svc_->Convene(sup_, Input());
  ASSERT_TRUE(conf.ok()) << conf.status().ToString();
  EXPECT_EQ(open_items(), 0);
  ASSERT_TRUE(alarm(clock_.NowMillis()).ok());
  EXPECT_EQ(open_items(), 1);
}

// A fake of the app's case lookup: case 7 is about the child, in 布吉社区; case 99 does not exist; a case outside the
// caller's unit is not found (as the cases module's LoadInScope).
CaseLookup FakeCases(std::int64_t child, const std::string& path) {
  return [child, path](storage::Connection&, const Principal& who, std::int64_t case_id) -> Result<CaseRef> {
    if (case_id == 99 || !who.Covers(path)) return Status::NotFound("case");
    if (!who.Can("case.read")) return Status::Forbidden();
    return CaseRef{case_id == 7 ? child : child + 1000, path};
  };
}

// A conference's case is checked through the app's case lookup (in scope, about the child) when convened.
TEST_P(ConferenceServiceTest, CaseCheckRefusesAnotherChildsCase) {
  svc_->SetCaseLookup(FakeCases(child_, community_.path));
  ConveneInput in = Input();
  in.case_id = 99;
  EXPECT_EQ(svc_->Convene(sup_, in).status().code(), Code::kNotFound);
  in.case_id = 8;
  EXPECT_EQ(svc_->Convene(sup_, in).status().error_code(), "invalid_case");
  in.case_id = 7;
  auto ok = svc_->Convene(sup_, in);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->conference.case_id.value_or(0), 7);
}

// The case page's section: scoped through the case (another unit's case 404, no conference.read 403), the case's
// conferences and the count of the child's others, the same split as the child's list filtered by case; audited.
TEST_P(ConferenceServiceTest, CaseSectionIsScopedThroughTheCase) {
  EXPECT_EQ(svc_->ForCase(sup_, 7).status().code(), Code::kNotFound);  // no lookup wired: no case loads
  svc_->SetCaseLookup(FakeCases(child_, community_.path));
  ConveneInput in = Input();
  in.case_id = 7;
  auto a = svc_->Convene(sup_, in);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  in.scheduled_at += 86400000LL;
  auto a2 = svc_->Convene(sup_, in);
  ASSERT_TRUE(a2.ok()) << a2.status().ToString();
  auto b = svc_->Convene(sup_, Input());  // about the child, not linked to the case
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  for (const Principal* who : {&sup_, &director_, &district_}) {
    auto v = svc_->ForCase(*who, 7);
    ASSERT_TRUE(v.ok()) << who->role << " " << v.status().ToString();
    ASSERT_EQ(v->items.size(), 2u) << who->role;
    EXPECT_EQ(v->items[0].id, a2->conference.id);  // newest first
    EXPECT_EQ(v->items[1].id, a->conference.id);
    EXPECT_EQ(v->child_others, 1);
    auto child = svc_->ForChild(*who, child_);
    ASSERT_TRUE(child.ok());
    std::vector<std::int64_t> mine;
    for (const auto& c : *child) {
      if (c.case_id == 7) mine.push_back(c.id);
    }
    EXPECT_EQ(mine, (std::vector<std::int64_t>{a2->conference.id, a->conference.id}));
    EXPECT_EQ(static_cast<std::int64_t>(child->size() - mine.size()), v->child_others);
  }
  EXPECT_EQ(svc_->ForCase(director2_, 7).status().code(), Code::kNotFound);  // another street's jurisdiction
  EXPECT_EQ(svc_->ForCase(sup2_, 7).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->ForCase(sup_, 99).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->ForCase(liaison_, 7).status().code(), Code::kPermissionDenied);  // no conference.read
  auto none = svc_->ForCase(sup_, 8);  // a case of another child: none of these conferences
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->items.empty());
  EXPECT_EQ(none->child_others, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'conference.case_list' AND object_id = '7'"), 3);
}

TH_INSTANTIATE_ENGINE_TEST(ConferenceServiceTest);

}  // namespace
}  // namespace th::service
