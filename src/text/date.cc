#include "text/date.h"

#include <cstdio>
#include <vector>

#include "text/normalize.h"
#include "text/utf8.h"

namespace th::text {
namespace {

Status DateError(std::string_view text) {
  return Status::Invalid("date", "invalid_date", "无法识别的日期: " + std::string(text),
                         "unrecognized date: " + std::string(text));
}

}  // namespace

bool IsValidDate(int y, int m, int d) {
  if (y < 1800 || y > 2200 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int dim = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) dim = 29;
  return d <= dim;
}

// Howard Hinnant's days_from_civil.
std::int32_t DaysFromCivil(const Date& date) {
  int y = date.year - (date.month <= 2 ? 1 : 0);
  int era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = static_cast<unsigned>(y - era * 400);
  unsigned m = static_cast<unsigned>(date.month);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + static_cast<unsigned>(date.day) - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int>(doe) - 719468;
}

Date CivilFromDays(std::int32_t z) {
  z += 719468;
  int era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int y = static_cast<int>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  unsigned d = doy - (153 * mp + 2) / 5 + 1;
  unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return Date{y + (m <= 2 ? 1 : 0), static_cast<int>(m), static_cast<int>(d)};
}

Result<Date> ParseDate(std::string_view text) {
  // Split into runs of digits; everything else (/ - . 年 月 日 spaces, full-width forms after
  // mapping) separates. A time part after the date is ignored.
  std::vector<std::string> nums;
  std::string cur;
  bool any_sep = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    char32_t c = NextCodePoint(text, &pos);
    if (c >= 0xFF10 && c <= 0xFF19) c = c - 0xFF10 + '0';
    if (c >= '0' && c <= '9') {
      cur.push_back(static_cast<char>(c));
      continue;
    }
    if (!cur.empty()) {
      nums.push_back(cur);
      cur.clear();
    }
    if (c == ' ' || c == '\t' || c == 0x3000) {
      if (nums.size() >= 3) break;  // "2015-03-07 00:00:00"
      continue;
    }
    if (c == ':' && nums.size() >= 4) break;
    any_sep = true;
  }
  if (!cur.empty()) nums.push_back(cur);
  auto to_int = [](const std::string& s) { return s.size() > 9 ? -1 : std::stoi(s); };

  if (nums.size() == 1 && !any_sep) {
    const std::string& n = nums[0];
    if (n.size() == 8) {
      Date d{to_int(n.substr(0, 4)), to_int(n.substr(4, 2)), to_int(n.substr(6, 2))};
      if (IsValidDate(d.year, d.month, d.day)) return d;
      return DateError(text);
    }
    // Only 5-digit serials (1927-05-18 .. 2173): a bare 4-digit number is a year, not a date.
    if (n.size() == 5) {
      int serial = to_int(n);
      if (serial < 1 || serial == 60) return DateError(text);  // 60 is Excel's phantom 1900-02-29
      // Excel counts 1900-02-29, which did not exist; from serial 61 on the base is 1899-12-30.
      std::int32_t base = DaysFromCivil(Date{1899, 12, serial >= 61 ? 30 : 31});
      Date d = CivilFromDays(base + serial);
      if (IsValidDate(d.year, d.month, d.day)) return d;
    }
    return DateError(text);
  }
  if (nums.size() == 2 && nums[0].size() == 5 && nums[1].find_first_not_of('0') == std::string::npos) {
    return ParseDate(nums[0]);  // "42070.0" from a float cell
  }
  if (nums.size() >= 3) {
    int a = to_int(nums[0]), b = to_int(nums[1]), c = to_int(nums[2]);
    Date d;
    if (nums[0].size() == 4) {
      d = Date{a, b, c};  // y m d
    } else if (nums[2].size() == 4) {
      d = Date{c, b, a};  // d m y (7/3/2015 in Chinese files is rare; day-first is the ISO-ish reading)
      if (!IsValidDate(d.year, d.month, d.day)) d = Date{c, a, b};
    } else {
      return DateError(text);
    }
    if (IsValidDate(d.year, d.month, d.day)) return d;
  }
  return DateError(text);
}

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

}  // namespace th::text
