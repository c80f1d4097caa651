#include "modules/registry/domain/demo_generator.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>

#include "modules/registry/domain/categories.h"
#include "modules/registry/domain/category_config.h"
#include "domain/id_number.h"
#include "domain/test_util.h"

namespace th::domain {
namespace {

constexpr Date kToday = Date::Of(2026, 11, 22);

DemoOptions Options(std::uint64_t seed, std::int64_t n) {
  DemoOptions o;
  o.seed = seed;
  o.children = n;
  o.today = kToday;
  auto regions = ParseRegionCsv(testing::ReadSourceFile("config/regions/demo_district.csv"));
  EXPECT_TRUE(regions.ok());
  o.communities = CommunitiesOf(*regions);
  auto counties = ParseHukouCountiesCsv(testing::ReadSourceFile("config/regions/hukou_counties.csv"));
  EXPECT_TRUE(counties.ok());
  o.hukou_counties = *counties;
  return o;
}

std::vector<DemoHousehold> Generate(std::uint64_t seed, std::int64_t n) {
  auto gen = DemoGenerator::Create(Options(seed, n));
  EXPECT_TRUE(gen.ok()) << gen.status().ToString();
  std::vector<DemoHousehold> out;
  DemoHousehold h;
  while ((*gen)->Next(&h)) out.push_back(h);
  EXPECT_EQ((*gen)->children_generated(), n);
  EXPECT_EQ((*gen)->households_generated(), static_cast<std::int64_t>(out.size()));
  return out;
}

TEST(DemoGeneratorTest, RejectsBadOptions) {
  DemoOptions o = Options(1, 10);
  o.today = Date{};
  EXPECT_EQ(DemoGenerator::Create(o).status().field(), "today");
  o = Options(1, 10);
  o.communities.clear();
  EXPECT_EQ(DemoGenerator::Create(o).status().field(), "communities");
  o = Options(1, 10);
  o.hukou_counties.clear();
  EXPECT_EQ(DemoGenerator::Create(o).status().field(), "hukou_counties");
  o = Options(1, 10);
  o.children = -1;
  EXPECT_EQ(DemoGenerator::Create(o).status().field(), "children");
}

TEST(DemoGeneratorTest, DeterministicBySeed) {
  auto a = Generate(42, 500), b = Generate(42, 500), c = Generate(43, 500);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].children.size(), b[i].children.size());
    for (std::size_t j = 0; j < a[i].children.size(); ++j) {
      EXPECT_EQ(a[i].children[j].name, b[i].children[j].name);
      EXPECT_EQ(a[i].children[j].id_number, b[i].children[j].id_number);
      EXPECT_EQ(a[i].children[j].family.size(), b[i].children[j].family.size());
    }
  }
  EXPECT_NE(a[0].children[0].id_number + a[1].children[0].name,
            c[0].children[0].id_number + c[1].children[0].name);
}

