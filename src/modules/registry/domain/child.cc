#include "modules/registry/domain/child.h"

namespace th::domain {

namespace {

template <typename E>
struct Entry {
  E value;
  std::string_view code;
  std::string_view zh;
};

// Extra accepted spellings on import.
template <typename E>
struct Alias {
  std::string_view text;
  E value;
};

template <typename E, std::size_t N>
std::string_view Code(const Entry<E> (&t)[N], E v) {
  for (const auto& e : t)
    if (e.value == v) return e.code;
  return t[0].code;
}
template <typename E, std::size_t N>
std::string_view Zh(const Entry<E> (&t)[N], E v) {
  for (const auto& e : t)
    if (e.value == v) return e.zh;
  return t[0].zh;
}
template <typename E, std::size_t N>
bool Parse(const Entry<E> (&t)[N], std::string_view s, E* out,
           const Alias<E>* aliases = nullptr, std::size_t n_aliases = 0) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  for (const auto& e : t) {
    if (s == e.code || s == e.zh) {
      *out = e.value;
      return true;
    }
  }
  for (std::size_t i = 0; i < n_aliases; ++i) {
    if (s == aliases[i].text) {
      *out = aliases[i].value;
      return true;
    }
  }
  return false;
}

constexpr Entry<Sex> kSex[] = {
    {Sex::kUnknown, "unknown", "未知"}, {Sex::kMale, "male", "男"}, {Sex::kFemale, "female", "女"}};
constexpr Alias<Sex> kSexAliases[] = {{"M", Sex::kMale}, {"F", Sex::kFemale},
                                      {"男性", Sex::kMale}, {"女性", Sex::kFemale}};

constexpr Entry<HukouNature> kHukou[] = {
    {HukouNature::kUnknown, "unknown", "未知"},
    {HukouNature::kAgricultural, "agricultural", "农业"},
    {HukouNature::kNonAgricultural, "non_agricultural", "非农业"},
    {HukouNature::kResident, "resident", "居民"}};
constexpr Alias<HukouNature> kHukouAliases[] = {
    {"农业户口", HukouNature::kAgricultural}, {"非农业户口", HukouNature::kNonAgricultural},
    {"居民户口", HukouNature::kResident}, {"农村", HukouNature::kAgricultural},
    {"城镇", HukouNature::kNonAgricultural}};

constexpr Entry<SchoolStage> kStage[] = {
    {SchoolStage::kUnknown, "unknown", "未知"},
    {SchoolStage::kKindergarten, "kindergarten", "幼儿园"},
    {SchoolStage::kPrimary, "primary", "小学"},
    {SchoolStage::kJuniorHigh, "junior_high", "初中"},
    {SchoolStage::kSeniorHigh, "senior_high", "高中"},
    {SchoolStage::kVocational, "vocational", "中职"},
    {SchoolStage::kDropout, "dropout", "辍学"},
    {SchoolStage::kNotInSchool, "not_in_school", "不在学"}};
constexpr Alias<SchoolStage> kStageAliases[] = {{"学前", SchoolStage::kKindergarten},
                                                {"中专", SchoolStage::kVocational},
                                                {"职高", SchoolStage::kVocational},
                                                {"未入学", SchoolStage::kNotInSchool}};

constexpr Entry<HealthStatus> kHealth[] = {{HealthStatus::kUnknown, "unknown", "未知"},
                                           {HealthStatus::kHealthy, "healthy", "健康"},
                                           {HealthStatus::kDisabled, "disabled", "残疾"},
                                           {HealthStatus::kIll, "ill", "患病"}};
constexpr Alias<HealthStatus> kHealthAliases[] = {{"疾病", HealthStatus::kIll},
                                                  {"重病", HealthStatus::kIll}};

constexpr Entry<DisabilityType> kDisability[] = {
    {DisabilityType::kNone, "none", "无"},
    {DisabilityType::kVisual, "visual", "视力"},
    {DisabilityType::kHearing, "hearing", "听力"},
    {DisabilityType::kSpeech, "speech", "言语"},
    {DisabilityType::kPhysical, "physical", "肢体"},
    {DisabilityType::kIntellectual, "intellectual", "智力"},
    {DisabilityType::kMental, "mental", "精神"},
    {DisabilityType::kMultiple, "multiple", "多重"}};
constexpr Alias<DisabilityType> kDisabilityAliases[] = {
    {"视力残疾", DisabilityType::kVisual},     {"听力残疾", DisabilityType::kHearing},
    {"言语残疾", DisabilityType::kSpeech},     {"肢体残疾", DisabilityType::kPhysical},
    {"智力残疾", DisabilityType::kIntellectual}, {"精神残疾", DisabilityType::kMental},
    {"多重残疾", DisabilityType::kMultiple}};

constexpr Entry<FlowStatus> kFlow[] = {{FlowStatus::kUnknown, "unknown", "未知"},
                                       {FlowStatus::kLocal, "local", "本地"},
                                       {FlowStatus::kInflow, "inflow", "流入"},
                                       {FlowStatus::kOutflow, "outflow", "流出"}};

constexpr Entry<Relation> kRelation[] = {
    {Relation::kOther, "other", "其他"},
    {Relation::kFather, "father", "父亲"},
    {Relation::kMother, "mother", "母亲"},
    {Relation::kGrandfather, "grandfather", "祖父"},
    {Relation::kGrandmother, "grandmother", "祖母"},
    {Relation::kMaternalGrandfather, "maternal_grandfather", "外祖父"},
    {Relation::kMaternalGrandmother, "maternal_grandmother", "外祖母"},
    {Relation::kSibling, "sibling", "兄弟姐妹"}};
constexpr Alias<Relation> kRelationAliases[] = {
    {"父", Relation::kFather},          {"母", Relation::kMother},
    {"爸爸", Relation::kFather},        {"妈妈", Relation::kMother},
    {"爷爷", Relation::kGrandfather},   {"奶奶", Relation::kGrandmother},
    {"外公", Relation::kMaternalGrandfather}, {"外婆", Relation::kMaternalGrandmother},
    {"姥爷", Relation::kMaternalGrandfather}, {"姥姥", Relation::kMaternalGrandmother},
    {"哥哥", Relation::kSibling},       {"姐姐", Relation::kSibling},
    {"弟弟", Relation::kSibling},       {"妹妹", Relation::kSibling}};

constexpr Entry<MemberState> kState[] = {
    {MemberState::kAtHome, "at_home", "在家"},
    {MemberState::kWorkingAway, "working_away", "外出务工"},
    {MemberState::kImprisoned, "imprisoned", "服刑在押"},
    {MemberState::kCompulsoryRehab, "compulsory_rehab", "强制隔离戒毒"},
    {MemberState::kSevereDisability, "severe_disability", "重残"},
    {MemberState::kSeriousIllness, "serious_illness", "重病"},
    {MemberState::kMissing, "missing", "失联"},
    {MemberState::kDead, "dead", "死亡"},
    {MemberState::kDeclaredMissing, "declared_missing", "宣告失踪"},
    {MemberState::kGuardianshipRevoked, "guardianship_revoked", "被撤销监护资格"},
    {MemberState::kDeported, "deported", "被遣送出境"}};
constexpr Alias<MemberState> kStateAliases[] = {
    {"服刑", MemberState::kImprisoned},        {"在押", MemberState::kImprisoned},
    {"戒毒", MemberState::kCompulsoryRehab},   {"失踪", MemberState::kDeclaredMissing},
    {"务工", MemberState::kWorkingAway},       {"外出", MemberState::kWorkingAway},
    {"已故", MemberState::kDead},              {"去世", MemberState::kDead},
    {"撤销监护资格", MemberState::kGuardianshipRevoked},
    {"遣送出境", MemberState::kDeported}};

template <typename E, std::size_t N>
constexpr std::size_t Count(const Alias<E> (&)[N]) {
  return N;
}

}  // namespace

