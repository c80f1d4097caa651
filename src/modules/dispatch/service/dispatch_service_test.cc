// Dispatch orders against both engines: the full loop with a department, returns, extensions,
// redo, co-handling, scope (404 outside the dispatch), the error order (403, 409 invalid_state,
// 409 stale_version), the report's moves, work items through the engine, the 工作流转单 and the
// statistics against the records. The reports module is replaced by a fake ReportFactsSource
// (its own tests and the API tests run the real one).
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "app/testing/service_fixture.h"
#include "io/xlsx_reader.h"
#include "platform/service/watermark.h"
#include "modules/dispatch/service/dispatch_service.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_service.h"

namespace th::service {
namespace {

// Reports as the dispatch module sees them; moves follow the reports module's table.
class FakeReports : public ReportFactsSource {
 public:
  Result<ReportFacts> LoadForTriage(storage::Connection&, const Principal& who, std::int64_t id) override {
    if (!who.Can("report.triage")) return Status::Forbidden();
    auto it = reports.find(id);
    if (it == reports.end() || !who.Covers(it->second.unit_path)) return Status::NotFound("report");
    return it->second;
  }
  Result<ReportFacts> Facts(storage::Connection&, std::int64_t id) override {
    auto it = reports.find(id);
    if (it == reports.end()) return Status::NotFound("report");
    return it->second;
  }
  Status MoveIn(storage::Connection&, const Principal&, std::int64_t id, const std::string& to,
                const std::string& note, const ReportClosing& closing) override {
    static const std::set<std::pair<std::string, std::string>> kMoves = {
        {"triaged", "dispatched"}, {"dispatched", "feedback"}, {"dispatched", "triaged"},
        {"feedback", "closed"},    {"feedback", "dispatched"}, {"dispatched", "dispatched"}};
    auto it = reports.find(id);
    if (it == reports.end()) return Status::NotFound("report");
    if (!kMoves.count({it->second.status, to})) return Status::InvalidState(it->second.status);
    it->second.status = to;
    ++it->second.version;
    moves.push_back(to);
    notes.push_back(note);
    closings.push_back(closing);
    return Status::Ok();
  }
  void SetDirectCloseListener(DirectCloseListener l) override { on_close = std::move(l); }
  DirectCloseListener on_close;
  std::map<std::int64_t, ReportFacts> reports;
  std::vector<std::string> moves, notes;
  std::vector<ReportClosing> closings;
};

class DispatchServiceTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    SetUpRegistry();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_TRUE(work::InstallWork(services_->deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
    auto clocks = DispatchClocks::Load(std::string(TH_SOURCE_DIR) + "/config");
    ASSERT_TRUE(clocks.ok()) << clocks.status().ToString();
    svc_ = std::make_unique<DispatchService>(services_->deps(), reports_, std::move(*clocks));
    education_ = AddAgency("龙岗区教育局", "education");
    police_ = AddAgency("龙岗区公安分局", "police");
    liaison_ = MakeLiaison("liaison", education_);
    police_liaison_ = MakeLiaison("police", police_);
    district_.permissions.insert("report.triage");  // the reports module grants it (config/roles.json)
    for (Principal* p : {&district_, &sup_, &director_, &director2_, &liaison_, &police_liaison_}) {
      p->permissions.insert("dispatch.handle");
    }
    AddReport(1, community_.path, "24h", "guardianship");
  }

  std::int64_t AddAgency(const std::string& name, const std::string& dept) {
    repo::Agency a;
    a.org_unit_id = root_.id;
    a.kind = "department";
    a.dept_type = dept;
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
    if (!login.ok()) return Principal();
    Principal p = login->principal;
    // A department sees a report only through its order (issue 11): dispatch.handle, no report.read.
    p.permissions = {"dispatch.handle"};
    return p;
  }

  void AddReport(std::int64_t id, const std::string& path, const std::string& urgency, const std::string& category) {
    ReportFacts f;
    f.id = id;
    f.district_unit_id = root_.id;
    f.unit_path = path;
    f.status = "triaged";
    f.urgency = urgency;
    f.category = category;
    f.channel = "public";
    f.summary = "孩子独自在家多日";
    f.place = "布吉社区";
    f.version = 3;
    reports_.reports[id] = f;
  }

  // Dispatches report `id` to the education bureau (lead) and `co` units.
  std::vector<OrderView> Send(std::int64_t id, bool designated = false, std::vector<std::int64_t> co_units = {}) {
    DispatchInput in;
    in.version = reports_.reports[id].version;
    in.lead.agency_id = education_;
    in.lead.instructions = "请核实并处置";
    in.lead.designated = designated;
    for (auto u : co_units) {
      DispatchTargetInput t;
      t.unit_id = u;
      in.co.push_back(t);
    }
    auto r = svc_->Dispatch(district_, id, in);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<OrderView>{};
  }

  Result<OrderView> Do(const Principal& who, std::int64_t id, const std::string& action, const std::string& note = "",
                       std::function<void(OrderActionInput&)> more = nullptr) {
    auto cur = svc_->Get(district_, id);
    OrderActionInput in;
    in.action = action;
    in.note = note;
    in.version = cur.ok() ? cur->order.version : 0;
    if (more) more(in);
    return svc_->Act(who, id, in);
  }

  std::int64_t Count(const std::string& sql, const storage::Params& p = {}) {
    auto r = conn().Query(sql, p);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? (*r)[0].Int(0) : -1;
  }
  // The open work item kinds of an order, sorted.
  std::vector<std::string> OpenKinds(std::int64_t order) {
    auto r = conn().Query("SELECT kind FROM work_item WHERE subject_type = 'dispatch_order' AND subject_id = $1 "
                          "AND is_open = 1 ORDER BY kind",
                          {order});
    std::vector<std::string> out;
    if (r.ok()) {
      for (const auto& row : r->rows) out.push_back(row.Text(0));
    }
    return out;
  }

  // The supervisor of 坂田街道 (made on first use).
  const Principal& sup2() {
    if (sup2_.user_id == 0) {
      sup2_ = MakeUser("sup2", "street_supervisor", bantian_.id);
      sup2_.permissions.insert("dispatch.handle");
    }
    return sup2_;
  }

  FakeReports reports_;
  Principal sup2_;
  std::unique_ptr<DispatchService> svc_;
  std::int64_t education_ = 0, police_ = 0;
  Principal liaison_, police_liaison_;
};

TEST_P(DispatchServiceTest, FullLoopWithADepartment) {
  auto sent = Send(1);
  ASSERT_EQ(sent.size(), 1u);
  const std::int64_t id = sent[0].order.id;
  EXPECT_EQ(sent[0].order.status, "pending_accept");
  EXPECT_EQ(sent[0].order.target_name, "龙岗区教育局");
  EXPECT_EQ(reports_.reports[1].status, "dispatched");
  EXPECT_EQ(OpenKinds(id), std::vector<std::string>{"dispatch_accept"});
  // 24h urgency: accept within 24 hours.
  EXPECT_EQ(sent[0].order.accept_due_at, clock_.NowMillis() + 24LL * 3600 * 1000);

  auto got = svc_->Get(liaison_, id);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->access, OrderAccess::kReceiver);
  EXPECT_EQ(got->actions, (std::vector<std::string>{"accept", "return"}));
  ASSERT_TRUE(got->report);
  EXPECT_EQ(got->report->summary, "孩子独自在家多日");

