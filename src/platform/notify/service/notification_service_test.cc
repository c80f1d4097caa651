// Notifications and the outbox worker on both engines: recipients, once-only keys, the caller's
// transaction, per-user reads, and delivery to a local HTTP receiver with retries and backoff.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include "http/http_client.h"
#include "http/message.h"
#include "platform/notify/service/notification_service.h"
#include "platform/notify/service/outbox_worker.h"
#include "app/testing/service_fixture.h"

namespace th::notify {
namespace {

using service::Principal;

constexpr std::uint16_t kReceiverPort = 18390;  // the notify helper's port range (HELPERS.md)

// A local SMS gateway: records each request; answers `fail_next` requests with 500 first.
class Receiver {
 public:
  Receiver() {
    http::Router router;
    router.Add("POST", "/api/sms", [this](http::Request& req) {
      std::lock_guard<std::mutex> lock(mu_);
      bodies_.push_back(req.body);
      keys_.push_back(req.Header("idempotency-key"));
      http::Response resp;
      resp.status = fail_next_ > 0 ? 500 : 200;
      if (fail_next_ > 0) --fail_next_;
      resp.body = "{}";
      return resp;
    });
    http::ServerOptions o;
    o.port = kReceiverPort;
    o.threads = 1;
    o.access_log = false;
    server_ = std::make_unique<http::Server>(o, std::move(router));
    std::string err;
    started_ = server_->Start(&err);
    if (started_) thread_ = std::thread([this] { server_->Run(false); });
  }
  ~Receiver() {
    server_->Stop();
    if (thread_.joinable()) thread_.join();
  }
  bool started() const { return started_; }
  void FailNext(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_next_ = n;
  }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }
  std::vector<std::string> keys() {
    std::lock_guard<std::mutex> lock(mu_);
    return keys_;
  }

