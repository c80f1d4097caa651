// The work engine on both databases: roll requests become work items that follow the request,
// the inbox and overdue views are scoped, the item workflow, and the escalation sweep (aged with
// a fake clock; two concurrent sweepers record each step once).
#include "platform/work/work_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "app/testing/service_fixture.h"
#include "platform/work/work_item_detail.h"

namespace th::work {
namespace {

using service::ChildInput;
using service::MemberInput;
using service::NewChild;
using service::Principal;

constexpr std::int64_t kDay = 86400000;

class WorkServiceTest : public service::testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    Status s = InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config");
    ASSERT_TRUE(s.ok()) << s.ToString();
    work_ = FindWork(services_->deps());
    ASSERT_NE(work_, nullptr);
    grid_ = Insert(community_.id, "440307001001-G01", "第一网格", "grid");
  }

  NewChild Child(const std::string& id17) {
    NewChild n;
    ChildInput& c = n.child;
    c.present = {"name", "sex", "birth_date", "id_number", "community_id", "grid_id", "hukou_nature",
                 "hukou_region_code", "flow_status"};
    c.name = "张伟";
    c.sex = "male";
    c.birth_date = "2015-03-02";
    c.id_number = service::testing::MakeId(id17);
    c.community_id = community_.id;
    c.grid_id = grid_.id;
    c.hukou_nature = "agricultural";
    c.hukou_region_code = "440307";
    c.flow_status = "local";
    MemberInput father;
    father.present = {"relation", "name", "state", "state_since", "restriction_months"};
    father.relation = "father";
    father.name = "张建国";
    father.state = "imprisoned";
    father.state_since = "2025-03-01";
    father.restriction_months = 36;
    MemberInput mother;
    mother.present = {"relation", "name", "state", "state_since"};
    mother.relation = "mother";
    mother.name = "李梅";
    mother.state = "missing";
    mother.state_since = "2025-06-01";
    n.family = {father, mother};
    service::GuardianInput g;
    g.name = "张奶奶";
    g.relation = "grandmother";
    g.phone = "13800001111";
    n.guardian = g;
    return n;
  }

  // `n` synthetic roll_review items of the street (subjects 1..n), started now.
  void InsertStreetItems(int n) {
    std::vector<WorkItemRecord> items;
    for (int i = 0; i < n; ++i) {
      WorkItemRecord w;
      w.kind = "roll_review";
      w.subject_type = "test";
      w.subject_id = i + 1;
      w.title = "t";
      w.owner_unit_id = buji_.id;
      w.owner_unit_path = buji_.path;
      w.owner_role = "street_supervisor";
      w.district_unit_id = root_.id;
      w.started_at = clock_.NowMillis();
      Deadlines d = work_->config().DeadlinesFor(w.kind, w.started_at, work_->calendar());
      w.warn_at = d.warn_at;
      w.due_at = d.due_at;
      w.district_at = d.district_at;
      w.created_at = w.started_at;
      items.push_back(w);
    }
    ASSERT_TRUE(WorkRepo(conn()).InsertMany(items).ok());
  }

  // Proposes an entry for a new child; returns the request id.
  std::int64_t Propose(const std::string& id17) {
    auto f = children_->Create(director_, Child(id17));
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    if (!f.ok()) return 0;
    auto p = children_->Propose(director_, f->child.id, "entry", "de_facto_unsupported", "父母均无法履行抚养义务", "");
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->request.id : 0;
  }

