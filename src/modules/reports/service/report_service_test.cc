// Reports against both engines: every intake channel, scope per role, reporter confidentiality,
// sensitive categories, triage and close, the public page's throttle and photos, the moves the
// dispatch module makes, the duty roster and the urgent alert, and the audit of every read.
#include "modules/reports/service/report_service.h"

#include <gtest/gtest.h>

#include "app/testing/service_fixture.h"
#include "modules/accounts/service/org_service.h"
#include "modules/registry/service/child_service.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_service.h"

namespace th::service {
namespace {

using testing::ReadFile;

class ReportServiceTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    // The work engine as the app installs it: reports open and close their triage items through it.
    ASSERT_TRUE(work::InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
    auto cfg = domain::ParseReportConfig(ReadFile(std::string(TH_SOURCE_DIR) + "/config/reports/categories.json"));
    ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
    reports_ = std::make_unique<ReportService>(services_->deps(), *cfg, *children_, nullptr);
    school_ = Agency(community_.id, "school", "布吉小学");
    school2_ = Agency(community2_.id, "school", "坂田小学");
    teacher_ = Reporter("teacher", community_.id, school_);
    teacher2_ = Reporter("teacher2", community2_.id, school2_);
    grid_ = MakeUser("grid", "grid_worker", community_.id);
    liaison_ = MakeUser("liaison", "dept_liaison", root_.id);
  }

  std::int64_t Agency(std::int64_t unit, const char* type, const char* name) {
    repo::Agency a;
    a.org_unit_id = unit;
    a.kind = "reporting_unit";
    a.dept_type = type;
    a.name = name;
    auto r = accounts_->org().CreateAgency(district_, a);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->id : 0;
  }

  Principal Reporter(const std::string& username, std::int64_t unit, std::int64_t agency) {
    NewUser n;
    n.username = username;
    n.display_name = username;
    n.role = "mandatory_reporter";
    n.org_unit_id = unit;
    n.agency_id = agency;
    n.password = kPassword;
    n.must_change_password = false;
    auto u = accounts_->users().Create(nullptr, n);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    auto login = services_->auth().Login(username, kPassword, "10.0.0.1", "test");
    EXPECT_TRUE(login.ok()) << login.status().ToString();
    return login.ok() ? login->principal : Principal();
  }

  static ReportInput In(const char* channel, std::vector<std::string> situations = {}) {
    ReportInput in;
    in.channel = channel;
    in.description = "孩子晚上独自在公园睡觉";
    in.place = "布吉公园";
    in.situations = std::move(situations);
    return in;
  }
  static ReportInput Mandatory() {
    ReportInput in = In("mandatory", {"s6"});
    in.police_reported = true;
    in.police_station = "布吉派出所";
    in.police_reported_at = "2026-09-20 10:00";
    return in;
  }