 private:
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  bool started_ = false;
  std::mutex mu_;
  int fail_next_ = 0;
  std::vector<std::string> bodies_, keys_;
};

ChannelSender HttpSender() {
  return [](const std::string& url, const std::string& body,
            const std::vector<std::pair<std::string, std::string>>& headers,
            std::chrono::milliseconds timeout) -> Result<ChannelAnswer> {
    TH_ASSIGN_OR_RETURN(auto r, http::PostJson(url, body, headers, timeout));
    return ChannelAnswer{r.status};
  };
}

class NotifyTest : public service::testing::ServiceFixture {
 protected:
  void SetUp() override {
    SetUpServices();
    if (IsSkipped() || HasFatalFailure()) return;
    root_ = Insert({}, "440307000000", "龙岗区", "district");
    street_ = Insert(root_.id, "440307001000", "布吉街道", "street");
    community_ = Insert(street_.id, "440307001001", "布吉社区", "community");
    director_ = MakeUserWithPhone("director", "child_director", community_.id, "13800001111");
    grid_ = MakeUserWithPhone("grid", "grid_worker", community_.id, "");
    sup_ = MakeUserWithPhone("sup", "street_supervisor", street_.id, "13900002222");
  }
  Principal MakeUserWithPhone(const std::string& name, const std::string& role, std::int64_t unit,
                              const std::string& phone) {
    service::NewUser n;
    n.username = name;
    n.display_name = name;
    n.role = role;
    n.org_unit_id = unit;
    n.password = kPassword;
    n.phone = phone;
    n.must_change_password = false;
    EXPECT_TRUE(accounts_->users().Create(nullptr, n).ok());
    auto login = services_->auth().Login(name, kPassword, "10.0.0.1", "test");
    EXPECT_TRUE(login.ok());
    return login.ok() ? login->principal : Principal();
  }
  NotifyConfig SmsOn() {
    NotifyConfig cfg;
    cfg.sms.enabled = true;
    cfg.sms.url = "http://127.0.0.1:" + std::to_string(kReceiverPort) + "/api/sms";
    cfg.sms.max_attempts = 3;
    cfg.sms.backoff_ms = 60'000;
    cfg.sms.timeout_ms = 3000;
    return cfg;
  }
  Result<int> NotifyInTx(NotificationService& svc, const Recipients& to, const std::string& key = "",
                         std::optional<std::int64_t> item = 7) {
    Result<int> out = 0;
    Status s = service::InTransaction(*db(), [&](storage::Connection& c) {
      out = svc.Notify(c, item, to, "入册申请待审核", "张三的入册申请已超期", "/children/1", key);
      return out.status();
    });
    if (!s.ok()) return s;
    return out;
  }
  std::int64_t Count(const std::string& sql) {
    auto r = conn().Query(sql);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->rows[0].Int(0) : -1;
  }
  repo::OrgUnit root_, street_, community_;
  Principal director_, grid_, sup_;
};

TEST_P(NotifyTest, UnitRoleRecipientsGetOneRowEachAndOnlyTheirOwn) {
  NotificationService svc(services_->deps());
  auto n = NotifyInTx(svc, Recipients::UnitRole(community_.id, "child_director"));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  n = NotifyInTx(svc, Recipients::UnitRole(community_.id, ""));  // every role of the unit
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 2);
  auto mine = svc.List(director_, false, {1, 20});
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ(mine->total, 2);
  EXPECT_EQ(mine->unread, 2);
  ASSERT_EQ(mine->items.size(), 2u);
  EXPECT_EQ(mine->items[0].title, "入册申请待审核");
  EXPECT_EQ(mine->items[0].work_item_id, std::optional<std::int64_t>(7));
  auto theirs = svc.List(sup_, false, {1, 20});
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->total, 0);
  // Another user's notification is not found for the supervisor, and stays unread.
  Status s = svc.MarkRead(sup_, mine->items[0].id);
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_TRUE(svc.MarkRead(director_, mine->items[0].id).ok());
  EXPECT_TRUE(svc.MarkRead(director_, mine->items[0].id).ok());  // idempotent
  auto unread = svc.List(director_, true, {1, 20});
  ASSERT_TRUE(unread.ok());
  EXPECT_EQ(unread->total, 1);
  EXPECT_EQ(unread->unread, 1);
  auto all = svc.MarkAllRead(director_);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, 1);
  EXPECT_EQ(svc.List(director_, true, {1, 20})->total, 0);
  EXPECT_EQ(svc.List(grid_, true, {1, 20})->total, 1);  // the grid worker's own stays unread
}

