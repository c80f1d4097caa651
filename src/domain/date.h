#pragma once
// A calendar date (proleptic Gregorian, no time zone) for birth dates, state since-dates and
// rule thresholds. A default-constructed Date is "not set" (year 0); every function below
// that takes a Date expects a set, valid one unless it says otherwise.
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace th::domain {

bool IsLeapYear(int year);
// Days in `month` (1-12) of `year`; 0 for a month out of range.
int DaysInMonth(int year, int month);

struct Date {
  std::int16_t year = 0;
  std::uint8_t month = 0;
  std::uint8_t day = 0;

  // Builds a date without checking; use IsValidDate / ParseDate for untrusted input.
  static constexpr Date Of(int y, int m, int d) {
    return Date{static_cast<std::int16_t>(y), static_cast<std::uint8_t>(m),
                static_cast<std::uint8_t>(d)};
  }
  // True unless default-constructed.
  bool IsSet() const { return year != 0; }

  // Days since 1970-01-01 (negative before). Requires a valid date.
  std::int64_t ToDays() const;
  // Inverse of ToDays.
  static Date FromDays(std::int64_t days);
  // The calendar date in Asia/Shanghai (UTC+8, no DST) of an epoch-milliseconds instant, so
  // services can turn Clock::NowMillis() into "today".
  static Date FromEpochMillisShanghai(std::int64_t epoch_ms);

  Date AddDays(std::int64_t n) const;
  // Calendar months; the day is clamped to the end of the target month
  // (2024-01-31 + 1 month = 2024-02-29; 2023-08-31 + 6 months = 2024-02-29).
  Date AddMonths(int n) const;
  // AddMonths(12 * n): 2012-02-29 + 16 years = 2028-02-29, + 17 years = 2029-02-28.
  Date AddYears(int n) const { return AddMonths(12 * n); }

  // 20240229.
  std::int32_t ToYyyymmdd() const { return year * 10000 + month * 100 + day; }
  // "2024-02-29"; "" when not set.
  std::string ToString() const;
  // "2024-02"; "" when not set.
  std::string ToYearMonth() const;

  friend constexpr auto operator<=>(const Date&, const Date&) = default;
  friend constexpr bool operator==(const Date&, const Date&) = default;
};

// True for a real calendar day with 1 <= year <= 9999.
bool IsValidDate(int year, int month, int day);
// From 20240229; error (field `field`) "invalid_date" when not a real date.
Result<Date> DateFromYyyymmdd(std::int32_t yyyymmdd, std::string_view field = "date");
// Accepts "2024-02-29", "2024/2/29", "20240229" and "2024.02.29". Errors name `field`.
Result<Date> ParseDate(std::string_view text, std::string_view field = "date");

// The earliest date a person's record may hold (birth dates, since-dates, agreements).
inline constexpr Date kEarliestPlausibleDate = Date::Of(1900, 1, 1);
// OK for a set date in [kEarliestPlausibleDate, latest] (`latest` is usually today: a birth date or
// a since-date in the future is a typing error). Errors name `field`: implausible_date.
Status CheckPlausibleDate(Date d, Date latest, std::string_view field);

// Full years from `birth` to `today` (周岁): the number of birthdays reached, where a 29 February
// birthday falls on 28 February in common years (consistent with AddYears). 0 if today < birth.
int AgeOn(Date birth, Date today);
// Whole months elapsed: the largest n >= 0 with from.AddMonths(n) <= to; 0 if to < from.
int MonthsBetween(Date from, Date to);

}  // namespace th::domain