  std::int64_t Count(const std::string& sql, const storage::Params& p = {}) {
    auto r = conn().Query(sql, p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int(0) : -1;
  }

  InboxPage Inbox(const Principal& who) {
    auto r = work_->Inbox(who, "", {1, 50});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : InboxPage();
  }

  WorkService* work_ = nullptr;
  repo::OrgUnit grid_;
};

TEST_P(WorkServiceTest, RollRequestItemsFollowTheRequest) {
  const std::int64_t id = Propose("44030720150302001");
  ASSERT_GT(id, 0);
  InboxPage sup = Inbox(sup_);
  ASSERT_EQ(sup.total, 1);
  ASSERT_EQ(sup.items.size(), 1u);
  EXPECT_EQ(sup.items[0].kind, "roll_review");
  EXPECT_EQ(sup.items[0].subject_id, id);
  EXPECT_EQ(sup.items[0].owner_unit_id, buji_.id);
  // 5 working days from the fake clock's date, to the end of that day.
  const auto start = domain::Date::FromEpochMillisShanghai(clock_.NowMillis());
  EXPECT_EQ(sup.items[0].due_at, EndOfDayShanghai(work_->calendar().AddWorkdays(start, 5).date));
  EXPECT_EQ(Inbox(district_).total, 0);
  EXPECT_EQ(Inbox(director_).total, 0);
  ASSERT_TRUE(children_->Decide(sup_, id, "review", "材料齐全", 1).ok());
  EXPECT_EQ(Inbox(sup_).total, 0);
  InboxPage dist = Inbox(district_);
  ASSERT_EQ(dist.total, 1);
  EXPECT_EQ(dist.items[0].kind, "roll_confirm");
  ASSERT_EQ(dist.counts.size(), 1u);
  EXPECT_EQ(dist.counts[0].kind, "roll_confirm");
  ASSERT_TRUE(children_->Decide(district_, id, "confirm", "同意", 2).ok());
  EXPECT_EQ(Inbox(district_).total, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE is_open = 1"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE is_open = 0"), 2);
}

TEST_P(WorkServiceTest, ReturnedRequestClosesItsItemInTheSameTransaction) {
  const std::int64_t id = Propose("44030720150302001");
  // A failing decision (stale version) leaves the item open.
  EXPECT_EQ(children_->Decide(sup_, id, "review", "x", 7).status().error_code(), "stale_version");
  EXPECT_EQ(Inbox(sup_).total, 1);
  ASSERT_TRUE(children_->Decide(sup_, id, "return", "材料不全", 1).ok());
  EXPECT_EQ(Inbox(sup_).total, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item"), 1);
}

TEST_P(WorkServiceTest, OverdueIsScopedAndNeedsOversight) {
  Propose("44030720150302001");
  std::int64_t total = 0;
  EXPECT_EQ(work_->Overdue(director_, std::nullopt, "", {1, 20}, &total).status().code(), Code::kPermissionDenied);
  auto none = work_->Overdue(district_, std::nullopt, "", {1, 20}, &total);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(total, 0);
  clock_.Advance(30 * kDay);
  auto all = work_->Overdue(district_, std::nullopt, "", {1, 20}, &total);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(total, 1);
  auto mine = work_->Overdue(sup_, std::nullopt, "", {1, 20}, &total);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(total, 1);
  Principal other = MakeUser("sup2", "street_supervisor", bantian_.id);
  auto theirs = work_->Overdue(other, std::nullopt, "", {1, 20}, &total);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(total, 0);
  EXPECT_EQ(work_->Overdue(other, buji_.id, "", {1, 20}, &total).status().code(), Code::kNotFound);
  EXPECT_EQ(work_->Overdue(district_, std::nullopt, "nope", {1, 20}, &total).status().error_code(), "invalid_enum");
}

TEST_P(WorkServiceTest, ExtensionWorkflow) {
  Propose("44030720150302001");
  auto item = Inbox(sup_).items.at(0);
  const std::int64_t id = item.id;
  EXPECT_EQ(work_->Apply(sup_, id, "approve_extension", "", 1, domain::Date::Of(2027, 1, 1)).status().error_code(),
            "invalid_state");
  EXPECT_EQ(work_->Apply(sup_, id, "request_extension", "", 1).status().error_code(), "required");
  EXPECT_EQ(work_->Apply(sup_, id, "request_extension", "入户未遇", 9).status().error_code(), "stale_version");
  EXPECT_EQ(work_->Apply(director2_, id, "request_extension", "入户未遇", 1).status().code(), Code::kNotFound);
  EXPECT_EQ(work_->Apply(sup_, id, "fly", "x", 1).status().error_code(), "invalid_enum");
  auto req = work_->Apply(sup_, id, "request_extension", "家长外出务工，需延期入户", 1);
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->state, "extension_requested");
  // The owner cannot approve their own request (no work.oversee for... the supervisor has it, so
  // use the district); an earlier date is refused.
  EXPECT_EQ(work_->Apply(director_, id, "approve_extension", "", 2, domain::Date::Of(2027, 1, 1)).status().code(),
            Code::kNotFound);
  EXPECT_EQ(work_->Apply(district_, id, "approve_extension", "", 2, domain::Date::Of(2020, 1, 1)).status().error_code(),
            "due_date_not_later");
  auto ok = work_->Apply(district_, id, "approve_extension", "同意延期", 2, domain::Date::Of(2026, 12, 31));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->state, "open");
  EXPECT_EQ(ok->due_at, EndOfDayShanghai(domain::Date::Of(2026, 12, 31)));
  EXPECT_EQ(ok->round, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_step WHERE action IN ('request_extension', 'approve_extension')"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'work.%'"), 2);
}

