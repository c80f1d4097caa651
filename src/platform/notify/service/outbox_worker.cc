#include "platform/notify/service/outbox_worker.h"

#include <spdlog/spdlog.h>

#include "base/json_writer.h"
#include "platform/notify/repo/notification_repo.h"

namespace th::notify {

struct OutboxWorker::Claimed {
  OutboxRecord row;
};

std::int64_t BackoffMs(const SmsChannelConfig& sms, std::int64_t attempts) {
  std::int64_t ms = sms.backoff_ms;
  for (std::int64_t i = 1; i < attempts && ms < sms.max_backoff_ms; ++i) ms *= 2;
  return std::min(ms, sms.max_backoff_ms);
}

namespace {

// The request body: {"id":N,"to":"<phone>", ...payload fields}. The payload is a JSON object
// written by NotificationService (no address in it).
std::string RequestBody(const OutboxRecord& o, const std::string& phone) {
  std::string head = "{\"id\":" + std::to_string(o.id) + ",\"to\":";
  AppendJsonString(head, phone);
  if (o.payload.size() > 2 && o.payload.front() == '{') return head + "," + o.payload.substr(1);
  return head + "}";
}

}  // namespace

void OutboxWorker::Deliver(const Claimed& c, DeliverReport* report) {
  const OutboxRecord& o = c.row;
  auto fail = [&](const std::string& error, bool give_up) {
    const std::int64_t now = clock_.NowMillis();
    const bool last = give_up || o.attempts >= config_.sms.max_attempts;
    auto h = db_.Acquire();
    if (h.ok()) {
      Status s = NotificationRepo(**h).MarkFailed(o.id, error, now + BackoffMs(config_.sms, o.attempts), last, now);
      if (!s.ok()) spdlog::error("notify: outbox {}: cannot record failure: {}", o.id, s.ToString());
    }
    spdlog::warn("notify: outbox {} to {} attempt {} failed{}: {}", o.id, o.recipient_masked, o.attempts,
                 last ? " (given up)" : "", error);
    ++(last ? report->gave_up : report->failed);
  };
  if (o.channel != "sms" || !config_.sms.enabled) return fail("channel_disabled", false);
  std::string sealed;
  {
    auto h = db_.Acquire();
    if (!h.ok()) return fail("database_unavailable", false);
    std::int64_t user_id = 0;
    if (o.recipient.rfind("user:", 0) == 0) user_id = std::atoll(o.recipient.c_str() + 5);
    auto u = NotificationRepo(**h).ActiveUser(user_id);
    if (!u.ok()) return fail("database_error", false);
    if (!*u || (*u)->phone_enc.empty()) return fail("recipient_without_phone", true);
    sealed = (*u)->phone_enc;
  }
  auto phone = keys_.Decrypt(sealed, "user.phone");
  if (!phone.ok()) return fail("decrypt_failed", true);
  auto answer = sender_(config_.sms.url, RequestBody(o, *phone),
                        {{"Idempotency-Key", "tonghu-outbox-" + std::to_string(o.id)}},
                        std::chrono::milliseconds(config_.sms.timeout_ms));
  if (!answer.ok()) return fail(answer.status().message_en(), false);
  if (answer->status < 200 || answer->status > 299) return fail("HTTP " + std::to_string(answer->status), false);
  auto h = db_.Acquire();
  if (!h.ok()) return;  // delivered but not recorded: the lease expires and the gateway sees the same Idempotency-Key
  Status s = NotificationRepo(**h).MarkDelivered(o.id, clock_.NowMillis());
  if (!s.ok()) spdlog::error("notify: outbox {}: delivered but not recorded: {}", o.id, s.ToString());
  spdlog::info("notify: outbox {} delivered to {} (attempt {})", o.id, o.recipient_masked, o.attempts);
  ++report->delivered;
}

Result<DeliverReport> OutboxWorker::DeliverDue() {
  std::vector<OutboxRecord> rows;
  {
    TH_ASSIGN_OR_RETURN(auto h, db_.Acquire());
    TH_ASSIGN_OR_RETURN(rows, NotificationRepo(*h).ClaimDue(clock_.NowMillis(), config_.lease_ms, config_.batch));
  }
  DeliverReport report;
  report.claimed = static_cast<int>(rows.size());
  for (auto& r : rows) Deliver(Claimed{std::move(r)}, &report);
  return report;
}

Result<DeliverReport> OutboxWorker::DeliverAllDue() {
  DeliverReport total;
  for (int pass = 0; pass < 10000; ++pass) {
    TH_ASSIGN_OR_RETURN(auto r, DeliverDue());
    total.claimed += r.claimed;
    total.delivered += r.delivered;
    total.failed += r.failed;
    total.gave_up += r.gave_up;
    if (r.claimed < config_.batch) break;
  }
  return total;
}

void OutboxWorker::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      lock.unlock();
      auto r = DeliverDue();
      if (!r.ok()) spdlog::error("notify: outbox pass failed: {}", r.status().ToString());
      lock.lock();
      cv_.wait_for(lock, std::chrono::milliseconds(config_.interval_ms), [this] { return stop_; });
    }
  });
}

void OutboxWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace th::notify