TEST_P(NotifyTest, DedupKeyNotifiesOnceAndFailureRollsBackWithTheCaller) {
  NotificationService svc(services_->deps(), SmsOn());
  ASSERT_EQ(*NotifyInTx(svc, Recipients::User(director_.user_id), "esc:1:overdue"), 1);
  ASSERT_EQ(*NotifyInTx(svc, Recipients::User(director_.user_id), "esc:1:overdue"), 0);
  ASSERT_EQ(*NotifyInTx(svc, Recipients::User(sup_.user_id), "esc:1:overdue"), 1);  // per user
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification_outbox"), 2);
  // The caller's transaction fails after Notify: nothing stays.
  Status s = service::InTransaction(*db(), [&](storage::Connection& c) {
    auto n = svc.Notify(c, 8, Recipients::User(director_.user_id), "标题", "", "/x");
    EXPECT_TRUE(n.ok());
    return Status::Internal("caller failed");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification"), 2);
  // Validation names the field.
  Status link = service::InTransaction(*db(), [&](storage::Connection& c) {
    return svc.Notify(c, 1, Recipients::User(director_.user_id), "t", "", "https://evil.example/").status();
  });
  EXPECT_EQ(link.field(), "link");
  Status title = service::InTransaction(*db(), [&](storage::Connection& c) {
    return svc.Notify(c, 1, Recipients::User(director_.user_id), "  ", "", "/x").status();
  });
  EXPECT_EQ(title.field(), "title");
}

TEST_P(NotifyTest, OutboxOnlyWhenSmsIsOnAndOnlyForUsersWithAPhoneNeverInClear) {
  NotificationService off(services_->deps());
  ASSERT_EQ(*NotifyInTx(off, Recipients::UnitRole(community_.id, "")), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification_outbox"), 0);
  NotificationService on(services_->deps(), SmsOn());
  ASSERT_EQ(*NotifyInTx(on, Recipients::UnitRole(community_.id, "")), 2);
  // The grid worker has no phone: one outbox row, the director's, naming the user, masked.
  auto rows = conn().Query("SELECT recipient, recipient_masked, payload, channel FROM notification_outbox");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(rows->rows[0].Text(0), "user:" + std::to_string(director_.user_id));
  EXPECT_EQ(rows->rows[0].Text(1), "138****1111");
  EXPECT_EQ(rows->rows[0].Text(2).find("13800001111"), std::string::npos);
  EXPECT_EQ(rows->rows[0].Text(3), "sms");
}

TEST_P(NotifyTest, WorkerDeliversToTheGatewayRetriesWithBackoffAndGivesUp) {
  Receiver rx;
  ASSERT_TRUE(rx.started()) << "port " << kReceiverPort << " busy";
  NotificationService svc(services_->deps(), SmsOn());
  ASSERT_EQ(*NotifyInTx(svc, Recipients::User(director_.user_id)), 1);
  OutboxWorker worker(*db(), clock_, keys_, SmsOn(), HttpSender());
  rx.FailNext(1);
  auto r1 = worker.DeliverDue();
  ASSERT_TRUE(r1.ok()) << r1.status().ToString();
  EXPECT_EQ(r1->claimed, 1);
  EXPECT_EQ(r1->failed, 1);
  // Not due again until the backoff (60 s) has passed on the injected clock.
  EXPECT_EQ(worker.DeliverDue()->claimed, 0);
  clock_.Advance(59'000);
  EXPECT_EQ(worker.DeliverDue()->claimed, 0);
  clock_.Advance(2'000);
  auto r2 = worker.DeliverDue();
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->delivered, 1);
  auto got = rx.bodies();
  ASSERT_EQ(got.size(), 2u);
  EXPECT_NE(got[1].find("\"to\":\"13800001111\""), std::string::npos) << got[1];
  EXPECT_NE(got[1].find("入册申请待审核"), std::string::npos);
  EXPECT_EQ(rx.keys()[0], rx.keys()[1]);  // the same Idempotency-Key on a retry
  auto row = conn().Query("SELECT attempts, delivered_at, last_error FROM notification_outbox");
  ASSERT_TRUE(row.ok());
  EXPECT_EQ(row->rows[0].Int(0), 2);
  EXPECT_FALSE(row->rows[0].IsNull(1));
  // Delivered rows are never sent again.
  clock_.Advance(3'600'000);
  EXPECT_EQ(worker.DeliverDue()->claimed, 0);
  EXPECT_EQ(rx.bodies().size(), 2u);

  // A gateway that always fails: attempts 1..3, then given up; last_error has no phone.
  ASSERT_EQ(*NotifyInTx(svc, Recipients::User(sup_.user_id)), 1);
  rx.FailNext(100);
  int gave_up = 0;
  for (int i = 0; i < 5; ++i) {
    auto r = worker.DeliverDue();
    ASSERT_TRUE(r.ok());
    gave_up += r->gave_up;
    clock_.Advance(BackoffMs(SmsOn().sms, 3) + 1000);
  }
  EXPECT_EQ(gave_up, 1);
  auto dead = conn().Query("SELECT attempts, gave_up_at, last_error FROM notification_outbox WHERE gave_up_at IS NOT NULL");
  ASSERT_TRUE(dead.ok());
  ASSERT_EQ(dead->size(), 1u);
  EXPECT_EQ(dead->rows[0].Int(0), 3);
  EXPECT_EQ(dead->rows[0].Text(2), "HTTP 500");
}

TEST_P(NotifyTest, AnUnreachableGatewayIsARetriedFailureAndBackoffDoubles) {
  NotificationService svc(services_->deps(), SmsOn());
  ASSERT_EQ(*NotifyInTx(svc, Recipients::User(director_.user_id)), 1);
  NotifyConfig cfg = SmsOn();
  cfg.sms.url = "http://127.0.0.1:18391/api/sms";  // nothing listens there
  OutboxWorker worker(*db(), clock_, keys_, cfg, HttpSender());
  auto r = worker.DeliverDue();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->failed, 1);
  auto row = conn().Query("SELECT last_error, next_attempt_at FROM notification_outbox");
  ASSERT_TRUE(row.ok());
  EXPECT_NE(row->rows[0].Text(0).find("127.0.0.1:18391"), std::string::npos);
  EXPECT_EQ(row->rows[0].Int(1), clock_.NowMillis() + 60'000);
  EXPECT_EQ(BackoffMs(cfg.sms, 1), 60'000);
  EXPECT_EQ(BackoffMs(cfg.sms, 2), 120'000);
  EXPECT_EQ(BackoffMs(cfg.sms, 30), cfg.sms.max_backoff_ms);
}

TEST_P(NotifyTest, TwoWorkersNeverClaimTheSameRow) {
  NotificationService svc(services_->deps(), SmsOn());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(*NotifyInTx(svc, Recipients::User(director_.user_id)), 1);
  std::atomic<int> sent{0};
  std::mutex mu;
  std::vector<std::string> ids;
  ChannelSender counting = [&](const std::string&, const std::string& body,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               std::chrono::milliseconds) -> Result<ChannelAnswer> {
    std::lock_guard<std::mutex> lock(mu);
    ids.push_back(headers[0].second);
    ++sent;
    return ChannelAnswer{200};
  };
  NotifyConfig cfg = SmsOn();
  cfg.batch = 3;
  OutboxWorker a(*db(), clock_, keys_, cfg, counting), b(*db(), clock_, keys_, cfg, counting);
  std::thread ta([&] { (void)a.DeliverAllDue(); });
  std::thread tb([&] { (void)b.DeliverAllDue(); });
  ta.join();
  tb.join();
  EXPECT_EQ(sent.load(), 20);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::unique(ids.begin(), ids.end()), ids.end());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notification_outbox WHERE delivered_at IS NULL"), 0);
}

TEST(NotifyConfigTest, DefaultsOffAndErrorsNameTheField) {
  auto d = ParseNotifyConfig("{}", "notify.json");
  ASSERT_TRUE(d.ok());
  EXPECT_FALSE(d->sms.enabled);
  auto on = ParseNotifyConfig(R"({"sms":{"enabled":true,"url":"http://10.0.0.5:8080/send","max_attempts":4},
                                  "worker":{"interval_ms":5000}})",
                              "notify.json");
  ASSERT_TRUE(on.ok()) << on.status().ToString();
  EXPECT_EQ(on->sms.max_attempts, 4);
  EXPECT_EQ(on->interval_ms, 5000);
  auto bad = ParseNotifyConfig(R"({"sms":{"enabled":true,"url":"ftp://x"}})", "notify.json");
  EXPECT_EQ(bad.status().field(), "sms.url");
  auto bad2 = ParseNotifyConfig(R"({"sms":{"max_attempts":0}})", "notify.json");
  EXPECT_EQ(bad2.status().field(), "sms.max_attempts");
  EXPECT_EQ(SmsText("标题", "内容"), "【童护】标题：内容");
}

TH_INSTANTIATE_ENGINE_TEST(NotifyTest);

}  // namespace
}  // namespace th::notify
