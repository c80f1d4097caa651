#include "modules/registry/domain/child.h"

#include <gtest/gtest.h>

namespace th::domain {
namespace {

template <typename E>
void RoundTrip(std::initializer_list<E> values) {
  for (E v : values) {
    E a{}, b{};
    ASSERT_TRUE(ParseEnum(CodeOf(v), &a)) << CodeOf(v);
    ASSERT_TRUE(ParseEnum(ZhOf(v), &b)) << ZhOf(v);
    EXPECT_EQ(a, v);
    EXPECT_EQ(b, v);
  }
}

TEST(ChildTest, EnumsRoundTrip) {
  RoundTrip({Sex::kUnknown, Sex::kMale, Sex::kFemale});
  RoundTrip({HukouNature::kAgricultural, HukouNature::kNonAgricultural, HukouNature::kResident});
  RoundTrip({SchoolStage::kKindergarten, SchoolStage::kPrimary, SchoolStage::kJuniorHigh,
             SchoolStage::kSeniorHigh, SchoolStage::kVocational, SchoolStage::kDropout,
             SchoolStage::kNotInSchool});
  RoundTrip({HealthStatus::kHealthy, HealthStatus::kDisabled, HealthStatus::kIll});
  RoundTrip({DisabilityType::kVisual, DisabilityType::kHearing, DisabilityType::kSpeech,
             DisabilityType::kPhysical, DisabilityType::kIntellectual, DisabilityType::kMental,
             DisabilityType::kMultiple});
  RoundTrip({FlowStatus::kLocal, FlowStatus::kInflow, FlowStatus::kOutflow});
  RoundTrip({Relation::kFather, Relation::kMother, Relation::kGrandfather, Relation::kGrandmother,
             Relation::kMaternalGrandfather, Relation::kMaternalGrandmother, Relation::kSibling,
             Relation::kOther});
  RoundTrip({MemberState::kAtHome, MemberState::kWorkingAway, MemberState::kImprisoned,
             MemberState::kCompulsoryRehab, MemberState::kSevereDisability,
             MemberState::kSeriousIllness, MemberState::kMissing, MemberState::kDead,
             MemberState::kDeclaredMissing, MemberState::kGuardianshipRevoked,
             MemberState::kDeported});
}

TEST(ChildTest, ImportSynonyms) {
  struct Case {
    const char* text;
    MemberState want;
  } cases[] = {{"服刑", MemberState::kImprisoned},        {"戒毒", MemberState::kCompulsoryRehab},
               {"失踪", MemberState::kDeclaredMissing},   {" 外出务工 ", MemberState::kWorkingAway},
               {"遣送出境", MemberState::kDeported}};
  for (const auto& c : cases) {
    MemberState s{};
    ASSERT_TRUE(ParseEnum(c.text, &s)) << c.text;
    EXPECT_EQ(s, c.want) << c.text;
  }
  Relation r = Relation::kFather;
  EXPECT_TRUE(ParseEnum("外婆", &r));
  EXPECT_EQ(r, Relation::kMaternalGrandmother);
  EXPECT_FALSE(ParseEnum("叔叔", &r));
  EXPECT_EQ(r, Relation::kMaternalGrandmother);  // unchanged on failure
  DisabilityType d{};
  EXPECT_TRUE(ParseEnum("智力残疾", &d));
  EXPECT_EQ(d, DisabilityType::kIntellectual);
}

TEST(ChildTest, Helpers) {
  Child c;
  FamilyMember mother;
  mother.relation = Relation::kMother;
  mother.name = "李丽";
  c.family.push_back(mother);
  ASSERT_NE(FindMember(c, Relation::kMother), nullptr);
  EXPECT_EQ(FindMember(c, Relation::kMother)->name, "李丽");
  EXPECT_EQ(FindMember(c, Relation::kFather), nullptr);
  EXPECT_EQ(CountyOf("440307001001"), "440307");
  EXPECT_EQ(CountyOf("430524"), "430524");
  EXPECT_EQ(CountyOf("4403"), "");
}

}  // namespace
}  // namespace th::domain
