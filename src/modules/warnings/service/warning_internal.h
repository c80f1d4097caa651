#pragma once
// Shared by the warnings service's files (not part of its interface).
#include <cstdint>
#include <string>

#include "domain/date.h"

namespace th::service::warnings_internal {

inline constexpr const char* kKind = "warning";
inline constexpr const char* kSubject = "warning";
inline constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

inline domain::Date DateOf(std::int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return domain::Date{};
  return domain::Date::Of(yyyymmdd / 10000, (yyyymmdd / 100) % 100, yyyymmdd % 100);
}
inline std::string DayText(std::int64_t epoch_ms) { return domain::Date::FromEpochMillisShanghai(epoch_ms).ToString(); }
inline std::int32_t DayOf(std::int64_t epoch_ms) { return domain::Date::FromEpochMillisShanghai(epoch_ms).ToYyyymmdd(); }
inline std::int64_t DaysBetween(std::int32_t from, std::int32_t to) { return DateOf(to).ToDays() - DateOf(from).ToDays(); }

}  // namespace th::service::warnings_internal
