// Plans, service records and groups against both engines: a plan from the needs, its lines and
// masked phones, submit → the station's plan_review item → approve → the case moves to
// intervening and each task is a plan_task item due at the end of its date; revisions supersede
// (history kept, old tasks' items closed); approval not required; scope (404 outside), 403,
// 409 stale_version / plan_open / invalid_state; service records, attachments and groups. The
// cases module is replaced by a fake CaseAccess (its own tests and the API tests run the real one).
#include <gtest/gtest.h>
#include <zip.h>

#include <map>

#include "app/testing/service_fixture.h"
#include "modules/plans/service/plan_service.h"
#include "platform/work/work_config.h"
#include "platform/work/work_repo.h"
#include "platform/work/work_service.h"

namespace th::service {
namespace {

// The parts of zip `bytes` by name (empty when it is no zip: ZIP_CHECKCONS as `unzip -t`).
std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> parts;
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
  zip_t* za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &err);
  if (za == nullptr) return parts;
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st);
    std::string content(st.size, '\0');
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    zip_fread(f, content.data(), st.size);
    zip_fclose(f);
    parts[st.name] = content;
  }
  zip_discard(za);
  return parts;
}

class FakeCases : public CaseAccess {
 public:
  Result<PlanCase> LoadInScope(storage::Connection&, const Principal& who, std::int64_t id) override {
    if (!who.Can("case.read")) return Status::Forbidden();
    auto it = cases.find(id);
    if (it == cases.end() || !who.Covers(it->second.unit_path)) return Status::NotFound("case");
    return it->second;
  }
  Result<std::vector<PlanNeed>> LatestNeeds(storage::Connection&, std::int64_t) override { return needs; }
  Status MoveIn(storage::Connection&, const Principal&, std::int64_t id, const std::string& to,
                const std::string&) override {
    auto& k = cases.at(id);
    // The cases module's table for the two moves plans makes.
    const bool ok = (k.status == "assessing" && to == "planning") || (k.status == "planning" && to == "intervening");
    if (!ok) return Status::InvalidState(k.status);
    k.status = to;
    moves.push_back(to);
    return Status::Ok();
  }
  void OnClosed(std::function<Status(storage::Connection&, std::int64_t)> fn) override { closed = std::move(fn); }
  std::function<Status(storage::Connection&, std::int64_t)> closed;
  std::map<std::int64_t, PlanCase> cases;
  std::vector<PlanNeed> needs;
  std::vector<std::string> moves;
};

class PlanServiceTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(work::InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
    auto cfg = domain::ParsePlansConfig(testing::ReadFile(std::string(TH_SOURCE_DIR) + "/config/workflows/plans.json"));
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    cfg_ = *cfg;
    svc_ = std::make_unique<PlanService>(services_->deps(), cases_, cfg_);
    cases_.cases[7] = PlanCase{7, 70, community_.id, community_.path, root_.id, "planning", director_.user_id, "red"};
    cases_.cases[8] = PlanCase{8, 80, community2_.id, community2_.path, root_.id, "planning", std::nullopt, "yellow"};
    cases_.needs = {{"safety", "安全", 3, "独自在家"}, {"education", "教育", 2, ""}};
  }

  static domain::PlanLine Line(const char* kind, std::string code, std::string name, std::string text = "") {
    domain::PlanLine l;
    l.kind = kind;
    l.code = std::move(code);
    l.name = std::move(name);
    l.text = std::move(text);
    return l;
  }

  // A complete plan: two goals, a case and a group service, a 1+N member with a phone, a task.
  PlanInput Full() {
    PlanInput in;
    in.lines_given = true;
    in.summary = "父母外出务工，祖母照看";
    in.lines.push_back(Line("goal", "safety", "安全", "掌握居家安全知识"));
    in.lines.push_back(Line("goal", "education", "教育", "按时到校"));
    auto s = Line("service", "counseling", "每周心理疏导");
    s.frequency = "weekly";
    in.lines.push_back(s);
    auto g = Line("service", "group", "安全教育小组");
    g.frequency = "monthly";
    in.lines.push_back(g);
    auto m = Line("member", "caring_mother", "王爱心");
    m.phone = "13812345678";
    m.extra = "布吉社区妇联";
    in.lines.push_back(m);
    auto t = Line("task", "", "联系学校了解出勤");
    t.owner_unit_id = community_.id;
    t.owner_role = "child_director";
    t.due_date = "2026-09-30";
    in.lines.push_back(t);
    return in;
  }

  std::vector<work::WorkItemRecord> Open(const std::string& type, std::int64_t id) {
    auto v = work::WorkRepo(conn()).OpenFor(type, id);
    EXPECT_TRUE(v.ok());
    return v.ok() ? *v : std::vector<work::WorkItemRecord>{};
  }

  domain::PlansConfig cfg_;
  FakeCases cases_;
  std::unique_ptr<PlanService> svc_;
};