// The routes' view of an item: who may read it (owner, act permission, work.oversee; 404 outside the
// subtree, 403 inside it otherwise), the steps on offer, the wanted date of a request, no decision on
// one's own item, and the history.
TEST_P(WorkServiceTest, ItemDetailAndActions) {
  Propose("44030720150302003");
  const WorkItemRecord item = Inbox(sup_).items.at(0);
  const std::int64_t id = item.id;
  auto d = ItemDetail(*work_, sup_, id);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->actions, std::vector<std::string>{"request_extension"});
  EXPECT_TRUE(d->steps.empty());
  EXPECT_EQ(ItemDetail(*work_, director2_, id).status().code(), Code::kNotFound);
  EXPECT_EQ(ItemDetail(*work_, director_, id).status().code(), Code::kNotFound);  // the street's item: above the community
  const Principal leader = MakeUser("leader1", "leader", root_.id);
  EXPECT_EQ(ItemDetail(*work_, leader, id).status().code(), Code::kPermissionDenied);
  ASSERT_TRUE(ItemDetail(*work_, district_, id).ok());
  EXPECT_TRUE(ItemDetail(*work_, district_, id)->actions.empty());  // nothing to decide yet

  const domain::Date due = domain::Date::FromEpochMillisShanghai(item.due_at);
  EXPECT_EQ(ItemAction(*work_, district_, id, "request_extension", "不是我的", 1, std::nullopt).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ(ItemAction(*work_, district_, id, "fly", "", 1, std::nullopt).status().error_code(), "invalid_enum");
  EXPECT_EQ(ItemAction(*work_, sup_, id, "request_extension", "入户未遇", 1, due).status().error_code(),
            "due_date_not_later");
  auto req = ItemAction(*work_, sup_, id, "request_extension", "入户未遇", 1, due.AddDays(9));
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->item.state, "extension_requested");
  ASSERT_EQ(req->steps.size(), 1u);
  EXPECT_EQ(req->steps[0].due_at, EndOfDayShanghai(due.AddDays(9)));
  EXPECT_EQ(req->steps[0].by_user_id, sup_.user_id);
  EXPECT_TRUE(req->actions.empty());  // the owner holds work.oversee but decides no request of its own
  EXPECT_EQ(ItemAction(*work_, sup_, id, "approve_extension", "", 2, due.AddDays(9)).status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ((ItemDetail(*work_, district_, id)->actions), (std::vector<std::string>{"approve_extension", "reject_extension"}));
  auto ok = ItemAction(*work_, district_, id, "approve_extension", "同意", 2, due.AddDays(9));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->item.due_at, EndOfDayShanghai(due.AddDays(9)));
  EXPECT_EQ(ok->steps.size(), 2u);
  EXPECT_EQ(ok->actions, std::vector<std::string>{});

  // Escalations appear in the history once the sweep records them.
  clock_.Advance(40 * kDay);
  ASSERT_TRUE(work_->Sweep().ok());
  auto late = ItemDetail(*work_, sup_, id);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(late->escalations.empty());
  for (const auto& e : late->escalations) EXPECT_EQ(e.round, 2);
}