  clock_.Advance(3600 * 1000);
  auto a = Do(liaison_, id, "accept");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->order.status, "handling");
  EXPECT_EQ(a->order.accepted_late, 0);
  EXPECT_EQ(OpenKinds(id), std::vector<std::string>{"dispatch_handle"});

  EXPECT_EQ(Do(liaison_, id, "feedback").status().error_code(), "required");  // the result is required
  auto f = Do(liaison_, id, "feedback", "已联系学校和监护人，安排亲属照料");
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->order.status, "feedback");
  EXPECT_EQ(reports_.reports[1].status, "feedback");
  EXPECT_EQ(OpenKinds(id), std::vector<std::string>{"dispatch_revisit"});

  // The revisit's answers are required.
  EXPECT_EQ(Do(district_, id, "revisit", "电话回访").status().field(), "reached");
  // The closing step carries the center's outcome and its reply to the reporter (未保法 Art 11).
  EXPECT_EQ(Do(district_, id, "revisit", "x", [](OrderActionInput& in) {
              in.reached = "监护人";
              in.satisfied = true;
              in.verified = true;
              in.reply_to_reporter = std::string("a\x01b");
            }).status().field(),
            "reply_to_reporter");
  auto v = Do(district_, id, "revisit", "电话回访监护人", [](OrderActionInput& in) {
    in.reached = "监护人";
    in.satisfied = true;
    in.verified = true;
    in.outcome = "  已安排亲属照料，学校跟进  ";
    in.reply_to_reporter = "已核实并妥善处置，感谢报告";
  });
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_EQ(v->order.status, "closed");
  EXPECT_EQ(v->order.satisfied, 1);
  EXPECT_EQ(reports_.reports[1].status, "closed");
  EXPECT_EQ(reports_.moves, (std::vector<std::string>{"dispatched", "feedback", "closed"}));
  ASSERT_EQ(reports_.closings.size(), 3u);
  EXPECT_EQ(reports_.closings[0].reply, "");  // only the closing move carries them
  EXPECT_EQ(reports_.closings[2].outcome, "已安排亲属照料，学校跟进");
  EXPECT_EQ(reports_.closings[2].reply, "已核实并妥善处置，感谢报告");
  EXPECT_TRUE(OpenKinds(id).empty());

  auto t = svc_->Timeline(district_, 1);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->steps.size(), 4u);
  EXPECT_EQ(t->steps[0].step.action, "dispatch");
  EXPECT_EQ(t->steps[1].step.action, "accept");
  EXPECT_EQ(t->steps[1].step.met, 1);
  EXPECT_EQ(t->steps[3].step.action, "revisit");
  EXPECT_EQ(t->steps[3].step.reached, "监护人");
  for (const char* action : {"dispatch.create", "dispatch.accept", "dispatch.feedback", "dispatch.revisit"}) {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = $1 AND object_type = 'dispatch_order' "
                    "AND object_id = $2",
                    {std::string(action), std::to_string(id)}),
              1)
        << action;
  }
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'dispatch.read'"), 1);
}

