#include "domain/date.h"

#include <gtest/gtest.h>

namespace th::domain {
namespace {

TEST(DateTest, PlausibleDates) {
  const Date today = Date::Of(2026, 12, 6);
  EXPECT_TRUE(CheckPlausibleDate(Date::Of(1900, 1, 1), today, "birth_date").ok());
  EXPECT_TRUE(CheckPlausibleDate(today, today, "birth_date").ok());
  Status old = CheckPlausibleDate(Date::Of(1800, 1, 1), today, "birth_date");
  EXPECT_EQ(old.error_code(), "implausible_date");
  EXPECT_EQ(old.field(), "birth_date");
  EXPECT_EQ(CheckPlausibleDate(Date::Of(1899, 12, 31), today, "d").error_code(), "implausible_date");
  EXPECT_EQ(CheckPlausibleDate(today.AddDays(1), today, "d").error_code(), "implausible_date");
}

TEST(DateTest, DaysRoundTrip) {
  struct Case {
    Date d;
    std::int64_t days;
  } cases[] = {
      {Date::Of(1970, 1, 1), 0},        {Date::Of(1970, 1, 2), 1},
      {Date::Of(1969, 12, 31), -1},     {Date::Of(2000, 3, 1), 11017},
      {Date::Of(2024, 2, 29), 19782},   {Date::Of(1900, 1, 1), -25567},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.d.ToDays(), c.days) << c.d.ToString();
    EXPECT_EQ(Date::FromDays(c.days), c.d) << c.days;
  }
  for (std::int64_t d = -40000; d < 40000; d += 7) EXPECT_EQ(Date::FromDays(d).ToDays(), d);
}

TEST(DateTest, AddMonthsClampsToMonthEnd) {
  struct Case {
    Date from;
    int months;
    Date want;
  } cases[] = {
      {Date::Of(2024, 1, 31), 1, Date::Of(2024, 2, 29)},
      {Date::Of(2023, 1, 31), 1, Date::Of(2023, 2, 28)},
      {Date::Of(2023, 8, 31), 6, Date::Of(2024, 2, 29)},
      {Date::Of(2024, 11, 15), 6, Date::Of(2025, 5, 15)},
      {Date::Of(2024, 3, 31), -1, Date::Of(2024, 2, 29)},
      {Date::Of(2024, 12, 1), 1, Date::Of(2025, 1, 1)},
      {Date::Of(2025, 1, 1), -1, Date::Of(2024, 12, 1)},
      {Date::Of(2012, 2, 29), 12 * 16, Date::Of(2028, 2, 29)},
      {Date::Of(2012, 2, 29), 12 * 17, Date::Of(2029, 2, 28)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.from.AddMonths(c.months), c.want) << c.from.ToString() << " + " << c.months;
  }
}

TEST(DateTest, AgeAndMonthsBetween) {
  EXPECT_EQ(AgeOn(Date::Of(2010, 5, 1), Date::Of(2026, 4, 30)), 15);
  EXPECT_EQ(AgeOn(Date::Of(2010, 5, 1), Date::Of(2026, 5, 1)), 16);
  EXPECT_EQ(AgeOn(Date::Of(2012, 2, 29), Date::Of(2029, 2, 27)), 16);
  EXPECT_EQ(AgeOn(Date::Of(2012, 2, 29), Date::Of(2029, 2, 28)), 17);
  EXPECT_EQ(AgeOn(Date::Of(2026, 1, 1), Date::Of(2025, 1, 1)), 0);
  EXPECT_EQ(MonthsBetween(Date::Of(2024, 11, 15), Date::Of(2025, 5, 14)), 5);
  EXPECT_EQ(MonthsBetween(Date::Of(2024, 11, 15), Date::Of(2025, 5, 15)), 6);
  EXPECT_EQ(MonthsBetween(Date::Of(2023, 8, 31), Date::Of(2024, 2, 29)), 6);
  EXPECT_EQ(MonthsBetween(Date::Of(2025, 1, 1), Date::Of(2024, 1, 1)), 0);
}

TEST(DateTest, Parse) {
  struct Case {
    const char* text;
    bool ok;
    Date want;
  } cases[] = {
      {"2024-02-29", true, Date::Of(2024, 2, 29)}, {"2024/2/9", true, Date::Of(2024, 2, 9)},
      {"20240229", true, Date::Of(2024, 2, 29)},   {" 2024.02.29 ", true, Date::Of(2024, 2, 29)},
      {"2023-02-29", false, {}},                   {"2024-13-01", false, {}},
      {"2024-02", false, {}},                      {"", false, {}},
      {"2024-02-29x", false, {}},                  {"24-02-29x", false, {}},
  };
  for (const auto& c : cases) {
    auto r = ParseDate(c.text, "birth_date");
    EXPECT_EQ(r.ok(), c.ok) << c.text;
    if (c.ok && r.ok()) {
      EXPECT_EQ(*r, c.want) << c.text;
    }
    if (!r.ok()) {
      EXPECT_EQ(r.status().field(), "birth_date");
      EXPECT_EQ(r.status().error_code(), "invalid_date");
    }
  }
  EXPECT_EQ(Date::Of(2024, 3, 5).ToString(), "2024-03-05");
  EXPECT_EQ(Date::Of(2024, 3, 5).ToYearMonth(), "2024-03");
  EXPECT_EQ(Date().ToString(), "");
  EXPECT_FALSE(DateFromYyyymmdd(20230229).ok());
  EXPECT_EQ(*DateFromYyyymmdd(20240229), Date::Of(2024, 2, 29));
}

TEST(DateTest, FromEpochMillisShanghai) {
  // 2026-11-22T15:59:59Z is 23:59:59 in Shanghai; one second later it is the next day there.
  EXPECT_EQ(Date::FromEpochMillisShanghai(1795363199000), Date::Of(2026, 11, 22));
  EXPECT_EQ(Date::FromEpochMillisShanghai(1795363200000), Date::Of(2026, 11, 23));
  EXPECT_EQ(Date::FromEpochMillisShanghai(-8 * 3600 * 1000), Date::Of(1970, 1, 1));
  EXPECT_EQ(Date::FromEpochMillisShanghai(-8 * 3600 * 1000 - 1), Date::Of(1969, 12, 31));
}

}  // namespace
}  // namespace th::domain
