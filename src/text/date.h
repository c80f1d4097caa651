#pragma once
// Dates as people and spreadsheets write them: 2015/3/7, 2015-03-07, 20150307, 2015.3.7,
// 2015年3月7日, "2015-03-07 00:00:00", and Excel serial numbers (42070).
#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace th::text {

struct Date {
  int year = 0, month = 0, day = 0;
  bool operator==(const Date&) const = default;
};

// True when y-m-d is a real Gregorian date (years 1800-2200).
bool IsValidDate(int year, int month, int day);

// Days since 1970-01-01 (negative before) for a valid date.
std::int32_t DaysFromCivil(const Date& d);
// Inverse of DaysFromCivil.
Date CivilFromDays(std::int32_t days);

// Parses every common form (see the file comment). A bare 5-digit integer is an Excel serial
// (1900 date system, 1927..2173; a 4-digit number is a year and is rejected as a date);
// 8 digits is yyyymmdd. Full-width digits are accepted. Errors: invalid_date (field "date").
Result<Date> ParseDate(std::string_view text);

// "2015-03-07".
std::string FormatDate(const Date& d);

}  // namespace th::text