TEST_P(DispatchServiceTest, ErrorsInOrder) {
  auto sent = Send(1);
  const std::int64_t id = sent.at(0).order.id;
  // The center may not take the receiver's step, nor the receiver the center's (403).
  EXPECT_EQ(Do(district_, id, "accept").status().code(), Code::kPermissionDenied);
  EXPECT_EQ(Do(liaison_, id, "close", "x").status().code(), Code::kPermissionDenied);
  // Another department, another street: not found.
  EXPECT_EQ(Do(police_liaison_, id, "accept").status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Get(director2_, id).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Timeline(police_liaison_, 1).status().code(), Code::kNotFound);
  // Not from this state; unknown action; stale version.
  EXPECT_EQ(Do(liaison_, id, "feedback", "x").status().error_code(), "invalid_state");
  EXPECT_EQ(Do(liaison_, id, "fly").status().error_code(), "invalid_enum");
  auto stale = Do(liaison_, id, "accept", "", [](OrderActionInput& in) { --in.version; });
  EXPECT_EQ(stale.status().error_code(), "stale_version");
  ASSERT_TRUE(Do(liaison_, id, "accept").ok());
  EXPECT_EQ(Do(liaison_, id, "accept").status().error_code(), "invalid_state");
  // A second lead while one is open.
  DispatchInput again;
  again.version = reports_.reports[1].version;
  again.lead.agency_id = police_;
  EXPECT_EQ(svc_->Dispatch(district_, 1, again).status().error_code(), "invalid_state");
  // Targets: a retired/unknown agency, a unit outside, the same unit twice.
  AddReport(2, community2_.path, "routine", "dropout");
  DispatchInput bad;
  bad.version = 3;
  bad.lead.agency_id = 99999;
  EXPECT_EQ(svc_->Dispatch(district_, 2, bad).status().error_code(), "invalid_target");
  bad.lead.agency_id.reset();
  bad.lead.unit_id = community2_.id;
  bad.co.push_back({std::nullopt, community2_.id, "", false});
  EXPECT_EQ(svc_->Dispatch(district_, 2, bad).status().error_code(), "duplicate_target");
  EXPECT_EQ(svc_->Dispatch(director2_, 2, bad).status().code(), Code::kPermissionDenied);
}

TEST_P(DispatchServiceTest, ReturnReviewedByTheCenter) {
  const std::int64_t id = Send(1).at(0).order.id;
  EXPECT_EQ(Do(liaison_, id, "return").status().error_code(), "required");
  ASSERT_TRUE(Do(liaison_, id, "return", "不属于本部门职责").ok());
  EXPECT_EQ(OpenKinds(id), std::vector<std::string>{"dispatch_return_review"});
  // Rejected: back to the receiver with a new accept deadline.
  auto r = Do(district_, id, "reject_return", "属于教育部门职责");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->order.status, "pending_accept");
  EXPECT_EQ(OpenKinds(id), std::vector<std::string>{"dispatch_accept"});
  ASSERT_TRUE(Do(liaison_, id, "return", "确不属于本部门").ok());
  auto ok = Do(district_, id, "approve_return");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->order.status, "returned");
  EXPECT_TRUE(OpenKinds(id).empty());
  EXPECT_EQ(reports_.reports[1].status, "triaged");
  // The center dispatches again, this time designated: no return.
  auto again = Send(1, /*designated=*/true);
  ASSERT_EQ(again.size(), 1u);
  auto no = Do(liaison_, again[0].order.id, "return", "不属于");
  EXPECT_EQ(no.status().error_code(), "designated");
  EXPECT_EQ(no.status().code(), Code::kConflict);
}