// Ages items with the fake clock: every open item always has an owner and a deadline, each
// escalation step is recorded once, and the sweep is idempotent.
TEST_P(WorkServiceTest, FakeClockEscalationLadder) {
  for (int i = 0; i < 3; ++i) Propose("4403072015030200" + std::to_string(2 * i + 1));
  auto sweep = [&] {
    auto st = work_->Sweep(2);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    return st.ok() ? st->escalations : -1;
  };
  auto invariant = [&] {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE is_open = 1 AND (owner_unit_id IS NULL OR owner_role = '' "
                    "OR due_at IS NULL OR due_at <= started_at)"),
              0);
    // The escalation clock (work_item_clock, migration 0019): one per item; an open item's is due at
    // its next threshold of the ladder, a closed item's never.
    EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item w LEFT JOIN work_item_clock k ON k.item_id = w.id "
                    "WHERE k.item_id IS NULL OR (w.is_open = 0 AND k.next_at <> " + std::to_string(kNever) +
                    ") OR (w.is_open = 1 AND k.next_at <> CASE k.escalation_level WHEN 0 THEN w.warn_at WHEN 1 "
                    "THEN w.due_at WHEN 2 THEN w.district_at ELSE " + std::to_string(kNever) + " END)"),
              0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item_clock"), Count("SELECT COUNT(*) FROM work_item"));
  };
  EXPECT_EQ(sweep(), 0);
  invariant();
  std::int64_t last_levels = 0;
  for (int day = 0; day < 60; ++day) {
    clock_.Advance(kDay / 2);
    sweep();
    invariant();
    const std::int64_t levels = Count("SELECT COALESCE(SUM(k.escalation_level), 0) FROM work_item w "
                                            "JOIN work_item_clock k ON k.item_id = w.id WHERE w.is_open = 1");
    EXPECT_GE(levels, last_levels);  // never goes back
    last_levels = levels;
  }
  // 30 days on (the National Day week lies between): every item has passed warn, overdue and district.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item_clock WHERE escalation_level = 3"), 3);
  // Per item: warn (street), overdue (street), supervise (the district above the street), district.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation"), 12);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation WHERE step = 'supervise' AND target_unit_id = " +
                  std::to_string(root_.id)),
            3);
  EXPECT_EQ(sweep(), 0);  // idempotent
  // An approved extension starts a new round: the ladder runs again for that deadline only.
  auto item = Inbox(sup_).items.at(0);
  ASSERT_TRUE(work_->Apply(sup_, item.id, "request_extension", "需补充材料", item.version).ok());
  const auto later = domain::Date::FromEpochMillisShanghai(clock_.NowMillis() + 10 * kDay);
  ASSERT_TRUE(work_->Apply(district_, item.id, "approve_extension", "同意", item.version + 1, later).ok());
  EXPECT_EQ(Count("SELECT escalation_level FROM work_item_clock WHERE item_id = " + std::to_string(item.id)), 0);
  invariant();
  // 40 days on in one step: overdue when swept, so no warning of the past deadline (moot), only
  // overdue, supervise and district.
  clock_.Advance(40 * kDay);
  EXPECT_EQ(sweep(), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation"), 15);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation WHERE round = 2 AND step = 'warn'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item_clock WHERE escalation_level = 3"), 3);
  invariant();
}

// The sweep records an item's steps on its clock row (migration 0029): it writes no step rows, yet
// work_escalation shows one row per step and target unit. When the item passes to another unit, its
// steps keep the targets they had (copied to work_escalation_log), and its history shows them.
TEST_P(WorkServiceTest, StepsOnTheClockKeepTheirTargetsWhenTheItemMoves) {
  Propose("44030720150302001");
  clock_.Advance(60 * kDay);
  auto st = work_->Sweep();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->escalations, 3);  // overdue (street), supervise (the district above), district
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation_log"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation"), 3);
  const std::string buji = std::to_string(buji_.id);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation WHERE step = 'overdue' AND target_unit_id = " + buji), 1);
  auto rows = conn().Query("SELECT id, subject_type, subject_id FROM work_item WHERE is_open = 1");
  ASSERT_TRUE(rows.ok() && rows->size() == 1);
  const std::int64_t id = (*rows)[0].Int(0);
  ASSERT_TRUE(work_->Reassign(conn(), (*rows)[0].Text(1), (*rows)[0].Int(2), "", bantian_.id).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation_log"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation WHERE step = 'overdue' AND target_unit_id = " + buji), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation WHERE target_unit_id = " + std::to_string(bantian_.id)), 0);
  auto d = ItemDetail(*work_, district_, id);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_EQ(d->escalations.size(), 3u);
  EXPECT_EQ(d->escalations[0].step, "overdue");
  EXPECT_EQ(d->escalations[0].target_unit_id, buji_.id);
  auto again = work_->Sweep();  // nothing due: nothing written
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->escalations, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation"), 3);
}

// Counts what a sweep tells its listener, per step.
class CountingListener final : public EscalationListener {
 public:
  std::int64_t RowsUpTo() const override { return 10; }
  Status OnEscalations(storage::Connection&, const EscalationBatch& batch) override {
    for (const auto& g : batch.groups) {
      told[g.step] += g.count;
      rows += static_cast<std::int64_t>(g.rows.size());
    }
    return Status::Ok();
  }
  std::map<std::string, std::int64_t> told;
  std::int64_t rows = 0;
};

