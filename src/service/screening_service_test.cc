// Screening (排查) against both engines: a department file with known matches and non-matches,
// findings by rule, verification by the community's 儿童主任 feeding the roll workflow, scoping.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "domain/id_number.h"
#include "service/child_service.h"
#include "service/screening_service.h"
#include "service/testing/service_fixture.h"

namespace th::service {
namespace {

using testing::MakeId;
using testing::ReadFile;

class ScreeningServiceTest : public testing::ServiceFixture {
 protected:
  void SetUp() override {
    SetUpServices();
    if (IsSkipped() || HasFatalFailure()) return;
    auto cfg = domain::ParseCategoryConfig(ReadFile(std::string(TH_SOURCE_DIR) + "/config/categories/guangdong.json"));
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    children_ = std::make_unique<ChildService>(services_->deps(), *cfg);
    auto rules = ParseScreeningRules(ReadFile(std::string(TH_SOURCE_DIR) + "/config/screening/rules.json"));
    ASSERT_TRUE(rules.ok()) << rules.status().ToString();
    screening_ = std::make_unique<ScreeningService>(services_->deps(), *children_, *rules);
    root_ = Insert({}, "440307000000", "龙岗区", "district");
    buji_ = Insert(root_.id, "440307001000", "布吉街道", "street");
    bantian_ = Insert(root_.id, "440307002000", "坂田街道", "street");
    community_ = Insert(buji_.id, "440307001001", "布吉社区", "community");
    community2_ = Insert(bantian_.id, "440307002001", "坂田社区", "community");
    district_ = MakeUser("district", "district", root_.id);
    sup_ = MakeUser("sup", "street_supervisor", buji_.id);
    director_ = MakeUser("director", "child_director", community_.id);
    director2_ = MakeUser("director2", "child_director", community2_.id);
  }

  std::int64_t AddChild(const std::string& name, const std::string& sex, const std::string& birth,
                        const std::string& id, std::int64_t community) {
    NewChild n;
    ChildInput& c = n.child;
    c.present = {"name", "sex", "birth_date", "id_number", "community_id", "hukou_region_code"};
    c.name = name;
    c.sex = sex;
    c.birth_date = birth;
    c.id_number = id;
    c.community_id = community;
    c.hukou_region_code = "440307";
    auto f = children_->Create(district_, n);
    EXPECT_TRUE(f.ok()) << f.status().ToString();
    return f.ok() ? f->child.id : 0;
  }

  std::unique_ptr<ChildService> children_;
  std::unique_ptr<ScreeningService> screening_;
  repo::OrgUnit root_, buji_, bantian_, community_, community2_;
  Principal district_, sup_, director_, director2_;
};

TEST_P(ScreeningServiceTest, UploadMatchesRulesAndVerification) {
  const std::string zhang = MakeId("44030720150302123");
  const std::string li = MakeId("44030720160501124");
  const std::string wang = MakeId("51132120140708135");
  std::int64_t zhang_id = AddChild("张伟", "male", "2015-03-02", zhang, community_.id);
  std::int64_t li_id = AddChild("李娜", "female", "2016-05-01", li, community2_.id);
  ASSERT_GT(zhang_id, 0);
  ASSERT_GT(li_id, 0);

  // Only the district manages screening.
  EXPECT_EQ(screening_->CreateSource(director_, {"残联", "disability", {}}).status().code(), Code::kPermissionDenied);
  auto src = screening_->CreateSource(district_, {"区残联/民政/教育 合并表", "disability", {}});
  ASSERT_TRUE(src.ok()) << src.status().ToString();
  EXPECT_EQ(screening_->CreateSource(district_, {"x", "", {{"nope", "姓名"}}}).status().error_code(),
            "invalid_mapping");

  std::string csv =
      "姓名,性别,出生日期,身份证号,社区,学校,户籍地区划代码,残疾等级,救助类型\n"
      "张伟,男,2015-03-02," + zhang + ",布吉社区,,,一级,\n"              // matched, grade 1, not marked
      "李娜,女,2016/5/1," + li + ",坂田社区,,,,低保\n"                   // matched, dibao, not on roll
      "王小明,男,2014-07-08," + wang + ",布吉社区,布吉小学,511321,,\n"  // unmatched school record from Sichuan
      "赵六,男,2013-01-05,,坂田社区,,,,\n"                              // unmatched, lives here
      "钱七,女,2012-02-03,,,,,,\n";                                     // unmatched, not here: nothing
  BatchUploadOptions o;
  o.source_id = src->id;
  o.file_name = "dept.csv";
  EXPECT_EQ(screening_->Upload(director_, csv, o).status().code(), Code::kPermissionDenied);
  auto b = screening_->Upload(district_, csv, o);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->batch.status, "done");
  EXPECT_EQ(b->batch.records, 5);
  EXPECT_EQ(b->batch.processed, 5);
  EXPECT_EQ(b->batch.matched, 2);
  EXPECT_EQ(b->counts.findings, 4);
  EXPECT_EQ(b->counts.findings_by_rule["disability_not_marked"], 1);
  EXPECT_EQ(b->counts.findings_by_rule["assistance_not_on_roll"], 1);
  EXPECT_EQ(b->counts.findings_by_rule["new_migrant_child"], 1);
  EXPECT_EQ(b->counts.findings_by_rule["new_registration"], 1);
  // Department ID numbers are sealed: no plain number in the table.
  auto raw = conn().Query("SELECT COUNT(*) FROM batch_record WHERE id_masked = $1", {zhang});
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ((*raw)[0].Int(0), 0);

