// The 工作台 numbers on both engines: scope by the caller's unit, counts by category and by child
// unit, roll entries this month and the trend, recent files from the audit log, to-dos.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "modules/workbench/service/workbench_service.h"
#include "platform/work/work_service.h"
#include "app/testing/service_fixture.h"

namespace th::workbench {
namespace {

using service::Principal;

class WorkbenchTest : public service::testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    svc_ = std::make_unique<WorkbenchService>(services_->deps(), &children_->categories());
  }
  // A child with an imprisoned father and a missing mother (事实无人抚养) in `community`.
  std::int64_t MakeChild(const Principal& who, std::int64_t community, const std::string& name, const std::string& id17) {
    service::NewChild n;
    service::ChildInput& c = n.child;
    c.present = {"name", "sex", "birth_date", "id_number", "community_id", "hukou_nature", "hukou_region_code",
                 "flow_status"};
    c.name = name;
    c.sex = "male";
    c.birth_date = id17.substr(6, 4) + "-" + id17.substr(10, 2) + "-" + id17.substr(12, 2);
    c.id_number = service::testing::MakeId(id17);
    c.community_id = community;
    c.hukou_nature = "agricultural";
    c.hukou_region_code = "440307";
    c.flow_status = "local";
    service::MemberInput father;
    father.present = {"relation", "name", "state", "state_since", "restriction_months"};
    father.relation = "father";
    father.name = "张建国";
    father.state = "imprisoned";
    father.state_since = "2025-03-01";
    father.restriction_months = 36;
    service::MemberInput mother;
    mother.present = {"relation", "name", "state", "state_since"};
    mother.relation = "mother";
    mother.name = "李梅";
    mother.state = "missing";
    mother.state_since = "2025-06-01";
    n.family = {father, mother};
    auto f = children_->Create(who, n);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? f->child.id : 0;
  }
  const CountBy* Find(const std::vector<CountBy>& v, const std::string& name) {
    for (const auto& x : v) {
      if (x.name == name || x.code == name) return &x;
    }
    return nullptr;
  }
  std::unique_ptr<WorkbenchService> svc_;
};

TEST_P(WorkbenchTest, NumbersFollowTheCallersJurisdiction) {
  MakeChild(director_, community_.id, "张伟", "44030720150302001");
  MakeChild(director_, community_.id, "张强", "44030720160405003");
  MakeChild(director2_, community2_.id, "王芳", "44030720140506003");
  auto d = svc_->Get(district_);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_TRUE(d->numbers.visible);
  EXPECT_EQ(d->numbers.children_total, 3);
  EXPECT_EQ(d->unit_name, "龙岗区");
  ASSERT_NE(Find(d->numbers.by_unit, "布吉街道"), nullptr);
  EXPECT_EQ(Find(d->numbers.by_unit, "布吉街道")->count, 2);
  EXPECT_EQ(Find(d->numbers.by_unit, "坂田街道")->count, 1);
  ASSERT_NE(Find(d->numbers.by_category, "de_facto_unsupported"), nullptr);
  EXPECT_EQ(Find(d->numbers.by_category, "de_facto_unsupported")->count, 3);
  EXPECT_EQ(Find(d->numbers.by_category, "de_facto_unsupported")->name, "事实无人抚养儿童");
  auto s = svc_->Get(sup_);  // 布吉街道: its community only
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->numbers.children_total, 2);
  ASSERT_EQ(s->numbers.by_unit.size(), 1u);
  EXPECT_EQ(s->numbers.by_unit[0].name, "布吉社区");
  auto other = svc_->Get(director2_);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->numbers.children_total, 1);
  // A write shows at once on a small database (the cache recomputes when it is cheap).
  MakeChild(director2_, community2_.id, "王丽", "44030720130607005");
  EXPECT_EQ(svc_->Get(director2_)->numbers.children_total, 2);
}

