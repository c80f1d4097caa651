#include "modules/registry/domain/categories.h"

#include <gtest/gtest.h>

#include "modules/registry/domain/category_config.h"
#include "modules/registry/domain/demo_generator.h"
#include "domain/region.h"
#include "domain/test_util.h"

namespace th::domain {
namespace {

constexpr Date kToday = Date::Of(2026, 11, 22);
constexpr Date kBirth = Date::Of(2015, 6, 10);  // 11 years old on kToday

// The bundled region lists, as the server loads them next to the category config.
std::shared_ptr<const PlaceNames> Places() {
  static const std::shared_ptr<const PlaceNames> places = [] {
    auto p = std::make_shared<PlaceNames>();
    auto rows = ParseRegionCsv(testing::ReadSourceFile("config/regions/demo_district.csv"));
    auto counties = ParseHukouCountiesCsv(testing::ReadSourceFile("config/regions/hukou_counties.csv"));
    EXPECT_TRUE(rows.ok() && counties.ok());
    if (rows.ok()) p->Add(*rows);
    if (counties.ok()) p->Add(*counties);
    return p;
  }();
  return places;
}

CategoryConfig Load(const char* path) {
  auto r = ParseCategoryConfig(testing::ReadSourceFile(path));
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  CategoryConfig cfg = r.ok() ? *r : CategoryConfig{};
  cfg.places = Places();
  return cfg;
}

const CategoryConfig& Guangdong() {
  static const CategoryConfig cfg = Load("config/categories/guangdong.json");
  return cfg;
}

const CategoryConfig& Jiangsu() {
  static const CategoryConfig cfg = Load("config/categories/jiangsu.json");
  return cfg;
}

// A parent: relation, state, since, and optional details.
struct P {
  Relation rel;
  MemberState state = MemberState::kAtHome;
  Date since{};
  int term = 0;
  DisabilityType dtype = DisabilityType::kNone;
  int grade = 0;
  bool lives_with = false;
  TriState outside = TriState::kUnknown;
};

P Father(MemberState s, Date since = {}) { return P{Relation::kFather, s, since}; }
P Mother(MemberState s, Date since = {}) { return P{Relation::kMother, s, since}; }
P Disabled(Relation rel, DisabilityType t, int grade) {
  return P{Relation(rel), MemberState::kSevereDisability, Date::Of(2020, 1, 1), 0, t, grade};
}
P Prisoner(Relation rel, Date since, int term) {
  return P{rel, MemberState::kImprisoned, since, term};
}
P Away(Relation rel, TriState outside = TriState::kYes) {
  P p{rel, MemberState::kWorkingAway, Date::Of(2024, 2, 20)};
  p.outside = outside;
  return p;
}
P Home(Relation rel) {
  P p{rel, MemberState::kAtHome};
  p.lives_with = true;
  return p;
}

Child MakeChild(std::vector<P> parents, Date birth = kBirth,
                HukouNature nature = HukouNature::kAgricultural) {
  Child c;
  c.name = "测试儿童";
  c.birth_date = birth;
  c.hukou_nature = nature;
  c.hukou_region_code = "440307";
  c.residence_region_code = "440307001001";
  c.resident_since = birth;
  for (const P& p : parents) {
    FamilyMember m;
    m.relation = p.rel;
    m.name = p.rel == Relation::kFather ? "张伟" : "李丽";
    m.state = p.state;
    m.state_since = p.since;
    m.restriction_months = static_cast<std::int16_t>(p.term);
    m.disability_type = p.dtype;
    m.disability_grade = static_cast<std::uint8_t>(p.grade);
    m.lives_with_child = p.lives_with;
    m.works_outside_hukou_county = p.outside;
    c.family.push_back(m);
  }
  return c;
}

Child Migrant(Date resident_since, Date birth = kBirth, bool with_parent = true) {
  Child c = MakeChild({with_parent ? Home(Relation::kFather) : Away(Relation::kFather),
                       with_parent ? Home(Relation::kMother) : Away(Relation::kMother)},
                      birth, HukouNature::kAgricultural);
  c.hukou_region_code = "430524";
  c.resident_since = resident_since;
  return c;
}

// A rural child from 隆回县 living in 龙岗区 with her grandmother (the guardian) since
// `resident_since`, both parents working away: 流动 here, not 留守.
Child WithGrandmother(Date resident_since, Date birth = kBirth, HukouNature nature = HukouNature::kAgricultural) {
  Child c = MakeChild({Away(Relation::kFather), Away(Relation::kMother)}, birth, nature);
  c.sex = Sex::kFemale;
  c.hukou_region_code = "430524";
  c.resident_since = resident_since;
  c.guardian.name = "王秀英";
  c.guardian.relation = Relation::kGrandmother;
  return c;
}

Child WithAssistance(std::uint32_t flags) {
  Child c = MakeChild({Home(Relation::kFather), Home(Relation::kMother)});
  c.assistance = flags;
  return c;
}

Child DisabledChild(DisabilityType t, int grade) {
  Child c = MakeChild({Home(Relation::kFather), Home(Relation::kMother)});
  c.health = HealthStatus::kDisabled;
  c.disability_type = t;
  c.disability_grade = static_cast<std::uint8_t>(grade);
  return c;
}

Child Abandoned() {
  Child c = MakeChild({});
  c.parents_not_findable = true;
  return c;
}

struct Case {
  const char* name;
  Child child;
  const char* category;
  Outcome want;
  const char* rule_id = nullptr;      // checked when set
  Date next_change{};                 // unset = never (for kMet: the age-out day if unset)
  const char* reason_has = nullptr;   // substring of the reason, checked when set
  Date today = kToday;
  const CategoryConfig* config = nullptr;  // Guangdong when null
};

constexpr auto kMet = Outcome::kMet;
constexpr auto kNot = Outcome::kNotMet;
constexpr auto kAged = Outcome::kAgedOut;

std::vector<Case> Cases() {
  const Date six_months_ago = kToday.AddMonths(-6);           // 2026-05-22: exactly 6 months
  const Date one_day_short = six_months_ago.AddDays(1);        // 2026-05-23: 6 months less a day
  const Date birth18_today = Date::Of(2008, 11, 22);           // 18th birthday is kToday
  const Date birth18_tomorrow = Date::Of(2008, 11, 23);
  const Date birth16_today = Date::Of(2010, 11, 22);
  const Date birth16_tomorrow = Date::Of(2010, 11, 23);
  const Date ill_since = Date::Of(2025, 1, 5);
  std::vector<Case> v;
  // ---- 事实无人抚养儿童, rule A ----
  v.push_back({"A: prison term + missing 6 months",
               MakeChild({Prisoner(Relation::kFather, Date::Of(2025, 3, 1), 36),
                          Mother(MemberState::kMissing, Date::Of(2024, 11, 15))}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.A", Date::Of(2033, 6, 10),
               "父亲服刑在押(2025-03起，期限36个月), 母亲失联(2024-11起，满6个月) → 事实无人抚养儿童"});
  v.push_back({"A: missing exactly 6 months", MakeChild({Father(MemberState::kSeriousIllness, ill_since),
                                                          Mother(MemberState::kMissing, six_months_ago)}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.A", Date::Of(2033, 6, 10),
               "母亲失联(2026-05起，满6个月)"});
  v.push_back({"A: missing 6 months minus a day", MakeChild({Father(MemberState::kSeriousIllness, ill_since),
                                                              Mother(MemberState::kMissing, one_day_short)}),
               "de_facto_unsupported", kNot, "de_facto_unsupported", kToday.AddDays(1),
               "未满6个月，2026-11-23满"});
  v.push_back({"A: no mother record",
               MakeChild({Prisoner(Relation::kFather, six_months_ago, 0),
                          P{Relation::kGrandmother, MemberState::kSeriousIllness, ill_since}}),
               "de_facto_unsupported", kNot, nullptr, Date{}, "未登记母亲信息"});
  v.push_back({"A: prison elapsed exactly 6 months",
               MakeChild({Prisoner(Relation::kFather, six_months_ago, 0),
                          Mother(MemberState::kSeriousIllness, ill_since)}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.A", Date::Of(2033, 6, 10)});
  v.push_back({"A: prison 6 months minus a day, term unknown",
               MakeChild({Prisoner(Relation::kFather, one_day_short, 0),
                          Mother(MemberState::kSeriousIllness, ill_since)}),
               "de_facto_unsupported", kNot, nullptr, kToday.AddDays(1)});
  v.push_back({"A: prison 6 months minus a day, term 12 months counts at once",
               MakeChild({Prisoner(Relation::kFather, one_day_short, 12),
                          Mother(MemberState::kSeriousIllness, ill_since)}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.A", Date::Of(2033, 6, 10)});
  v.push_back({"A: term over is flagged for checking",
               MakeChild({Prisoner(Relation::kFather, Date::Of(2024, 1, 1), 12),
                          Mother(MemberState::kSeriousIllness, ill_since)}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.A", Date::Of(2033, 6, 10),
               "父亲服刑在押(2024-01起，期限12个月，期限已届满，请核实)"});
  v.push_back({"A: term 12 months but Jiangsu counts elapsed only",
               MakeChild({Prisoner(Relation::kFather, one_day_short, 12),
                          Mother(MemberState::kSeriousIllness, ill_since)}),
               "de_facto_unsupported", kNot, nullptr, kToday.AddDays(1), nullptr, kToday, &Jiangsu()});
  v.push_back({"A: rehab without since date", MakeChild({Father(MemberState::kCompulsoryRehab),
                                                         Mother(MemberState::kSeriousIllness)}),
               "de_facto_unsupported", kNot, nullptr, Date{}, "起始日期未登记"});
  v.push_back({"A: both missing, later one reaches 6 months last",
               MakeChild({Father(MemberState::kMissing, Date::Of(2026, 7, 1)),
                          Mother(MemberState::kMissing, Date::Of(2026, 8, 31))}),
               "de_facto_unsupported", kNot, nullptr, Date::Of(2027, 2, 28)});
  v.push_back({"A: disability grade 2 physical", MakeChild({Disabled(Relation::kFather, DisabilityType::kPhysical, 2),
                                                            Mother(MemberState::kSeriousIllness)}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.A", Date::Of(2033, 6, 10),
               "父亲重残(肢体残疾2级)"});
  v.push_back({"A: disability grade 3 physical", MakeChild({Disabled(Relation::kFather, DisabilityType::kPhysical, 3),
                                                            Mother(MemberState::kSeriousIllness)}),
               "de_facto_unsupported", kNot, nullptr, Date{}, "父亲残疾(肢体残疾3级，未达重残标准)"});
  v.push_back({"A: disability grade 3 intellectual", MakeChild({Disabled(Relation::kFather, DisabilityType::kIntellectual, 3),
                                                                Mother(MemberState::kSeriousIllness)}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.A", Date::Of(2033, 6, 10)});
  v.push_back({"A: disability grade 4 mental", MakeChild({Disabled(Relation::kMother, DisabilityType::kMental, 4),
                                                          Father(MemberState::kSeriousIllness)}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.A", Date::Of(2033, 6, 10)});
  v.push_back({"A: disability grade 3 multiple", MakeChild({Disabled(Relation::kMother, DisabilityType::kMultiple, 3),
                                                            Father(MemberState::kSeriousIllness)}),
               "de_facto_unsupported", kNot});
  v.push_back({"A: disability grade unknown", MakeChild({Disabled(Relation::kMother, DisabilityType::kPhysical, 0),
                                                         Father(MemberState::kSeriousIllness)}),
               "de_facto_unsupported", kNot, nullptr, Date{}, "等级未登记"});
  v.push_back({"A: guardianship revoked both", MakeChild({Father(MemberState::kGuardianshipRevoked, Date::Of(2024, 5, 1)),
                                                          Mother(MemberState::kGuardianshipRevoked, Date::Of(2024, 5, 1))}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.A"});
  v.push_back({"A: one ill, other at home", MakeChild({Father(MemberState::kSeriousIllness), Home(Relation::kMother)}),
               "de_facto_unsupported", kNot, nullptr, Date{}, "母亲在家 → 不符合事实无人抚养儿童"});
  v.push_back({"A: deported + ill is not rule A", MakeChild({Father(MemberState::kSeriousIllness),
                                                             Mother(MemberState::kDeported, Date::Of(2024, 1, 1))}),
               "de_facto_unsupported", kNot});
  // ---- rule B ----
  v.push_back({"B: father dead, mother deported", MakeChild({Father(MemberState::kDead, Date::Of(2022, 3, 3)),
                                                             Mother(MemberState::kDeported, Date::Of(2023, 4, 4))}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.B", Date::Of(2033, 6, 10),
               "父亲死亡(2022-03), 母亲被遣送出境(2023-04起) → 事实无人抚养儿童"});
  v.push_back({"B: mother declared missing, father in prison with term",
               MakeChild({Prisoner(Relation::kFather, Date::Of(2026, 10, 1), 24),
                          Mother(MemberState::kDeclaredMissing, Date::Of(2021, 1, 1))}),
               "de_facto_unsupported", kMet, "de_facto_unsupported.B"});
  v.push_back({"B: mother dead, father missing 5 months", MakeChild({Father(MemberState::kMissing, Date::Of(2026, 6, 1)),
                                                                     Mother(MemberState::kDead, Date::Of(2020, 1, 1))}),
               "de_facto_unsupported", kNot, nullptr, Date::Of(2026, 12, 1), "暂不符合事实无人抚养儿童，2026-12-01起符合"});
  v.push_back({"B: father dead, mother at home", MakeChild({Father(MemberState::kDead, Date::Of(2022, 3, 3)), Home(Relation::kMother)}),
               "de_facto_unsupported", kNot});
  v.push_back({"B: both dead is 孤儿, not B", MakeChild({Father(MemberState::kDead), Mother(MemberState::kDead)}),
               "de_facto_unsupported", kNot});
  // ---- ages 18 ----
  v.push_back({"18th birthday tomorrow", MakeChild({Father(MemberState::kDead, Date::Of(2022, 3, 3)),
                                                    Mother(MemberState::kSeriousIllness)}, birth18_tomorrow),
               "de_facto_unsupported", kMet, nullptr, kToday.AddDays(1)});
  v.push_back({"18th birthday today", MakeChild({Father(MemberState::kDead, Date::Of(2022, 3, 3)),
                                                 Mother(MemberState::kSeriousIllness)}, birth18_today),
               "de_facto_unsupported", kAged, nullptr, Date{}, "已满18周岁(2026-11-22)，不再属于事实无人抚养儿童"});
  v.push_back({"pending threshold after the 18th birthday is dropped",
               MakeChild({Father(MemberState::kDead, Date::Of(2022, 3, 3)),
                          Mother(MemberState::kMissing, Date::Of(2026, 10, 1))}, birth18_tomorrow.AddMonths(1)),
               "de_facto_unsupported", kNot, nullptr, Date{}});
  // ---- 孤儿 ----
  v.push_back({"orphan: both dead", MakeChild({Father(MemberState::kDead, Date::Of(2019, 1, 1)),
                                               Mother(MemberState::kDead, Date::Of(2021, 7, 1))}),
               "orphan", kMet, "orphan", Date::Of(2033, 6, 10), "父亲死亡(2019-01), 母亲死亡(2021-07) → 孤儿"});
  v.push_back({"orphan: dead + declared missing", MakeChild({Father(MemberState::kDeclaredMissing), Mother(MemberState::kDead)}),
               "orphan", kMet});
  v.push_back({"orphan: parents not findable", Abandoned(), "orphan", kMet, nullptr, Date::Of(2033, 6, 10), "查找不到生父母"});
  v.push_back({"orphan: one dead one missing 失联 is not 孤儿", MakeChild({Father(MemberState::kDead), Mother(MemberState::kMissing, Date::Of(2020, 1, 1))}),
               "orphan", kNot});
  v.push_back({"orphan: 18th birthday today", MakeChild({Father(MemberState::kDead), Mother(MemberState::kDead)}, birth18_today),
               "orphan", kAged});
  v.push_back({"orphan: day before 18th birthday", MakeChild({Father(MemberState::kDead), Mother(MemberState::kDead)}, birth18_tomorrow),
               "orphan", kMet, nullptr, kToday.AddDays(1)});
  // ---- 留守儿童 ----
  v.push_back({"left-behind: both away, rural", MakeChild({Away(Relation::kFather), Away(Relation::kMother)}),
               "left_behind", kMet, "left_behind", Date::Of(2031, 6, 10), "户籍性质农业, 父亲外出务工(2024-02起)"});
  v.push_back({"left-behind: urban hukou", MakeChild({Away(Relation::kFather), Away(Relation::kMother)}, kBirth, HukouNature::kResident),
               "left_behind", kNot, nullptr, Date{}, "户籍性质居民"});
  v.push_back({"left-behind: non-agricultural hukou", MakeChild({Away(Relation::kFather), Away(Relation::kMother)}, kBirth, HukouNature::kNonAgricultural),
               "left_behind", kNot});
  v.push_back({"left-behind: one away, other 重病", MakeChild({Away(Relation::kFather), Mother(MemberState::kSeriousIllness)}),
               "left_behind", kMet});
  v.push_back({"left-behind: mother away, father in prison", MakeChild({Prisoner(Relation::kFather, Date::Of(2026, 10, 1), 0), Away(Relation::kMother)}),
               "left_behind", kMet});
  v.push_back({"left-behind: one away, other at home", MakeChild({Away(Relation::kFather), Home(Relation::kMother)}),
               "left_behind", kNot});
  v.push_back({"left-behind: works within the county", MakeChild({Away(Relation::kFather, TriState::kNo), Away(Relation::kMother)}),
               "left_behind", kNot, nullptr, Date{}, "县内务工"});
  v.push_back({"left-behind: 16th birthday tomorrow", MakeChild({Away(Relation::kFather), Away(Relation::kMother)}, birth16_tomorrow),
               "left_behind", kMet, nullptr, kToday.AddDays(1)});
  v.push_back({"left-behind: 16th birthday today", MakeChild({Away(Relation::kFather), Away(Relation::kMother)}, birth16_today),
               "left_behind", kAged, nullptr, Date{}, "已满16周岁"});
  // ---- 留守 where the child lives at her hukou place, 流动 where she lives away from it ----
  v.push_back({"left-behind: at the hukou place, both parents away", MakeChild({Away(Relation::kFather), Away(Relation::kMother)}),
               "left_behind", kMet, "left_behind", Date::Of(2031, 6, 10), "在户籍地深圳市龙岗区居住 → 留守儿童"});
  v.push_back({"left-behind: flowed in with grandmother, parents away", WithGrandmother(Date::Of(2020, 1, 1)), "left_behind",
               kNot, nullptr, Date{}, "户籍地湖南省隆回县，现居深圳市龙岗区，不在户籍地居住"});
  v.push_back({"migrant: flowed in with grandmother, parents away", WithGrandmother(Date::Of(2020, 1, 1)), "migrant", kMet,
               "migrant", Date::Of(2031, 6, 10), "户籍地湖南省隆回县，随父母或监护人现居深圳市龙岗区"});
  v.push_back({"left-behind: arrived with grandmother 2 months ago", WithGrandmother(kToday.AddMonths(-2)), "left_behind",
               kNot, nullptr, Date{}, "不在户籍地居住"});
  v.push_back({"migrant: arrived with grandmother 2 months ago", WithGrandmother(kToday.AddMonths(-2)), "migrant", kNot,
               nullptr, kToday.AddMonths(4)});
  v.push_back({"left-behind: urban hukou, flowed in", WithGrandmother(Date::Of(2020, 1, 1), kBirth, HukouNature::kResident),
               "left_behind", kNot, nullptr, Date{}, "户籍性质居民"});
  v.push_back({"migrant: urban hukou, flowed in", WithGrandmother(Date::Of(2020, 1, 1), kBirth, HukouNature::kResident),
               "migrant", kMet});
  v.push_back({"left-behind: over 16, flowed in", WithGrandmother(Date::Of(2020, 1, 1), birth16_today.AddDays(-1)),
               "left_behind", kNot});
  v.push_back({"migrant: over 16, flowed in", WithGrandmother(Date::Of(2020, 1, 1), birth16_today.AddDays(-1)), "migrant",
               kAged});
  v.push_back({"left-behind: over 16 at the hukou place", MakeChild({Away(Relation::kFather), Away(Relation::kMother)},
                                                                   birth16_today.AddDays(-1)),
               "left_behind", kAged});
  {
    Child unknown = MakeChild({Away(Relation::kFather), Away(Relation::kMother)});
    unknown.hukou_region_code.clear();
    v.push_back({"left-behind: hukou place not recorded", unknown, "left_behind", kNot, nullptr, Date{},
                 "户籍地未登记，无法判断是否在户籍地居住"});
  }
  // ---- 流动儿童 ----
  v.push_back({"migrant: exactly 6 months", Migrant(six_months_ago), "migrant", kMet, "migrant", Date::Of(2031, 6, 10),
               "户籍地湖南省隆回县，随父母或监护人现居深圳市龙岗区(2026-05起，满6个月) → 流动儿童"});
  v.push_back({"migrant: 6 months minus a day", Migrant(one_day_short), "migrant", kNot, nullptr, kToday.AddDays(1)});
  v.push_back({"migrant: without parent or guardian", Migrant(Date::Of(2020, 1, 1), kBirth, false), "migrant", kNot,
               nullptr, Date{}, "未与父母或其他监护人共同居住"});
  v.push_back({"migrant: same county", MakeChild({Home(Relation::kFather), Home(Relation::kMother)}), "migrant", kNot,
               nullptr, Date{}, "户籍地与居住地同在深圳市龙岗区"});
  v.push_back({"migrant: 16th birthday today", Migrant(Date::Of(2020, 1, 1), birth16_today), "migrant", kAged});
  v.push_back({"migrant: 16th birthday tomorrow", Migrant(Date::Of(2020, 1, 1), birth16_tomorrow), "migrant", kMet,
               nullptr, kToday.AddDays(1)});
  v.push_back({"migrant: reaches 6 months after turning 16", Migrant(one_day_short, birth16_tomorrow), "migrant", kNot,
               nullptr, Date{}});
  // ---- 困难家庭儿童, 重残儿童 ----
  v.push_back({"poor: 低保", WithAssistance(kAssistDibao), "poor_family", kMet, "poor_family", Date::Of(2033, 6, 10),
               "家庭享受低保 → 困难家庭儿童"});
  v.push_back({"poor: 特困 + 医疗救助", WithAssistance(kAssistTekun | kAssistMedical), "poor_family", kMet});
  v.push_back({"poor: 临时救助 only", WithAssistance(kAssistTemporary), "poor_family", kNot, nullptr, Date{},
               "家庭未享受低保、特困"});
  v.push_back({"poor: 低边 counts in Jiangsu", WithAssistance(kAssistLowIncome), "poor_family", kMet, nullptr,
               Date::Of(2033, 6, 10), nullptr, kToday, &Jiangsu()});
  v.push_back({"poor: 低边 does not count in Guangdong", WithAssistance(kAssistLowIncome), "poor_family", kNot});
  v.push_back({"severe disability: grade 2", DisabledChild(DisabilityType::kPhysical, 2), "severe_disability", kMet,
               "severe_disability_child", Date::Of(2033, 6, 10), "本人肢体残疾2级 → 重残儿童"});
  v.push_back({"severe disability: grade 3", DisabledChild(DisabilityType::kPhysical, 3), "severe_disability", kNot,
               nullptr, Date{}, "未达重残标准"});
  v.push_back({"severe disability: intellectual 3 in Guangdong", DisabledChild(DisabilityType::kIntellectual, 3),
               "severe_disability", kNot});
  v.push_back({"severe disability: intellectual 3 in Jiangsu", DisabledChild(DisabilityType::kIntellectual, 3),
               "disabled_or_ill", kMet, nullptr, Date::Of(2033, 6, 10), nullptr, kToday, &Jiangsu()});
  v.push_back({"severe disability: none", DisabledChild(DisabilityType::kNone, 0), "severe_disability", kNot,
               nullptr, Date{}, "本人无残疾登记"});
  return v;
}

TEST(CategoriesTest, Table) {
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    const CategoryConfig& cfg = c.config ? *c.config : Guangdong();
    Evaluation e = EvaluateCategories(c.child, cfg, c.today);
    const Verdict* v = e.Find(c.category);
    ASSERT_NE(v, nullptr) << c.category;
    EXPECT_EQ(CodeOf(v->outcome), CodeOf(c.want)) << v->reason;
    if (c.rule_id) {
      EXPECT_EQ(v->rule_id, c.rule_id) << v->reason;
    }
    // A met verdict always changes on the age-out day; cases spell it out where it matters.
    if (c.want != kMet || c.next_change.IsSet()) {
      EXPECT_EQ(v->next_change.ToString(), c.next_change.ToString()) << v->reason;
    } else {
      EXPECT_EQ(v->next_change, v->ends_on) << v->reason;
    }
    if (c.reason_has) {
      EXPECT_NE(v->reason.find(c.reason_has), std::string::npos) << v->reason;
    }
    EXPECT_FALSE(v->reason.empty());
  }
}

// 留守 and 流动 exclude each other: over a generated district (local and migrant households of
// every kind), no child is counted as both, and both groups occur.
TEST(CategoriesTest, NoChildIsBothLeftBehindAndMigrant) {
  DemoOptions o;
  o.seed = 7;
  o.children = 20000;
  o.today = kToday;
  auto regions = ParseRegionCsv(testing::ReadSourceFile("config/regions/demo_district.csv"));
  auto counties = ParseHukouCountiesCsv(testing::ReadSourceFile("config/regions/hukou_counties.csv"));
  ASSERT_TRUE(regions.ok() && counties.ok());
  o.communities = CommunitiesOf(*regions);
  o.hukou_counties = *counties;
  auto gen = DemoGenerator::Create(o);
  ASSERT_TRUE(gen.ok()) << gen.status().ToString();
  DemoHousehold h;
  Evaluation e;
  int left_behind = 0, migrant = 0, both = 0;
  while ((*gen)->Next(&h)) {
    for (const Child& c : h.children) {
      for (const CategoryConfig* cfg : {&Guangdong(), &Jiangsu()}) {
        EvaluateCategories(c, *cfg, kToday, &e);
        left_behind += e.Met("left_behind");
        migrant += e.Met("migrant");
        if (e.Met("left_behind") && e.Met("migrant")) {
          ++both;
          ADD_FAILURE() << c.name << ": " << e.Find("left_behind")->reason << " | " << e.Find("migrant")->reason;
        }
      }
      if (both > 3) return;
    }
  }
  EXPECT_EQ(both, 0);
  EXPECT_GT(left_behind, 0);
  EXPECT_GT(migrant, 0);
}

// Reasons name places in words and never carry a region code or a rule id.
TEST(CategoriesTest, ReasonsNamePlacesNotCodes) {
  for (const Case& c : Cases()) {
    const CategoryConfig& cfg = c.config ? *c.config : Guangdong();
    Evaluation e = EvaluateCategories(c.child, cfg, c.today);
    for (const auto& v : e.verdicts) {
      SCOPED_TRACE(c.name + std::string(" / ") + v.category_code);
      for (const char* code : {"440307", "430524", "511321"}) EXPECT_EQ(v.reason.find(code), std::string::npos) << v.reason;
      EXPECT_EQ(v.reason.find(v.rule_id), std::string::npos) << v.reason;
      for (char ch : v.reason) EXPECT_FALSE(ch == '_' || (ch >= 'a' && ch <= 'z')) << v.reason;
    }
  }
  // Rule ids have words of their own in both languages.
  for (const char* id : {"orphan", "de_facto_unsupported", "de_facto_unsupported.A", "de_facto_unsupported.B",
                         "left_behind", "migrant", "poor_family", "severe_disability_child"}) {
    EXPECT_NE(RuleLabelZh(id), id);
    EXPECT_NE(RuleLabelEn(id), id);
    for (char ch : RuleLabelZh(id)) EXPECT_FALSE(ch >= 'a' && ch <= 'z') << id;
  }
  // A county outside the bundled lists is named by its province.
  PlaceNames none;
  EXPECT_EQ(none.County("511321"), "四川省（区划代码511321）");
  EXPECT_EQ(Places()->County("511321"), "四川省南部县");
  EXPECT_EQ(Places()->County("440307001001"), "深圳市龙岗区");
  EXPECT_EQ(none.County("990101"), "区划代码990101");
}

TEST(CategoriesTest, StructuredFindingsAndSummary) {
  Child c = MakeChild({Prisoner(Relation::kFather, Date::Of(2025, 3, 1), 0),
                       Mother(MemberState::kMissing, Date::Of(2026, 8, 1))});
  c.assistance = kAssistDibao;
  Evaluation e = EvaluateCategories(c, Guangdong(), kToday);
  // Verdicts for every rule-derived category (6 of 8 in Guangdong), in config order.
  ASSERT_EQ(e.verdicts.size(), 6u);
  EXPECT_EQ(e.verdicts[0].category_code, "orphan");
  EXPECT_EQ(e.verdicts.back().category_code, "migrant");
  EXPECT_EQ(e.MetCodes(), std::vector<std::string>({"poor_family"}));
  const Verdict* df = e.Find("de_facto_unsupported");
  ASSERT_NE(df, nullptr);
  EXPECT_EQ(df->outcome, Outcome::kNotMet);
  ASSERT_EQ(df->findings.size(), 2u);
  EXPECT_EQ(df->findings[0].relation, Relation::kFather);
  EXPECT_EQ(df->findings[0].member_index, 0);
  EXPECT_TRUE(df->findings[0].counts);
  EXPECT_EQ(df->findings[0].counts_from, Date::Of(2025, 9, 1));
  EXPECT_FALSE(df->findings[1].counts);
  EXPECT_EQ(df->findings[1].state, MemberState::kMissing);
  EXPECT_EQ(df->findings[1].counts_from, Date::Of(2027, 2, 1));
  EXPECT_EQ(df->next_change, Date::Of(2027, 2, 1));
  // The nightly job re-evaluates on the earliest change of any verdict.
  EXPECT_EQ(e.next_change, Date::Of(2027, 2, 1));
  // On that day the verdict flips.
  Evaluation later = EvaluateCategories(c, Guangdong(), Date::Of(2027, 2, 1));
  EXPECT_TRUE(later.Met("de_facto_unsupported"));
  EXPECT_EQ(later.Find("de_facto_unsupported")->met_since, Date::Of(2027, 2, 1));
  EXPECT_EQ(later.next_change, Date::Of(2033, 6, 10));  // the 18th birthday
}

TEST(CategoriesTest, UnknownBirthDateStillEvaluates) {
  Child c = MakeChild({Father(MemberState::kDead), Mother(MemberState::kDead)}, Date{});
  Evaluation e = EvaluateCategories(c, Guangdong(), kToday);
  EXPECT_TRUE(e.Met("orphan"));
  EXPECT_FALSE(e.Find("orphan")->next_change.IsSet());
  EXPECT_NE(e.Find("orphan")->reason.find("出生日期未登记"), std::string::npos);
}

TEST(CategoriesTest, ReusedEvaluationMatchesFresh) {
  Evaluation reused;
  for (const Case& c : Cases()) {
    const CategoryConfig& cfg = c.config ? *c.config : Guangdong();
    EvaluateCategories(c.child, cfg, c.today, &reused);
    Evaluation fresh = EvaluateCategories(c.child, cfg, c.today);
    ASSERT_EQ(reused.verdicts.size(), fresh.verdicts.size());
    for (std::size_t i = 0; i < fresh.verdicts.size(); ++i) {
      EXPECT_EQ(reused.verdicts[i].reason, fresh.verdicts[i].reason) << c.name;
      EXPECT_EQ(reused.verdicts[i].outcome, fresh.verdicts[i].outcome) << c.name;
    }
  }
}

}  // namespace
}  // namespace th::domain
