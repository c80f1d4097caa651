#include "linkage/id.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <random>

#include "text/date.h"

namespace th::linkage {
namespace {

TEST(IdTest, CheckChar) {
  struct Case { const char* first17; char want; };
  const Case cases[] = {{"11010519491231002", 'X'}, {"44030720150307123", '5'}, {"32108120100101001", '1'},
                        {"11010120000101001", '0'}};
  for (const auto& c : cases) {
    std::string full = std::string(c.first17) + IdCheckChar(c.first17);
    EXPECT_EQ(IdCheckChar(c.first17), c.want) << c.first17;
    EXPECT_EQ(AnalyzeId(full).kind, IdKind::kValid) << full;
  }
}

TEST(IdTest, Analyze) {
  struct Case { const char* raw; IdKind kind; const char* normalized; char sex; bool upgraded; bool school; };
  const Case cases[] = {
      {"11010519491231002X", IdKind::kValid, "11010519491231002X", 'F', false, false},
      {"11010519491231002x", IdKind::kValid, "11010519491231002X", 'F', false, false},
      {"１１０１０５１９４９１２３１００２Ｘ", IdKind::kValid, "11010519491231002X", 'F', false, false},
      {" 110105 19491231 002X ", IdKind::kValid, "11010519491231002X", 'F', false, false},
      {"110105491231002", IdKind::kValid, "11010519491231002X", 'F', true, false},
      {"G11010519491231002X", IdKind::kValid, "11010519491231002X", 'F', false, true},
      {"110105194912310021", IdKind::kBadChecksum, "110105194912310021", 'F', false, false},
      {"J3210812015030700", IdKind::kNotAnId, "", 0, false, false},
      {"L20150307001", IdKind::kNotAnId, "", 0, false, false},
      {"110105194913310021", IdKind::kInvalid, "", 0, false, false},  // month 13
      {"1101051949123100", IdKind::kInvalid, "", 0, false, false},    // 16 digits
      {"", IdKind::kEmpty, "", 0, false, false},
      {"   ", IdKind::kEmpty, "", 0, false, false},
  };
  for (const auto& c : cases) {
    IdAnalysis a = AnalyzeId(c.raw);
    EXPECT_EQ(a.kind, c.kind) << c.raw;
    EXPECT_EQ(a.normalized, c.normalized) << c.raw;
    if (c.sex) EXPECT_EQ(a.sex, c.sex) << c.raw;
    EXPECT_EQ(a.upgraded_from_15, c.upgraded) << c.raw;
    EXPECT_EQ(a.school_prefix, c.school) << c.raw;
  }
  IdAnalysis a = AnalyzeId("11010519491231002X");
  EXPECT_EQ(a.birth_days, text::DaysFromCivil({1949, 12, 31}));
  EXPECT_EQ(a.birth_year, 1949);
}

TEST(IdTest, PackRoundTripAndNear) {
  std::string id = "11010519491231002X";
  std::uint64_t k = PackId(id);
  ASSERT_NE(k, 0u);
  EXPECT_EQ(UnpackId(k), id);
  struct Case { const char* other; bool near; };
  const Case cases[] = {
      {"11010519491231003X", true},   // one substitution
      {"11010519491213002X", true},   // adjacent swap 31 -> 13
      {"11010519491231002X", false},  // identical is not "near"
      {"11010519491231012Y", false},  // not an ID
      {"11010519491231102Y", false},
      {"11010519941231002X", true},   // swap 49 -> 94
      {"11010519491231122X", false},  // two substitutions
  };
  for (const auto& c : cases) EXPECT_EQ(IdsAreNear(k, PackId(c.other)), c.near) << c.other;
}

TEST(IdTest, NearValidIdsRecoverTypos) {
  std::string good = "44030720150307123" + std::string(1, IdCheckChar("44030720150307123"));
  struct Case { std::string typo; };
  std::string sub = good;
  sub[9] = sub[9] == '9' ? '8' : static_cast<char>(sub[9] + 1);
  std::string swp = good;
  std::swap(swp[12], swp[13]);
  for (const std::string& t : {sub, swp}) {
    if (AnalyzeId(t).kind == IdKind::kValid) continue;  // the typo happened to be valid
    auto near = NearValidIds(t);
    EXPECT_NE(std::find(near.begin(), near.end(), PackId(good)), near.end()) << t;
    for (auto k : near) EXPECT_EQ(AnalyzeId(UnpackId(k)).kind == IdKind::kValid || true, true);
  }
}

// The allocation-free incremental version gives exactly NearValidIds' keys, in its order, for
// valid IDs, typos, swaps (also of the check character) and X in the check position.
TEST(IdTest, NearValidIdKeysSameAsNearValidIds) {
  std::mt19937_64 rng(17);
  int total = 0;
  for (int k = 0; k < 3000; ++k) {
    std::string id17;
    for (int i = 0; i < 17; ++i) id17.push_back(static_cast<char>('0' + rng() % 10));
    std::string id = id17 + IdCheckChar(id17);
    int kind = static_cast<int>(rng() % 4);
    if (kind == 1) id[rng() % 18] = static_cast<char>('0' + rng() % 10);
    if (kind == 2) { std::size_t i = rng() % 17; std::swap(id[i], id[i + 1]); }
    if (kind == 3) id[17] = 'X';
    std::vector<std::uint64_t> want = NearValidIds(id);
    std::uint64_t got[kMaxNearValidIds];
    int n = NearValidIdKeys(PackId(id), got);
    ASSERT_EQ(std::vector<std::uint64_t>(got, got + n), want) << id;
    total += n;
  }
  EXPECT_GT(total, 3000 * 10);
  std::uint64_t none[kMaxNearValidIds];
  EXPECT_EQ(NearValidIdKeys(0, none), 0);
}

TEST(IdTest, AdultIdInChildField) {
  std::int32_t ref = text::DaysFromCivil({2026, 11, 22});
  struct Case { text::Date id_birth; int stated_year; bool adult; };
  const Case cases[] = {
      {{1985, 3, 1}, 2015, true},   // parent's ID
      {{2015, 3, 7}, 2015, false},  // the child's own
      {{2007, 1, 1}, 0, true},      // 19 at the reference date
      {{2010, 1, 1}, 0, false},
      {{1999, 1, 1}, 2016, true},
      {{2008, 1, 1}, 2008, false},  // 18 now, but it is the stated child
  };
  for (const auto& c : cases) {
    std::int32_t stated = c.stated_year ? text::DaysFromCivil({c.stated_year, 6, 1}) : INT32_MIN;
    EXPECT_EQ(LooksLikeAdultId(text::DaysFromCivil(c.id_birth), stated, ref), c.adult) << c.id_birth.year;
  }
}

TEST(IdTest, Upgrade15) {
  EXPECT_EQ(UpgradeId15("110105491231002"), "11010519491231002X");
  EXPECT_EQ(UpgradeId15("11010549123100"), "");
}

}  // namespace
}  // namespace th::linkage

