#include "text/normalize.h"

#include <gtest/gtest.h>

#include "text/utf8.h"

namespace th::text {
namespace {

TEST(NormalizeTest, Nfkc) {
  struct Case { const char* in; const char* want; };
  const Case cases[] = {
      {"ＡＢＣ１２３", "ABC123"},
      {"张\xE3\x80\x80伟", "张 伟"},  // ideographic space
      {"abc", "abc"},
      {"\xEF\xA4\x80", "\xE8\xB1\x88"},  // U+F900 compatibility ideograph -> U+8C48
  };
  for (const auto& c : cases) EXPECT_EQ(Nfkc(c.in), c.want) << c.in;
}

TEST(NormalizeTest, ToSimplified) {
  struct Case { const char* in; const char* want; };
  const Case cases[] = {
      {"張偉", "张伟"}, {"劉德華", "刘德华"}, {"陳國慶", "陈国庆"}, {"鄭蘇龍", "郑苏龙"},
      {"张伟", "张伟"}, {"abc", "abc"},       {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(ToSimplified(c.in), c.want) << c.in;
}

TEST(NormalizeTest, CleanName) {
  struct Case { const char* in; const char* want; };
  const Case cases[] = {
      {"张伟", "张伟"},
      {" 张 伟 ", "张伟"},
      {"張\xE3\x80\x80偉", "张伟"},
      {"阿卜杜拉·买买提", "阿卜杜拉买买提"},
      {"阿卜杜拉•买买提", "阿卜杜拉买买提"},
      {"阿卜杜拉‧买买提", "阿卜杜拉买买提"},
      {"阿卜杜拉・买买提", "阿卜杜拉买买提"},
      {"阿卜杜拉.买买提", "阿卜杜拉买买提"},
      {"Ｔｏｍ　Ｌｅｅ", "tomlee"},
      {"李（小明）", "李小明"},
      {"", ""},
      {"  ", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(CleanName(c.in), c.want) << c.in;
}

TEST(NormalizeTest, HanNgrams) {
  auto g = HanNgrams("张子涵");
  std::vector<std::string> want = {"张", "子", "涵", "张子", "子涵"};
  EXPECT_EQ(g, want);
  EXPECT_TRUE(HanNgrams("").empty());
  EXPECT_EQ(HanNgrams("李").size(), 1u);
}

TEST(NormalizeTest, CleanIdLike) {
  struct Case { const char* in; const char* want; };
  const Case cases[] = {
      {"４４０３０１２０１５０３０７１２３ｘ", "44030120150307123X"},
      {"440301 2015 0307 123x", "44030120150307123X"},
      {"440301201503071×", "440301201503071X"},
      {"138-0013-8000", "13800138000"},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(CleanIdLike(c.in), c.want) << c.in;
}

TEST(Utf8Test, Validity) {
  struct Case { std::string in; bool valid; };
  const Case cases[] = {
      {"abc", true}, {"张伟", true}, {"\xEF\xBF\xBD", true}, {"\xD5\xC5", false},  // GBK 张
      {"\xC0\x80", false}, {"\xED\xA0\x80", false}, {"\xE5\xBC", false}, {"", true},
  };
  for (const auto& c : cases) EXPECT_EQ(IsValidUtf8(c.in), c.valid) << c.in;
}

TEST(NormalizeTest, HanPrefixes) {
  EXPECT_EQ(HanPrefixes("欧阳娜娜"), (std::vector<std::string>{"欧阳娜"}));
  EXPECT_EQ(HanPrefixes("爱新觉罗溥仪"), (std::vector<std::string>{"爱新觉", "爱新觉罗", "爱新觉罗溥"}));
  EXPECT_EQ(HanPrefixes("爱新觉罗", 2), (std::vector<std::string>{"爱新", "爱新觉"}));
  EXPECT_TRUE(HanPrefixes("张志伟").empty());
  EXPECT_TRUE(HanPrefixes("tom李四五").empty());
  EXPECT_TRUE(HanPrefixes("").empty());
}

TEST(Utf8Test, RoundTrip) {
  std::string s = "a张𠀀·";
  std::string back;
  for (char32_t c : DecodeUtf8(s)) AppendUtf8(c, &back);
  EXPECT_EQ(back, s);
  EXPECT_TRUE(IsHan(U'张'));
  EXPECT_TRUE(IsHan(0x20000));
  EXPECT_FALSE(IsHan(U'a'));
}

}  // namespace
}  // namespace th::text