  std::int64_t Count(const std::string& sql, const storage::Params& p = {}) {
    auto r = conn().Query(sql, p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int(0) : -1;
  }

  std::unique_ptr<ReportService> reports_;
  std::int64_t school_ = 0, school2_ = 0;
  Principal teacher_, teacher2_, grid_, liaison_;
};

TEST_P(ReportServiceTest, ChannelsFileIntoTheRightPlaceAndScope) {
  // Hotline at the center: filed at the district, a tracking code once, the caller sealed.
  ReportInput hot = In("hotline");
  hot.reporter_name = "李女士";
  hot.reporter_phone = "139 1234 5678";
  auto h = reports_->Create(district_, hot);
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->report.status, "received");
  EXPECT_EQ(h->report.unit_id, root_.id);
  EXPECT_EQ(h->tracking_code.size(), 14u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM report WHERE reporter_phone_enc IS NOT NULL AND reporter_phone_bidx IS NOT NULL"), 1);
  // Field report by the 儿童主任: their community; the other street's 主任 cannot see it.
  auto f = reports_->Create(director_, In("field"));
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->report.unit_id, community_.id);
  EXPECT_EQ(reports_->Get(director2_, f->report.id).status().code(), Code::kNotFound);
  EXPECT_TRUE(reports_->Get(sup_, f->report.id).ok());
  EXPECT_EQ(reports_->Get(sup_, h->report.id).status().code(), Code::kNotFound);  // the district's, above the street
  // A grid worker records and reads only their own, status and result only.
  auto g = reports_->Create(grid_, In("field"));
  ASSERT_TRUE(g.ok()) << g.status().ToString();
  EXPECT_EQ(reports_->Get(grid_, f->report.id).status().code(), Code::kNotFound);
  auto mine = reports_->Get(grid_, g->report.id);
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->reporter_only);
  std::int64_t total = 0;
  auto gl = reports_->List(grid_, {}, {1, 20}, &total);
  ASSERT_TRUE(gl.ok());
  EXPECT_EQ(total, 1);
  // Departments never read reports directly; the public channel is not for staff.
  EXPECT_EQ(reports_->Get(liaison_, f->report.id).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(reports_->Create(liaison_, In("hotline")).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(reports_->Create(district_, In("public")).status().error_code(), "invalid_enum");
  // Validation.
  ReportInput bad = In("hotline", {"s99"});
  EXPECT_EQ(reports_->Create(district_, bad).status().field(), "situations");
  bad = In("hotline");
  bad.description = "";
  EXPECT_EQ(reports_->Create(district_, bad).status().field(), "description");
  bad = In("hotline");
  bad.place = std::string("布吉\x01");
  EXPECT_EQ(reports_->Create(district_, bad).status().error_code(), "invalid_text");
  bad = In("hotline");
  bad.seen_at = "2030-01-01";
  EXPECT_EQ(reports_->Create(district_, bad).status().error_code(), "invalid_datetime");
  bad = In("hotline");
  bad.child_age = 18;
  EXPECT_EQ(reports_->Create(district_, bad).status().field(), "child_age");
  bad = In("screening");
  EXPECT_EQ(reports_->Create(district_, bad).status().field(), "finding_id");
}

TEST_P(ReportServiceTest, MandatoryReportsBelongToTheReportingUnit) {
  ReportInput no_police = In("mandatory", {"s6"});
  EXPECT_EQ(reports_->Create(teacher_, no_police).status().error_code(), "police_record_required");
  EXPECT_EQ(reports_->Create(teacher_, In("hotline")).status().code(), Code::kPermissionDenied);
  auto m = reports_->Create(teacher_, Mandatory());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->report.unit_id, community_.id);
  EXPECT_TRUE(m->reporter_only);
  // The other school's reporter: not found; the center sees it.
  EXPECT_EQ(reports_->Get(teacher2_, m->report.id).status().code(), Code::kNotFound);
  std::int64_t total = 0;
  ASSERT_TRUE(reports_->List(teacher2_, {}, {1, 20}, &total).ok());
  EXPECT_EQ(total, 0);
  auto seen = reports_->Get(district_, m->report.id);
  ASSERT_TRUE(seen.ok());
  EXPECT_FALSE(seen->reporter_only);
  // The reporter learns the result once closed, never the center's working (未保法 Art 11).
  auto t = reports_->Triage(district_, m->report.id, {m->report.version, std::nullopt, "24h", "guardianship", "内部研判意见", std::nullopt});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto r1 = reports_->Get(teacher_, m->report.id);
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1->report.category, "");
  EXPECT_EQ(r1->report.triage_note, "");
  auto c = reports_->Close(district_, m->report.id, t->report.version, "已核实并落实监护", "已妥善处置，感谢报告");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  auto r2 = reports_->Get(teacher_, m->report.id);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->report.status, "closed");
  EXPECT_EQ(r2->report.reply, "已妥善处置，感谢报告");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification WHERE user_id = $1 AND link = $2",
                  {teacher_.user_id, "/reports/" + std::to_string(m->report.id)}),
            1);  // the reporter is told the result is there
  EXPECT_EQ(r2->report.outcome, "");
}

TEST_P(ReportServiceTest, ReporterIsRevealedOnlyWithAPurposeAndAudited) {
  ReportInput hot = In("hotline");
  hot.reporter_name = "李女士";
  hot.reporter_phone = "13912345678";
  auto h = reports_->Create(district_, hot);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(reports_->RevealReporter(sup_, h->report.id, "核实情况").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(reports_->RevealReporter(district_, h->report.id, "").status().error_code(), "purpose_required");
  auto who = reports_->RevealReporter(district_, h->report.id, "回访报告人核实情况");
  ASSERT_TRUE(who.ok()) << who.status().ToString();
  EXPECT_EQ(who->name, "李女士");
  EXPECT_EQ(who->phone, "13912345678");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'report.reveal_reporter' AND purpose = $1",
                  {std::string("回访报告人核实情况")}),
            1);
  // Nothing of the caller in clear anywhere in the database row or the audit log.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE after_json LIKE '%13912345678%' OR after_json LIKE '%李女士%'"), 0);
  // An anonymous caller leaves nothing to reveal.
  ReportInput anon = In("hotline");
  anon.anonymous = true;
  anon.reporter_phone = "13912345678";
  auto a = reports_->Create(district_, anon);
  ASSERT_TRUE(a.ok());
  auto none = reports_->RevealReporter(district_, a->report.id, "核实");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->anonymous);
  EXPECT_EQ(none->phone, "");
}

