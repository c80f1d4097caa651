#include "text/charset.h"

#include <gtest/gtest.h>

namespace th::text {
namespace {

TEST(CharsetTest, Detect) {
  struct Case { std::string bytes; Charset want; };
  const Case cases[] = {
      {"id,name\n1,abc\n", Charset::kUtf8},
      {"\xEF\xBB\xBFid,name\n", Charset::kUtf8Bom},
      {"姓名,张伟\n", Charset::kUtf8},
      {"\xD0\xD5\xC3\xFB,\xD5\xC5\xCE\xB0\n", Charset::kGb18030},  // 姓名,张伟 in GBK
      {std::string("\xFF\xFEi\0", 4), Charset::kUtf16Le},
      {"", Charset::kUtf8},
  };
  for (const auto& c : cases) EXPECT_EQ(DetectCharset(c.bytes), c.want) << c.bytes;
}

TEST(CharsetTest, GbkRoundTrip) {
  auto gbk = Utf8ToGb18030("姓名,张伟,欧阳娜娜\n");
  ASSERT_TRUE(gbk.ok());
  EXPECT_EQ(gbk->substr(0, 4), "\xD0\xD5\xC3\xFB");
  Charset found;
  auto back = DecodeToUtf8(*gbk, &found);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(found, Charset::kGb18030);
  EXPECT_EQ(*back, "姓名,张伟,欧阳娜娜\n");
}

TEST(CharsetTest, BomStripped) {
  auto r = DecodeToUtf8("\xEF\xBB\xBF张伟");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "张伟");
  std::string le("\xFF\xFE\x20\x5F", 4);  // 张 in UTF-16LE is U+5F20
  auto r2 = DecodeToUtf8(le);
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(*r2, "张");
}

TEST(CharsetTest, InvalidGbkIsAnError) {
  // 0x81 followed by 0x20 is not a valid GB18030 sequence.
  auto r = ConvertToUtf8("ab\x81\x20", Charset::kGb18030);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().error_code(), "invalid_encoding");
  auto bad = ConvertToUtf8("\xD5\xC5", Charset::kUtf8);
  EXPECT_FALSE(bad.ok());
}

}  // namespace
}  // namespace th::text
