#pragma once
// Time is injected: services take a Clock so deadlines and expiry are testable.
// All timestamps are int64 milliseconds since the Unix epoch, UTC.
#include <atomic>
#include <cstdint>
#include <string>

namespace th {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the epoch, UTC.
  virtual std::int64_t NowMillis() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t NowMillis() const override;
};

// A clock tests move by hand.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(std::int64_t start_ms = 1'790'000'000'000) : now_(start_ms) {}
  std::int64_t NowMillis() const override { return now_.load(); }
  void Advance(std::int64_t ms) { now_ += ms; }
  void Set(std::int64_t ms) { now_ = ms; }

 private:
  std::atomic<std::int64_t> now_;
};

// "2026-11-22 22:06:55" in Asia/Shanghai (UTC+8, no DST since 1991).
std::string FormatShanghai(std::int64_t epoch_ms);
// "2026-11-22T14:06:55.123Z".
std::string FormatIsoUtc(std::int64_t epoch_ms);

}  // namespace th