TEST_P(DispatchServiceTest, ExtensionSetsANewDeadline) {
  const std::int64_t id = Send(1).at(0).order.id;
  ASSERT_TRUE(Do(liaison_, id, "accept").ok());
  const auto before = svc_->Get(district_, id)->order;
  ASSERT_TRUE(before.handle_due_at);
  EXPECT_EQ(Do(liaison_, id, "request_extension", "需联系外地监护人").status().field(), "due_date");
  const domain::Date today = domain::Date::FromEpochMillisShanghai(clock_.NowMillis());
  EXPECT_EQ(Do(liaison_, id, "request_extension", "x", [&](auto& in) { in.due_date = today; }).status().error_code(),
            "invalid_due_date");
  auto asked = Do(liaison_, id, "request_extension", "需联系外地监护人",
                  [&](auto& in) { in.due_date = today.AddDays(20); });
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  EXPECT_EQ(asked->flow_state, "extension_requested");
  EXPECT_EQ(asked->order.status, "handling");
  EXPECT_EQ(OpenKinds(id), (std::vector<std::string>{"dispatch_extension_review", "dispatch_handle"}));
  EXPECT_EQ(Do(liaison_, id, "request_extension", "again", [&](auto& in) { in.due_date = today.AddDays(30); })
                .status()
                .error_code(),
            "invalid_state");
  auto approved = Do(district_, id, "approve_extension", "", [&](auto& in) { in.due_date = today.AddDays(15); });
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->order.handle_due_at, work::EndOfDayShanghai(today.AddDays(15)));
  EXPECT_EQ(approved->order.extensions, 1);
  EXPECT_EQ(OpenKinds(id), std::vector<std::string>{"dispatch_handle"});
  auto item = conn().Query("SELECT due_at FROM work_item WHERE subject_type = 'dispatch_order' AND subject_id = $1 "
                           "AND is_open = 1",
                           {id});
  ASSERT_TRUE(item.ok());
  ASSERT_EQ(item->size(), 1u);
  EXPECT_EQ((*item)[0].Int(0), work::EndOfDayShanghai(today.AddDays(15)));  // the item follows the new deadline
  ASSERT_TRUE(Do(liaison_, id, "request_extension", "再延", [&](auto& in) { in.due_date = today.AddDays(25); }).ok());
  auto rejected = Do(district_, id, "reject_extension", "不予延期");
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->order.handle_due_at, work::EndOfDayShanghai(today.AddDays(15)));
  EXPECT_EQ(rejected->order.extensions, 1);
}

TEST_P(DispatchServiceTest, UnresolvedRevisitIsARedo) {
  const std::int64_t id = Send(1).at(0).order.id;
  ASSERT_TRUE(Do(liaison_, id, "accept").ok());
  ASSERT_TRUE(Do(liaison_, id, "feedback", "已处理").ok());
  auto redo = Do(district_, id, "revisit", "监护人反映仍无人照料", [](auto& in) {
    in.reached = "监护人";
    in.satisfied = false;
    in.verified = false;
  });
  ASSERT_TRUE(redo.ok()) << redo.status().ToString();
  EXPECT_EQ(redo->order.status, "handling");
  EXPECT_EQ(redo->order.round, 2);
  EXPECT_EQ(redo->order.redos, 1);
  EXPECT_EQ(reports_.reports[1].status, "dispatched");
  EXPECT_EQ(OpenKinds(id), std::vector<std::string>{"dispatch_handle"});
  ASSERT_TRUE(Do(liaison_, id, "feedback", "已安排寄宿").ok());
  ASSERT_TRUE(Do(district_, id, "close", "核实已解决").ok());
  EXPECT_EQ(reports_.reports[1].status, "closed");
  auto t = svc_->Timeline(district_, 1);
  ASSERT_TRUE(t.ok());
  std::vector<std::string> actions;
  for (const auto& s : t->steps) actions.push_back(s.step.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"dispatch", "accept", "feedback", "redo", "feedback", "close"}));
}

TEST_P(DispatchServiceTest, CoHandlersFeedBackToTheLead) {
  auto sent = Send(1, false, {community_.id});
  ASSERT_EQ(sent.size(), 2u);
  const std::int64_t lead = sent[0].order.id, co = sent[1].order.id;
  EXPECT_EQ(sent[1].order.lead_order_id, lead);
  EXPECT_EQ(sent[1].order.receiver_role, "child_director");
  ASSERT_TRUE(Do(liaison_, lead, "accept").ok());
  EXPECT_EQ(Do(liaison_, lead, "feedback", "主办已处理").status().error_code(), "co_pending");
  // The community's director receives the co order; its street's supervisor sees it too.
  EXPECT_EQ(svc_->Get(director_, co)->access, OrderAccess::kReceiver);
  EXPECT_EQ(svc_->Get(director2_, co).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Get(director2_, lead).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Get(director_, lead)->access, OrderAccess::kReader);  // reports of its community
  ASSERT_TRUE(Do(director_, co, "accept").ok());
  ASSERT_TRUE(Do(director_, co, "feedback", "社区已走访").ok());
  EXPECT_TRUE(OpenKinds(co).empty());  // co orders wait on their lead, not on a revisit
  EXPECT_EQ(svc_->Get(liaison_, co)->access, OrderAccess::kLeadReceiver);
  EXPECT_EQ(Do(district_, co, "revisit", "x", [](auto& in) {
              in.reached = "x";
              in.satisfied = true;
              in.verified = true;
            }).status().code(),
            Code::kConflict);
  auto lt = svc_->Timeline(liaison_, 1);
  ASSERT_TRUE(lt.ok());
  EXPECT_EQ(lt->orders.size(), 2u);  // the lead sees its co order
  auto ct = svc_->Timeline(director_, 1);
  ASSERT_TRUE(ct.ok());
  EXPECT_EQ(ct->orders.size(), 2u);  // the community is a reader of reports in its subtree
  ASSERT_TRUE(Do(liaison_, lead, "feedback", "主办已处理").ok());
  ASSERT_TRUE(Do(district_, lead, "revisit", "回访", [](auto& in) {
                in.reached = "儿童本人";
                in.satisfied = true;
                in.verified = true;
              }).ok());
  EXPECT_EQ(svc_->Get(district_, co)->order.status, "closed");
}