// Steps already recorded for the round (deadlines recomputed without a new round set the level
// back to 0) are neither recorded nor told again; the level comes back. The listener is told exactly
// the steps a batch added, by recipient, with their rows when few.
TEST_P(WorkServiceTest, AStepAlreadyRecordedIsNeitherRecordedNorToldAgain) {
  auto told = std::make_shared<CountingListener>();
  work_->SetEscalationListener(told);
  for (int i = 0; i < 2; ++i) Propose("4403072015030200" + std::to_string(2 * i + 1));
  clock_.Advance(60 * kDay);
  auto first = work_->Sweep();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->escalations, 6);  // overdue, supervise, district per item (no moot warning)
  EXPECT_EQ(told->told["overdue"], 2);
  EXPECT_EQ(told->told["supervise"], 2);
  EXPECT_EQ(told->told["district"], 2);
  EXPECT_EQ(told->rows, 6);
  ASSERT_TRUE(conn().Execute("UPDATE work_item_clock SET escalation_level = 0, next_at = (SELECT warn_at FROM "
                             "work_item w WHERE w.id = item_id) WHERE item_id IN (SELECT id FROM work_item WHERE is_open = 1)").ok());
  told->told.clear();
  told->rows = 0;
  clock_.Advance(1000);
  auto again = work_->Sweep();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->claimed, 2);
  EXPECT_EQ(again->escalations, 0);
  EXPECT_TRUE(told->told.empty());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation"), 6);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item w JOIN work_item_clock k ON k.item_id = w.id "
                  "WHERE w.is_open = 1 AND k.escalation_level = 3"), 2);
  work_->SetEscalationListener(nullptr);
}

// Two sweepers (two pools, as two servers) on one database at the same time: no step twice.
TEST_P(WorkServiceTest, TwoSweepersNeverDuplicateASteps) {
  {
    auto h = db()->Acquire();
    ASSERT_TRUE(h.ok());
  }
  // 600 synthetic items in the street, all overdue by the time the sweepers run.
  InsertStreetItems(600);
  clock_.Advance(60 * kDay);
  storage::DatabaseOptions o;
  o.pool_size = 2;
  auto other = OpenAnother(o);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  service::Services services2(service::Deps{**other, clock_, keys_, services_->deps().options}, service::testing::Roles());
  ASSERT_TRUE(InstallWork(services2.deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
  WorkService* second = FindWork(services2.deps());
  std::int64_t a = 0, b = 0;
  std::thread t1([&] {
    auto st = work_->Sweep(50);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    if (st.ok()) a = st->escalations;
  });
  std::thread t2([&] {
    auto st = second->Sweep(50);
    EXPECT_TRUE(st.ok()) << st.status().ToString();
    if (st.ok()) b = st->escalations;
  });
  t1.join();
  t2.join();
  // Overdue when swept: overdue, supervise and district per item; no warning of a past deadline.
  EXPECT_EQ(a + b, 600 * 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation"), 600 * 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation WHERE step = 'warn'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item_clock WHERE escalation_level = 3"), 600);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT item_id, round, level, target_unit_id FROM work_escalation "
                  "GROUP BY item_id, round, level, target_unit_id HAVING COUNT(*) > 1) d"),
            0);
  services2.deps().work.reset();
}