TEST_P(WorkbenchTest, RollEntryCountsThisMonthAndInTheTrendAndTodosFollowPermissions) {
  const std::int64_t id = MakeChild(director_, community_.id, "张伟", "44030720150302001");
  auto p = children_->Propose(director_, id, "entry", "de_facto_unsupported", "父母均无法履行抚养义务", "判决书");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  auto sup = svc_->Get(sup_);
  ASSERT_TRUE(sup.ok());
  EXPECT_EQ(sup->todo.source, "roll_and_tasks");
  ASSERT_FALSE(sup->todo.counts.empty());
  EXPECT_EQ(sup->todo.counts[0].kind, "roll_review");
  EXPECT_EQ(sup->todo.counts[0].count, 1);
  EXPECT_EQ(sup->numbers.open_tasks, 1);
  EXPECT_EQ(svc_->Get(director2_)->numbers.open_tasks, 0);  // another street's request
  ASSERT_TRUE(children_->Decide(sup_, p->request.id, "review", "材料齐全", 1).ok());
  ASSERT_TRUE(children_->Decide(district_, p->request.id, "confirm", "同意", 2).ok());
  auto d = svc_->Get(district_);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->numbers.on_roll, 1);
  EXPECT_EQ(d->numbers.entered_this_month, 1);
  EXPECT_EQ(d->numbers.exited_this_month, 0);
  ASSERT_EQ(d->trend.size(), 6u);
  EXPECT_EQ(d->trend.back().month, "2026-09");  // the fake clock's month (Asia/Shanghai)
  EXPECT_EQ(d->trend.back().entered, 1);
  EXPECT_EQ(d->trend.back().on_roll, 1);
  EXPECT_EQ(d->trend.front().month, "2026-04");
  EXPECT_EQ(d->trend[4].on_roll, 0);  // before the entry
  EXPECT_EQ(d->todo.total, 0);
}

TEST_P(WorkbenchTest, RecentFilesAreTheCallersReadsInScopeAndNumbersNeedAPermission) {
  const std::int64_t a = MakeChild(director_, community_.id, "张伟", "44030720150302001");
  const std::int64_t b = MakeChild(director_, community_.id, "张强", "44030720160405003");
  ASSERT_TRUE(children_->Get(director_, a).ok());
  clock_.Advance(1000);
  ASSERT_TRUE(children_->Get(director_, b).ok());
  clock_.Advance(1000);
  ASSERT_TRUE(children_->Get(director_, a).ok());
  auto w = svc_->Get(director_);
  ASSERT_TRUE(w.ok());
  ASSERT_EQ(w->recent_files.size(), 2u);
  EXPECT_EQ(w->recent_files[0].child_id, a);  // newest first, one per child
  EXPECT_EQ(w->recent_files[0].name, "张伟");
  EXPECT_EQ(w->recent_files[0].unit_name, "布吉社区");
  EXPECT_EQ(w->recent_files[1].child_id, b);
  EXPECT_TRUE(svc_->Get(sup_)->recent_files.empty());  // someone else's reads
  Principal liaison = MakeUser("liaison", "dept_liaison", root_.id);
  auto l = svc_->Get(liaison);
  ASSERT_TRUE(l.ok());
  EXPECT_FALSE(l->numbers.visible);
  EXPECT_EQ(l->numbers.children_total, 0);
  EXPECT_TRUE(l->trend.empty());
}

TEST_P(WorkbenchTest, SlowJurisdictionsGetThePreviousNumbersWhileABackgroundThreadRecomputes) {
  WorkbenchService slow(services_->deps(), &children_->categories(), /*slow_ms=*/0);  // every pass counts as slow
  MakeChild(director_, community_.id, "张伟", "44030720150302001");
  ASSERT_EQ(slow.Get(district_)->numbers.children_total, 1);  // first computation: waited for
  MakeChild(director_, community_.id, "张强", "44030720160405003");
  EXPECT_EQ(slow.Get(district_)->numbers.children_total, 1);  // the previous numbers, at once
  std::int64_t seen = 1;
  for (int i = 0; i < 200 && seen != 2; ++i) {  // the background pass lands within a few ms
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    seen = slow.Get(district_)->numbers.children_total;
  }
  EXPECT_EQ(seen, 2);
}

