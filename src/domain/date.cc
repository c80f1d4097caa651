#include "domain/date.h"

#include <charconv>
#include <cstdio>

namespace th::domain {

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

bool IsValidDate(int year, int month, int day) {
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
         day <= DaysInMonth(year, month);
}

// Howard Hinnant's days_from_civil / civil_from_days: branch-light and exact for all
// proleptic Gregorian dates.
std::int64_t Date::ToDays() const {
  std::int64_t y = year;
  const unsigned m = month, d = day;
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

Date Date::FromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Of(static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d));
}

Date Date::FromEpochMillisShanghai(std::int64_t epoch_ms) {
  constexpr std::int64_t kMsPerDay = 86'400'000;
  const std::int64_t local = epoch_ms + 8 * 3'600'000;
  std::int64_t days = local / kMsPerDay;
  if (local % kMsPerDay < 0) --days;  // floor for instants before 1970
  return FromDays(days);
}

Date Date::AddDays(std::int64_t n) const { return FromDays(ToDays() + n); }

Date Date::AddMonths(int n) const {
  int total = year * 12 + (month - 1) + n;
  int y = total / 12;
  int m = total % 12 + 1;
  int d = day;
  const int dim = DaysInMonth(y, m);
  if (d > dim) d = dim;
  return Of(y, m, d);
}

std::string Date::ToString() const {
  if (!IsSet()) return {};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::string Date::ToYearMonth() const {
  if (!IsSet()) return {};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

namespace {
Status BadDate(std::string_view field, std::string_view text) {
  return Status::Invalid(std::string(field), "invalid_date",
                         "日期无效：" + std::string(text) + "（应为 YYYY-MM-DD）",
                         "Invalid date: " + std::string(text) + " (expected YYYY-MM-DD)");
}
}  // namespace

Result<Date> DateFromYyyymmdd(std::int32_t v, std::string_view field) {
  const int y = v / 10000, m = v / 100 % 100, d = v % 100;
  if (v < 0 || !IsValidDate(y, m, d)) return BadDate(field, std::to_string(v));
  return Date::Of(y, m, d);
}

Result<Date> ParseDate(std::string_view text, std::string_view field) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  int parts[3] = {0, 0, 0};
  if (s.size() == 8 && s.find_first_not_of("0123456789") == std::string_view::npos) {
    std::from_chars(s.data(), s.data() + 4, parts[0]);
    std::from_chars(s.data() + 4, s.data() + 6, parts[1]);
    std::from_chars(s.data() + 6, s.data() + 8, parts[2]);
  } else {
    const char* p = s.data();
    const char* end = s.data() + s.size();
    for (int i = 0; i < 3; ++i) {
      const char* start = p;
      auto [next, ec] = std::from_chars(p, end, parts[i]);
      const std::size_t len = static_cast<std::size_t>(next - start);
      if (ec != std::errc() || len == 0 || len > (i == 0 ? 4u : 2u)) return BadDate(field, text);
      p = next;
      if (i < 2) {
        if (p == end || (*p != '-' && *p != '/' && *p != '.')) return BadDate(field, text);
        ++p;
      }
    }
    if (p != end) return BadDate(field, text);
  }
  if (!IsValidDate(parts[0], parts[1], parts[2])) return BadDate(field, text);
  return Date::Of(parts[0], parts[1], parts[2]);
}

Status CheckPlausibleDate(Date d, Date latest, std::string_view field) {
  if (d < kEarliestPlausibleDate || d > latest) {
    const std::string f(field);
    return Status::Invalid(f, "implausible_date",
                           "日期不合理(应在1900-01-01至" + latest.ToString() + "之间): " + f,
                           "Implausible date (must be between 1900-01-01 and " + latest.ToString() + "): " + f);
  }
  return Status::Ok();
}

int AgeOn(Date birth, Date today) {
  if (today < birth) return 0;
  int age = today.year - birth.year;
  if (birth.AddYears(age) > today) --age;
  return age;
}

int MonthsBetween(Date from, Date to) {
  if (to < from) return 0;
  int n = (to.year - from.year) * 12 + (to.month - from.month);
  if (from.AddMonths(n) > to) --n;
  return n < 0 ? 0 : n;
}

}  // namespace th::domain