// Path test finding: a worker who drafts the plan straight after the assessments (the case still 评估) got
// an approved plan on a case left in 评估; drafting now moves it to 计划, and approval to 介入.
TEST_P(PlanServiceTest, DraftingMovesAnAssessedCaseToPlanningAndApprovalToIntervening) {
  cases_.cases[9] = PlanCase{9, 90, community_.id, community_.path, root_.id, "assessing", director_.user_id, "red"};
  auto draft = svc_->Create(director_, 9, Full());
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  EXPECT_EQ(cases_.cases[9].status, "planning");
  auto submitted = svc_->Submit(director_, draft->plan.id, draft->plan.version);
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  auto approved = svc_->Review(sup_, draft->plan.id, true, "同意", submitted->plan.version);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(cases_.cases[9].status, "intervening");
  EXPECT_EQ(cases_.moves, (std::vector<std::string>{"planning", "intervening"}));
  // Path test finding: closing the case left its plan's tasks open in the owners' 我的待办. The case's close
  // listener (registered by the service) closes them in the closing transaction.
  std::vector<std::int64_t> tasks;
  for (const auto& l : approved->lines) {
    if (l.kind == "task") tasks.push_back(l.id);
  }
  ASSERT_FALSE(tasks.empty());
  ASSERT_EQ(Open("plan_task", tasks[0]).size(), 1u);
  ASSERT_TRUE(cases_.closed);
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return cases_.closed(c, 9); }).ok());
  for (std::int64_t t : tasks) EXPECT_TRUE(Open("plan_task", t).empty());
}

