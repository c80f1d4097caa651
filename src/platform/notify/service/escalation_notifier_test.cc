// Escalation steps of the work engine notify the owner and, on 督办, the unit above and the
// district, once per step, tied to the work item; a flood becomes one summary per unit.
#include "platform/notify/service/escalation_notifier.h"

#include <gtest/gtest.h>

#include "platform/work/work_service.h"
#include "app/testing/service_fixture.h"

namespace th::notify {
namespace {

using service::Principal;

constexpr std::int64_t kDay = 86400000;

class EscalationNotifierTest : public service::testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    const std::string config = std::string(TH_SOURCE_DIR) + "/config";
    ASSERT_TRUE(work::InstallWork(services_->deps(), config).ok());
    ASSERT_TRUE(InstallEscalationNotifier(services_->deps(), services_->roles(), config).ok());
    work_ = work::FindWork(services_->deps());
    svc_ = std::make_unique<NotificationService>(services_->deps());
  }
  std::int64_t Propose(int seq) {
    char id17[32];
    std::snprintf(id17, sizeof id17, "440307201503%02d001", seq + 1);  // born 2015-03-(seq+1); odd: a boy
    const std::string id = id17;
    service::NewChild n;
    service::ChildInput& c = n.child;
    c.present = {"name", "sex", "birth_date", "id_number", "community_id", "hukou_nature", "flow_status"};
    c.name = "张伟" + std::to_string(seq);
    c.sex = "male";
    c.birth_date = "2015-03-" + id.substr(12, 2);
    c.id_number = service::testing::MakeId(id);
    c.community_id = community_.id;
    c.hukou_nature = "agricultural";
    c.flow_status = "local";
    service::MemberInput father;
    father.present = {"relation", "name", "state", "state_since", "restriction_months"};
    father.relation = "father";
    father.name = "张建国";
    father.state = "imprisoned";
    father.state_since = "2025-03-01";
    father.restriction_months = 36;
    n.family = {father};
    auto f = children_->Create(director_, n);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    if (!f.ok()) return 0;
    auto p = children_->Propose(director_, f->child.id, "entry", "de_facto_unsupported", "父亲服刑，无人抚养", "");
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? p->request.id : 0;
  }
  std::vector<NotificationRecord> Of(const Principal& who) {
    auto r = svc_->List(who, false, {1, 200});
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->items : std::vector<NotificationRecord>{};
  }
  static const NotificationRecord* Titled(const std::vector<NotificationRecord>& v, const std::string& prefix) {
    for (const auto& n : v) {
      if (n.title.rfind(prefix, 0) == 0) return &n;
    }
    return nullptr;
  }
  work::WorkService* work_ = nullptr;
  std::unique_ptr<NotificationService> svc_;
};

TEST_P(EscalationNotifierTest, EachStepNotifiesItsPeopleOnce) {
  ASSERT_GT(Propose(0), 0);
  auto item = conn().Query("SELECT id, link FROM work_item WHERE is_open = 1");
  ASSERT_TRUE(item.ok());
  ASSERT_EQ(item->size(), 1u);
  const std::int64_t item_id = item->rows[0].Int(0);
  ASSERT_TRUE(work_->Sweep().ok());
  EXPECT_TRUE(Of(sup_).empty());  // nothing due yet
  clock_.Advance(60 * kDay);       // past the warning, the deadline and the district's
  auto st = work_->Sweep();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  const auto sup = Of(sup_);  // the owner: 布吉街道's supervisor (roll review)
  // Already overdue when swept: no warning of a deadline already past, the overdue notice only.
  EXPECT_EQ(Titled(sup, "即将到期："), nullptr);
  const NotificationRecord* overdue = Titled(sup, "已超期：");
  ASSERT_NE(overdue, nullptr);
  EXPECT_EQ(sup.size(), 1u);
  EXPECT_EQ(overdue->work_item_id, std::optional<std::int64_t>(item_id));
  EXPECT_EQ(overdue->link, item->rows[0].Text(1));
  const auto dist = Of(district_);  // the unit above (督办) and the district step: 龙岗区
  ASSERT_NE(Titled(dist, "督办：布吉街道「"), nullptr);
  ASSERT_NE(Titled(dist, "严重超期："), nullptr);
  EXPECT_TRUE(Of(director_).empty());
  EXPECT_TRUE(Of(director2_).empty());
  // Swept again (and the same steps offered again, as a second server would): nobody twice.
  const std::size_t before = sup.size() + dist.size();
  ASSERT_TRUE(work_->Sweep().ok());
  EscalationNotifier again(services_->deps(), {}, OverseeRoles(services_->roles()));
  auto steps = conn().Query("SELECT item_id, round, level, step, target_unit_id, at FROM work_escalation");
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 3u);  // overdue, supervise, district
  work::EscalationBatch batch;
  for (const auto& r : steps->rows) {
    work::EscalationGroup g{r.Int(4), r.Text(3), r.Text(3) == "overdue" ? "street_supervisor" : "", 0, 1, 0, {}};
    g.rows.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Int(4), r.Int(5)});
    batch.at = r.Int(5);
    batch.groups.push_back(g);
  }
  ASSERT_TRUE(service::InTransaction(*db(), [&](storage::Connection& c) { return again.OnEscalations(c, batch); }).ok());
  EXPECT_EQ(Of(sup_).size() + Of(district_).size(), before);
}

