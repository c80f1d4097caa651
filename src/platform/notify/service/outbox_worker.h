#pragma once
// Delivers outbox rows (notification_repo.h) to the configured channel: the SMS gateway over HTTP
// (notify_config.h). Idempotent and safe with several servers on one database: rows are claimed
// with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), each attempt is counted, a failure is retried
// with exponential backoff until max_attempts, then given up. Time comes from the injected Clock
// (tests age rows with a FakeClock); only the pause between passes is real time.
// Phone numbers never reach a log or last_error: the worker unseals the recipient's phone just
// before the request and logs the masked copy.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "platform/notify/service/notify_config.h"
#include "security/crypto.h"
#include "storage/connection.h"

namespace th::notify {

// What a channel answered: an HTTP status (2xx = delivered).
struct ChannelAnswer {
  int status = 0;
};
// Sends `body` (JSON) to `url` with `headers` within `timeout`; an error Status when unreachable.
// The app passes http::PostJson; tests may pass their own.
using ChannelSender = std::function<Result<ChannelAnswer>(
    const std::string& url, const std::string& body, const std::vector<std::pair<std::string, std::string>>& headers,
    std::chrono::milliseconds timeout)>;

struct DeliverReport {
  int claimed = 0;
  int delivered = 0;
  int failed = 0;   // will be retried
  int gave_up = 0;  // attempts exhausted or recipient gone
};

class OutboxWorker {
 public:
  OutboxWorker(storage::Database& db, const Clock& clock, const security::KeyRing& keys, NotifyConfig config,
               ChannelSender sender)
      : db_(db), clock_(clock), keys_(keys), config_(std::move(config)), sender_(std::move(sender)) {}
  ~OutboxWorker() { Stop(); }
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  // One pass: claims up to config.batch due rows and tries each once. Storage errors only; a
  // failed delivery is counted in the report, not an error.
  Result<DeliverReport> DeliverDue();
  // Passes until a pass claims fewer than a batch (`tonghu notify deliver`).
  Result<DeliverReport> DeliverAllDue();
  // Runs DeliverDue every config.interval_ms on a thread until Stop (or destruction).
  void Start();
  void Stop();

 private:
  struct Claimed;
  void Deliver(const Claimed& row, DeliverReport* report);
  storage::Database& db_;
  const Clock& clock_;
  const security::KeyRing& keys_;
  NotifyConfig config_;
  ChannelSender sender_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

// The backoff after `attempts` failed attempts: backoff_ms * 2^(attempts-1), at most max_backoff_ms.
std::int64_t BackoffMs(const SmsChannelConfig& sms, std::int64_t attempts);

}  // namespace th::notify
