// WarningService on both engines: each rule kind true and false with a fake clock (table-driven),
// one open warning per (rule, child) whatever the re-evaluations, the nightly auto-close with its
// recorded reason, a person's handling, the Raise contract, scope and permissions, child moves.
#include "modules/warnings/service/warning_service.h"

#include <gtest/gtest.h>

#include <functional>

#include "app/testing/service_fixture.h"
#include "modules/warnings/repo/warnings_repo.h"
#include "platform/work/work_hooks.h"
#include "platform/work/work_service.h"

namespace th::service {
namespace {

constexpr std::int64_t kDay = 24LL * 3600 * 1000;

class WarningServiceTest : public testing::RegistryFixture {
 public:  // the table's setup lambdas call the helpers
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(work::InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
    auto cfg = domain::ParseWarningConfig(testing::ReadFile(std::string(TH_SOURCE_DIR) + "/config/warnings/rules.json"));
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    svc_ = std::make_unique<WarningService>(services_->deps(), *cfg);
    social_ = MakeUser("social", "social_worker", buji_.id);
    grid_user_ = MakeUser("gridw", "grid_worker", community_.id);
  }

  std::int64_t Q(const std::string& sql, storage::Params p = {}) {
    auto r = conn().Query(sql, p);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << " " << sql;
    return r.ok() && !r->empty() ? r->rows[0].Int(0) : -1;
  }
  void X(const std::string& sql, storage::Params p = {}) {
    auto r = conn().Execute(sql, p);
    EXPECT_TRUE(r.ok()) << r.status().ToString() << " " << sql;
  }
  std::int64_t AddChild(const std::string& name, std::int64_t community, std::int64_t street,
                        const std::string& roll = "on_roll") {
    return Q("INSERT INTO child (household_id, name, sex, birth_date, district_id, street_id, community_id, roll_status, "
             "roll_categories, roll_entered_on, created_at, updated_at) VALUES ('h', $1, 'male', 20150101, $2, $3, $4, "
             "$5, 'other', 20260101, 0, 0) RETURNING id",
             {name, root_.id, street, community, roll});
  }
  std::int32_t DaysAgo(int n) const {
    return domain::Date::FromEpochMillisShanghai(clock_.NowMillis()).AddDays(-n).ToYyyymmdd();
  }
  std::int64_t OpenWarnings(std::int64_t child, const std::string& rule) {
    return Q("SELECT COUNT(*) FROM warning WHERE child_id = $1 AND rule_code = $2 AND is_open = 1", {child, rule});
  }
  std::int64_t OpenItems(const std::string& rule) {
    return Q("SELECT COUNT(*) FROM work_item wi JOIN warning w ON w.id = wi.subject_id WHERE wi.subject_type = 'warning' "
             "AND wi.is_open = 1 AND w.rule_code = $1",
             {rule});
  }
  std::string Reason(std::int64_t child, const std::string& rule) {
    auto r = conn().Query("SELECT reason FROM warning WHERE child_id = $1 AND rule_code = $2 ORDER BY id DESC", {child, rule});
    return r.ok() && !r->empty() ? r->rows[0].Text(0) : "";
  }
  void Evaluate() {
    auto r = svc_->Evaluate();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  void Parent(std::int64_t child, const std::string& relation, const std::string& state) {
    X("INSERT INTO family_member (child_id, position, relation, name, state, state_since) VALUES ($1, 0, $2, '张大山', $3, "
      "20260801)",
      {child, relation, state});
  }
  void Grade(std::int64_t child, const std::string& grade, std::int64_t at) {
    X("UPDATE child SET risk_grade = $2, risk_graded_at = $3 WHERE id = $1", {child, grade, at});
  }
  void Visit(std::int64_t child, std::int32_t on) {
    X("INSERT INTO visit (child_id, district_id, street_id, community_id, unit_path, visited_on, month, place, "
      "child_state, home_state, guardian_care, created_at) VALUES ($1, $2, $3, $4, '/', $5, $6, 'home', 'good', 'good', "
      "'good', 0)",
      {child, root_.id, buji_.id, community_.id, std::int64_t{on}, std::int64_t{on / 100}});
  }
  void Report(std::int64_t child, std::int64_t at) {
    static int n = 0;
    X("INSERT INTO report (district_unit_id, district_path, unit_id, unit_path, channel, status, description, place, "
      "tracking_hash, created_at, updated_at, child_id) VALUES ($1, $2, $3, $4, 'hotline', 'received', '有人反映', '家中', "
      "$5, $6, $6, $7)",
      {root_.id, root_.path, community_.id, community_.path, "t" + std::to_string(++n) + "-" + std::to_string(at), at, child});
  }
  void Finding(std::int64_t child, const std::string& status) {
    const std::int64_t src = Q("INSERT INTO data_source (org_unit_id, unit_path, name, created_at) VALUES ($1, $2, '学籍', 0) "
                               "RETURNING id",
                               {root_.id, root_.path});
    const std::int64_t batch = Q("INSERT INTO screening_batch (source_id, org_unit_id, unit_path, uploaded_by, status, "
                                 "created_at) VALUES ($1, $2, $3, $4, 'done', 0) RETURNING id",
                                 {src, root_.id, root_.path, district_.user_id});
    const std::int64_t rec = Q("INSERT INTO batch_record (batch_id, line) VALUES ($1, 1) RETURNING id", {batch});
    X("INSERT INTO finding (batch_id, rule_id, reason, record_id, child_id, community_id, unit_path, status, created_at) "
      "VALUES ($1, 'absent_from_school_register', '学籍全量名单中没有名册儿童', $2, $3, $4, $5, $6, $7)",
      {batch, rec, child, community_.id, community_.path, status, clock_.NowMillis()});
  }
  std::int64_t OpenWork(std::int64_t child, const std::string& kind, const std::string& subject, std::int64_t started) {
    work::WorkOpen w;
    w.kind = kind;
    w.subject_type = subject;
    w.subject_id = child;
    w.title = "t";
    w.owner_unit_id = community_.id;
    w.owner_role = "child_director";
    w.started_at = started;
    std::int64_t id = 0;
    Status s = InTransaction(*db(), [&](storage::Connection& c) -> Status {
      TH_ASSIGN_OR_RETURN(id, services_->deps().work->Open(c, w));
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return id;
  }

  std::unique_ptr<WarningService> svc_;
  Principal social_, grid_user_;
};

// One row per rule kind: a setup that makes the rule hold (true) or not (false) for a fresh child.
struct Case {
  const char* name;
  const char* rule;
  bool holds;
  std::function<void(WarningServiceTest&, std::int64_t child)> setup;
  const char* reason_part;  // a piece of the reason in words when it holds
};

TEST_P(WarningServiceTest, EachRuleKindTrueAndFalse) {
  const std::int64_t now = clock_.NowMillis();
  // assessment_due's clock is 720 hours: started 40 days ago it is 10 days overdue; started today it is not.
  std::vector<Case> cases = {
      {"father imprisoned", "parent_detained_missing", true, [](auto& t, auto c) { t.Parent(c, "father", "imprisoned"); },
       "父亲（张大山）的状态为服刑在押（自 2026-08-01）"},
      {"mother missing", "parent_detained_missing", true, [](auto& t, auto c) { t.Parent(c, "mother", "missing"); }, "失联"},
      {"father working away", "parent_detained_missing", false,
       [](auto& t, auto c) { t.Parent(c, "father", "working_away"); }, ""},
      {"grandfather imprisoned", "parent_detained_missing", false,
       [](auto& t, auto c) { t.Parent(c, "grandfather", "imprisoned"); }, ""},
      {"red, last visit 21 days ago", "red_no_visit", true,
       [now](auto& t, auto c) { t.Grade(c, "red", now - 60 * kDay); t.Visit(c, t.DaysAgo(21)); },
       "红色等级儿童已 21 天未走访（上次走访 "},
      {"red, never visited, graded 30 days ago", "red_no_visit", true,
       [now](auto& t, auto c) { t.Grade(c, "red", now - 30 * kDay); }, "以来未走访"},
      {"red, visited 3 days ago", "red_no_visit", false,
       [now](auto& t, auto c) { t.Grade(c, "red", now - 60 * kDay); t.Visit(c, t.DaysAgo(3)); }, ""},
      {"yellow, no visit for 60 days", "red_no_visit", false,
       [now](auto& t, auto c) { t.Grade(c, "yellow", now - 60 * kDay); }, ""},
      {"school stage dropout", "dropout", true,
       [](auto& t, auto c) { t.X("UPDATE child SET school_stage = 'dropout' WHERE id = $1", {c}); }, "辍学"},
      {"open school-register finding", "dropout", true, [](auto& t, auto c) { t.Finding(c, "open"); }, "排查发现"},
      {"rejected finding", "dropout", false, [](auto& t, auto c) { t.Finding(c, "rejected"); }, ""},
      {"two reports in 2 months", "repeat_reports", true,
       [now](auto& t, auto c) { t.Report(c, now - 60 * kDay); t.Report(c, now - 5 * kDay); }, "6 个月内有 2 次"},
      {"two reports, one 8 months ago", "repeat_reports", false,
       [now](auto& t, auto c) { t.Report(c, now - 240 * kDay); t.Report(c, now - 5 * kDay); }, ""},
      {"assessment 10 days overdue", "assessment_overdue", true,
       [now](auto& t, auto c) { t.OpenWork(c, "assessment_due", "child_assessment", now - 40 * kDay); },
       "风险需求评估已逾期"},
      {"assessment not yet due", "assessment_overdue", false,
       [now](auto& t, auto c) { t.OpenWork(c, "assessment_due", "child_assessment", now); }, ""},
      {"guardianship review overdue", "assessment_overdue", true,
       [now](auto& t, auto c) { t.OpenWork(c, "guardianship_due", "child_assessment", now - 400 * kDay); }, "监护评估"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    const std::int64_t child = AddChild(k.name, community_.id, buji_.id);
    k.setup(*this, child);
    auto hits = InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnChildChanged(c, child); });
    ASSERT_TRUE(hits.ok()) << hits.ToString();
    EXPECT_EQ(OpenWarnings(child, k.rule), k.holds ? 1 : 0);
    if (k.holds) EXPECT_NE(Reason(child, k.rule).find(k.reason_part), std::string::npos) << Reason(child, k.rule);
  }
  // Children off the roll raise nothing.
  const std::int64_t off = AddChild("不在册", community_.id, buji_.id, "not_on_roll");
  Parent(off, "father", "imprisoned");
  Evaluate();
  EXPECT_EQ(OpenWarnings(off, "parent_detained_missing"), 0);
}

TEST_P(WarningServiceTest, GuardianshipLimitPastDueThroughTheEngine) {
  // The guardianship module's kind, opened through the engine as that module will (subject: the child).
  if (!services_->deps().work) GTEST_SKIP();
  auto* engine = work::FindWork(services_->deps());
  ASSERT_NE(engine, nullptr);
  if (!engine->config().Find("guardianship_limit")) {
    // Until the guardianship module's config/workflows file lands, the rule reads the kind by name only:
    // nothing is open, nothing is raised.
    const std::int64_t child = AddChild("临时监护", community_.id, buji_.id);
    Evaluate();
    EXPECT_EQ(OpenWarnings(child, "guardianship_limit"), 0);
    return;
  }
  const std::int64_t child = AddChild("临时监护", community_.id, buji_.id);
  OpenWork(child, "guardianship_limit", "child", clock_.NowMillis() - 400 * kDay);
  Evaluate();
  EXPECT_EQ(OpenWarnings(child, "guardianship_limit"), 1);
  EXPECT_NE(Reason(child, "guardianship_limit").find("临时监护期限已超过"), std::string::npos);
}

TEST_P(WarningServiceTest, OneOpenWarningPerRuleAndChildThenAutoClose) {
  const std::int64_t child = AddChild("王小红", community_.id, buji_.id);
  Grade(child, "red", clock_.NowMillis() - 40 * kDay);
  Visit(child, DaysAgo(20));
  Evaluate();
  Evaluate();
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->OnChildChanged(c, child); }).ok());
  clock_.Advance(kDay);
  Evaluate();
  EXPECT_EQ(Q("SELECT COUNT(*) FROM warning WHERE child_id = $1 AND rule_code = 'red_no_visit'", {child}), 1);
  EXPECT_EQ(OpenItems("red_no_visit"), 1);
  // The owner: the child's community's 儿童主任, high severity → the 24-hour clock.
  EXPECT_EQ(Q("SELECT owner_unit_id FROM work_item WHERE subject_type = 'warning' AND is_open = 1"), community_.id);
  EXPECT_EQ(Q("SELECT due_at - started_at FROM work_item WHERE subject_type = 'warning' AND is_open = 1"), kDay);
  // A visit clears the condition: the nightly run closes the warning and its item with a reason.
  Visit(child, DaysAgo(0));
  Evaluate();
  EXPECT_EQ(OpenWarnings(child, "red_no_visit"), 0);
  EXPECT_EQ(OpenItems("red_no_visit"), 0);
  auto row = conn().Query("SELECT status, close_note, closed_by_name FROM warning WHERE child_id = $1", {child});
  ASSERT_TRUE(row.ok() && !row->empty());
  EXPECT_EQ(row->rows[0].Text(0), "cleared");
  EXPECT_NE(row->rows[0].Text(1).find("条件已消除"), std::string::npos);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM audit_log WHERE action = 'warning.clear'"), 1);
  // Twenty days later with no visit it is raised again: a new warning, the old one kept.
  clock_.Advance(20 * kDay);
  Evaluate();
  EXPECT_EQ(OpenWarnings(child, "red_no_visit"), 1);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM warning WHERE child_id = $1", {child}), 2);
}

TEST_P(WarningServiceTest, HandledByAPersonWithANote) {
  const std::int64_t child = AddChild("李小军", community_.id, buji_.id);
  Parent(child, "father", "imprisoned");
  Evaluate();
  auto list = [&](const Principal& who, const WarningListParams& p) {
    std::int64_t total = 0;
    auto r = svc_->List(who, p, repo::Page{1, 20}, &total);
    return r.ok() ? total : -1;
  };
  EXPECT_EQ(list(director_, {}), 1);
  EXPECT_EQ(list(director2_, {}), 0);  // the other street's community
  EXPECT_EQ(list(grid_user_, {}), 1);  // a grid worker of the community reads it (warning.read), cannot handle it
  std::int64_t n = 0;
  auto w = svc_->List(director_, {}, repo::Page{1, 20}, &n);
  ASSERT_TRUE(w.ok() && w->size() == 1);
  const auto id = (*w)[0].id;
  EXPECT_EQ(svc_->Get(director2_, id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Handle(grid_user_, id, "handled", "已核实", 1).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(svc_->Handle(director_, id, "done", "已核实", 1).status().error_code(), "invalid_enum");
  EXPECT_EQ(svc_->Handle(director_, id, "handled", "", 1).status().field(), "note");
  EXPECT_EQ(svc_->Handle(director_, id, "handled", "已联系姑姑临时照料", 7).status().error_code(), "stale_version");
  auto done = svc_->Handle(director_, id, "handled", "已联系姑姑临时照料", 1);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->status, "handled");
  EXPECT_EQ(done->close_note, "已联系姑姑临时照料");
  EXPECT_EQ(svc_->Handle(director_, id, "false_alarm", "误报", 2).status().error_code(), "invalid_state");
  EXPECT_EQ(OpenItems("parent_detained_missing"), 0);
  // The condition still holds: handled means handled, the nightly run does not raise it again...
  Evaluate();
  clock_.Advance(kDay);
  Evaluate();
  EXPECT_EQ(OpenWarnings(child, "parent_detained_missing"), 0);
  // ...until it has cleared once (the father comes home) and holds again (a new warning; the old one kept).
  X("UPDATE family_member SET state = 'at_home' WHERE child_id = $1", {child});
  Evaluate();
  EXPECT_EQ(OpenWarnings(child, "parent_detained_missing"), 0);
  X("UPDATE family_member SET state = 'missing' WHERE child_id = $1", {child});
  Evaluate();
  EXPECT_EQ(OpenWarnings(child, "parent_detained_missing"), 1);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM warning WHERE child_id = $1", {child}), 2);
  // Reads are audited.
  ASSERT_TRUE(svc_->Get(director_, id).ok());
  EXPECT_GE(Q("SELECT COUNT(*) FROM audit_log WHERE action = 'warning.read'"), 1);
}

TEST_P(WarningServiceTest, RaiseContractAndManualRaise) {
  const std::int64_t child = AddChild("周小雨", community_.id, buji_.id);
  auto raise = [&](const std::string& rule, std::int64_t id, const std::string& why) {
    return InTransaction(*db(), [&](storage::Connection& c) { return svc_->Raise(c, rule, id, why, clock_.NowMillis()); });
  };
  ASSERT_TRUE(raise("manual", child, "走访发现儿童身上有伤痕").ok());
  ASSERT_TRUE(raise("manual", child, "再次走访仍有伤痕").ok());  // idempotent while open
  EXPECT_EQ(OpenWarnings(child, "manual"), 1);
  EXPECT_EQ(Reason(child, "manual"), "走访发现儿童身上有伤痕");
  EXPECT_EQ(raise("no_such_rule", child, "x").error_code(), "invalid_enum");
  EXPECT_EQ(raise("manual", 999999, "原因").code(), Code::kNotFound);
  EXPECT_EQ(raise("manual", child, "").error_code(), "required");
  // Manual warnings are never auto-closed.
  Evaluate();
  EXPECT_EQ(OpenWarnings(child, "manual"), 1);
  bool created = true;
  auto again = svc_->RaiseManual(director_, child, "", "重复", &created);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(svc_->RaiseManual(director2_, child, "", "越权", &created).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->RaiseManual(grid_user_, child, "", "无权", &created).status().code(), Code::kPermissionDenied);
  auto street = svc_->RaiseManual(social_, child, "repeat_reports", "街道社工发现多次被投诉", &created);
  ASSERT_TRUE(street.ok()) << street.status().ToString();
  EXPECT_TRUE(created);
  // repeat_reports is owned by the street station's social workers.
  EXPECT_EQ(Q("SELECT owner_unit_id FROM work_item WHERE subject_type = 'warning' AND subject_id = $1", {street->id}),
            buji_.id);
}

TEST_P(WarningServiceTest, WarningsFollowAChildMove) {
  const std::int64_t child = AddChild("搬家", community_.id, buji_.id);
  Parent(child, "mother", "missing");
  Evaluate();
  X("UPDATE child SET street_id = $1, community_id = $2 WHERE id = $3", {bantian_.id, community2_.id, child});
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) {
                return services_->deps().jurisdiction.AfterChildMove(c, child);
              }).ok());
  std::int64_t total = 0;
  auto mine = svc_->List(director2_, {}, repo::Page{1, 20}, &total);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(total, 1);
  EXPECT_EQ(Q("SELECT owner_unit_id FROM work_item WHERE subject_type = 'warning' AND is_open = 1"), community2_.id);
}