TEST_P(ReportServiceTest, SensitiveReportsAreMaskedUnlessAPurposeIsGiven) {
  auto s = reports_->Create(director_, In("field", {"s2"}));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_TRUE(s->report.sensitive);
  std::int64_t total = 0;
  auto list = reports_->List(district_, {}, {1, 20}, &total);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_TRUE((*list)[0].masked);
  EXPECT_EQ((*list)[0].report.description, "");
  // Its text is not searchable in bulk.
  ReportListParams q;
  q.q = "公园";
  ASSERT_TRUE(reports_->List(district_, q, {1, 20}, &total).ok());
  EXPECT_EQ(total, 0);
  auto masked = reports_->Get(district_, s->report.id);
  ASSERT_TRUE(masked.ok());
  EXPECT_TRUE(masked->masked);
  auto open = reports_->Get(district_, s->report.id, "研判需要查看详情");
  ASSERT_TRUE(open.ok());
  EXPECT_FALSE(open->masked);
  EXPECT_EQ(open->report.description, "孩子晚上独自在公园睡觉");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'report.read' AND object_id = $1",
                  {std::to_string(s->report.id)}),
            2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'report.list'"), 1);
  // Triage into a sensitive category masks a report that was not.
  auto plain = reports_->Create(district_, In("hotline"));
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE(plain->report.sensitive);
  auto t = reports_->Triage(district_, plain->report.id, {plain->report.version, std::nullopt, "immediate", "abuse", "", std::nullopt});
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->report.sensitive);
}

TEST_P(ReportServiceTest, TriageAndCloseFollowTheWorkflow) {
  auto r = reports_->Create(district_, In("hotline"));
  ASSERT_TRUE(r.ok());
  const std::int64_t id = r->report.id;
  EXPECT_EQ(reports_->Triage(sup_, id, {1, std::nullopt, "24h", "other", "", std::nullopt}).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(reports_->Triage(district_, id, {9, std::nullopt, "24h", "other", "", std::nullopt}).status().error_code(), "stale_version");
  EXPECT_EQ(reports_->Triage(district_, id, {1, std::nullopt, "soon", "other", "", std::nullopt}).status().field(), "urgency");
  EXPECT_EQ(reports_->Triage(district_, id, {1, std::nullopt, "24h", "nope", "", std::nullopt}).status().field(), "category");
  EXPECT_EQ(reports_->Triage(district_, id, {1, std::nullopt, "24h", "other", "", 999999}).status().code(), Code::kNotFound);
  auto t = reports_->Triage(district_, id, {1, std::nullopt, "24h", "dropout", "", bantian_.id});
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->report.status, "triaged");
  EXPECT_EQ(t->report.unit_id, bantian_.id);
  // Now the 坂田 street's people see it, 布吉's do not.
  EXPECT_TRUE(reports_->Get(director2_, id).status().code() == Code::kNotFound);  // community below the street
  EXPECT_EQ(reports_->Get(sup_, id).status().code(), Code::kNotFound);
  EXPECT_EQ(reports_->Close(district_, id, t->report.version, "", "").status().field(), "outcome");
  auto c = reports_->Close(district_, id, t->report.version, "已核实，无需派单", "");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(reports_->Triage(district_, id, {c->report.version, std::nullopt, "24h", "other", "", std::nullopt}).status().error_code(),
            "invalid_state");
  EXPECT_EQ(reports_->Close(district_, id, c->report.version, "再次办结", "").status().error_code(), "invalid_state");
}