TEST(DemoGeneratorTest, RealisticAndValid) {
  constexpr std::int64_t kN = 20000;
  auto households = Generate(7, kN);
  auto cfg = ParseCategoryConfig(testing::ReadSourceFile("config/categories/guangdong.json"));
  ASSERT_TRUE(cfg.ok());
  std::map<std::string, int> category_count, surname_count;
  std::set<std::string> ids;
  int no_id = 0, disabled = 0, siblings = 0, local = 0, children = 0;
  std::map<MemberState, int> parent_states;
  Evaluation e;
  for (const auto& h : households) {
    if (h.children.size() > 1) siblings += static_cast<int>(h.children.size());
    for (const auto& c : h.children) {
      ++children;
      EXPECT_EQ(c.residence_region_code, h.community_code);
      EXPECT_FALSE(c.name.empty());
      EXPECT_GE(c.birth_date, Date::Of(2009, 1, 1));
      EXPECT_LE(c.birth_date, kToday);
      if (c.id_number.empty()) {
        ++no_id;
        EXPECT_FALSE(c.no_id_reason.empty());
      } else {
        auto info = ParseIdNumber(c.id_number, kToday.ToYyyymmdd());
        ASSERT_TRUE(info.ok()) << c.id_number << " " << info.status().ToString();
        EXPECT_EQ(info->birth_year, c.birth_date.year);
        EXPECT_EQ(info->birth_month, c.birth_date.month);
        EXPECT_EQ(info->birth_day, c.birth_date.day);
        EXPECT_EQ(info->sex == 'M', c.sex == Sex::kMale);
        EXPECT_EQ(info->region, c.hukou_region_code);
        ids.insert(c.id_number);
      }
      if (c.hukou_region_code == "440307") ++local;
      if (c.health == HealthStatus::kDisabled) ++disabled;
      EXPECT_TRUE(c.guardian.IsSet());
      for (const auto& m : c.family) {
        if (!m.id_number.empty()) {
          EXPECT_TRUE(ParseIdNumber(m.id_number).ok()) << m.id_number;
        }
        if (!m.phone.empty()) {
          EXPECT_EQ(m.phone.size(), 11u);
          EXPECT_EQ(m.phone[0], '1');
        }
        if (IsParent(m.relation)) ++parent_states[m.state];
      }
      std::string surname = c.name.substr(0, 3);
      ++surname_count[surname];
      EvaluateCategories(c, *cfg, kToday, &e);
      for (const auto& v : e.verdicts)
        if (v.outcome == Outcome::kMet) ++category_count[v.category_code];
    }
  }
  EXPECT_EQ(children, kN);
  // Every rule-derived category appears.
  for (const char* code : {"orphan", "de_facto_unsupported", "poor_family", "severe_disability",
                           "left_behind", "migrant"}) {
    EXPECT_GT(category_count[code], 0) << code;
  }
  // Proportions (loose bounds: this is a sanity check on the generator, not statistics).
  EXPECT_GT(category_count["migrant"], kN / 3);
  EXPECT_GT(no_id, kN / 200);
  EXPECT_LT(no_id, kN / 20);
  EXPECT_GT(disabled, kN / 200);
  EXPECT_LT(disabled, kN / 30);
  EXPECT_GT(siblings, kN / 3);
  EXPECT_GT(local, kN / 20);
  EXPECT_GT(parent_states[MemberState::kAtHome], parent_states[MemberState::kImprisoned] * 20);
  EXPECT_GT(parent_states[MemberState::kImprisoned], 0);
  EXPECT_GT(parent_states[MemberState::kMissing], 0);
  EXPECT_GT(parent_states[MemberState::kDeported], 0);
  // Surnames by frequency: 王, 李, 张 lead.
  EXPECT_GT(surname_count["王"], surname_count["周"]);
  EXPECT_GT(surname_count["李"], surname_count["孙"]);
  EXPECT_GT(surname_count["张"], surname_count["汤"]);
  // Nearly all ID numbers distinct (twins may share a birthday, not a sequence number).
  EXPECT_GT(ids.size(), static_cast<std::size_t>(children - no_id) * 99 / 100);
}

TEST(DemoGeneratorTest, SiblingsShareFamily) {
  for (const auto& h : Generate(3, 2000)) {
    if (h.children.size() < 2) continue;
    const Child& a = h.children[0];
    const Child& b = h.children[1];
    EXPECT_EQ(a.household_id, b.household_id);
    const FamilyMember* fa = FindMember(a, Relation::kFather);
    const FamilyMember* fb = FindMember(b, Relation::kFather);
    ASSERT_EQ(fa == nullptr, fb == nullptr);
    if (fa) {
      EXPECT_EQ(fa->member_id, fb->member_id);
    }
    int sibs = 0;
    for (const auto& m : a.family)
      if (m.relation == Relation::kSibling) {
        ++sibs;
        EXPECT_FALSE(m.name.empty());
      }
    EXPECT_EQ(sibs, static_cast<int>(h.children.size()) - 1);
    return;  // one household is enough; the loop finds the first with siblings
  }
  FAIL() << "no household with siblings";
}

}  // namespace
}  // namespace th::domain
