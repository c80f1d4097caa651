// WarningService on both engines: each rule kind true and false with a fake clock (table-driven),
// one open warning per (rule, child) whatever the re-evaluations, the nightly auto-close with its
// recorded reason, a person's handling, the Raise contract, scope and permissions, child moves.
#include "modules/warnings/service/warning_service.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>

#include "app/testing/service_fixture.h"
#include "modules/warnings/repo/warnings_repo.h"
#include "platform/repo/audit_repo.h"
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

  // The warnings, their work items with clocks and their warning.raise audit entries after audit seq
  // `after`, as text, each id replaced by its rank (a rolled-back run leaves PostgreSQL's sequences ahead).
  static std::vector<std::string> Snapshot(storage::Connection& c, std::int64_t after) {
    std::vector<std::string> out;
    std::map<std::string, std::string> rank;  // warning id -> "#n"
    auto cells = [](const storage::Row& r, std::size_t from) {
      std::string s;
      for (std::size_t i = from; i < r.size(); ++i) s += (r.IsNull(i) ? std::string("∅") : r.Text(i)) + "|";
      return s;
    };
    auto w = c.Query("SELECT id, rule_code, severity, child_id, district_id, street_id, community_id, grid_id, unit_path, "
                     "status, is_open, reason, raised_at, raised_by, raised_by_name, version, holds FROM warning ORDER BY id");
    EXPECT_TRUE(w.ok()) << w.status().ToString();
    if (!w.ok()) return out;
    for (const auto& r : w->rows) {
      rank[r.Text(0)] = "#" + std::to_string(rank.size() + 1);
      out.push_back("warning " + cells(r, 1));
    }
    auto items = c.Query("SELECT wi.subject_id, wi.link, wi.kind, wi.title, wi.label, wi.owner_unit_id, wi.owner_unit_path, "
                         "wi.owner_role, wi.owner_user_id, wi.owner_agency_id, wi.district_unit_id, wi.state, wi.is_open, "
                         "wi.started_at, wi.warn_at, wi.due_at, wi.district_at, wi.due_flags, wi.round, wi.version, "
                         "wi.created_at, wi.closed_at, k.escalation_level, k.next_at, k.warn_step_at, k.overdue_step_at, "
                         "k.district_step_at FROM work_item wi LEFT JOIN work_item_clock k ON k.item_id = wi.id "
                         "WHERE wi.subject_type = 'warning' ORDER BY wi.id");
    EXPECT_TRUE(items.ok()) << items.status().ToString();
    if (!items.ok()) return out;
    for (const auto& r : items->rows) {
      out.push_back("item " + rank[r.Text(0)] + " " + (r.Text(1) == "/warnings/" + r.Text(0) ? "link ok" : r.Text(1)) +
                    " " + cells(r, 2));
    }
    auto audit = c.Query("SELECT object_id, action, object_type, object_unit_path, before_json, after_json, purpose, "
                         "actor_id, actor_name, actor_unit_path, client_ip, at FROM audit_log WHERE seq > $1 AND "
                         "action = 'warning.raise' ORDER BY seq",
                         {after});
    EXPECT_TRUE(audit.ok()) << audit.status().ToString();
    if (!audit.ok()) return out;
    for (const auto& r : audit->rows) out.push_back("audit " + rank[r.Text(0)] + " " + cells(r, 1));
    return out;
  }
  // A child for each rule kind the nightly run raises (and some with two), in both streets.
  void ChildrenForEveryRule(int n) {
    for (int i = 0; i < n; ++i) {
      const bool second = i % 2 == 1;
      const std::int64_t c = AddChild("儿童" + std::to_string(i), second ? community2_.id : community_.id,
                                      second ? bantian_.id : buji_.id);
      switch (i % 5) {
        case 0: Parent(c, "father", "imprisoned"); break;
        case 1: Grade(c, "red", clock_.NowMillis() - 40 * kDay); break;
        case 2: Finding(c, "open"); break;
        case 3:
          for (int k = 0; k < 3; ++k) Report(c, clock_.NowMillis() - (k + 1) * 10 * kDay);
          break;
        default: OpenWork(c, "assessment_due", "child_assessment", clock_.NowMillis() - 40 * kDay);
      }
      if (i % 7 == 0) Parent(c, "mother", "missing");
    }
    AddChild("不在名册", community_.id, buji_.id, "exited");
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

// The nightly run raises in bulk (RaiseMany: multi-row statements): the same warnings, work items
// (owners, deadlines, clocks, labels, links), and audit entries as the single path, Raise hit by hit.
TEST_P(WarningServiceTest, BulkRaiseWritesWhatRaiseWritesOneByOne) {
  ChildrenForEveryRule(40);
  const std::int64_t mark = Q("SELECT COALESCE(MAX(seq), 0) FROM audit_log");
  const std::int64_t last = Q("SELECT MAX(id) FROM child");
  std::vector<std::string> single;
  Status s = InTransaction(*db(), [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto hits, svc_->HitsBetween(c, 1, last));
    for (const auto& h : hits) TH_RETURN_IF_ERROR(svc_->Raise(c, h.rule_code, h.child_id, h.reason, clock_.NowMillis()));
    single = Snapshot(c, mark);
    return Status::Internal("rolled back on purpose");
  });
  ASSERT_EQ(s.code(), Code::kInternal) << s.ToString();
  EXPECT_EQ(Q("SELECT COUNT(*) FROM warning"), 0);
  // The nightly run, in bulk.
  auto r = svc_->Evaluate();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const std::vector<std::string> bulk = Snapshot(conn(), mark);
  EXPECT_EQ(bulk, single);
  // Every rule kind raised, both owner levels, both severities' clocks.
  EXPECT_GE(r->raised, 40);
  EXPECT_EQ(Q("SELECT COUNT(DISTINCT rule_code) FROM warning"), 5);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM work_item WHERE subject_type = 'warning'"), r->raised);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM audit_log WHERE action = 'warning.raise'"), r->raised);
  EXPECT_EQ(Q("SELECT COUNT(DISTINCT owner_unit_id) FROM work_item WHERE subject_type = 'warning'"), 4);
  EXPECT_EQ(Q("SELECT COUNT(DISTINCT due_at - started_at) FROM work_item WHERE subject_type = 'warning'"), 2);
  // The chain still verifies.
  auto v = repo::AuditRepo(conn()).Verify();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok) << v->reason;
  // The one-by-one switch (bench comparison) gives the same rows again.
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) {
                return c.Execute("UPDATE warning SET is_open = 0, status = 'cleared', holds = 0").status();
              }).ok());
  X("DELETE FROM work_item_clock WHERE item_id IN (SELECT id FROM work_item WHERE subject_type = 'warning')");
  X("DELETE FROM work_item WHERE subject_type = 'warning'");
  X("DELETE FROM warning");
  const std::int64_t mark2 = Q("SELECT COALESCE(MAX(seq), 0) FROM audit_log");
  svc_->SetRaiseOneByOne(true);
  auto r2 = svc_->Evaluate();
  ASSERT_TRUE(r2.ok()) << r2.status().ToString();
  EXPECT_EQ(r2->raised, r->raised);
  EXPECT_EQ(Snapshot(conn(), mark2), single);
}

