#include "linkage/engine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <random>

#include "linkage/commands.h"
#include "linkage/generator.h"
#include "linkage/id.h"
#include "text/date.h"
#include "text/normalize.h"

namespace th::linkage {
namespace {

TEST(CompareTest, Names) {
  struct Case { const char* a; const char* b; int level; };
  const Case cases[] = {
      {"张伟", "张伟", 5},       {"張偉", "张伟", 5},       {"张 伟", "张伟", 5},     {"张子涵", "张梓涵", 4},
      {"单雄", "丹雄", 4},       {"张宁", "臧林", 3},       {"王玉明", "王王明", 2},  {"张子涵", "张涵子", 2},
      {"张小伟", "张伟", 2},     {"张伟", "李娜", 1},       {"", "张伟", 0},          {"张伟", "", 0},
      {"欧阳娜娜", "欧阳娜娜", 5},
  };
  for (const auto& c : cases) EXPECT_EQ(CompareNames(c.a, c.b), c.level) << c.a << " vs " << c.b;
}

TEST(CompareTest, BirthDates) {
  struct Case { const char* a; const char* b; int level; };
  const Case cases[] = {
      {"2015-03-07", "2015年3月7日", 5}, {"2015-03-07", "20150703", 4}, {"2015-03-07", "2015-03-08", 3},
      {"2015-03-01", "2015-02-28", 3},   {"2015-03-07", "2015-03-20", 2}, {"2015-03-07", "2016-03-07", 1},
      {"2015-03-07", "", 0},             {"bad", "2015-03-07", 0},
  };
  for (const auto& c : cases) EXPECT_EQ(CompareBirthDates(c.a, c.b), c.level) << c.a << " vs " << c.b;
}

TEST(CompareTest, Addresses) {
  struct Case { const char* a; const char* b; int level; };
  const Case cases[] = {
      {"广东省深圳市龙岗区坂田街道和平社区1号", "广东省深圳市龙岗区坂田街道幸福社区9号", 5},
      {"广东省深圳市龙岗区坂田街道", "广东省深圳市龙岗区布吉街道", 4},
      {"广东省深圳市龙岗区", "广东省深圳市福田区", 3},
      {"广东省深圳市", "广东省广州市", 2},
      {"广东省深圳市", "江苏省扬州市", 1},
      {"", "广东省深圳市", 0},
  };
  for (const auto& c : cases) EXPECT_EQ(CompareAddresses(c.a, c.b), c.level) << c.a << " vs " << c.b;
}

TEST(CompareTest, Ids) {
  struct Case { const char* a; const char* b; int level; };
  const Case cases[] = {
      {"11010519491231002X", "11010519491231002x", 3}, {"11010519491231002X", "110105491231002", 3},
      {"11010519491231002X", "G11010519491231002X", 3}, {"11010519491231002X", "110105194912310021", 2},
      {"11010519491231002X", "11010519491213002X", 2},  {"11010519491231002X", "44030720150307123X", 1},
      {"11010519491231002X", "", 0},                    {"11010519491231002X", "L123", 0},
  };
  for (const auto& c : cases) EXPECT_EQ(CompareIds(c.a, c.b), c.level) << c.a << " vs " << c.b;
}

TEST(PatternTest, RoundTrip) {
  std::array<std::uint8_t, kNumFields> lv = {3, 5, 4, 2, 1, 0, 5};
  EXPECT_EQ(DecodePattern(EncodePattern(lv)), lv);
  EXPECT_EQ(NumPatterns(), 4u * 6 * 6 * 3 * 4 * 3 * 6);
}

// EM recovers known m, u and lambda from patterns drawn from the model itself.
TEST(EmTest, ConvergesToGeneratingParameters) {
  FsModel truth;
  truth.lambda = 0.2;
  std::mt19937_64 rng(7);
  for (int f = 0; f < kNumFields; ++f) {
    int L = kFieldLevels[f];
    for (int l = 1; l < L; ++l) {
      truth.m[f][l] = (l == L - 1) ? 0.8 : 0.2 / (L - 2);
      truth.u[f][l] = (l == 1) ? 0.85 : 0.15 / (L - 2);
    }
  }
  std::vector<std::uint64_t> counts(NumPatterns(), 0);
  std::uniform_real_distribution<double> U(0, 1);
  for (int k = 0; k < 200000; ++k) {
    bool match = U(rng) < truth.lambda;
    std::array<std::uint8_t, kNumFields> lv{};
    for (int f = 0; f < kNumFields; ++f) {
      double r = U(rng), acc = 0;
      int L = kFieldLevels[f];
      lv[f] = static_cast<std::uint8_t>(L - 1);
      for (int l = 1; l < L; ++l) {
        acc += match ? truth.m[f][l] : truth.u[f][l];
        if (r < acc) {
          lv[f] = static_cast<std::uint8_t>(l);
          break;
        }
      }
    }
    ++counts[EncodePattern(lv)];
  }
  FsModel init;
  init.lambda = 0.5;
  for (int f = 0; f < kNumFields; ++f) {
    int L = kFieldLevels[f];
    for (int l = 1; l < L; ++l) init.m[f][l] = init.u[f][l] = 1.0 / (L - 1);
    init.m[f][L - 1] += 0.1;
    init.u[f][1] += 0.1;
  }
  FsModel fit = FitFellegiSunter(counts, init, 500, 1e-8);
  EXPECT_TRUE(fit.converged);
  EXPECT_NEAR(fit.lambda, 0.2, 0.01);
  for (int f = 0; f < kNumFields; ++f) {
    int L = kFieldLevels[f];
    EXPECT_NEAR(fit.m[f][L - 1], 0.8, 0.02) << FieldName(f);
    EXPECT_NEAR(fit.u[f][1], 0.85, 0.02) << FieldName(f);
  }
}

// A small end-to-end linkage on generated data with known truth.
TEST(LinkTest, EndToEndMinimumF1) {
  GeneratorOptions g;
  g.registry_size = 3000;
  g.source_size = 3000;
  g.seed = 11;
  GeneratedData data = GenerateLinkageData(g);
  LinkConfig cfg;
  cfg.truth = &data.truth;
  auto res = Link(data.registry, data.source, cfg);
  ASSERT_TRUE(res.ok());
  Evaluation e = Evaluate(data, *res);
  EXPECT_GE(e.f1, 0.98) << FormatEvaluation(e, res->stats);
  EXPECT_GE(e.f1_with_id, 0.98);
  EXPECT_GE(e.f1_without_id, 0.95);
  EXPECT_GE(res->stats.pair_completeness, 0.99);
  EXPECT_TRUE(res->model.converged);
  // m > u at the top level of the identity fields.
  for (int f : {kFieldId, kFieldName, kFieldBirth}) {
    EXPECT_GT(res->model.Weight(f, kFieldLevels[f] - 1), 3.0) << FieldName(f);
  }
  // Every link is explainable: its name contribution is listed with a level and weight.
  for (const auto& m : res->matches) {
    if (m.band != Band::kLink) continue;
    auto ex = Explain(res->model, m);
    ASSERT_EQ(ex.size(), static_cast<std::size_t>(kNumFields));
    EXPECT_FALSE(ExplainText(res->model, m).empty());
    break;
  }
}

// The engine's nibble ID comparison equals the reference IdsAreNear / equality rules.
TEST(FastPathTest, IdNibblesMatchReference) {
  std::mt19937_64 rng(3);
  const std::string base = "44030720150307123";
  int near = 0;
  for (int k = 0; k < 20000; ++k) {
    std::string a = base + IdCheckChar(base), b = a;
    int kind = static_cast<int>(rng() % 4);
    if (kind == 0) b[rng() % 18] = static_cast<char>('0' + rng() % 10);
    if (kind == 1) { std::size_t i = rng() % 17; std::swap(b[i], b[i + 1]); }
    if (kind == 2) { b[rng() % 18] = static_cast<char>('0' + rng() % 10); b[rng() % 18] = static_cast<char>('0' + rng() % 10); }
    if (kind == 3) for (auto& c : b) c = static_cast<char>('0' + rng() % 10);
    if (rng() % 5 == 0) b[17] = 'X';
    std::uint64_t x = PackId(a), y = PackId(b);
    int want = (x == 0 || y == 0) ? 0 : x == y ? 3 : IdsAreNear(x, y) ? 2 : 1;
    near += want == 2;
    ASSERT_EQ(CompareIdKeysNibbles(x, y), want) << a << " " << b;
  }
  EXPECT_GT(near, 1000);
  EXPECT_EQ(CompareIdKeysNibbles(0, PackId("11010519491231002X")), 0);
}

// The ASCII fast path of the phone key equals the general path (CleanIdLike, X dropped,
// +86 stripped from 13 digits, 7-15 digits kept).
TEST(FastPathTest, PhoneKey) {
  auto reference = [](std::string_view raw) -> std::uint64_t {
    std::string d = text::CleanIdLike(raw);
    d.erase(std::remove(d.begin(), d.end(), 'X'), d.end());
    if (d.size() == 13 && d.compare(0, 2, "86") == 0) d.erase(0, 2);
    if (d.size() < 7 || d.size() > 15) return 0;
    return std::stoull(d);
  };
  const char* cases[] = {"13800138000", "+86 138-0013-8000", "8613800138000", "0755-2666 8888", "138x0013", "123456",
                         "1234567", "123456789012345", "1234567890123456", "12345678901234567890123", "", "abc",
                         "１３８００１３８０００", "138 0013 8000 转 12", "86123", "(0755)88886666", "x13800138000X"};
  for (const char* c : cases) EXPECT_EQ(PhoneKey(c), reference(c)) << c;
  EXPECT_EQ(PhoneKey("+86 138-0013-8000"), 13800138000u);
}

// The engine's name cleanup equals text::CleanName: plain simplified names (the shortcut),
// traditional characters, spaces and dots, full-width and Latin letters, extension-A and
// compatibility ideographs, broken UTF-8; and every name of a generated file.
TEST(FastPathTest, EngineCleanName) {
  const char* cases[] = {"张伟", "欧阳娜娜", "張偉", "张 伟", "阿卜杜拉·买买提", "Ｔｏｍ", "tom", "王㐀明", "李\xEF\xA4\x80",
                         "\xE5\xBC", "\xE5\xBC\xA0\xFF", "", "丁", "一", "龥", "\xE4\xB8\x80\xE9\xBE\xA5", "王1",
                         "王。", "\xEF\xBC\xA1"};
  for (const char* c : cases) EXPECT_EQ(EngineCleanName(c), text::CleanName(c)) << c;
  GeneratorOptions g;
  g.registry_size = 2000;
  g.source_size = 2000;
  g.seed = 4;
  GeneratedData data = GenerateLinkageData(g);
  for (const auto& r : data.source) {
    for (const std::string* s : {&r.name, &r.father_name, &r.mother_name, &r.guardian_name}) {
      ASSERT_EQ(EngineCleanName(*s), text::CleanName(*s)) << *s;
    }
  }
}

// The direct reading of 2015-03-07 / 20150307 equals text::ParseDate, invalid dates included.
TEST(FastPathTest, BirthDayNumber) {
  const char* cases[] = {"2015-03-07", "2015/03/07", "2015.03.07", "20150307", "2015-02-29", "2016-02-29",
                         "2015-13-01", "2015-00-10", "2015-03-00", "1799-01-01", "2201-01-01", "2015-3-7",
                         "2015年3月7日", "42070", "0000-00-00", "2015-03/07", "2015x03x07", "20151332", "abcdefgh",
                         "2015-03-07 00:00:00", "07/03/2015", ""};
  for (const char* c : cases) {
    auto d = text::ParseDate(c);
    std::int32_t want = d.ok() ? text::DaysFromCivil(*d) : INT32_MIN;
    EXPECT_EQ(BirthDayNumber(c), want) << c;
  }
}

// Address levels only depend on the prefix up to the 4th boundary; cutting there (the memo
// key) gives the same hashes, including traditional characters and odd spacing.
TEST(FastPathTest, AddressRegionPrefix) {
  const char* cases[] = {"广东省深圳市龙岗区坂田街道和平社区1号", "廣東省深圳市龍崗區坂田街道和平社區12号",
                         "北京市东城区东华门街道新村3号",       "广东省 深圳市 龙岗区 坂田街 道 和平社区",
                         "四川省广安市邻水县城关镇新华街道5号",   "幸福社区7号", "", "Ｇ省Ｈ市"};
  for (const char* c : cases) {
    std::string_view full(c);
    std::size_t n = AddressRegionPrefixBytes(full);
    EXPECT_LE(n, full.size());
    EXPECT_EQ(AddressPrefixHashes(full.substr(0, n)), AddressPrefixHashes(full)) << c;
  }
  EXPECT_LT(AddressRegionPrefixBytes("广东省深圳市龙岗区坂田街道和平社区1号"),
            std::string_view("广东省深圳市龙岗区坂田街道和平社区1号").size());
}

// Exact-ID-first settling and sub-blocking keep accuracy and pair completeness, and cut
// candidate pairs against the old configuration (no settling, cap 300, no sub-blocks).
TEST(LinkTest, IdFirstAndSubBlocking) {
  GeneratorOptions g;
  g.registry_size = 20000;
  g.source_size = 20000;
  g.seed = 5;
  GeneratedData data = GenerateLinkageData(g);
  LinkConfig fast;
  fast.truth = &data.truth;
  LinkConfig old = fast;
  old.id_first = false;
  old.sub_block = false;
  old.block_cap = 300;
  auto a = Link(data.registry, data.source, fast);
  auto b = Link(data.registry, data.source, old);
  ASSERT_TRUE(a.ok() && b.ok());
  Evaluation ea = Evaluate(data, *a), eb = Evaluate(data, *b);
  EXPECT_GT(a->stats.id_first_settled, 5000u);
  EXPECT_LT(a->stats.candidate_pairs, b->stats.candidate_pairs);
  EXPECT_GE(a->stats.pair_completeness, 0.999) << FormatStages(a->stats);
  EXPECT_GE(ea.f1, 0.995);
  EXPECT_GE(ea.f1_with_id, 0.995);
  EXPECT_GE(ea.f1_without_id, 0.98);
  EXPECT_GE(ea.f1, eb.f1 - 0.002);
}

TEST(IdJoinTest, ExactIdsOnly) {
  std::vector<Record> reg(4), src(5);
  reg[0].id_number = "11010519491231002X";
  const std::string good = std::string("44030720150307123") + IdCheckChar("44030720150307123");
  std::string bad = good;
  bad[17] = bad[17] == '0' ? '1' : '0';
  reg[1].id_number = bad;  // bad checksum: not joined
  reg[2].id_number = good;
  reg[3].id_number = good;  // duplicate: ambiguous
  src[0].id_number = "11010519491231002x";
  src[1].id_number = bad;
  src[2].id_number = good;
  src[3].id_number = "";
  src[4].id_number = "G11010519491231002X";
  auto r = ExactIdJoin(reg, src, 2);
  EXPECT_EQ(r.match, (std::vector<std::int32_t>{0, -1, -1, -1, 0}));
  EXPECT_EQ(r.matched, 2u);
  EXPECT_EQ(r.ambiguous, 1u);
}

TEST(ScoringKernelTest, SameLevelsAsComparators) {
  std::vector<Record> reg(1), src(1);
  const std::string id = std::string("44030720150307123") + IdCheckChar("44030720150307123");
  reg[0] = {"R1", "张子涵", "男", "2015-03-07", id, "张建国", "", "", "13800138000",
            "广东省深圳市龙岗区坂田街道", ""};
  src[0] = {"S1", "张梓涵", "男", "2015-07-03", id, "张建国", "", "", "13800138000",
            "广东省深圳市龙岗区布吉街道", ""};
  ScoringKernel k(reg, src, 1);
  std::uint32_t si = 0, ri = 0, pat = 0;
  k.Score(&si, &ri, 1, &pat);
  auto lv = DecodePattern(pat);
  EXPECT_EQ(lv[kFieldId], 3);
  EXPECT_EQ(lv[kFieldName], CompareNames("张子涵", "张梓涵"));
  EXPECT_EQ(lv[kFieldBirth], 4);
  EXPECT_EQ(lv[kFieldSex], 2);
  EXPECT_EQ(lv[kFieldGuardian], 3);
  EXPECT_EQ(lv[kFieldPhone], 2);
  EXPECT_EQ(lv[kFieldAddress], 4);
}

// The kernel's name levels (signature fast path, NameInfo fallback for polyphones) equal
// CompareNames on generated names: true pairs (corrupted names) and random pairs.
TEST(ScoringKernelTest, NameLevelsMatchCompareNames) {
  GeneratorOptions g;
  g.registry_size = 3000;
  g.source_size = 3000;
  g.seed = 9;
  GeneratedData data = GenerateLinkageData(g);
  ScoringKernel k(data.registry, data.source, 2);
  std::mt19937_64 rng(1);
  int checked = 0, non_exact = 0;
  for (std::uint32_t i = 0; i < data.source.size(); ++i) {
    for (int t = 0; t < 2; ++t) {
      std::uint32_t j = t == 0 && data.truth[i] >= 0 ? static_cast<std::uint32_t>(data.truth[i])
                                                    : static_cast<std::uint32_t>(rng() % data.registry.size());
      std::uint32_t pat = 0;
      k.Score(&i, &j, 1, &pat);
      int want = CompareNames(data.source[i].name, data.registry[j].name);
      ASSERT_EQ(DecodePattern(pat)[kFieldName], want) << data.source[i].name << " vs " << data.registry[j].name;
      ++checked;
      non_exact += want > 1 && want < 5;
    }
  }
  EXPECT_GT(checked, 5000);
  EXPECT_GT(non_exact, 150);
}

TEST(LinkTest, TwinsAreNotLinkedToEachOther) {
  std::vector<Record> reg(1), src(1);
  reg[0] = {"R1", "王子涵", "男", "2015-03-07", "", "王建国", "李秀英", "王建国", "13800138000",
            "广东省深圳市龙岗区坂田街道", "广东省深圳市龙岗区坂田街道"};
  src[0] = reg[0];
  src[0].id = "S1";
  src[0].name = "王梦瑶";
  src[0].sex = "女";
  auto res = Link(reg, src, LinkConfig{});
  ASSERT_TRUE(res.ok());
  EXPECT_NE(res->matches[0].band, Band::kLink);
}

// A department batch of one or two records against a registry of a few thousand children:
// too few candidate pairs for EM (a two-record batch fits lambda to 0 or 1, and then either
// nothing or every candidate links) and too few source values to tell chance agreement. The
// obvious cases must link: a homophone (张伟 / 张玮) and a similar-looking character (李晴 /
// 李睛) with the same birth date and guardian, no ID on either side; and the homophone with
// only name, birth date and a partial address (a 残联-style row) next to a child not in the
// registry. Different children must not link: 张强 born the same day as 张伟 in another
// household (the old engine linked him with probability 1.000), a sibling of 张伟.
TEST(LinkTest, SmallBatchLinksObviousCases) {
 // A district's registry, and a community's.
 for (std::size_t registry_size : {4000, 60}) {
  GeneratorOptions g;
  g.registry_size = registry_size;
  g.source_size = 10;
  g.seed = 21;
  std::vector<Record> reg = GenerateLinkageData(g).registry;
  const std::string addr = "广东省深圳市龙岗区坂田街道和平社区3栋";
  reg.push_back({"RA", "张伟", "男", "2016-05-12", "", "张建国", "李秀兰", "张建国", "13912345678", addr, addr});
  reg.push_back({"RB", "李晴", "女", "2014-09-03", "", "李志强", "王玉兰", "王玉兰", "13812345678", addr, addr});
  const auto ra = static_cast<std::int32_t>(reg.size() - 2), rb = static_cast<std::int32_t>(reg.size() - 1);
  const Record homophone{"S1", "张玮", "男", "2016-05-12", "", "", "", "张建国", "", addr, ""};
  const Record similar{"S2", "李睛", "女", "2014-09-03", "", "", "", "王玉兰", "", addr, ""};
  const Record homophone_bare{"S3", "张玮", "", "2016-05-12", "", "", "", "", "", "", "和平社区某小区"};
  const Record not_registered{"S4", "孙悟", "", "2012-06-06", "", "", "", "", "", "", "坂田社区"};
  const Record same_day_other_child{"S5", "张强", "男", "2016-05-12", "", "", "", "刘德明", "", "四川省成都市武侯区玉林街道", ""};
  const Record same_day_bare{"S6", "张强", "男", "2016-05-12", "", "", "", "", "", "", ""};
  const Record sibling{"S7", "张浩", "男", "2018-11-30", "", "", "", "张建国", "", addr, ""};
  struct Case {
    std::vector<Record> batch;
    std::vector<std::int32_t> want;  // registry index to link, -1: must not link
  };
  const Case cases[] = {
      {{homophone, similar}, {ra, rb}},
      {{similar}, {rb}},
      {{homophone_bare, not_registered}, {ra, -1}},
      {{same_day_other_child, sibling}, {-1, -1}},
      {{same_day_bare}, {-1}},
      {{homophone, same_day_other_child}, {ra, -1}},
  };
  for (const auto& c : cases) {
    auto res = Link(reg, c.batch, LinkConfig{});
    ASSERT_TRUE(res.ok());
    for (std::size_t i = 0; i < c.batch.size(); ++i) {
      const Match& m = res->matches[i];
      const std::string why = c.batch[i].name + " p=" + std::to_string(m.probability) + " " + ExplainText(res->model, m);
      if (c.want[i] >= 0) {
        EXPECT_EQ(m.registry_index, c.want[i]) << registry_size << ": " << why;
        EXPECT_EQ(m.band, Band::kLink) << registry_size << ": " << why;
      } else {
        EXPECT_NE(m.band, Band::kLink) << registry_size << ": " << why;
      }
    }
  }
 }
}

// Issue 9 item 11: two valid ID numbers more than one substitution or adjacent swap apart are
// two children, whatever the batch and registry sizes. A community registry of 30 children
// against a district school register of 4,000 records without parents: records of another
// surname and another valid ID that share given name, sex and birth date with a registry child
// must get no candidate at review or above; the registry children themselves (same ID, a
// nickname, no ID) still link.
TEST(LinkTest, DifferentValidIdsAreDecisiveAgainstAMatch) {
  GeneratorOptions g;
  g.registry_size = 30;
  g.source_size = 10;
  g.registry_without_id = 0;
  g.seed = 5;
  std::vector<Record> reg = GenerateLinkageData(g).registry;
  GeneratorOptions d;
  d.registry_size = 4000;
  d.source_size = 10;
  d.seed = 77;
  std::vector<Record> src = GenerateLinkageData(d).registry;  // children of other households
  for (auto& r : src) r.father_name.clear(), r.mother_name.clear(), r.guardian_name.clear(), r.guardian_phone.clear();
  // Decoys: another surname, another valid ID (same region and birth date, other sequence).
  std::vector<std::pair<std::size_t, std::size_t>> decoys;  // source index, registry index
  const std::string other_surnames[] = {"欧", "乔", "翟", "阮"};
  for (std::size_t j = 0; j < reg.size(); ++j) {
    Record r = reg[j];
    r.id = "D" + std::to_string(j);
    const std::size_t surname_bytes = 3;
    r.name = other_surnames[j % 4] + reg[j].name.substr(surname_bytes);
    std::string seq = reg[j].id_number.substr(14, 3) == "555" ? "556" : "555";
    std::string first17 = reg[j].id_number.substr(0, 14) + seq;
    first17[16] = reg[j].id_number[16];  // keep the sex digit
    r.id_number = first17 + IdCheckChar(first17);
    ASSERT_EQ(CompareIds(r.id_number, reg[j].id_number), 1) << r.id_number << " " << reg[j].id_number;
    r.father_name.clear(), r.mother_name.clear(), r.guardian_name.clear(), r.guardian_phone.clear();
    decoys.emplace_back(src.size(), j);
    src.push_back(std::move(r));
  }
  // The same decoys with the registry child's own surname: still another valid ID.
  for (std::size_t j = 0; j < reg.size(); j += 3) {
    Record r = src[decoys[j].first];
    r.id = "E" + std::to_string(j);
    r.name = reg[j].name;
    decoys.emplace_back(src.size(), j);
    src.push_back(std::move(r));
  }
  // Registry children in the register: same ID; a few with the name damaged or the ID blank.
  std::vector<std::pair<std::size_t, std::size_t>> real;
  for (std::size_t j = 0; j < reg.size(); j += 2) {
    Record r = reg[j];
    r.id = "T" + std::to_string(j);
    if (j % 4 == 0) r.id_number.clear();
    r.father_name.clear(), r.mother_name.clear(), r.guardian_phone.clear();
    real.emplace_back(src.size(), j);
    src.push_back(std::move(r));
  }
  for (int variant = 0; variant < 2; ++variant) {
  if (variant == 1) {
    // The registry without ID numbers: the decoys then only share given name, sex and birth date
    // (and the street): a name-and-date coincidence, no finding either.
    for (auto& r : reg) r.id_number.clear();
  }
  for (std::size_t batch : {src.size(), std::size_t{40}}) {
    std::vector<Record> s(src.end() - static_cast<std::ptrdiff_t>(std::min(batch, src.size())), src.end());
    const std::size_t off = src.size() - s.size();
    auto res = Link(reg, s, LinkConfig{});
    ASSERT_TRUE(res.ok());
    for (auto [i, j] : decoys) {
      if (i < off) continue;
      // Without the registry's ID, the same full name, date and street is this child as far as
      // anyone can tell: only the other-surname decoys are checked then.
      if (variant == 1 && src[i].name == reg[j].name) continue;
      const Match& m = res->matches[i - off];
      EXPECT_EQ(m.band, Band::kNoLink) << batch << ": " << s[i - off].name << " " << s[i - off].id_number << " vs "
                                       << reg[j].name << " " << reg[j].id_number << " p=" << m.probability << " "
                                       << ExplainText(res->model, m);
    }
    for (auto [i, j] : real) {
      if (i < off) continue;
      const Match& m = res->matches[i - off];
      EXPECT_EQ(m.registry_index, static_cast<std::int32_t>(j)) << batch << ": " << s[i - off].name;
      if (!s[i - off].id_number.empty() && variant == 0) {
        EXPECT_EQ(m.band, Band::kLink) << batch << ": " << s[i - off].name;
      }
    }
  }
  }
}

// Issue 9 item 12: names as families write them. 乳名/小名 (小X, 阿X, 叠字, 大宝/二宝,
// 某某之子/之女) with the father's and mother's names swapped still link when birth date, parents,
// guardian and address agree; twins and siblings (same parents, same or near birth date, other
// given names, other valid IDs) and a twin's family name never link.
TEST(CompareTest, FamilyNames) {
  struct Case { const char* a; const char* b; int level; };
  const Case cases[] = {
      {"小涵", "张梓涵", 2},   {"阿涵", "张梓涵", 2},    {"涵涵", "张梓涵", 2},   {"张涵涵", "张梓涵", 2},
      {"张小涵", "张梓涵", 2}, {"大宝", "张梓涵", 2},    {"张二宝", "张梓涵", 2}, {"张建国之女", "张梓涵", 2},
      {"小轩", "张梓涵", 1},   {"李小涵", "张梓涵", 1},  {"李大宝", "张梓涵", 1}, {"张梓涵", "张梓涵", 5},
      {"小寒", "张梓涵", 2},   {"阿涵", "涵涵", 2},      {"小涵", "阿轩", 1},
      // Another surname with the same given name is another child.
      {"欧梓涵", "张梓涵", 1}, {"李伟", "王伟", 1},      {"欧阳娜娜", "上官娜娜", 1},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CompareNames(c.a, c.b), c.level) << c.a << " vs " << c.b;
    EXPECT_EQ(CompareNames(c.b, c.a), c.level) << c.b << " vs " << c.a;
  }
}

TEST(LinkTest, FamilyNamesLinkAndTwinsDoNot) {
  GeneratorOptions g;
  g.registry_size = 3000;
  g.source_size = 10;
  g.seed = 31;
  std::vector<Record> base = GenerateLinkageData(g).registry;
  const std::string addr = "广东省深圳市龙岗区坂田街道和平社区3栋";
  const std::string zihan_id = "440307201605120023", zixuan_id = "440307201605120015";
  auto with_check = [](std::string s) { s.pop_back(); return s + IdCheckChar(s); };
  const Record zihan{"RA", "张梓涵", "女", "2016-05-12", with_check(zihan_id), "张建国", "李秀兰", "张建国", "13912345678", addr, addr};
  const Record zixuan{"RB", "张梓轩", "男", "2016-05-12", with_check(zixuan_id), "张建国", "李秀兰", "张建国", "13912345678", addr, addr};
  const Record hao{"RC", "张浩", "男", "2018-11-30", "", "张建国", "李秀兰", "张建国", "13912345678", addr, addr};
  const Record yinuo{"RD", "王一诺", "女", "2015-09-09", "", "王志强", "陈丽华", "陈丽华", "13712345678", addr, addr};
  // A vaccination-style record: family name, no ID, no phone, father and mother swapped.
  auto family = [&](const Record& r, const char* name) {
    Record s{"S", name, r.sex, r.birth_date, "", r.mother_name, r.father_name, r.guardian_name, "", "", r.residence_address};
    return s;
  };
  struct Case {
    std::vector<Record> registry_extra;
    Record source;
    int want;  // index into registry_extra, -1: must not link
  };
  const Case cases[] = {
      {{zihan, zixuan, hao}, family(zihan, "小涵"), 0},
      {{zihan, zixuan, hao}, family(zihan, "阿涵"), 0},
      {{zihan, zixuan, hao}, family(zihan, "涵涵"), 0},
      {{zihan, zixuan, hao}, family(zihan, "张涵涵"), 0},
      {{zihan, zixuan, hao}, family(zixuan, "张小轩"), 1},
      {{yinuo}, family(yinuo, "大宝"), 0},
      {{yinuo}, family(yinuo, "王志强之女"), 0},
      {{zihan, hao}, family(hao, "二宝"), 1},
      // The twin not on the roll: another valid ID, or only a family name of his own.
      {{zihan, hao}, [&] { Record r = zixuan; r.id = "S"; return r; }(), -1},
      {{zihan, hao}, family(zixuan, "小轩"), -1},
      {{zihan, hao}, family(zixuan, "轩轩"), -1},
      // A sibling born two years later.
      {{zihan}, family(hao, "小浩"), -1},
      {{zihan}, [&] { Record r = hao; r.id = "S"; return r; }(), -1},
  };
  for (const auto& c : cases) {
    std::vector<Record> reg = base;
    const auto first = static_cast<std::int32_t>(reg.size());
    for (const auto& r : c.registry_extra) reg.push_back(r);
    // A batch of a few records, as a village or kindergarten list would be.
    std::vector<Record> batch = {c.source};
    auto res = Link(reg, batch, LinkConfig{});
    ASSERT_TRUE(res.ok());
    const Match& m = res->matches[0];
    const std::string why = c.source.name + " p=" + std::to_string(m.probability) + " " + ExplainText(res->model, m);
    if (c.want >= 0) {
      EXPECT_EQ(m.registry_index, first + c.want) << why;
      EXPECT_EQ(m.band, Band::kLink) << why;
    } else {
      EXPECT_NE(m.band, Band::kLink) << why;
    }
  }
}

TEST(LinkTest, RejectsBadThresholds) {
  LinkConfig cfg;
  cfg.link_threshold = 0.3;
  cfg.review_threshold = 0.6;
  EXPECT_FALSE(Link({}, {}, cfg).ok());
  auto empty = Link({}, {}, LinkConfig{});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->matches.empty());
}

TEST(RecordCsvTest, AbsentColumnsAndGbk) {
  auto recs = ParseRecordsCsv("name,id_number,extra\n张伟,11010519491231002X,x\n李娜,,y\n");
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ((*recs)[0].id, "1");
  EXPECT_EQ((*recs)[1].name, "李娜");
  EXPECT_FALSE(ParseRecordsCsv("foo,bar\n1,2\n").ok());
}

}  // namespace
}  // namespace th::linkage