TEST_P(EscalationNotifierTest, AFloodBecomesOneSummaryPerUnitAndStep) {
  for (int i = 0; i < 12; ++i) ASSERT_GT(Propose(i), 0);
  clock_.Advance(60 * kDay);
  ASSERT_TRUE(work_->Sweep().ok());
  const auto sup = Of(sup_);
  ASSERT_NE(Titled(sup, "12 项待办已超期"), nullptr);
  EXPECT_EQ(sup.size(), 1u);  // already overdue: no warnings
  EXPECT_FALSE(Titled(sup, "12 项待办已超期")->work_item_id.has_value());
  const auto dist = Of(district_);
  EXPECT_NE(Titled(dist, "督办：下级单位 12 项待办已超期"), nullptr);
  EXPECT_NE(Titled(dist, "严重超期：12 项待办"), nullptr);
  EXPECT_EQ(dist.size(), 2u);
  // Swept again at the same time: nothing new, no second summary.
  ASSERT_TRUE(work_->Sweep().ok());
  EXPECT_EQ(Of(sup_).size(), 1u);
}

// A sweep in several batches: one summary per unit and step for the whole sweep, its count revised
// as the batches go (11, 22, then 25), never one notice per item.
TEST_P(EscalationNotifierTest, ASummaryCountsTheWholeSweep) {
  for (int i = 0; i < 25; ++i) ASSERT_GT(Propose(i), 0);
  clock_.Advance(60 * kDay);
  auto st = work_->Sweep(11);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->batches, 3);
  EXPECT_EQ(st->escalations, 25 * 3);
  const auto sup = Of(sup_);
  ASSERT_EQ(sup.size(), 1u);
  EXPECT_EQ(sup[0].title, "25 项待办已超期");
  const auto dist = Of(district_);
  ASSERT_EQ(dist.size(), 2u);
  EXPECT_NE(Titled(dist, "督办：下级单位 25 项待办已超期"), nullptr);
  EXPECT_NE(Titled(dist, "严重超期：25 项待办"), nullptr);
}

// Items an agency owns (a department's liaisons, issue 11) notify that agency's users of the owner
// role only, never the other users of the unit with that role: one by one for a few, as a summary
// for many.
TEST_P(EscalationNotifierTest, AgencyOwnedItemsNotifyTheAgencysUsersOnly) {
  auto agency = [&](const std::string& name) {
    auto r = conn().Query("INSERT INTO agency (org_unit_id, kind, name, created_at, updated_at) "
                          "VALUES ($1, 'department', $2, 0, 0) RETURNING id",
                          {root_.id, name});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int(0) : 0;
  };
  const std::int64_t edu = agency("区教育局"), health = agency("区卫健局");
  const Principal a = MakeUser("liaison_edu", "dept_liaison", root_.id);
  const Principal b = MakeUser("liaison_health", "dept_liaison", root_.id);
  const Principal x = MakeUser("liaison_none", "dept_liaison", root_.id);
  ASSERT_TRUE(conn().Execute("UPDATE app_user SET agency_id = $1 WHERE id = $2", {edu, a.user_id}).ok());
  ASSERT_TRUE(conn().Execute("UPDATE app_user SET agency_id = $1 WHERE id = $2", {health, b.user_id}).ok());
  auto open = [&](std::int64_t subject, std::int64_t owner_agency) {
    work::WorkOpen w;
    w.kind = "roll_review";
    w.subject_type = "test_order";
    w.subject_id = subject;
    w.title = "签收派单";
    w.label = "派单 #" + std::to_string(subject);
    w.link = "/dispatch/" + std::to_string(subject);
    w.owner_unit_id = root_.id;
    w.owner_role = "dept_liaison";
    w.owner_agency_id = owner_agency;
    ASSERT_TRUE(service::InTransaction(*db(), [&](storage::Connection& c) { return work_->Open(c, w).status(); }).ok());
  };
  for (int i = 1; i <= 12; ++i) open(i, edu);
  open(100, health);
  clock_.Advance(60 * kDay);
  ASSERT_TRUE(work_->Sweep().ok());
  const auto mine_a = Of(a), mine_b = Of(b);
  ASSERT_EQ(mine_a.size(), 1u);
  EXPECT_EQ(mine_a[0].title, "12 项待办已超期");
  ASSERT_EQ(mine_b.size(), 1u);
  EXPECT_EQ(mine_b[0].title, "已超期：签收派单");
  EXPECT_EQ(mine_b[0].link, "/dispatch/100");
  EXPECT_TRUE(Of(x).empty());
}

TH_INSTANTIATE_ENGINE_TEST(EscalationNotifierTest);

}  // namespace
}  // namespace th::notify