// A clock row another transaction holds when the sweep reaches it (PostgreSQL: a row lock; SQLite:
// the write lock) is raised by that sweep once the other transaction ends: the sweep's UPDATE waits
// for it rather than skipping the row until the next sweep (it claimed rows FOR UPDATE SKIP LOCKED
// before), and records each step once.
TEST_P(WorkServiceTest, ARowHeldByAnotherTransactionIsRaisedWhenItIsReleased) {
  InsertStreetItems(20);
  clock_.Advance(60 * kDay);
  const std::int64_t held = Count("SELECT MIN(item_id) FROM work_item_clock WHERE next_at <= $1", {clock_.NowMillis()}) + 5;
  storage::DatabaseOptions o;
  o.pool_size = 1;
  auto other = OpenAnother(o);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto h = (*other)->Acquire();
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE((**h).Begin().ok());
  auto locked = (**h).Execute("UPDATE work_item_clock SET escalation_level = escalation_level WHERE item_id = $1", {held});
  ASSERT_TRUE(locked.ok() && *locked == 1);
  Result<SweepStats> st = Status::Ok();
  std::thread sweep([&] { st = work_->Sweep(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ASSERT_TRUE((**h).Rollback().ok());
  sweep.join();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->claimed, 20);
  EXPECT_EQ(st->escalations, 20 * 3);
  EXPECT_EQ(Count("SELECT escalation_level FROM work_item_clock WHERE item_id = $1", {held}), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation WHERE item_id = $1", {held}), 3);
}

// A verification task (rows inserted directly: one source, batch, record and finding) in the
// community; returns its id.
std::int64_t InsertTask(storage::Connection& c, const repo::OrgUnit& unit, std::int64_t user, std::int64_t now) {
  auto one = [&](const std::string& sql, const storage::Params& p) {
    auto r = c.Query(sql + " RETURNING id", p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int(0) : 0;
  };
  std::int64_t src = one("INSERT INTO data_source (org_unit_id, unit_path, name, created_at) VALUES ($1, $2, 'src', $3)",
                         {unit.id, unit.path, now});
  std::int64_t batch = one("INSERT INTO screening_batch (source_id, org_unit_id, unit_path, uploaded_by, status, created_at) "
                           "VALUES ($1, $2, $3, $4, 'done', $5)",
                           {src, unit.id, unit.path, user, now});
  std::int64_t rec = one("INSERT INTO batch_record (batch_id, line) VALUES ($1, 2)", {batch});
  std::int64_t finding = one("INSERT INTO finding (batch_id, rule_id, reason, record_id, unit_path, created_at) "
                             "VALUES ($1, 'r', 'reason', $2, $3, $4)",
                             {batch, rec, unit.path, now});
  return one("INSERT INTO verification_task (finding_id, community_id, unit_path, due_date, created_at) "
             "VALUES ($1, $2, $3, 20261231, $4)",
             {finding, unit.id, unit.path, now});
}

// The generic API (work_hooks.h) any module uses: Sync opens the item a subject needs once, and
// closes it when the subject needs nothing.
TEST_P(WorkServiceTest, SyncOpensTheItemOnceAndClosesIt) {
  const std::int64_t task = InsertTask(conn(), community_, director_.user_id, clock_.NowMillis());
  WorkOpen w;
  w.kind = "screening_verify";
  w.title = "核查排查线索";
  w.label = "核查任务 #" + std::to_string(task);
  w.link = "/screening/tasks/" + std::to_string(task);
  w.owner_unit_id = community_.id;
  w.owner_role = "child_director";
  auto first = work_->Sync(conn(), "verification_task", task, w);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto again = work_->Sync(conn(), "verification_task", task, w);  // idempotent: one item
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*first, *again);
  InboxPage d = Inbox(director_);
  ASSERT_EQ(d.total, 1);
  EXPECT_EQ(d.items[0].kind, "screening_verify");
  EXPECT_EQ(d.items[0].link, "/screening/tasks/" + std::to_string(task));
  EXPECT_EQ(d.items[0].owner_unit_path, community_.path);   // the engine fills the path ...
  EXPECT_EQ(d.items[0].district_unit_id, root_.id);         // ... and the district
  EXPECT_EQ(Inbox(director2_).total, 0);
  // A second Open of the same kind for the subject is refused; Sync with nothing closes it.
  EXPECT_EQ(work_->Open(conn(), [&] { WorkOpen o = w; o.subject_type = "verification_task"; o.subject_id = task; return o; }())
                .status().code(),
            Code::kConflict);
  auto none = work_->Sync(conn(), "verification_task", task, std::nullopt);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(*none, 0);
  EXPECT_EQ(Inbox(director_).total, 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_step WHERE action = 'close'"), 1);
  // The closed item's escalation clock stays (its last level) and is never due.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item_clock WHERE item_id = " + std::to_string(*first) +
                  " AND next_at = " + std::to_string(kNever)),
            1);
}

// An item owned by the street's station and assigned by name to a community's 儿童主任 (a case's work whose
// worker is the director) is in the director's inbox: listed as well as counted, and readable by id. Before,
// the count had it and the list dropped it as out of scope (19 counted, 18 listed).
TEST_P(WorkServiceTest, AnItemAssignedByNameIsListedWhereverItsOwnerUnitSits) {
  const std::int64_t task = InsertTask(conn(), community_, director_.user_id, clock_.NowMillis());
  WorkOpen w;
  w.kind = "screening_verify";
  w.subject_type = "verification_task";
  w.subject_id = task;
  w.title = "核查排查线索";
  w.label = "核查任务 #" + std::to_string(task);
  w.link = "/screening/tasks/" + std::to_string(task);
  w.owner_unit_id = buji_.id;  // the street, above the director's community
  w.owner_role = "social_worker";
  w.owner_user_id = director_.user_id;
  auto id = work_->Open(conn(), w);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  InboxPage d = Inbox(director_);
  ASSERT_EQ(d.total, 1);
  ASSERT_EQ(d.items.size(), 1u);
  EXPECT_EQ(d.items[0].id, *id);
  EXPECT_TRUE(work_->Get(director_, *id).ok());
  // Another director of the same street neither sees it nor reads it.
  EXPECT_EQ(Inbox(director2_).total, 0);
  EXPECT_EQ(work_->Get(director2_, *id).status().code(), Code::kNotFound);
}

TEST_P(WorkServiceTest, UnknownKindOrVariantOrUnitIsRefused) {
  WorkOpen w;
  w.kind = "no_such_kind";
  w.subject_type = "thing";
  w.subject_id = 1;
  w.title = "t";
  w.owner_unit_id = community_.id;
  w.owner_role = "child_director";
  EXPECT_EQ(work_->Open(conn(), w).status().error_code(), "invalid_enum");
  w.kind = "roll_review";
  w.variant = "no_such_variant";
  EXPECT_EQ(work_->Open(conn(), w).status().error_code(), "invalid_enum");
  w.variant = "";
  w.owner_unit_id = 987654;
  EXPECT_EQ(work_->Open(conn(), w).status().code(), Code::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item"), 0);
}

// A clock variant replaces the kind's durations for that item only.
TEST_P(WorkServiceTest, ClockVariantSetsTheDeadline) {
  WorkConfig cfg;
  ASSERT_TRUE(cfg.AddFile(R"({"kinds":[{"kind":"k","name":"K","act_permission":"p",
      "clock":{"unit":"workdays","amount":5},"warn_before":{"unit":"hours","amount":24},
      "district_after":{"unit":"workdays","amount":5},
      "variants":{"urgent":{"clock":{"unit":"hours","amount":2},"warn_before":{"unit":"hours","amount":1}}}}]})")
                  .ok());
  const std::int64_t start = clock_.NowMillis();
  Deadlines urgent = cfg.DeadlinesFor("k", start, work_->calendar(), "urgent");
  EXPECT_EQ(urgent.due_at, start + 2 * 3600000);
  EXPECT_EQ(urgent.warn_at, start + 3600000);
  Deadlines plain = cfg.DeadlinesFor("k", start, work_->calendar());
  EXPECT_EQ(plain.due_at, EndOfDayShanghai(work_->calendar()
                                               .AddWorkdays(domain::Date::FromEpochMillisShanghai(start), 5)
                                               .date));
  EXPECT_FALSE(cfg.AddFile(R"({"kinds":[{"kind":"k2","name":"K","act_permission":"p",
      "clock":{"unit":"workdays","amount":5},"district_after":{"unit":"workdays","amount":5},
      "variants":{"urgent":{"clok":{"unit":"hours","amount":2}}}}]})")
                   .ok());  // unknown key
}