TEST_P(DispatchServiceTest, DirectCloseOfTheReportClosesItsOpenOrders) {
  // The lead fed back (waiting on the revisit), a co order still handling: the center closes the
  // report directly (the reports module's listener, in its transaction).
  auto sent = Send(1, false, {community_.id});
  ASSERT_EQ(sent.size(), 2u);
  const std::int64_t lead = sent[0].order.id, co = sent[1].order.id;
  ASSERT_TRUE(Do(director_, co, "accept").ok());
  ASSERT_TRUE(reports_.on_close) << "the dispatch service listens to direct closes";
  {
    auto h = db()->Acquire();
    ASSERT_TRUE(h.ok());
    storage::Transaction tx(**h);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(reports_.on_close(**h, district_, 1, "已核实无需继续处置").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  for (std::int64_t id : {lead, co}) {
    auto o = svc_->Get(district_, id);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->order.status, "closed") << id;
    EXPECT_TRUE(o->actions.empty()) << id;
    EXPECT_TRUE(OpenKinds(id).empty()) << id;
  }
  auto t = svc_->Timeline(district_, 1);
  ASSERT_TRUE(t.ok());
  ASSERT_FALSE(t->steps.empty());
  EXPECT_EQ(t->steps.back().step.action, "close");
  EXPECT_EQ(t->steps.back().step.note, "报告已由中心办结: 已核实无需继续处置");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'dispatch.close_with_report'"), 2);
  // Nothing more to close: a second call changes nothing.
  auto h = db()->Acquire();
  ASSERT_TRUE(h.ok());
  ASSERT_TRUE(svc_->CloseWithReport(**h, district_, 1, "x").ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'dispatch.close_with_report'"), 2);
}

TEST_P(DispatchServiceTest, ListsAreScoped) {
  Send(1, false, {community_.id});
  AddReport(2, community2_.path, "immediate", "abuse");
  DispatchInput in;
  in.version = 3;
  in.lead.unit_id = bantian_.id;
  ASSERT_TRUE(svc_->Dispatch(district_, 2, in).ok());
  auto page = MakePage(1, 20);
  ASSERT_TRUE(page.ok());
  std::int64_t total = 0;
  auto all = svc_->List(district_, {}, *page, &total);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(total, 3);
  auto edu = svc_->List(liaison_, {}, *page, &total);
  ASSERT_TRUE(edu.ok());
  EXPECT_EQ(total, 1);
  auto pol = svc_->List(police_liaison_, {}, *page, &total);
  ASSERT_TRUE(pol.ok());
  EXPECT_EQ(total, 0);
  auto dir = svc_->List(director_, {}, *page, &total);
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(total, 1);
  EXPECT_EQ(dir->at(0).order.unit_id, community_.id);
  DispatchListParams p;
  p.status = "bogus";
  EXPECT_EQ(svc_->List(district_, p, *page, &total).status().error_code(), "invalid_enum");
  p.status = "pending_accept";
  p.overdue = true;
  clock_.Advance(3LL * 3600 * 1000);  // the immediate order's 2 hours passed
  auto late = svc_->List(district_, p, *page, &total);
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(total, 1);
  EXPECT_TRUE(late->at(0).overdue);
}

TEST_P(DispatchServiceTest, StatisticsMatchTheRecords) {
  const std::int64_t a = Send(1).at(0).order.id;
  ASSERT_TRUE(Do(liaison_, a, "accept").ok());
  ASSERT_TRUE(Do(liaison_, a, "feedback", "已处理").ok());
  ASSERT_TRUE(Do(district_, a, "revisit", "回访", [](auto& in) {
                in.reached = "监护人";
                in.satisfied = true;
                in.verified = true;
              }).ok());
  AddReport(2, community2_.path, "24h", "dropout");
  DispatchInput in;
  in.version = 3;
  in.lead.agency_id = education_;
  const std::int64_t b = svc_->Dispatch(district_, 2, in)->at(0).order.id;
  ASSERT_TRUE(Do(liaison_, b, "return", "非本部门").ok());
  ASSERT_TRUE(Do(district_, b, "approve_return").ok());
  AddReport(3, community2_.path, "24h", "dropout");
  in.lead.agency_id = police_;
  ASSERT_TRUE(svc_->Dispatch(district_, 3, in).ok());
  clock_.Advance(48LL * 3600 * 1000);  // police never accepted: overdue now, accept due missed
  const domain::Date today = domain::Date::FromEpochMillisShanghai(clock_.NowMillis());
  auto s = svc_->Stats(district_, today.AddDays(-10), today.AddDays(1), "department");
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  ASSERT_EQ(s->rows.size(), 2u);
  std::map<std::string, repo::DispatchStatsRow> by;
  for (const auto& r : s->rows) by[r.name] = r;
  EXPECT_EQ(by["龙岗区教育局"].received, 2);
  EXPECT_EQ(by["龙岗区教育局"].returned, 1);
  EXPECT_EQ(by["龙岗区教育局"].accepted_on_time, 1);
  EXPECT_EQ(by["龙岗区教育局"].accept_due, 1);  // the returned order never came due
  EXPECT_EQ(by["龙岗区教育局"].revisited, 1);
  EXPECT_EQ(by["龙岗区教育局"].satisfied, 1);
  EXPECT_EQ(by["龙岗区公安分局"].received, 1);
  EXPECT_EQ(by["龙岗区公安分局"].accept_due, 1);
  EXPECT_EQ(by["龙岗区公安分局"].accepted_on_time, 0);
  EXPECT_EQ(by["龙岗区公安分局"].overdue_now, 1);
  EXPECT_EQ(s->total.received, 3);
  auto st = svc_->Stats(district_, today.AddDays(-10), today.AddDays(1), "street");
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->rows.size(), 2u);  // 布吉 (report 1), 坂田 (reports 2 and 3)
  EXPECT_EQ(svc_->Stats(district_, today, today, "street").status().error_code(), "invalid_range");
  EXPECT_EQ(svc_->Stats(district_, today, today.AddDays(1), "nope").status().error_code(), "invalid_enum");
  EXPECT_EQ(svc_->Stats(director_, today, today.AddDays(1), "month").status().code(), Code::kPermissionDenied);
  auto x = svc_->StatsXlsx(district_, today.AddDays(-10), today.AddDays(1), "category");
  ASSERT_TRUE(x.ok()) << x.status().ToString();
  auto sheet = io::ParseXlsx(*x);
  ASSERT_TRUE(sheet.ok()) << sheet.status().ToString();
  EXPECT_EQ(sheet->header.at(0), "类别");
  EXPECT_EQ(sheet->header.at(2), "按时签收率");
  // Rows per category, the total (3 orders), then the watermark with the caller's name and account.
  bool total = false, mark = false;
  for (const auto& r : sheet->rows) {
    if (!r.empty() && r[0] == "合计") total = r.at(1) == "3";
    if (!r.empty() && r[0].rfind(kExportWatermarkPrefix, 0) == 0) mark = r[0].find("(district)") != std::string::npos;
  }
  EXPECT_TRUE(total);
  EXPECT_TRUE(mark);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'dispatch.export'"), 1);
}

TEST_P(DispatchServiceTest, AttachmentsAreCheckedAndScoped) {
  const std::int64_t id = Send(1).at(0).order.id;
  const std::string png = std::string("\x89PNG\r\n\x1a\n", 8) + "data";
  EXPECT_EQ(svc_->Attach(liaison_, id, "a.png", png).status().error_code(), "invalid_state");  // not accepted yet
  ASSERT_TRUE(Do(liaison_, id, "accept").ok());
  EXPECT_EQ(svc_->Attach(liaison_, id, "a.exe", "MZ....").status().error_code(), "invalid_file_type");
  EXPECT_EQ(svc_->Attach(police_liaison_, id, "a.png", png).status().code(), Code::kNotFound);
  auto a = svc_->Attach(liaison_, id, "现场照片.png", png);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->content_type, "image/png");
  auto f = Do(liaison_, id, "feedback", "见附件", [&](auto& in) { in.attachment_ids = {a->id}; });
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto got = svc_->Attachment(district_, id, a->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->data, png);
  EXPECT_EQ(svc_->Attachment(police_liaison_, id, a->id).status().code(), Code::kNotFound);
}