// The numbers last computed survive a restart (migration 0018): a new service, as after a restart,
// serves them at once with the time they were computed, and recomputes them in the background.
TEST_P(WorkbenchTest, NumbersLastComputedAreServedAtOnceAfterARestart) {
  MakeChild(director_, community_.id, "张伟", "44030720150302001");
  const std::int64_t first_at = clock_.NowMillis();
  {
    WorkbenchService before(services_->deps(), &children_->categories(), /*slow_ms=*/0);  // every pass is kept
    auto a = before.Get(district_);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->numbers.children_total, 1);
    EXPECT_EQ(a->numbers.computed_at, first_at);
  }
  auto kept = conn().Query("SELECT scope, day FROM workbench_numbers");
  ASSERT_TRUE(kept.ok());
  ASSERT_EQ(kept->size(), 1u);
  EXPECT_EQ(kept->rows[0].Text(0), "district_id:" + std::to_string(district_.org_unit_id));
  MakeChild(director_, community_.id, "张强", "44030720160405003");  // while the server was down
  clock_.Advance(60'000);
  WorkbenchService after(services_->deps(), &children_->categories(), /*slow_ms=*/0);
  auto b = after.Get(district_);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->numbers.children_total, 1);  // the stored numbers, without waiting for a pass
  EXPECT_EQ(b->numbers.computed_at, first_at);
  ASSERT_NE(Find(b->numbers.by_unit, "布吉街道"), nullptr);  // names applied when served
  EXPECT_EQ(Find(b->numbers.by_unit, "布吉街道")->count, 1);
  EXPECT_EQ(b->trend.size(), 6u);
  std::int64_t seen = 1, at = 0;
  for (int i = 0; i < 200 && seen != 2; ++i) {  // the background pass lands within a few ms
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    auto c = after.Get(district_);
    ASSERT_TRUE(c.ok());
    seen = c->numbers.children_total;
    at = c->numbers.computed_at;
  }
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(at, clock_.NowMillis());
  // A jurisdiction never computed has nothing stored: its first request computes (and waits).
  auto s = after.Get(sup_);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->numbers.children_total, 2);
}

TEST_P(WorkbenchTest, WithTheWorkEngineTheTodosAreTheInboxCounts) {
  ASSERT_TRUE(work::InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
  const std::int64_t id = MakeChild(director_, community_.id, "张伟", "44030720150302001");
  ASSERT_TRUE(children_->Propose(director_, id, "entry", "de_facto_unsupported", "父母均无法履行抚养义务", "").ok());
  auto sup = svc_->Get(sup_);
  ASSERT_TRUE(sup.ok()) << sup.status().ToString();
  EXPECT_EQ(sup->todo.source, "work_items");
  ASSERT_EQ(sup->todo.counts.size(), 1u);
  EXPECT_EQ(sup->todo.counts[0].kind, "roll_review");
  EXPECT_EQ(sup->todo.counts[0].count, 1);
  EXPECT_EQ(sup->todo.total, 1);
  EXPECT_EQ(sup->todo.overdue, 0);
  EXPECT_EQ(svc_->Get(district_)->todo.total, 0);  // the street's item, not the district's
  EXPECT_EQ(sup->todo.due_today, 0);
  // On the deadline's day (a deadline is the end of its day, Asia/Shanghai) the item is due today.
  auto page = work::FindWork(services_->deps())->Inbox(sup_, "", repo::Page{1, 10});
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  clock_.Set(page->items[0].due_at - 3600LL * 1000);
  sup = svc_->Get(sup_);
  EXPECT_EQ(sup->todo.due_today, 1);
  EXPECT_EQ(sup->todo.overdue, 0);
  clock_.Advance(30LL * 86400000);                   // long past the 5 working days
  sup = svc_->Get(sup_);
  EXPECT_EQ(sup->todo.overdue, 1);
  EXPECT_EQ(sup->todo.due_today, 0);
  EXPECT_EQ(sup->todo.counts[0].overdue, 1);
}

TH_INSTANTIATE_ENGINE_TEST(WorkbenchTest);

}  // namespace
}  // namespace th::workbench