TEST_P(PlanServiceTest, DraftFromNeedsSubmitApproveMovesTheCaseAndOpensTasks) {
  PlanInput empty;
  auto draft = svc_->Create(director_, 7, empty);
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  ASSERT_EQ(draft->lines.size(), 2u);  // one goal per need
  EXPECT_EQ(draft->lines[0].code, "safety");
  EXPECT_EQ(draft->plan.number, 1);
  // Goals without text may be saved but not submitted.
  auto early = svc_->Submit(director_, draft->plan.id, draft->plan.version);
  EXPECT_EQ(early.status().error_code(), "required");

  PlanInput full = Full();
  full.version = draft->plan.version;
  auto saved = svc_->Update(director_, draft->plan.id, full);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  const auto member = std::find_if(saved->lines.begin(), saved->lines.end(), [](auto& l) { return l.kind == "member"; });
  EXPECT_EQ(member->phone, "138****5678");
  auto revealed = svc_->Get(director_, draft->plan.id, true);
  ASSERT_TRUE(revealed.ok());
  for (const auto& l : revealed->lines) {
    if (l.kind == "member") EXPECT_EQ(l.phone, "13812345678");
  }
  Principal reader = district_;
  reader.permissions = {"case.read"};
  EXPECT_EQ(svc_->Get(reader, draft->plan.id, true).status().code(), Code::kPermissionDenied);
  // A masked phone sent back unchanged keeps the number.
  PlanInput again = Full();
  again.version = saved->plan.version;
  for (auto& l : again.lines) {
    if (l.kind == "member") { l.phone = "138****5678"; l.id = member->id; }
  }
  saved = svc_->Update(director_, draft->plan.id, again);
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_EQ(svc_->Update(director_, draft->plan.id, again).status().error_code(), "stale_version");

  auto submitted = svc_->Submit(director_, draft->plan.id, saved->plan.version);
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ(submitted->plan.status, "submitted");
  auto review = Open("plan", draft->plan.id);
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0].kind, "plan_review");
  EXPECT_EQ(review[0].owner_unit_id, buji_.id);
  EXPECT_EQ(review[0].owner_role, "street_supervisor");
  EXPECT_EQ(svc_->Review(director_, draft->plan.id, true, "", submitted->plan.version).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Review(sup_, draft->plan.id, false, "", submitted->plan.version).status().error_code(), "required");

  auto approved = svc_->Review(sup_, draft->plan.id, true, "同意", submitted->plan.version);
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->plan.status, "approved");
  EXPECT_EQ(cases_.cases[7].status, "intervening");
  EXPECT_TRUE(Open("plan", draft->plan.id).empty());
  const auto task = std::find_if(approved->lines.begin(), approved->lines.end(), [](auto& l) { return l.kind == "task"; });
  auto items = Open("plan_task", task->id);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].due_at, work::EndOfDayShanghai(domain::Date::Of(2026, 9, 30)));
  EXPECT_EQ(items[0].owner_unit_id, community_.id);

  auto done = svc_->CompleteTask(director_, draft->plan.id, task->id);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_TRUE(Open("plan_task", task->id).empty());
  EXPECT_EQ(svc_->CompleteTask(director_, draft->plan.id, task->id).status().code(), Code::kConflict);
}

TEST_P(PlanServiceTest, RevisionIsANewVersionAndSupersedesTheOld) {
  auto v1 = svc_->Create(director_, 7, Full());
  ASSERT_TRUE(v1.ok());
  ASSERT_TRUE(svc_->Submit(director_, v1->plan.id, v1->plan.version).ok());
  auto v1r = svc_->Get(sup_, v1->plan.id, false);
  ASSERT_TRUE(svc_->Review(sup_, v1->plan.id, true, "", v1r->plan.version).ok());
  // An unfinished plan blocks a second draft.
  auto v2 = svc_->Create(director_, 7, PlanInput{});
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->plan.number, 2);
  EXPECT_EQ(v2->lines.size(), 6u);  // copied from version 1
  EXPECT_EQ(svc_->Create(director_, 7, PlanInput{}).status().error_code(), "plan_open");
  ASSERT_TRUE(svc_->Submit(director_, v2->plan.id, v2->plan.version).ok());
  auto v2r = svc_->Get(sup_, v2->plan.id, false);
  ASSERT_TRUE(svc_->Review(sup_, v2->plan.id, true, "", v2r->plan.version).ok());
  auto old = svc_->Get(director_, v1->plan.id, false);
  EXPECT_EQ(old->plan.status, "superseded");
  for (const auto& l : old->lines) {
    if (l.kind == "task") EXPECT_TRUE(Open("plan_task", l.id).empty());
  }
  auto all = svc_->ForCase(director_, 7, false);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->versions.size(), 2u);
  EXPECT_EQ(all->current->plan.number, 2);
  EXPECT_EQ(cases_.moves.size(), 1u);  // planning → intervening once
}

TEST_P(PlanServiceTest, WithoutApprovalSubmitApprovesAtOnce) {
  cfg_.approval_required = false;
  PlanService svc(services_->deps(), cases_, cfg_);
  auto p = svc.Create(director_, 7, Full());
  ASSERT_TRUE(p.ok());
  auto s = svc.Submit(director_, p->plan.id, p->plan.version);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->plan.status, "approved");
  EXPECT_EQ(cases_.cases[7].status, "intervening");
}

