#include "base/clock.h"

#include <chrono>
#include <ctime>
#include <cstdio>

namespace th {

std::int64_t SystemClock::NowMillis() const {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

namespace {
std::string Format(std::int64_t epoch_ms, std::int64_t offset_ms, bool iso) {
  std::int64_t ms = epoch_ms + offset_ms;
  std::time_t secs = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  int frac = static_cast<int>(ms - static_cast<std::int64_t>(secs) * 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  if (iso) {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  } else {
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900,
                  tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  }
  return buf;
}
}  // namespace

std::string FormatShanghai(std::int64_t epoch_ms) { return Format(epoch_ms, 8LL * 3600 * 1000, false); }
std::string FormatIsoUtc(std::int64_t epoch_ms) { return Format(epoch_ms, 0, true); }

}  // namespace th