// A (rule, child) raised by another transaction after the nightly run read its block is skipped (the
// partial unique index): no second warning, no work item, no audit entry; the rest are raised.
TEST_P(WarningServiceTest, BulkRaiseSkipsAPairRaisedMeanwhile) {
  const std::int64_t a = AddChild("甲", community_.id, buji_.id);
  const std::int64_t b = AddChild("乙", community2_.id, bantian_.id);
  const std::int64_t now = clock_.NowMillis();
  ASSERT_TRUE(InTransaction(*db(), [&](storage::Connection& c) { return svc_->Raise(c, "manual", a, "已开的预警", now); }).ok());
  auto kids = repo::WarningsRepo(conn()).Children({a, b});
  ASSERT_TRUE(kids.ok());
  std::map<std::int64_t, repo::WarningChild> children;
  for (auto& k : *kids) children.emplace(k.id, k);
  std::int64_t raised = -1;
  Status s = InTransaction(*db(), [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(raised, svc_->RaiseMany(c, {{"manual", a, "又一次"}, {"manual", b, "新的预警"},
                                                    {"no_such_rule", b, "x"}, {"manual", 999999, "无此儿童"}},
                                                children, now));
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(raised, 1);
  EXPECT_EQ(OpenWarnings(a, "manual"), 1);
  EXPECT_EQ(Reason(a, "manual"), "已开的预警");
  EXPECT_EQ(OpenWarnings(b, "manual"), 1);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM work_item WHERE subject_type = 'warning'"), 2);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM audit_log WHERE action = 'warning.raise'"), 2);
  EXPECT_EQ(Q("SELECT wi.owner_unit_id FROM work_item wi JOIN warning w ON w.id = wi.subject_id "
              "WHERE wi.subject_type = 'warning' AND w.child_id = $1",
              {b}),
            community2_.id);
}

