#pragma once
// Value types of the child file (一人一档): the child, the family members and the person who
// actually guards the child. Plain data: validation of identifiers is in id_number.h, the
// category rules in categories.h. Each enum has a stable ASCII code (stored, sent by the API)
// and a zh-CN label (shown, accepted on import); see CodeOf / ZhOf / ParseEnum below.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"

namespace th::domain {

enum class Sex : std::uint8_t { kUnknown, kMale, kFemale };

// 户籍性质.
enum class HukouNature : std::uint8_t {
  kUnknown,
  kAgricultural,     // 农业
  kNonAgricultural,  // 非农业
  kResident,         // 居民 (after the hukou reform unified the two)
};

enum class SchoolStage : std::uint8_t {
  kUnknown,
  kKindergarten,  // 幼儿园
  kPrimary,       // 小学
  kJuniorHigh,    // 初中
  kSeniorHigh,    // 高中
  kVocational,    // 中职
  kDropout,       // 辍学
  kNotInSchool,   // 不在学 (below school age, or never enrolled)
};

enum class HealthStatus : std::uint8_t { kUnknown, kHealthy, kDisabled, kIll };

// 残疾类别 (GB/T 26341).
enum class DisabilityType : std::uint8_t {
  kNone,
  kVisual,        // 视力
  kHearing,       // 听力
  kSpeech,        // 言语
  kPhysical,      // 肢体
  kIntellectual,  // 智力
  kMental,        // 精神
  kMultiple,      // 多重
};

// 流动状态 of the child as recorded by the worker (the 流动儿童 rule derives its own verdict from
// hukou and residence; this is the recorded status).
enum class FlowStatus : std::uint8_t {
  kUnknown,
  kLocal,    // 本地户籍常住
  kInflow,   // 流入 (hukou elsewhere, lives here)
  kOutflow,  // 流出 (hukou here, lives elsewhere)
};

// Relation of a family member to the child.
enum class Relation : std::uint8_t {
  kOther,        // 其他
  kFather,       // 父亲
  kMother,       // 母亲
  kGrandfather,  // 祖父
  kGrandmother,  // 祖母
  kMaternalGrandfather,  // 外祖父
  kMaternalGrandmother,  // 外祖母
  kSibling,      // 兄弟姐妹
};

// State of a family member (as it bears on guardianship).
enum class MemberState : std::uint8_t {
  kAtHome,                // 在家
  kWorkingAway,           // 外出务工
  kImprisoned,            // 服刑在押
  kCompulsoryRehab,       // 强制隔离戒毒
  kSevereDisability,      // 重残
  kSeriousIllness,        // 重病
  kMissing,               // 失联 (since = police acceptance date)
  kDead,                  // 死亡
  kDeclaredMissing,       // 宣告失踪 (court declaration)
  kGuardianshipRevoked,   // 被撤销监护资格
  kDeported,              // 被遣送出境
};

enum class TriState : std::uint8_t { kUnknown, kNo, kYes };

// Household assistance received (bit flags in Child::assistance).
enum AssistanceFlag : std::uint32_t {
  kAssistDibao = 1u << 0,       // 低保
  kAssistTekun = 1u << 1,       // 特困
  kAssistLowIncome = 1u << 2,   // 低收入/低保边缘
  kAssistTemporary = 1u << 3,   // 临时救助
  kAssistMedical = 1u << 4,     // 医疗救助
};

struct FamilyMember {
  std::string member_id;  // assigned by the service; may be empty in value-only use
  Relation relation = Relation::kOther;
  std::string name;
  std::string id_number;  // normalized 18 chars, or empty
  std::string phone;
  MemberState state = MemberState::kAtHome;
  Date state_since;       // when the state began (失联: date the police accepted the report)
  // For 服刑在押 / 强制隔离戒毒: the length of the sentence or measure in months, if known
  // (0 = unknown). See CategoryRules for how it is used.
  std::int16_t restriction_months = 0;
  // For 重残 (and any disabled member): type and grade 1 (most severe) .. 4; 0 = none/unknown.
  DisabilityType disability_type = DisabilityType::kNone;
  std::uint8_t disability_grade = 0;
  std::string illness;           // for 重病
  std::string work_city;         // 务工地 (city name as entered)
  std::string work_region_code;  // 6-digit county code when known
  TriState works_outside_hukou_county = TriState::kUnknown;  // 是否跨县务工
  bool lives_with_child = false;
};

// Who actually guards the child day to day (实际监护人 / 委托监护人).
struct Guardian {
  std::string name;
  Relation relation = Relation::kOther;
  std::string relation_note;  // e.g. "姑姑", "民政部门" when relation is kOther
  std::string phone;
  std::string id_number;
  int member_index = -1;      // index into Child::family when the guardian is listed there
  Date agreement_date;        // 监护确认书 / 委托监护确认书 date
  bool IsSet() const { return !name.empty() || member_index >= 0; }
};

struct Child {
  std::string child_id;  // assigned by the service
  std::string household_id;
  std::string name;
  std::vector<std::string> former_names;
  Sex sex = Sex::kUnknown;
  std::string ethnicity;  // "汉族"
  Date birth_date;
  std::string id_number;     // normalized 18 chars, or empty
  std::string no_id_reason;  // why there is no ID number (未落户, 学籍辅号...)