TEST_P(PlanServiceTest, ScopeAndLineErrors) {
  auto p = svc_->Create(director_, 7, Full());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(svc_->Get(director2_, p->plan.id, false).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Create(director2_, 7, Full()).status().code(), Code::kNotFound);
  PlanInput bad = Full();
  bad.lines[2].frequency = "hourly";
  EXPECT_EQ(svc_->Create(director2_, 8, bad).status().field(), "services[0].frequency");
  bad = Full();
  bad.lines[4].phone = "call me";
  EXPECT_EQ(svc_->Create(director2_, 8, bad).status().error_code(), "invalid_phone");
  bad = Full();
  bad.lines[5].owner_unit_id.reset();
  EXPECT_EQ(svc_->Create(director2_, 8, bad).status().field(), "tasks[0].owner");
  auto pending = svc_->Pending(sup_, repo::Page{1, 20}, nullptr);
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

TEST_P(PlanServiceTest, ServiceRecordsAttachmentsAndGroups) {
  ServiceInput in{"2026-09-20", "counseling", "李社工", "谈心，了解在校情况", "情绪平稳", 45, std::nullopt};
  auto r = svc_->AddRecord(director_, 7, in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ServiceInput future = in;
  future.served_on = "2026-12-01";
  EXPECT_EQ(svc_->AddRecord(director_, 7, future).status().field(), "served_on");
  ServiceInput zero = in;
  zero.duration_min = 0;
  EXPECT_EQ(svc_->AddRecord(director_, 7, zero).status().error_code(), "invalid_duration");
  EXPECT_EQ(svc_->AddRecord(director2_, 7, in).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Attach(director_, r->id, "a.txt", "hello").status().error_code(), "invalid_file_type");
  auto a = svc_->Attach(director_, r->id, "照片.png", std::string("\x89PNG\r\n\x1a\n", 8) + "xx");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto got = svc_->GetRecord(director_, r->id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->attachments.size(), 1u);
  EXPECT_EQ(svc_->Attachment(director2_, r->id, a->id).status().code(), Code::kNotFound);

  auto g = svc_->CreateGroup(sup_, GroupInput{buji_.id, "安全小卫士", "safety", "提高安全意识", "李社工"});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(svc_->CreateGroup(director_, GroupInput{bantian_.id, "x", "safety", "", ""}).status().field(), "unit_id");
  ASSERT_TRUE(svc_->AddMember(sup_, g->id, 7).ok());
  EXPECT_EQ(svc_->AddMember(sup_, g->id, 7).error_code(), "duplicate");
  EXPECT_EQ(svc_->AddMember(district_, g->id, 8).error_code(), "outside_group_unit");
  EXPECT_EQ(svc_->AddSession(sup_, g->id, SessionInput{"2026-09-19", "防溺水", "", "", "", 60, {8}}).status().error_code(),
            "not_member");
  auto s = svc_->AddSession(sup_, g->id, SessionInput{"2026-09-19", "防溺水", "情景演练", "李社工", "", 60, {7}});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  std::vector<repo::GroupMemberRow> members;
  std::vector<repo::GroupSessionRecord> sessions;
  auto read = svc_->GetGroup(director_, g->id, &members, &sessions);
  EXPECT_EQ(read.status().code(), Code::kNotFound);  // the street's group is outside a community
  read = svc_->GetGroup(sup_, g->id, &members, &sessions);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->members, 1);
  ASSERT_EQ(sessions.size(), 1u);
  EXPECT_EQ(sessions[0].attendees, std::vector<std::int64_t>{7});
  auto view = svc_->ForCase(director_, 7, false);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->records.size(), 1u);
  EXPECT_EQ(view->groups.size(), 1u);
}

