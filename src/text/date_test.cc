#include "text/date.h"

#include <gtest/gtest.h>

namespace th::text {
namespace {

TEST(DateTest, ParsesCommonForms) {
  struct Case { const char* in; Date want; };
  const Case cases[] = {
      {"2015/3/7", {2015, 3, 7}},        {"2015-03-07", {2015, 3, 7}},
      {"20150307", {2015, 3, 7}},        {"2015年3月7日", {2015, 3, 7}},
      {"2015.3.7", {2015, 3, 7}},        {"2015-03-07 00:00:00", {2015, 3, 7}},
      {"2015/3/7 0:00", {2015, 3, 7}},   {"42070", {2015, 3, 7}},
      {"42070.0", {2015, 3, 7}},         {"２０１５年０３月０７日", {2015, 3, 7}},
      {" 2015-3-7 ", {2015, 3, 7}},      {"7/3/2015", {2015, 3, 7}},
      {"2012-02-29", {2012, 2, 29}},     {"10000", {1927, 5, 18}},
      {"45000", {2023, 3, 15}},
  };
  for (const auto& c : cases) {
    auto r = ParseDate(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.status().ToString();
    EXPECT_EQ(*r, c.want) << c.in << " -> " << FormatDate(*r);
  }
}

TEST(DateTest, RejectsInvalid) {
  const char* cases[] = {"", "abc", "2015-02-30", "2013-02-29", "20151301", "2015/13/1", "15/3/7", "0",
                         "123456", "2015", "60", "1"};
  for (const char* c : cases) {
    auto r = ParseDate(c);
    EXPECT_FALSE(r.ok()) << c << " -> " << (r.ok() ? FormatDate(*r) : "");
    if (!r.ok()) {
      EXPECT_EQ(r.status().error_code(), "invalid_date");
    }
  }
}

TEST(DateTest, DaysRoundTrip) {
  struct Case { Date d; int days; };
  const Case cases[] = {{{1970, 1, 1}, 0}, {{2000, 3, 1}, 11017}, {{1969, 12, 31}, -1}, {{2015, 3, 7}, 16501}};
  for (const auto& c : cases) {
    EXPECT_EQ(DaysFromCivil(c.d), c.days) << FormatDate(c.d);
    EXPECT_EQ(CivilFromDays(c.days), c.d);
  }
}

}  // namespace
}  // namespace th::text