const FamilyMember* FindMember(const Child& child, Relation relation) {
  for (const auto& m : child.family)
    if (m.relation == relation) return &m;
  return nullptr;
}

std::string_view CountyOf(std::string_view region_code) {
  return region_code.size() >= 6 ? region_code.substr(0, 6) : std::string_view();
}

bool IsGrandparent(Relation r) {
  return r == Relation::kGrandfather || r == Relation::kGrandmother ||
         r == Relation::kMaternalGrandfather || r == Relation::kMaternalGrandmother;
}
bool IsParent(Relation r) { return r == Relation::kFather || r == Relation::kMother; }

std::string_view CodeOf(Sex v) { return Code(kSex, v); }
std::string_view CodeOf(HukouNature v) { return Code(kHukou, v); }
std::string_view CodeOf(SchoolStage v) { return Code(kStage, v); }
std::string_view CodeOf(HealthStatus v) { return Code(kHealth, v); }
std::string_view CodeOf(DisabilityType v) { return Code(kDisability, v); }
std::string_view CodeOf(FlowStatus v) { return Code(kFlow, v); }
std::string_view CodeOf(Relation v) { return Code(kRelation, v); }
std::string_view CodeOf(MemberState v) { return Code(kState, v); }
std::string_view ZhOf(Sex v) { return Zh(kSex, v); }
std::string_view ZhOf(HukouNature v) { return Zh(kHukou, v); }
std::string_view ZhOf(SchoolStage v) { return Zh(kStage, v); }
std::string_view ZhOf(HealthStatus v) { return Zh(kHealth, v); }
std::string_view ZhOf(DisabilityType v) { return Zh(kDisability, v); }
std::string_view ZhOf(FlowStatus v) { return Zh(kFlow, v); }
std::string_view ZhOf(Relation v) { return Zh(kRelation, v); }
std::string_view ZhOf(MemberState v) { return Zh(kState, v); }

bool ParseEnum(std::string_view s, Sex* out) {
  return Parse(kSex, s, out, kSexAliases, Count(kSexAliases));
}
bool ParseEnum(std::string_view s, HukouNature* out) {
  return Parse(kHukou, s, out, kHukouAliases, Count(kHukouAliases));
}
bool ParseEnum(std::string_view s, SchoolStage* out) {
  return Parse(kStage, s, out, kStageAliases, Count(kStageAliases));
}
bool ParseEnum(std::string_view s, HealthStatus* out) {
  return Parse(kHealth, s, out, kHealthAliases, Count(kHealthAliases));
}
bool ParseEnum(std::string_view s, DisabilityType* out) {
  return Parse(kDisability, s, out, kDisabilityAliases, Count(kDisabilityAliases));
}
bool ParseEnum(std::string_view s, FlowStatus* out) { return Parse(kFlow, s, out); }
bool ParseEnum(std::string_view s, Relation* out) {
  return Parse(kRelation, s, out, kRelationAliases, Count(kRelationAliases));
}
bool ParseEnum(std::string_view s, MemberState* out) {
  return Parse(kState, s, out, kStateAliases, Count(kStateAliases));
}

}  // namespace th::domain