// The engine's OpenMany (work_bulk.cc, through WorkHooks) checks as Open does, item by item.
TEST_P(WarningServiceTest, EngineOpenManyChecksAsOpenDoes) {
  auto* hooks = services_->deps().work.get();
  ASSERT_NE(hooks, nullptr);
  const std::int64_t child = AddChild("丙", community_.id, buji_.id);
  OpenWork(child, "assessment_due", "child", clock_.NowMillis());
  auto item = [&](std::int64_t subject, const std::string& kind, std::int64_t unit) {
    work::WorkOpen w;
    w.kind = kind;
    w.subject_type = "child";
    w.subject_id = subject;
    w.title = "t";
    w.owner_unit_id = unit;
    w.owner_role = "child_director";
    return w;
  };
  auto open = [&](const std::vector<work::WorkOpen>& items) {
    std::vector<std::int64_t> ids;
    Status s = InTransaction(*db(), [&](storage::Connection& c) -> Status {
      TH_ASSIGN_OR_RETURN(ids, hooks->OpenMany(c, items));
      return Status::Ok();
    });
    return std::make_pair(s, ids);
  };
  const std::int64_t before = Q("SELECT COUNT(*) FROM work_item");
  std::vector<work::WorkOpen> dense;  // 20 consecutive subjects (one range read), one of them already open
  for (std::int64_t i = child - 10; i < child + 10; ++i) dense.push_back(item(i, "assessment_due", community_.id));
  EXPECT_EQ(open(dense).first.code(), Code::kConflict);
  EXPECT_EQ(open({item(child + 1, "assessment_due", community_.id), item(child, "assessment_due", community_.id)})
                .first.code(),
            Code::kConflict);  // already open for the subject
  EXPECT_EQ(open({item(child + 1, "assessment_due", community_.id), item(child + 1, "assessment_due", community_.id)})
                .first.code(),
            Code::kConflict);  // twice in the batch
  EXPECT_EQ(open({item(child + 1, "no_such_kind", community_.id)}).first.error_code(), "invalid_enum");
  EXPECT_EQ(open({item(child + 1, "assessment_due", 999999)}).first.code(), Code::kNotFound);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM work_item"), before);  // each failure rolled the whole batch back
  auto ok = open({item(child + 1, "assessment_due", community_.id), item(child + 2, "assessment_due", community2_.id),
                  item(child + 1, "guardianship_due", community_.id)});
  ASSERT_TRUE(ok.first.ok()) << ok.first.ToString();
  ASSERT_EQ(ok.second.size(), 3u);
  EXPECT_LT(ok.second[0], ok.second[1]);
  EXPECT_LT(ok.second[1], ok.second[2]);
  EXPECT_EQ(Q("SELECT owner_unit_id FROM work_item WHERE id = $1", {ok.second[1]}), community2_.id);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM work_item_clock WHERE item_id IN ($1, $2, $3)",
              {ok.second[0], ok.second[1], ok.second[2]}),
            3);
  EXPECT_EQ(Q("SELECT COUNT(*) FROM work_item w JOIN org_unit u ON u.id = w.owner_unit_id WHERE w.id = $1 AND "
              "w.owner_unit_path = u.path AND w.district_unit_id = $2",
              {ok.second[1], root_.id}),
            1);
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