// Fake clock, two servers (two pools and two engines on one database, sweeping at the same
// time): an unaccepted order and an unhandled one climb the ladder, each step recorded once.
TEST_P(DispatchServiceTest, UnacceptedAndUnhandledOrdersEscalateOnceWithTwoServers) {
  const std::int64_t unaccepted = Send(1).at(0).order.id;
  AddReport(2, community2_.path, "routine", "guardianship");
  DispatchInput in;
  in.version = 3;
  in.lead.unit_id = bantian_.id;
  auto sent = svc_->Dispatch(district_, 2, in);
  ASSERT_TRUE(sent.ok()) << sent.status().ToString();
  const std::int64_t unhandled = sent->at(0).order.id;
  ASSERT_TRUE(Do(sup2(), unhandled, "accept").ok());
  storage::DatabaseOptions o;
  o.pool_size = 2;
  auto other = OpenAnother(o);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  Services services2(Deps{**other, clock_, keys_, services_->deps().options}, testing::Roles());
  ASSERT_TRUE(work::InstallWork(services2.deps(), std::string(TH_SOURCE_DIR) + "/config").ok());
  work::WorkService* first = work::FindWork(services_->deps());
  work::WorkService* second = work::FindWork(services2.deps());
  auto sweep_both = [&] {
    std::int64_t a = 0, b = 0;
    std::thread t1([&] {
      auto st = first->Sweep(1);
      EXPECT_TRUE(st.ok()) << st.status().ToString();
      if (st.ok()) a = st->escalations;
    });
    std::thread t2([&] {
      auto st = second->Sweep(1);
      EXPECT_TRUE(st.ok()) << st.status().ToString();
      if (st.ok()) b = st->escalations;
    });
    t1.join();
    t2.join();
    return a + b;
  };
  std::int64_t added = 0;
  for (int i = 0; i < 80; ++i) {  // 40 days in half days (the National Day week lies between)
    clock_.Advance(12LL * 3600 * 1000);
    added += sweep_both();
  }
  auto steps = [&](std::int64_t order, const std::string& kind) {
    return Count("SELECT COUNT(*) FROM work_escalation e JOIN work_item w ON w.id = e.item_id "
                 "WHERE w.subject_type = 'dispatch_order' AND w.subject_id = $1 AND w.kind = $2",
                 {order, kind});
  };
  // The accept clock is hours: the half-day sweep finds the order already past its deadline, so no
  // warning (moot once overdue, see the sweep); overdue and district, no supervise (nothing above the
  // district that owns a department's item). The handling clock is days: warn, overdue, supervise,
  // district. Once each.
  EXPECT_EQ(steps(unaccepted, "dispatch_accept"), 2);
  EXPECT_EQ(steps(unhandled, "dispatch_handle"), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM work_escalation"), added);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT 1 FROM work_escalation GROUP BY item_id, round, level, "
                  "target_unit_id HAVING COUNT(*) > 1) d"),
            0);
  EXPECT_EQ(sweep_both(), 0);  // nothing left to add
  // The orders show overdue in the center's list.
  DispatchListParams p;
  p.overdue = true;
  std::int64_t total = 0;
  ASSERT_TRUE(svc_->List(district_, p, *MakePage(1, 20), &total).ok());
  EXPECT_EQ(total, 2);
  services2.deps().work.reset();
}

