#pragma once
// The working-day calendar (工作日): Monday to Friday unless the State Council's holiday notice for
// the year makes it a day off, plus the weekend days it makes make-up workdays (调休上班). One
// config file per year, config/calendar/cn-YYYY.json, names its notice (number, title, address).
// Pure logic: no I/O besides LoadCalendarDir, no clock.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "domain/date.h"

namespace th::work {

struct HolidayNotice {
  int year = 0;
  std::string number;     // 国办发明电〔2025〕7号
  std::string title;
  std::string published;  // YYYY-MM-DD
  std::string url;
};

// The result of a working-day computation.
struct WorkdayResult {
  domain::Date date;
  // True when the count ran past the last loaded year (or started before the first): those days
  // were counted as plain weekdays, and administrators must be told (a calendar file is missing).
  bool beyond_calendar = false;
};

class WorkCalendar {
 public:
  // Parses one year's file; errors (field "calendar") say what is wrong. Checks: year matches
  // every date, off days are not make-up days, ranges run forwards, dates are real.
  Status AddYear(const std::string& json_text);

  bool IsWorkday(domain::Date d) const;
  // True when `year`'s notice is loaded.
  bool Covers(int year) const { return notices_.count(year) > 0; }
  // The n-th working day after `from` (counting starts the next day, 次日起): n = 1 is the first
  // working day after `from`. n = 0 returns `from` itself. n must be >= 0 and <= 3660.
  WorkdayResult AddWorkdays(domain::Date from, int n) const;
  const std::map<int, HolidayNotice>& notices() const { return notices_; }
  int first_year() const { return notices_.empty() ? 0 : notices_.begin()->first; }
  int last_year() const { return notices_.empty() ? 0 : notices_.rbegin()->first; }

 private:
  std::map<int, HolidayNotice> notices_;
  std::set<std::int64_t> off_;       // days since epoch
  std::set<std::int64_t> makeup_;    // days since epoch
};

// Loads every config/calendar/cn-YYYY.json under `dir` (the calendar folder). A missing folder, a
// folder without files, or an invalid file is an error naming the file (the server refuses to
// start). Years must be consecutive.
Result<WorkCalendar> LoadCalendarDir(const std::string& dir);

}  // namespace th::work
