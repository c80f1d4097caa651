#include "text/pinyin.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace th::text {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(PinyinTest, PrimaryWithSurnameReadings) {
  struct Case { const char* name; const char* pinyin; const char* initials; };
  const Case cases[] = {
      {"张伟", "zhangwei", "zw"},      {"單田芳", "shantianfang", "stf"}, {"解缙", "xiejin", "xj"},
      {"曾国藩", "zengguofan", "zgf"}, {"区志华", "ouzhihua", "ozh"},     {"仇英", "qiuying", "qy"},
      {"查良镛", "zhaliangyong", "zly"}, {"盖聂", "genie", "gn"},       {"乐嘉", "yuejia", "yj"},
      {"欧阳娜娜", "ouyangnana", "oynn"}, {"吕布", "lubu", "lb"},       {"沐宸", "muchen", "mc"},
      {"张 伟", "zhangwei", "zw"},     {"Tom李", "tomli", "tl"},          {"", "", ""},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Pinyin(c.name), c.pinyin) << c.name;
    EXPECT_EQ(PinyinInitials(c.name), c.initials) << c.name;
  }
}

TEST(PinyinTest, PolyphoneVariants) {
  struct Case { const char* name; const char* must_have; };
  const Case cases[] = {
      {"单", "dan"},      {"单", "shan"},        {"覃雨", "qinyu"},     {"覃雨", "tanyu"},
      {"朴智", "piaozhi"}, {"朴智", "puzhi"},     {"曾", "ceng"},        {"长孙", "zhangsun"},
      {"乐乐", "yuele"},  {"乐乐", "yueyue"},    {"乐乐", "lele"},      {"简单", "jiandan"},
      {"简单", "jianshan"},
  };
  for (const auto& c : cases) {
    auto k = PinyinKeys(c.name);
    EXPECT_TRUE(Contains(k.full, c.must_have)) << c.name << " lacks " << c.must_have;
  }
  auto k = PinyinKeys("单乐");
  EXPECT_EQ(k.primary, "shanle");
  EXPECT_EQ(k.full.front(), "shanle");
  EXPECT_TRUE(Contains(k.initials, "sy"));
  EXPECT_TRUE(Contains(k.initials, "dl"));
  EXPECT_LE(PinyinKeys("单单单单单单", 8).full.size(), 8u);
}

// Typing a prefix of the name's pinyin, or of its initials from any character on, finds it.
TEST(PinyinTest, SearchKeysCoverPrefixesAndGivenNameInitials) {
  auto k = PinyinSearchKeys("张志伟");
  for (const char* want : {"z", "zh", "zhang", "zhangzhi", "zhangzhiwei", "zzw", "zz", "zw", "w"}) {
    EXPECT_TRUE(Contains(k, want)) << want;
  }
  for (const char* not_want : {"zhiwei", "zzwx", "zhangzhiweii", "wei", ""}) {
    EXPECT_FALSE(Contains(k, not_want)) << not_want;
  }
  auto z = PinyinSearchKeys("赵紫薇");
  EXPECT_TRUE(Contains(z, "zw"));
  EXPECT_TRUE(Contains(z, "zhao"));
  // Polyphones: every reading's prefixes (the readings PinyinKeys gives with the same cap).
  auto d = PinyinSearchKeys("单乐", 16);
  for (const char* want : {"shan", "dan", "danyu", "sl", "dy", "y", "l"}) EXPECT_TRUE(Contains(d, want)) << want;
  EXPECT_TRUE(PinyinSearchKeys("").empty());
}

TEST(PinyinTest, FuzzySyllable) {
  struct Case { const char* in; const char* want; };
  const Case cases[] = {
      {"zhang", "zan"}, {"zan", "zan"},   {"chen", "cen"}, {"shi", "si"},   {"nan", "lan"},
      {"lan", "lan"},   {"fei", "hei"},   {"hui", "hui"},  {"ning", "lin"}, {"lin", "lin"},
      {"feng", "hen"},  {"hong", "hong"}, {"liang", "lian"}, {"ng", "ng"},  {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(FuzzySyllable(c.in), c.want) << c.in;
}

TEST(PinyinTest, FuzzyKeyMatchesDialectVariants) {
  struct Case { const char* a; const char* b; bool same; };
  const Case cases[] = {
      {"张宁", "臧林", true},  {"陈晨", "岑辰", true}, {"刘楠", "刘兰", true}, {"范辉", "韩辉", true},
      {"李明", "李敏", true},  {"张伟", "王伟", false}, {"王芳", "王方", true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(FuzzyPinyin(c.a) == FuzzyPinyin(c.b), c.same) << c.a << " vs " << c.b;
  }
}

TEST(PinyinTest, ThreadSafeLookups) {
  std::vector<std::string> out(2);
  std::thread t1([&] { for (int i = 0; i < 200; ++i) out[0] = Pinyin("欧阳子涵"); });
  std::thread t2([&] { for (int i = 0; i < 200; ++i) out[1] = Pinyin("欧阳子涵"); });
  t1.join();
  t2.join();
  EXPECT_EQ(out[0], "ouyangzihan");
  EXPECT_EQ(out[1], "ouyangzihan");
}

TEST(PinyinTest, SyllableInterning) {
  SyllableId a = InternSyllable("zhang");
  EXPECT_NE(a, 0);
  EXPECT_EQ(InternSyllable("zhang"), a);
  EXPECT_EQ(SyllableText(a), "zhang");
  EXPECT_EQ(SyllableText(FuzzySyllableId(a)), "zan");
  EXPECT_EQ(SyllableText(0), "");
}

}  // namespace
}  // namespace th::text