// A community moved to another street: the orders' copies of its path (receiver and report) move
// in the same transaction, so the new street's supervisor sees them and the old one no longer does.
TEST_P(DispatchServiceTest, OrdersFollowAUnitMove) {
  auto sent = Send(1, false, {community_.id});
  ASSERT_EQ(sent.size(), 2u);
  const std::int64_t co = sent[1].order.id;
  EXPECT_EQ(svc_->Get(sup_, co)->access, OrderAccess::kReceiver);
  EXPECT_EQ(svc_->Get(sup2(), co).status().code(), Code::kNotFound);
  auto unit = repo::OrgRepo(conn()).Get(community_.id);
  ASSERT_TRUE(unit.ok());
  auto moved = accounts_->org().Move(district_, community_.id, bantian_.id, unit->version);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  auto now = svc_->Get(district_, co);
  ASSERT_TRUE(now.ok());
  EXPECT_EQ(now->order.unit_path, moved->path);
  EXPECT_EQ(now->order.report_unit_path, moved->path);
  EXPECT_EQ(svc_->Get(sup_, co).status().code(), Code::kNotFound);
  EXPECT_EQ(svc_->Get(sup2(), co)->access, OrderAccess::kReceiver);
}

// The statistics read from the rollups equal the statistics counted over every order, for every
// grouping, with and without a street, at several moments (deadlines ahead and passed).
void ExpectRollupsMatch(storage::Connection& c, std::int64_t district, std::vector<std::int64_t> streets,
                        std::int64_t now, const std::string& when) {
  repo::DispatchRepo repo(c);
  const std::int64_t from = now - 40LL * 86400000, to = now + 2LL * 86400000;
  const std::int64_t day_from = repo::DispatchRepo::DayOf(from) * 86400000 - 8LL * 3600000;
  const std::int64_t day_to = repo::DispatchRepo::DayOf(to) * 86400000 - 8LL * 3600000;
  streets.insert(streets.begin(), 0);
  for (const char* by : {"department", "street", "month", "category", "channel"}) {
    for (std::int64_t street : streets) {
      for (std::int64_t at : std::vector<std::int64_t>{now, now + 3600000, now + 3LL * 86400000, now + 40LL * 86400000}) {
        const auto st = street ? std::optional<std::int64_t>(street) : std::nullopt;
        auto fast = repo.Stats(district, st, day_from, day_to, by, at);
        auto slow = repo.StatsFromOrders(district, st, day_from, day_to, by, at);
        ASSERT_TRUE(fast.ok()) << fast.status().ToString();
        ASSERT_TRUE(slow.ok()) << slow.status().ToString();
        const std::string ctx = when + " by " + by + " street " + std::to_string(street) + " at +" +
                                std::to_string((at - now) / 3600000) + "h";
        ASSERT_EQ(fast->size(), slow->size()) << ctx;
        for (std::size_t i = 0; i < fast->size(); ++i) {
          const auto &f = (*fast)[i], &o = (*slow)[i];
          EXPECT_EQ(f.key, o.key) << ctx;
          EXPECT_EQ(f.name, o.name) << ctx;
          EXPECT_EQ(std::vector<std::int64_t>({f.received, f.accepted, f.accepted_on_time, f.accept_due, f.fed_back,
                                               f.handled_on_time, f.handle_due, f.returned, f.extensions, f.revisited,
                                               f.satisfied, f.overdue_now}),
                    std::vector<std::int64_t>({o.received, o.accepted, o.accepted_on_time, o.accept_due, o.fed_back,
                                               o.handled_on_time, o.handle_due, o.returned, o.extensions, o.revisited,
                                               o.satisfied, o.overdue_now}))
              << ctx << " key " << f.key;
        }
      }
    }
  }
}