// MODULES.md §8: a child moved to another street takes its plans, service records and group memberships along
// (the copies of its unit path): the plan shows in the new street's approval queue, not the old one's, and its
// review item goes to the new street. The case itself moves through the cases module's hook (faked here).
TEST_P(PlanServiceTest, CopiesFollowTheChildsMove) {
  NewChild n;
  n.child.present = {"name", "sex", "birth_date", "id_number", "community_id", "hukou_nature", "hukou_region_code",
                     "flow_status"};
  n.child.name = "钱小禾";
  n.child.sex = "female";
  n.child.birth_date = "2016-05-04";
  n.child.id_number = testing::MakeId("44030720160504002");
  n.child.community_id = community_.id;
  n.child.hukou_nature = "agricultural";
  n.child.hukou_region_code = "440307";
  n.child.flow_status = "local";
  auto kid = children_->Create(district_, n);
  ASSERT_TRUE(kid.ok()) << kid.status().ToString();
  cases_.cases[9] = PlanCase{9, kid->child.id, community_.id, community_.path, root_.id, "planning", std::nullopt, "red"};
  auto p = svc_->Create(director_, 9, Full());
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_TRUE(svc_->Submit(director_, p->plan.id, p->plan.version).ok());
  const ServiceInput record{"2026-09-20", "counseling", "李社工", "谈心", "", 30, std::nullopt};
  ASSERT_TRUE(svc_->AddRecord(director_, 9, record).ok());
  auto g = svc_->CreateGroup(sup_, GroupInput{buji_.id, "安全小卫士", "safety", "", ""});
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  ASSERT_TRUE(svc_->AddMember(sup_, g->id, 9).ok());
  const Principal sup2 = MakeUser("sup2", "street_supervisor", bantian_.id);
  auto queue = [&](const Principal& who) {
    std::vector<std::int64_t> ids;
    auto r = svc_->Pending(who, repo::Page{1, 20}, nullptr);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok()) for (const auto& x : *r) ids.push_back(x.id);
    return ids;
  };
  EXPECT_EQ(queue(sup_), std::vector<std::int64_t>{p->plan.id});
  EXPECT_TRUE(queue(sup2).empty());

  ChildInput move;
  move.present = {"community_id", "grid_id"};
  move.community_id = community2_.id;
  ASSERT_TRUE(children_->Update(district_, kid->child.id, move, kid->child.version, "").ok());
  cases_.cases[9].unit_path = community2_.path;  // the cases module's own hook

  EXPECT_TRUE(queue(sup_).empty());
  EXPECT_EQ(queue(sup2), std::vector<std::int64_t>{p->plan.id});
  for (const char* table : {"plan", "service_record", "group_member"}) {
    auto rows = conn().Query(std::string("SELECT DISTINCT unit_path FROM ") + table + " WHERE child_id = $1", {kid->child.id});
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 1u) << table;
    EXPECT_EQ((*rows)[0].Text(0), community2_.path) << table;
  }
  auto review = Open("plan", p->plan.id);
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0].owner_unit_id, bantian_.id);
  auto approved = svc_->Review(sup2, p->plan.id, true, "", svc_->Get(sup2, p->plan.id, false)->plan.version);
  EXPECT_TRUE(approved.ok()) << approved.status().ToString();
}

TEST_P(PlanServiceTest, TheDocxIsAZipWithThePlansText) {
  auto p = svc_->Create(director_, 7, Full());
  ASSERT_TRUE(p.ok());
  auto docx = svc_->Docx(director_, p->plan.id, false);
  ASSERT_TRUE(docx.ok()) << docx.status().ToString();
  auto parts = Unzip(docx->bytes);
  ASSERT_TRUE(parts.count("[Content_Types].xml"));
  ASSERT_TRUE(parts.count("word/document.xml"));
  const std::string& xml = parts["word/document.xml"];
  for (const char* text : {"个案服务计划", "掌握居家安全知识", "每周心理疏导", "王爱心", "联系学校了解出勤", "“1+N”关爱帮扶团队"}) {
    EXPECT_NE(xml.find(text), std::string::npos) << text;
  }
  EXPECT_EQ(xml.find("13812345678"), std::string::npos);  // the phone is masked in exports
  EXPECT_NE(xml.find("138****5678"), std::string::npos);
  EXPECT_EQ(svc_->Docx(director2_, p->plan.id, false).status().code(), Code::kNotFound);
}

TH_INSTANTIATE_ENGINE_TEST(PlanServiceTest);

}  // namespace
}  // namespace th::service
