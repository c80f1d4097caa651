#include "domain/region.h"

#include <gtest/gtest.h>

#include <set>

#include "domain/test_util.h"

namespace th::domain {
namespace {

TEST(RegionTest, ShippedDemoDistrict) {
  auto r = ParseRegionCsv(testing::ReadSourceFile("config/regions/demo_district.csv"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const auto& rows = *r;
  ASSERT_GE(rows.size(), 3u);
  EXPECT_EQ(rows[0].code, "440300000000");
  EXPECT_EQ(rows[0].name, "深圳市");
  EXPECT_EQ(rows[0].level, RegionLevel::kCity);
  EXPECT_EQ(rows[1].code, "440307000000");
  EXPECT_EQ(rows[1].name, "龙岗区");
  std::set<std::string> streets;
  for (const auto& row : rows)
    if (row.level == RegionLevel::kStreet) streets.insert(row.name);
  EXPECT_TRUE(streets.count("布吉街道"));
  EXPECT_TRUE(streets.count("坂田街道"));
  EXPECT_GE(streets.size(), 4u);
  auto communities = CommunitiesOf(rows);
  EXPECT_GE(communities.size(), 12u);
  for (const auto& c : communities) {
    EXPECT_GE(c.grid_codes.size(), 2u) << c.name;
    EXPECT_LE(c.grid_codes.size(), 4u) << c.name;
    EXPECT_EQ(c.grid_codes[0], c.code + "-G01");
  }
}

TEST(RegionTest, ShippedHukouCounties) {
  auto r = ParseHukouCountiesCsv(testing::ReadSourceFile("config/regions/hukou_counties.csv"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_GE(r->size(), 50u);
  std::set<std::string> provinces, codes;
  for (const auto& c : *r) {
    provinces.insert(c.province);
    EXPECT_TRUE(codes.insert(c.code).second) << "duplicate " << c.code;
  }
  for (const char* p : {"广东省", "湖南省", "广西壮族自治区", "四川省", "河南省", "江西省"})
    EXPECT_TRUE(provinces.count(p)) << p;
}

TEST(RegionTest, RegionErrors) {
  const std::string head = "code,name,level,parent_code\n440300000000,深圳市,city,\n";
  struct Case {
    std::string text;
    const char* field;
  } cases[] = {
      {"", "line 1"},
      {"code,name\n", "line 1"},
      {head + "440307000000,龙岗区,county,440300000000\n", "line 3"},
      {head + "44030700000,龙岗区,district,440300000000\n", "line 3"},
      {head + "440307000000,龙岗区,district,440399000000\n", "line 3"},  // unknown parent
      {head + "440307000000,龙岗区,street,440300000000\n", "line 3"},    // skips a level
      {head + "440307000000,龙岗区,district,440300000000\n440307000000,龙岗区,district,440300000000\n",
       "line 4"},
      {head + "440307000000,龙岗区,district\n", "line 3"},
      {head + "440307000000,龙岗区,district,440300000000\n440307001000,布吉,street,440307000000\n"
              "440307001001,布吉社区,community,440307001000\n440307001002-G01,网格,grid,440307001001\n",
       "line 6"},
  };
  for (const auto& c : cases) {
    auto r = ParseRegionCsv(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_EQ(r.status().error_code(), "invalid_region_csv");
    EXPECT_EQ(r.status().field(), c.field) << c.text << r.status().ToString();
  }
  // CRLF and a BOM, as Excel writes it, are fine.
  EXPECT_TRUE(ParseRegionCsv("\xEF\xBB\xBF" "code,name,level,parent_code\r\n440300000000,深圳市,city,\r\n").ok());
}

TEST(RegionTest, HukouErrors) {
  const char* cases[] = {
      "code,name,province,weight\n",                         // no rows
      "code,name,province,weight\n43052,隆回县,湖南省,3\n",   // 5 digits
      "code,name,province,weight\n430524,隆回县,湖南省,0\n",  // zero weight
      "code,name,province,weight\n430524,隆回县,湖南省,x\n",
      "code,name,province\n430524,隆回县,湖南省\n",
  };
  for (const char* c : cases) {
    auto r = ParseHukouCountiesCsv(c);
    EXPECT_FALSE(r.ok()) << c;
    EXPECT_EQ(r.status().error_code(), "invalid_hukou_csv") << c;
  }
}

}  // namespace
}  // namespace th::domain
