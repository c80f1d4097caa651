#pragma once
// The guardianship service's test fixture (guardianship_service_test.cc, guardianship_review_test.cc): the
// registry fixture with the work engine, the cases service and the guardianship service, users of both streets,
// and helpers that bring an intervention to a status and act on it.
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

class GuardianshipServiceTest : public testing::RegistryFixture {
 protected:
  static constexpr std::int64_t kDay = 24LL * 3600 * 1000;

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

// After a move to 坂田: v's row, items and reads are the 坂田 street's.
inline void GuardianshipServiceTest::ExpectMovedToBantian(const GuardianshipView& v, const std::string& new_path) {
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

}  // namespace th::service