TEST_P(ReportServiceTest, TriageWorkItemFollowsTheReport) {
  const std::string open_items =
      "SELECT COUNT(*) FROM work_item WHERE kind = 'report_triage' AND subject_type = 'report' AND subject_id = $1 "
      "AND is_open = 1 AND owner_unit_id = $2 AND owner_role = 'district'";
  auto r = reports_->Create(director_, In("field"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(Count(open_items, {r->report.id, root_.id}), 1);
  // An urgent report runs on the urgent clock (2 hours, config/workflows/reports.json).
  ReportInput urgent = In("hotline");
  urgent.urgency = "immediate";
  auto u = reports_->Create(district_, urgent);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_item WHERE subject_id = $1 AND subject_type = 'report' AND due_at = started_at + 7200000",
                  {u->report.id}),
            1);
  // Urgency set to 立即 at triage: the open item moves to the urgent clock (from the report's
  // arrival) and the duty officer (nobody on the roster: the center's staff) is alerted as at intake.
  const std::string urgent_item =
      "SELECT COUNT(*) FROM work_item WHERE subject_id = $1 AND subject_type = 'report' AND is_open = 1 "
      "AND due_at - 7200000 = $2";
  const std::string alerts = "SELECT COUNT(*) FROM notification WHERE user_id = $1 AND link = $2";
  const std::string link = "/reports/" + std::to_string(r->report.id);
  EXPECT_EQ(Count(urgent_item, {r->report.id, r->report.created_at}), 0);
  clock_.Advance(3600 * 1000);
  auto up = reports_->Triage(district_, r->report.id, {r->report.version, std::nullopt, "immediate", "other", "", std::nullopt});
  ASSERT_TRUE(up.ok()) << up.status().ToString();
  EXPECT_EQ(Count(urgent_item, {r->report.id, r->report.created_at}), 1);
  EXPECT_EQ(Count(open_items, {r->report.id, root_.id}), 1);
  EXPECT_EQ(Count(alerts, {district_.user_id, link}), 1);
  // Back to 24 小时: the 24-hour clock again, no second alert.
  auto t = reports_->Triage(district_, r->report.id, {up->report.version, std::nullopt, "24h", "other", "", std::nullopt});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Count(urgent_item, {r->report.id, r->report.created_at}), 0);
  EXPECT_EQ(Count(open_items, {r->report.id, root_.id}), 1);  // still the center's until dispatched or closed
  EXPECT_EQ(Count(alerts, {district_.user_id, link}), 1);
  auto c = reports_->Close(district_, r->report.id, t->report.version, "已核实", "");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(Count(open_items, {r->report.id, root_.id}), 0);
  // A report moved on by the dispatch module leaves the center's queue; a returned one comes back.
  auto c2 = db()->Acquire();
  ASSERT_TRUE(c2.ok());
  storage::Transaction tx(**c2);
  ASSERT_TRUE(tx.Begin().ok());
  ASSERT_TRUE(reports_->MoveIn(**c2, district_, u->report.id, "dispatched", "").ok());
  ASSERT_TRUE(tx.Commit().ok());
  EXPECT_EQ(Count(open_items, {u->report.id, root_.id}), 0);
}