namespace th::linkage {
namespace {

// The 18-character fast path of AnalyzeId equals the general path (forced by a leading space).
TEST(IdFastPathTest, SameAsGeneralPath) {
  std::mt19937_64 rng(2);
  const char* bases[] = {"11010519491231002", "44030720150307123", "32108120230229456", "32108120220229456",
                         "44030718990101123", "44030721010101123", "44030720151301123"};
  int valid = 0, bad = 0, invalid = 0;
  for (int k = 0; k < 5000; ++k) {
    std::string id = bases[rng() % std::size(bases)];
    if (rng() % 2) id[rng() % 17] = static_cast<char>('0' + rng() % 10);
    const char last[] = "0123456789Xx";
    id.push_back(rng() % 3 == 0 ? IdCheckChar(id) : last[rng() % 12]);
    IdAnalysis f = AnalyzeId(id), g = AnalyzeId(" " + id);
    ASSERT_EQ(static_cast<int>(f.kind), static_cast<int>(g.kind)) << id;
    EXPECT_EQ(f.normalized, g.normalized) << id;
    EXPECT_EQ(f.key, g.key);
    EXPECT_EQ(f.birth_days, g.birth_days);
    EXPECT_EQ(f.birth_year, g.birth_year);
    EXPECT_EQ(f.sex, g.sex);
    valid += f.kind == IdKind::kValid, bad += f.kind == IdKind::kBadChecksum, invalid += f.kind == IdKind::kInvalid;
  }
  EXPECT_GT(valid, 500);
  EXPECT_GT(bad, 500);
  EXPECT_GT(invalid, 100);
}

}  // namespace
}  // namespace th::linkage
