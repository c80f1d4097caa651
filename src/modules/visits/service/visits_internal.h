#pragma once
// Shared by the visits service's files (not part of its interface).
#include <cstdint>
#include <string>

#include "domain/date.h"

namespace th::service::visits_internal {

inline constexpr const char* kKind = "visit_due";
inline constexpr const char* kSubject = "visit_schedule";
inline constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

inline domain::Date DateOf(std::int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return domain::Date{};
  return domain::Date::Of(yyyymmdd / 10000, (yyyymmdd / 100) % 100, yyyymmdd % 100);
}
// 00:00 of the day in Asia/Shanghai, epoch ms.
inline std::int64_t DayStartMs(std::int32_t yyyymmdd) { return DateOf(yyyymmdd).ToDays() * kDayMs - 8LL * 3600 * 1000; }
inline std::int64_t DaysBetween(std::int32_t from, std::int32_t to) {
  return DateOf(to).ToDays() - DateOf(from).ToDays();
}

}  // namespace th::service::visits_internal