TH_INSTANTIATE_ENGINE_TEST(WarningServiceTest);

TEST(WarningRules, ParseErrorsNameTheRuleAndReasonWording) {
  struct Bad {
    const char* json;
    const char* part;
  };
  const Bad bad[] = {
      {R"({"rules": []})", "rules"},
      {R"({"rules": [{"code": "x", "name": "X", "kind": "nope", "severity": "high", "reason": "r"}]})", "rules.x.kind"},
      {R"({"rules": [{"code": "x", "name": "X", "kind": "grade_no_visit", "severity": "high", "reason": "r",
                      "params": {"grades": ["red"], "days": 0}}]})", "rules.x.params.days"},
      {R"({"rules": [{"code": "x", "name": "X", "kind": "manual", "severity": "urgent", "reason": "r"}]})", "severity"},
      {R"({"rules": [{"code": "x", "name": "X", "kind": "manual", "severity": "low", "reason": ""}]})", "reason"},
      {R"({"rules": [{"code": "x", "name": "X", "kind": "manual", "severity": "low", "reason": "r"},
                     {"code": "x", "name": "X", "kind": "manual", "severity": "low", "reason": "r"}]})", "duplicate"},
  };
  for (const auto& b : bad) {
    auto r = domain::ParseWarningConfig(b.json);
    ASSERT_FALSE(r.ok()) << b.json;
    EXPECT_NE(r.status().message_en().find(b.part), std::string::npos) << r.status().message_en();
  }
  EXPECT_EQ(domain::FormatReason("{a}等级已 {n} 天{missing}", {{"a", "红色"}, {"n", "21"}}), "红色等级已 21 天{missing}");
}

}  // namespace
}  // namespace th::service