// An item owned by an agency reaches that agency's users only, not the unit's other users of the role.
TEST_P(WorkServiceTest, AgencyOwnedItemsReachOnlyTheAgency) {
  auto agency = [&](const std::string& name) {
    auto r = conn().Query("INSERT INTO agency (org_unit_id, kind, dept_type, name, created_at, updated_at) "
                          "VALUES ($1, 'department', 'education', $2, 1, 1) RETURNING id",
                          {root_.id, name});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int(0) : 0;
  };
  const std::int64_t edu = agency("区教育局"), police = agency("公安分局");
  WorkOpen w;
  w.kind = "roll_review";
  w.subject_type = "dispatch_order";
  w.subject_id = 7;
  w.title = "签收派单";
  w.owner_unit_id = root_.id;
  w.owner_role = "dept_liaison";
  w.owner_agency_id = edu;
  ASSERT_TRUE(work_->Open(conn(), w).ok());
  Principal liaison = district_, other = district_, plain = district_;
  liaison.role = other.role = plain.role = "dept_liaison";
  liaison.user_id = 9001;
  other.user_id = 9002;
  plain.user_id = 9003;
  liaison.agency_id = edu;
  other.agency_id = police;
  EXPECT_EQ(Inbox(liaison).total, 1);
  EXPECT_EQ(Inbox(other).total, 0);
  EXPECT_EQ(Inbox(plain).total, 0);  // no agency: not the department's
  auto item = work_->Get(liaison, Inbox(liaison).items.at(0).id);
  ASSERT_TRUE(item.ok());
  EXPECT_TRUE(work_->IsOwner(liaison, *item));
  EXPECT_FALSE(work_->IsOwner(other, *item));
  EXPECT_FALSE(work_->IsOwner(plain, *item));
}