TEST_P(DispatchServiceTest, RollupsMatchTheOrdersAfterEveryAction) {
  auto check = [&](const std::string& when) {
    ExpectRollupsMatch(conn(), root_.id, {buji_.id, bantian_.id}, clock_.NowMillis(), when);
  };
  check("empty");
  auto sent = Send(1, false, {community_.id});  // lead to the education bureau, co to the community
  ASSERT_EQ(sent.size(), 2u);
  const std::int64_t lead = sent[0].order.id, co = sent[1].order.id;
  check("dispatched");
  AddReport(2, community2_.path, "immediate", "dropout");
  DispatchInput in;
  in.version = 3;
  in.lead.agency_id = police_;
  const std::int64_t police = svc_->Dispatch(district_, 2, in)->at(0).order.id;
  ASSERT_TRUE(Do(police_liaison_, police, "return", "非本部门职责").ok());
  check("return requested");
  ASSERT_TRUE(Do(district_, police, "reject_return", "属于本部门职责").ok());
  check("return rejected");
  ASSERT_TRUE(Do(police_liaison_, police, "return", "仍非本部门职责").ok());
  ASSERT_TRUE(Do(district_, police, "approve_return").ok());
  check("return approved");
  clock_.Advance(30LL * 3600 * 1000);  // the lead's 24 h acceptance passes
  check("accept due passed");
  ASSERT_TRUE(Do(liaison_, lead, "accept").ok());
  ASSERT_TRUE(Do(director_, co, "accept").ok());
  check("accepted late");
  const domain::Date later = domain::Date::FromEpochMillisShanghai(clock_.NowMillis()).AddDays(60);
  ASSERT_TRUE(Do(liaison_, lead, "request_extension", "需协调", [&](auto& x) { x.due_date = later; }).ok());
  check("extension requested");
  ASSERT_TRUE(Do(district_, lead, "reject_extension", "不予延期").ok());
  ASSERT_TRUE(Do(liaison_, lead, "request_extension", "需协调", [&](auto& x) { x.due_date = later; }).ok());
  ASSERT_TRUE(Do(district_, lead, "approve_extension").ok());
  check("extension approved");
  ASSERT_TRUE(Do(director_, co, "feedback", "社区已走访").ok());
  ASSERT_TRUE(Do(liaison_, lead, "feedback", "已处理").ok());
  check("fed back");
  ASSERT_TRUE(Do(district_, lead, "revisit", "未解决", [](auto& x) {
                x.reached = "监护人";
                x.satisfied = false;
                x.verified = false;
              }).ok());
  check("redo after the revisit");
  clock_.Advance(90LL * 86400 * 1000);  // the handling deadline passes
  check("handle due passed");
  ASSERT_TRUE(Do(liaison_, lead, "feedback", "再次处理").ok());
  ASSERT_TRUE(Do(district_, lead, "redo", "仍需跟进").ok());
  ASSERT_TRUE(Do(liaison_, lead, "feedback", "第三次处理").ok());
  ASSERT_TRUE(Do(district_, lead, "close", "办结").ok());
  check("closed");
  AddReport(3, community_.path, "24h", "guardianship");
  in.version = 3;
  in.lead.agency_id = education_;
  ASSERT_TRUE(svc_->Dispatch(district_, 3, in).ok());
  {
    auto h = db()->Acquire();
    ASSERT_TRUE(h.ok());
    storage::Transaction tx(**h);
    ASSERT_TRUE(tx.Begin().ok());
    ASSERT_TRUE(svc_->CloseWithReport(**h, district_, 3, "中心直接办结").ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  check("closed with the report");
  AddReport(4, community_.path, "24h", "wandering");
  ASSERT_TRUE(svc_->Dispatch(district_, 4, in).ok());
  auto unit = repo::OrgRepo(conn()).Get(community_.id);
  ASSERT_TRUE(unit.ok());
  ASSERT_TRUE(accounts_->org().Move(district_, community_.id, bantian_.id, unit->version).ok());
  check("after a unit move");
}

TH_INSTANTIATE_ENGINE_TEST(DispatchServiceTest);

}  // namespace
}  // namespace th::service