TEST_P(ReportServiceTest, DispatchModuleMovesAndFacts) {
  auto r = reports_->Create(director_, In("field", {"s1"}));
  ASSERT_TRUE(r.ok());
  const std::int64_t id = r->report.id;
  auto c = db()->Acquire();
  ASSERT_TRUE(c.ok());
  storage::Transaction tx(**c);  // the dispatch module calls these inside its own transaction
  ASSERT_TRUE(tx.Begin().ok());
  EXPECT_EQ(reports_->LoadForTriage(**c, sup_, id).status().code(), Code::kPermissionDenied);
  auto facts = reports_->LoadForTriage(**c, district_, id);
  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  EXPECT_TRUE(facts->sensitive);
  EXPECT_EQ(facts->summary.find("公园"), std::string::npos);  // masked
  EXPECT_EQ(facts->unit_path, community_.path);
  EXPECT_EQ(reports_->MoveIn(**c, district_, id, "feedback", "").error_code(), "invalid_state");
  ASSERT_TRUE(reports_->MoveIn(**c, district_, id, "dispatched", "派单").ok());
  ASSERT_TRUE(reports_->MoveIn(**c, liaison_, id, "feedback", "已反馈").ok());
  ASSERT_TRUE(reports_->MoveIn(**c, district_, id, "dispatched", "重办").ok());
  ASSERT_TRUE(reports_->MoveIn(**c, liaison_, id, "feedback", "").ok());
  auto f = reports_->Facts(**c, id);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->status, "feedback");
  EXPECT_EQ(f->version, 5);
  EXPECT_EQ(reports_->Facts(**c, 999999).status().code(), Code::kNotFound);
  ASSERT_TRUE(tx.Commit().ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'report.move' AND object_id = $1", {std::to_string(id)}), 4);
  auto closed = reports_->Close(district_, id, 5, "回访核实已解决", "已处理");
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  // The center may close with the order: the note becomes the outcome, the reporter is told.
  auto m = reports_->Create(teacher_, Mandatory());
  ASSERT_TRUE(m.ok());
  {
    auto h = db()->Acquire();
    ASSERT_TRUE(h.ok());
    storage::Transaction t2(**h);
    ASSERT_TRUE(t2.Begin().ok());
    ASSERT_TRUE(reports_->MoveIn(**h, district_, m->report.id, "dispatched", "派单").ok());
    ASSERT_TRUE(reports_->MoveIn(**h, district_, m->report.id, "closed", "已由派出所处置完毕").ok());
    ASSERT_TRUE(t2.Commit().ok());
  }
  auto seen = reports_->Get(district_, m->report.id);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->report.outcome, "已由派出所处置完毕");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification WHERE user_id = $1", {teacher_.user_id}), 1);
  // Closed through dispatch with the center's outcome and reply: the reporter sees the reply.
  auto m2 = reports_->Create(teacher_, Mandatory());
  ASSERT_TRUE(m2.ok());
  {
    auto h = db()->Acquire();
    ASSERT_TRUE(h.ok());
    storage::Transaction t3(**h);
    ASSERT_TRUE(t3.Begin().ok());
    ASSERT_TRUE(reports_->MoveIn(**h, district_, m2->report.id, "dispatched", "派单").ok());
    EXPECT_EQ(reports_->MoveIn(**h, district_, m2->report.id, "closed", "回访核实", {"", std::string("x\x01")}).field(),
              "reply_to_reporter");
    ASSERT_TRUE(reports_->MoveIn(**h, district_, m2->report.id, "closed", "回访核实: 电话回访",
                                 {"已安排亲属照料", "已妥善处置，感谢您的报告"})
                    .ok());
    ASSERT_TRUE(t3.Commit().ok());
  }
  auto seen2 = reports_->Get(district_, m2->report.id);
  ASSERT_TRUE(seen2.ok());
  EXPECT_EQ(seen2->report.outcome, "已安排亲属照料");
  EXPECT_EQ(seen2->report.reply, "已妥善处置，感谢您的报告");
  auto mine = reports_->Get(teacher_, m2->report.id);
  ASSERT_TRUE(mine.ok()) << mine.status().ToString();
  EXPECT_TRUE(mine->reporter_only);
  EXPECT_EQ(mine->report.reply, "已妥善处置，感谢您的报告");
}

