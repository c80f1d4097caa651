// The working-day calendar against the State Council notices (config/calendar/cn-2024..2026.json).
#include "platform/work/calendar.h"

#include <gtest/gtest.h>

#include "platform/work/work_config.h"

namespace th::work {
namespace {

using domain::Date;

WorkCalendar Loaded() {
  auto c = LoadCalendarDir(std::string(TH_SOURCE_DIR) + "/config/calendar");
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  return c.ok() ? *c : WorkCalendar();
}

struct Case {
  Date from;
  int days;
  Date want;
  bool beyond;
};

TEST(Calendar, LoadsThreeYearsWithTheirNotices) {
  WorkCalendar c = Loaded();
  EXPECT_EQ(c.first_year(), 2024);
  EXPECT_EQ(c.last_year(), 2026);
  EXPECT_EQ(c.notices().at(2026).number, "国办发明电〔2025〕7号");
  EXPECT_EQ(c.notices().at(2025).number, "国办发明电〔2024〕12号");
  EXPECT_EQ(c.notices().at(2024).number, "国办发明电〔2023〕7号");
}

TEST(Calendar, NationalDay2026WithMakeUpDays) {
  WorkCalendar c = Loaded();
  EXPECT_TRUE(c.IsWorkday(Date::Of(2026, 9, 20)));   // Sunday, make-up workday
  EXPECT_FALSE(c.IsWorkday(Date::Of(2026, 10, 1)));  // Thursday, off
  EXPECT_FALSE(c.IsWorkday(Date::Of(2026, 10, 7)));  // Wednesday, off
  EXPECT_TRUE(c.IsWorkday(Date::Of(2026, 10, 8)));   // Thursday
  EXPECT_TRUE(c.IsWorkday(Date::Of(2026, 10, 10)));  // Saturday, make-up workday
  EXPECT_FALSE(c.IsWorkday(Date::Of(2026, 10, 11))); // Sunday
  const std::vector<Case> cases = {
      // From Wed 30 Sep: Oct 1-7 off, then Thu 8, Fri 9, Sat 10 (make-up), Mon 12, Tue 13.
      {Date::Of(2026, 9, 30), 5, Date::Of(2026, 10, 13), false},
      {Date::Of(2026, 9, 30), 1, Date::Of(2026, 10, 8), false},
      {Date::Of(2026, 9, 30), 3, Date::Of(2026, 10, 10), false},
      // From Fri 18 Sep: Sun 20 is a workday: Mon 21 is the second.
      {Date::Of(2026, 9, 18), 1, Date::Of(2026, 9, 20), false},
      {Date::Of(2026, 9, 18), 2, Date::Of(2026, 9, 21), false},
      // Mid-Autumn Fri 25 Sep off: from Thu 24, the next workday is Mon 28.
      {Date::Of(2026, 9, 24), 1, Date::Of(2026, 9, 28), false},
      {Date::Of(2026, 9, 30), 0, Date::Of(2026, 9, 30), false},
  };
  for (const auto& k : cases) {
    WorkdayResult r = c.AddWorkdays(k.from, k.days);
    EXPECT_EQ(r.date, k.want) << k.from.ToString() << " + " << k.days << " = " << r.date.ToString();
    EXPECT_EQ(r.beyond_calendar, k.beyond);
  }
}

TEST(Calendar, SpringFestival2026WithMakeUpSaturdays) {
  WorkCalendar c = Loaded();
  EXPECT_TRUE(c.IsWorkday(Date::Of(2026, 2, 14)));   // Saturday, make-up
  for (int d = 15; d <= 23; ++d) EXPECT_FALSE(c.IsWorkday(Date::Of(2026, 2, d))) << d;
  EXPECT_TRUE(c.IsWorkday(Date::Of(2026, 2, 28)));   // Saturday, make-up
  // From Fri 13 Feb: Sat 14 (make-up), then Feb 15-23 off, Tue 24, Wed 25, Thu 26, Fri 27, Sat 28 (make-up), Mon 2 Mar.
  EXPECT_EQ(c.AddWorkdays(Date::Of(2026, 2, 13), 1).date, Date::Of(2026, 2, 14));
  EXPECT_EQ(c.AddWorkdays(Date::Of(2026, 2, 13), 2).date, Date::Of(2026, 2, 24));
  EXPECT_EQ(c.AddWorkdays(Date::Of(2026, 2, 13), 6).date, Date::Of(2026, 2, 28));
  EXPECT_EQ(c.AddWorkdays(Date::Of(2026, 2, 13), 7).date, Date::Of(2026, 3, 2));
  // 2025's Spring Festival: Jan 28 - Feb 4 off, Sun Jan 26 and Sat Feb 8 make-up.
  EXPECT_EQ(c.AddWorkdays(Date::Of(2025, 1, 24), 1).date, Date::Of(2025, 1, 26));
  EXPECT_EQ(c.AddWorkdays(Date::Of(2025, 1, 27), 1).date, Date::Of(2025, 2, 5));
}

TEST(Calendar, YearBoundaries) {
  WorkCalendar c = Loaded();
  // 2025-12-31 (Wed) + 1: Jan 1-3 2026 off, Sun Jan 4 make-up workday.
  EXPECT_EQ(c.AddWorkdays(Date::Of(2025, 12, 31), 1).date, Date::Of(2026, 1, 4));
  EXPECT_EQ(c.AddWorkdays(Date::Of(2025, 12, 31), 2).date, Date::Of(2026, 1, 5));
  // 2023-12-29 is before the first loaded year: counting in 2024 is fine (2024-01-01 off).
  EXPECT_EQ(c.AddWorkdays(Date::Of(2023, 12, 31), 1).date, Date::Of(2024, 1, 2));
  // Beyond 2026: weekdays only, and flagged.
  WorkdayResult r = c.AddWorkdays(Date::Of(2026, 12, 30), 3);
  EXPECT_EQ(r.date, Date::Of(2027, 1, 4));  // Thu 31, Fri Jan 1 (weekday: no 2027 notice), Mon Jan 4
  EXPECT_TRUE(r.beyond_calendar);
  EXPECT_FALSE(c.AddWorkdays(Date::Of(2026, 12, 28), 3).beyond_calendar);
}

TEST(Calendar, RejectsBadFiles) {
  WorkCalendar c;
  EXPECT_FALSE(c.AddYear("{").ok());
  EXPECT_FALSE(c.AddYear(R"({"year":2026,"holidays":[]})").ok());  // no notice
  const std::string notice = R"("notice":{"number":"x","url":"https://www.gov.cn/x"})";
  EXPECT_FALSE(c.AddYear(R"({"year":2026,)" + notice + R"(,"holidays":[{"off":{"from":"2025-10-01","to":"2025-10-07"}}]})").ok());
  EXPECT_FALSE(c.AddYear(R"({"year":2026,)" + notice +
                         R"(,"holidays":[{"off":{"from":"2026-10-01","to":"2026-10-07"},"workdays":["2026-10-02"]}]})")
                   .ok());
  EXPECT_TRUE(c.AddYear(R"({"year":2026,)" + notice + R"(,"holidays":[]})").ok());
  auto missing = LoadCalendarDir("/nonexistent/calendar");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message_en().find("/nonexistent/calendar"), std::string::npos);
}

TEST(WorkConfig, DeadlinesInWorkingDaysEndAtTheEndOfTheDay) {
  WorkCalendar c = Loaded();
  auto cfg = LoadWorkflowDir(std::string(TH_SOURCE_DIR) + "/config/workflows");
  ASSERT_TRUE(cfg.ok()) << cfg.status().ToString();
  // Started Wed 2026-09-30 10:00 +08:00: review within 5 working days → end of Tue 2026-10-13.
  const std::int64_t start = EndOfDayShanghai(Date::Of(2026, 9, 29)) + 1 + 10 * 3600000LL;
  Deadlines d = cfg->DeadlinesFor("roll_review", start, c);
  EXPECT_EQ(d.due_at, EndOfDayShanghai(Date::Of(2026, 10, 13)));
  EXPECT_EQ(d.warn_at, d.due_at - 24 * 3600000LL);
  EXPECT_EQ(d.district_at, EndOfDayShanghai(Date::Of(2026, 10, 20)));
  EXPECT_FALSE(d.beyond_calendar);
  Duration hours{"hours", 48};
  EXPECT_EQ(WorkConfig::After(hours, start, c, nullptr), start + 48 * 3600000LL);
}

}  // namespace
}  // namespace th::work