  std::int64_t total = 0;
  auto findings = screening_->ListFindings(district_, b->batch.id, "", "", {1, 20}, &total);
  ASSERT_TRUE(findings.ok()) << findings.status().ToString();
  EXPECT_EQ(total, 4);
  EXPECT_EQ(screening_->ListFindings(director_, b->batch.id, "", "", {1, 20}, &total).status().code(),
            Code::kPermissionDenied);

  // Each community's 儿童主任 sees their own tasks.
  auto mine = screening_->ListTasks(director_, "mine", "", {1, 20}, &total);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  ASSERT_EQ(total, 2);
  auto theirs = screening_->ListTasks(director2_, "mine", "", {1, 20}, &total);
  ASSERT_TRUE(theirs.ok());
  ASSERT_EQ(total, 2);
  const TaskView* disability = nullptr;
  const TaskView* migrant = nullptr;
  for (const auto& t : *mine) {
    if (t.finding.finding.rule_id == "disability_not_marked") disability = &t;
    if (t.finding.finding.rule_id == "new_migrant_child") migrant = &t;
  }
  ASSERT_TRUE(disability && migrant);
  ASSERT_TRUE(disability->finding.child.has_value());
  EXPECT_EQ(disability->finding.child->id, zhang_id);
  EXPECT_NE(disability->finding.finding.reason.find("张伟"), std::string::npos) << disability->finding.finding.reason;
  EXPECT_FALSE(disability->overdue);

  // Out of jurisdiction: another community's task is not found.
  EXPECT_EQ(screening_->RecordOutcome(director_, (*theirs)[0].task.id, "confirmed", "", 1).status().code(),
            Code::kNotFound);
  // Rejecting needs a reason; a stale version is refused.
  EXPECT_EQ(screening_->RecordOutcome(director_, disability->task.id, "rejected", "", 1).status().error_code(),
            "required");
  EXPECT_EQ(screening_->RecordOutcome(director_, disability->task.id, "confirmed", "", 7).status().error_code(),
            "stale_version");

  // Confirmed disability for a registry child → entry request through the roll workflow.
  auto out = screening_->RecordOutcome(director_, disability->task.id, "confirmed", "入户核实，一级肢体残疾", 1);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_TRUE(out->roll_request.has_value());
  EXPECT_EQ(out->roll_request->request.kind, "entry");
  EXPECT_EQ(out->roll_request->request.category, "severe_disability");
  EXPECT_EQ(out->roll_request->request.child_id, zhang_id);
  EXPECT_EQ(out->task.task.outcome, "confirmed");
  EXPECT_EQ(out->task.task.version, 2);
  EXPECT_FALSE(out->suggested_child.has_value());
  auto child = children_->Get(director_, zhang_id);
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(child->child.roll_status, "proposed");
  // Decided twice → invalid_state.
  EXPECT_EQ(screening_->RecordOutcome(director_, disability->task.id, "confirmed", "", 2).status().error_code(),
            "invalid_state");

  // Confirmed new migrant child → nothing created, a suggestion returned.
  auto out2 = screening_->RecordOutcome(director_, migrant->task.id, "confirmed", "", 1);
  ASSERT_TRUE(out2.ok()) << out2.status().ToString();
  EXPECT_FALSE(out2->roll_request.has_value());
  ASSERT_TRUE(out2->suggested_child.has_value());
  EXPECT_EQ(out2->suggested_child->name, "王小明");
  EXPECT_EQ(out2->suggested_child->birth_date, "2014-07-08");
  EXPECT_EQ(out2->suggested_child->flow_status, "inflow");
  EXPECT_EQ(out2->suggested_child->community_id, community_.id);

  // Statistics in the Yizheng form.
  auto after = screening_->GetBatch(district_, b->batch.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->counts.confirmed, 2);
  EXPECT_EQ(after->counts.added, 1);
  EXPECT_EQ(after->counts.open, 2);
  auto batches = screening_->ListBatches(district_, {1, 20}, &total);
  ASSERT_TRUE(batches.ok());
  EXPECT_EQ(total, 1);