// Migration 0013's data part: the open roll requests and verification tasks become items, with
// placeholder deadlines that the engine recomputes with the calendar when it is installed.
TEST_P(WorkServiceTest, MigrationCreatesItemsForOpenWork) {
  const std::int64_t review = Propose("44030720150302001");
  const std::int64_t confirm = Propose("44030720150302003");
  const std::int64_t done = Propose("44030720150302005");
  ASSERT_TRUE(children_->Decide(sup_, confirm, "review", "", 1).ok());
  ASSERT_TRUE(children_->Decide(sup_, done, "return", "材料不全", 1).ok());
  const std::int64_t task = InsertTask(conn(), community_, director_.user_id, clock_.NowMillis());
  ASSERT_TRUE(conn().Execute("DELETE FROM work_step").ok());
  ASSERT_TRUE(conn().Execute("DELETE FROM work_item").ok());
  const std::string sql = service::testing::ReadFile(std::string(TH_SOURCE_DIR) + "/src/storage/migrations/0013_work_items.sql");
  const auto at = sql.find("-- Data:");
  ASSERT_NE(at, std::string::npos);
  // Replayed on the schema of its time (0019 moved next_at and escalation_level to work_item_clock),
  // then 0019's move of the clocks.
  ASSERT_TRUE(conn().Execute("DELETE FROM work_item_clock").ok());
  ASSERT_TRUE(conn().Execute("ALTER TABLE work_item ADD COLUMN escalation_level INTEGER NOT NULL DEFAULT 0").ok());
  ASSERT_TRUE(conn().Execute("ALTER TABLE work_item ADD COLUMN next_at BIGINT NOT NULL DEFAULT 0").ok());
  ASSERT_TRUE(conn().ExecuteScript(sql.substr(at)).ok());
  const std::string m19 = service::testing::ReadFile(std::string(TH_SOURCE_DIR) + "/src/storage/migrations/0019_work_item_clock.sql");
  const auto from = m19.find("INSERT INTO work_item_clock");
  ASSERT_NE(from, std::string::npos);
  ASSERT_TRUE(conn().ExecuteScript(m19.substr(from, m19.find(';', from) + 1 - from)).ok());
  ASSERT_TRUE(conn().Execute("ALTER TABLE work_item DROP COLUMN next_at").ok());
  ASSERT_TRUE(conn().Execute("ALTER TABLE work_item DROP COLUMN escalation_level").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item_clock"), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE due_flags = 2"), 3);
  ASSERT_TRUE(InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
  work_ = FindWork(services_->deps());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE due_flags >= 2"), 0);
  InboxPage s = Inbox(sup_);
  ASSERT_EQ(s.total, 1);
  EXPECT_EQ(s.items[0].subject_id, review);
  const auto start = domain::Date::FromEpochMillisShanghai(clock_.NowMillis());
  EXPECT_EQ(s.items[0].due_at, EndOfDayShanghai(work_->calendar().AddWorkdays(start, 5).date));
  InboxPage d = Inbox(district_);
  ASSERT_EQ(d.total, 1);
  EXPECT_EQ(d.items[0].subject_id, confirm);
  InboxPage v = Inbox(director_);
  ASSERT_EQ(v.total, 1);
  EXPECT_EQ(v.items[0].subject_id, task);
  EXPECT_EQ(v.items[0].due_at, EndOfDayShanghai(work_->calendar().AddWorkdays(start, 10).date));
  // The migrated items keep following their subjects.
  ASSERT_TRUE(children_->Decide(sup_, review, "review", "", 1).ok());
  EXPECT_EQ(Inbox(sup_).total, 0);
  EXPECT_EQ(Inbox(district_).total, 2);
}

TH_INSTANTIATE_ENGINE_TEST(WorkServiceTest);

}  // namespace
}  // namespace th::work