  bool hukou_registered = true;
  std::string hukou_region_code;  // 6-digit county or 12-digit code of the hukou place
  HukouNature hukou_nature = HukouNature::kUnknown;
  std::string hukou_address;

  std::string residence_region_code;  // 12-digit community code where the child lives
  std::string grid_code;              // "440307001001-G01"
  std::string residence_address;
  Date resident_since;                // living at the current residence county since

  std::string school_name;
  SchoolStage school_stage = SchoolStage::kUnknown;
  bool boarding = false;

  HealthStatus health = HealthStatus::kUnknown;
  DisabilityType disability_type = DisabilityType::kNone;
  std::uint8_t disability_grade = 0;  // 1..4, 0 = none/unknown
  std::string illness;

  FlowStatus flow_status = FlowStatus::kUnknown;
  std::vector<FamilyMember> family;
  Guardian guardian;
  std::uint32_t assistance = 0;       // AssistanceFlag bits
  bool parents_not_findable = false;  // 查找不到生父母 (abandoned infant)
  std::string director_user_id;       // responsible 儿童主任
  std::string notes;
};

// First family member with `relation`, or nullptr.
const FamilyMember* FindMember(const Child& child, Relation relation);
// The 6-digit county prefix of a 6- or 12-digit region code ("" if shorter than 6).
std::string_view CountyOf(std::string_view region_code);

// Stable ASCII codes ("father", "imprisoned") and zh-CN labels ("父亲", "服刑在押").
std::string_view CodeOf(Sex v);
std::string_view CodeOf(HukouNature v);
std::string_view CodeOf(SchoolStage v);
std::string_view CodeOf(HealthStatus v);
std::string_view CodeOf(DisabilityType v);
std::string_view CodeOf(FlowStatus v);
std::string_view CodeOf(Relation v);
std::string_view CodeOf(MemberState v);
std::string_view ZhOf(Sex v);
std::string_view ZhOf(HukouNature v);
std::string_view ZhOf(SchoolStage v);
std::string_view ZhOf(HealthStatus v);
std::string_view ZhOf(DisabilityType v);
std::string_view ZhOf(FlowStatus v);
std::string_view ZhOf(Relation v);
std::string_view ZhOf(MemberState v);
// Parses either the ASCII code or the zh-CN label (also common synonyms on import, e.g. "男",
// "服刑", "戒毒", "失踪"). Returns false and leaves *out unchanged when unknown.
bool ParseEnum(std::string_view text, Sex* out);
bool ParseEnum(std::string_view text, HukouNature* out);
bool ParseEnum(std::string_view text, SchoolStage* out);
bool ParseEnum(std::string_view text, HealthStatus* out);
bool ParseEnum(std::string_view text, DisabilityType* out);
bool ParseEnum(std::string_view text, FlowStatus* out);
bool ParseEnum(std::string_view text, Relation* out);
bool ParseEnum(std::string_view text, MemberState* out);

// True for the four relations that are grandparents.
bool IsGrandparent(Relation r);
bool IsParent(Relation r);

}  // namespace th::domain
