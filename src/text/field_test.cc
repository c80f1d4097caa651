#include "text/field.h"

#include <gtest/gtest.h>

namespace th::text {
namespace {

struct Case {
  std::string in;
  TextRule rule;
  bool ok;
  std::string out_or_code;  // cleaned value when ok, error code otherwise
};

TEST(FieldTest, CleanTextTable) {
  const std::string nul("a\0b", 3);
  const Case cases[] = {
      {"  张三 ", kPersonName, true, "张三"},
      {"\u3000王五\u00a0", kPersonName, true, "王五"},
      {nul, kPersonName, false, "invalid_text"},
      {nul, kLongText, false, "invalid_text"},
      {"a\nb", kPersonName, false, "invalid_text"},
      {"a\tb", kLineText, false, "invalid_text"},
      {"第一行\r\n第二行\r第三行\t尾", kLongText, true, "第一行\n第二行\n第三行\t尾"},
      {"a\x7f", kShortText, false, "invalid_text"},
      {"a\xc2\x85", kShortText, false, "invalid_text"},        // U+0085 NEL (C1)
      {"abc\xe2\x80\xae" "cba", kPersonName, false, "invalid_text"},  // U+202E right-to-left override
      {"a\xe2\x80\xa8" "b", kLongText, false, "invalid_text"},    // U+2028
      {"\xef\xbb\xbf" "x", kPersonName, false, "invalid_text"},   // BOM
      {"\xff\xfe", kPersonName, false, "invalid_text"},           // not UTF-8
      {"<script>alert(1)</script>", kLineText, true, "<script>alert(1)</script>"},  // markup is output's job
      {std::string(50, 'a'), kPersonName, true, std::string(50, 'a')},
      {std::string(51, 'a'), kPersonName, false, "too_long"},
      {"   ", kPersonName, true, ""},
  };
  for (const Case& c : cases) {
    auto r = CleanText(c.in, "f", c.rule);
    EXPECT_EQ(r.ok(), c.ok) << c.in;
    if (c.ok && r.ok()) EXPECT_EQ(*r, c.out_or_code);
    if (!c.ok && !r.ok()) {
      EXPECT_EQ(r.status().error_code(), c.out_or_code) << c.in;
      EXPECT_EQ(r.status().field(), "f");
    }
  }
}

TEST(FieldTest, LengthCountsCharactersNotBytes) {
  std::string han;
  for (int i = 0; i < 50; ++i) han += "汉";  // 150 bytes
  EXPECT_TRUE(CleanText(han, "name", kPersonName).ok());
  EXPECT_EQ(CleanText(han + "汉", "name", kPersonName).status().error_code(), "too_long");
}

TEST(FieldTest, HugeValueWithNulIsRejectedNamingTheField) {
  std::string big(500 * 1024, 'x');
  big[1000] = '\0';
  auto r = CleanText(big, "guardian.relation_note", kShortText);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field(), "guardian.relation_note");
  EXPECT_FALSE(CheckText(std::string(300 * 1024, '1'), "work_region_code", kShortText).ok());
}

TEST(FieldTest, RequiredText) {
  EXPECT_EQ(CleanRequiredText("  ", "name", kPersonName).status().error_code(), "required");
  EXPECT_EQ(*CleanRequiredText(" 李 ", "name", kPersonName), "李");
}

TEST(FieldTest, ScrubTextCleansWhatItCannotRefuse) {
  EXPECT_EQ(ScrubText(std::string("  张\0三\x01 ", 10), kPersonName), "张 三");
  EXPECT_EQ(ScrubText("a\xff" "b", kPersonName), "a\xef\xbf\xbd" "b");
  EXPECT_EQ(ScrubText(std::string(80, 'x'), kPersonName), std::string(50, 'x'));
  for (const std::string v : {std::string("\t=x\u202e\n"), std::string(3000, '\0')}) {
    EXPECT_TRUE(CheckText(ScrubText(v, kLineText), "f", kLineText).ok());
  }
}

TEST(FieldTest, RegionCodes) {
  for (const char* ok : {"", "440305", "440305001", "440305001001"}) EXPECT_TRUE(CheckRegionCode(ok, "r").ok()) << ok;
  for (const char* bad : {"4403", "4403050", "44030500100", "4403050010011", "44030a", "<b>440305</b>", "440305 "}) {
    Status s = CheckRegionCode(bad, "r");
    EXPECT_EQ(s.error_code(), "invalid_region_code") << bad;
    EXPECT_EQ(s.field(), "r");
  }
}

}  // namespace
}  // namespace th::text