  // Overdue after the due date: the street supervisor sees their street's open tasks only.
  clock_.Advance(15LL * 24 * 3600 * 1000);
  auto overdue = screening_->ListTasks(sup_, "overdue", "", {1, 20}, &total);
  ASSERT_TRUE(overdue.ok()) << overdue.status().ToString();
  EXPECT_EQ(total, 0);  // both of 布吉社区's tasks are decided
  auto overdue_all = screening_->ListTasks(district_, "overdue", "", {1, 20}, &total);
  ASSERT_TRUE(overdue_all.ok());
  EXPECT_EQ(total, 2);
  EXPECT_TRUE((*overdue_all)[0].overdue);
}

TEST_P(ScreeningServiceTest, OverAgeChildOnRollBecomesExitRequest) {
  const std::string id = MakeId("44030720080101123");
  std::int64_t cid = AddChild("陈大", "male", "2008-01-01", id, community_.id);
  ASSERT_GT(cid, 0);
  // Put the child on the roll directly (the roll workflow is tested elsewhere).
  ASSERT_TRUE(conn().Execute("UPDATE child SET roll_status = 'on_roll', roll_categories = 'other' WHERE id = $1",
                             {cid}).ok());
  auto src = screening_->CreateSource(district_, {"学籍", "education", {{"name", "学生姓名"}, {"id_number", "身份证件号"}}});
  ASSERT_TRUE(src.ok());
  BatchUploadOptions o;
  o.source_id = src->id;
  auto b = screening_->Upload(district_, "学生姓名,身份证件号\n陈大," + id + "\n", o);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->counts.findings_by_rule["over_age"], 1) << b->counts.findings;
  std::int64_t total = 0;
  auto tasks = screening_->ListTasks(director_, "mine", "", {1, 20}, &total);
  ASSERT_TRUE(tasks.ok());
  ASSERT_EQ(total, 1);
  auto out = screening_->RecordOutcome(director_, (*tasks)[0].task.id, "confirmed", "", 1);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_TRUE(out->roll_request.has_value());
  EXPECT_EQ(out->roll_request->request.kind, "exit");
  auto after = screening_->GetBatch(district_, b->batch.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->counts.exited, 1);
  // A mapping naming a missing column is refused.
  o.mapping = {{"name", "不存在"}};
  EXPECT_EQ(screening_->Upload(district_, "学生姓名\n陈大\n", o).status().error_code(), "invalid_mapping");
}

TEST_P(ScreeningServiceTest, ReviewBandAndParentStateFindings) {
  // A registry of a few children; the department rows carry no ID numbers.
  std::int64_t zhang = AddChild("张伟", "male", "2015-03-02", MakeId("44030720150302123"), community_.id);
  AddChild("李娜", "female", "2016-05-01", MakeId("44030720160501124"), community_.id);
  AddChild("王芳", "female", "2014-11-20", MakeId("44030720141120126"), community2_.id);
  AddChild("陈刚", "male", "2013-08-09", MakeId("44030720130809137"), community2_.id);
  ASSERT_GT(zhang, 0);
  auto src = screening_->CreateSource(district_, {"公安", "police", {}});
  ASSERT_TRUE(src.ok());
  BatchUploadOptions o;
  o.source_id = src->id;
  std::string csv =
      "姓名,出生日期,社区,父亲状态,母亲状态\n"
      "张玮,2015-03-02,布吉社区,,\n"          // homophone, same birth date
      "孙悟,2012-06-06,坂田社区,服刑在押,死亡\n";  // not in the registry, parent detained
  auto b = screening_->Upload(district_, csv, o);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->counts.findings_by_rule["parent_detained_or_dead"], 1);
  std::int64_t total = 0;
  auto f = screening_->ListFindings(district_, b->batch.id, "", "", {1, 20}, &total);
  ASSERT_TRUE(f.ok());
  for (const auto& x : *f) {
    if (x.finding.rule_id == "parent_detained_or_dead") {
      EXPECT_FALSE(x.child.has_value());
      EXPECT_NE(x.finding.reason.find("服刑在押"), std::string::npos) << x.finding.reason;
      EXPECT_EQ(x.finding.community_id, community2_.id);
    }
  }
  // Every record of the batch was screened; the review band ("is this the same child?") depends
  // on m/u estimated by EM over the batch, which a two-row fixture cannot exercise (see the API
  // test and docs).
  EXPECT_EQ(b->batch.records, 2);
  EXPECT_EQ(b->counts.findings_by_rule["same_child_review"], b->batch.review);
}

TH_INSTANTIATE_ENGINE_TEST(ScreeningServiceTest);

}  // namespace
}  // namespace th::service