TEST_P(ReportServiceTest, PublicPageIsThrottledPerAddressAndShowsOnlyTheStatus) {
  ReportInput in = In("public");
  in.reporter_phone = "13800001111";
  auto code = reports_->CreatePublic("203.0.113.9", in);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  for (int i = 1; i < 5; ++i) ASSERT_TRUE(reports_->CreatePublic("203.0.113.9", in).ok());
  auto refused = reports_->CreatePublic("203.0.113.9", in);
  EXPECT_EQ(refused.status().code(), Code::kTooManyRequests);
  EXPECT_TRUE(reports_->CreatePublic("203.0.113.10", in).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM report WHERE channel = 'public'"), 6);
  clock_.Advance(601 * 1000);
  EXPECT_TRUE(reports_->CreatePublic("203.0.113.9", in).ok());  // a new window
  // Status by code, typed loosely; unknown codes 404.
  std::string lower = *code;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  auto st = reports_->PublicStatus("198.51.100.1", lower);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(*st, "received");
  EXPECT_EQ(reports_->PublicStatus("198.51.100.1", "AAAA-AAAA-AAAA").status().code(), Code::kNotFound);
  EXPECT_EQ(reports_->PublicStatus("198.51.100.1", "x'; DROP").status().code(), Code::kNotFound);
  // Photos: magic checked, at most three, within the window.
  const std::string png("\x89PNG\r\n\x1a\n0000", 12);
  EXPECT_EQ(reports_->AddPublicPhoto("198.51.100.1", *code, "GIF89a....").error_code(), "invalid_photo_type");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(reports_->AddPublicPhoto("198.51.100.1", *code, png).ok());
  EXPECT_EQ(reports_->AddPublicPhoto("198.51.100.1", *code, png).error_code(), "too_many_photos");
  auto other = reports_->CreatePublic("198.51.100.2", In("public"));
  ASSERT_TRUE(other.ok());
  clock_.Advance(25LL * 3600 * 1000);
  EXPECT_EQ(reports_->AddPublicPhoto("198.51.100.2", *other, png).error_code(), "photo_window_closed");
  // The public report is at the district, audited without an actor.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'report.public_create' AND actor_id IS NULL"), 8);
}

TEST_P(ReportServiceTest, DutyRosterAndTheUrgentAlert) {
  const std::int64_t now = clock_.NowMillis();
  EXPECT_EQ(reports_->AddShift(sup_, {district_.user_id, now, now + 3600000, ""}).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(reports_->AddShift(district_, {sup_.user_id, now, now + 3600000, ""}).status().code(), Code::kNotFound);
  EXPECT_EQ(reports_->AddShift(district_, {district_.user_id, now, now - 1, ""}).status().field(), "ends_at");
  auto s = reports_->AddShift(district_, {district_.user_id, now - 3600000, now + 3600000, "夜班"});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto on = reports_->OnDutyNow(sup_);  // street staff may see who is on duty
  ASSERT_TRUE(on.ok());
  ASSERT_EQ(on->size(), 1u);
  EXPECT_EQ((*on)[0].user_id, district_.user_id);
  // An urgent situation alerts the officer on duty at once.
  ASSERT_TRUE(reports_->Create(director_, In("field", {"s7"})).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification WHERE user_id = $1", {district_.user_id}), 1);
  ASSERT_TRUE(reports_->Create(director_, In("field", {"s6"})).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification WHERE user_id = $1", {district_.user_id}), 1);
  // Handover: the officer on duty writes it; a street supervisor not on duty may not.
  EXPECT_EQ(reports_->AddHandover(sup_, "交接").status().code(), Code::kPermissionDenied);
  auto h = reports_->AddHandover(district_, "夜间热线2起，均已登记");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  EXPECT_EQ(h->shift_id, s->id);
  EXPECT_EQ(reports_->DeleteShift(district_, s->id, 99).error_code(), "stale_version");
  ASSERT_TRUE(reports_->DeleteShift(district_, s->id, s->version).ok());
  std::int64_t total = 0;
  auto hs = reports_->ListHandovers(district_, {1, 20}, &total);
  ASSERT_TRUE(hs.ok());
  EXPECT_EQ(total, 1);
}

TEST_P(ReportServiceTest, ChildFileListsItsReportsInScope) {
  NewChild n;
  n.child.present = {"name", "sex", "birth_date", "no_id_reason", "community_id"};
  n.child.name = "张小明";
  n.child.sex = "male";
  n.child.birth_date = "2016-03-02";
  n.child.no_id_reason = "未落户";
  n.child.community_id = community_.id;
  auto child = children_->Create(district_, n);
  ASSERT_TRUE(child.ok()) << child.status().ToString();
  ReportInput in = In("field");
  in.child_id = child->child.id;
  auto r = reports_->Create(director_, in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->report.child_name, "张小明");
  in.child_id = child->child.id;
  EXPECT_EQ(reports_->Create(director2_, in).status().code(), Code::kNotFound);  // a child outside the caller's scope
  std::int64_t total = 0;
  auto list = reports_->ForChild(sup_, child->child.id, {1, 20}, &total);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(total, 1);
  EXPECT_EQ(reports_->ForChild(director2_, child->child.id, {1, 20}, &total).status().code(), Code::kNotFound);
}

TEST_P(ReportServiceTest, ReportsMoveWithTheirUnit) {
  auto r = reports_->Create(director_, In("field"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(reports_->Get(sup_, r->report.id).ok());
  auto unit = repo::OrgRepo(conn()).Get(community_.id);
  ASSERT_TRUE(unit.ok());
  // The community moves from 布吉 to 坂田: its reports go with it, in the move's transaction.
  auto moved = accounts_->org().Move(district_, community_.id, bantian_.id, unit->version);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  EXPECT_EQ(reports_->Get(sup_, r->report.id).status().code(), Code::kNotFound);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM report WHERE id = $1 AND unit_path = $2", {r->report.id, moved->path}), 1);
}

TH_INSTANTIATE_ENGINE_TEST(ReportServiceTest);

}  // namespace
}  // namespace th::service
