#pragma once
// The deployment's category list (困境儿童 local subtypes and monitored groups) and the
// thresholds of the rules that derive them. Loaded from config/categories/<province>.json;
// nothing here is a policy constant: thresholds live in the file.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "modules/registry/domain/child.h"
#include "domain/region.h"

namespace th::domain {

// The three national 困境儿童 types (国发〔2016〕36号); kNone for monitored groups and "其他".
enum class NationalType : std::uint8_t {
  kNone,
  kPoverty,           // 家庭贫困
  kOwnDisability,     // 自身残疾
  kGuardianshipLack,  // 监护缺失或不当
};

enum class CategoryKind : std::uint8_t {
  kProtected,  // on the protected roll (保障类别)
  kMonitored,  // monitored group (关爱监测): 留守儿童, 流动儿童
};

// Rules implemented in categories.cc; a category names at most one.
enum class RuleId : std::uint8_t {
  kNone,  // worker-assigned
  kOrphan,                 // "orphan"
  kDeFactoUnsupported,     // "de_facto_unsupported" (sub-rules A and B)
  kLeftBehind,             // "left_behind"
  kMigrant,                // "migrant"
  kPoorFamily,             // "poor_family"
  kSevereDisabilityChild,  // "severe_disability_child"
};

std::string_view CodeOf(NationalType v);
std::string_view ZhOf(NationalType v);
std::string_view CodeOf(RuleId v);

// How a deprivation of liberty (服刑在押 / 强制隔离戒毒) reaches the month threshold.
enum class DeprivationCounting : std::uint8_t {
  // Months elapsed since FamilyMember::state_since.
  kElapsed,
  // As kElapsed, or at once when the recorded term (restriction_months) is at least the
  // threshold: 民发〔2019〕62号 speaks of a restriction "6个月以上", i.e. the sentence length.
  kElapsedOrTerm,
};

// "Disability grade <= max_grade, or <= max_grade_by_type[type] for listed types".
struct DisabilityThreshold {
  int max_grade = 0;  // 0: no grade qualifies
  // Indexed by DisabilityType; 0 = use max_grade.
  std::array<std::uint8_t, 8> max_grade_by_type{};
  // True when `grade` (1..4) of `type` meets the threshold; false for grade 0 (unknown).
  bool Qualifies(DisabilityType type, int grade) const;
};

struct RuleParams {
  // 事实无人抚养儿童
  int deprivation_min_months = 0;
  DeprivationCounting deprivation_counting = DeprivationCounting::kElapsed;
  int missing_min_months = 0;
  DisabilityThreshold parent_disability;
  // 留守儿童
  std::vector<HukouNature> left_behind_hukou_natures;
  // Counted only where the child lives in the hukou county (a child living elsewhere is counted
  // there, as 流动儿童, and not here). Key "at_hukou_place_only", default true.
  bool left_behind_at_hukou_place_only = true;
  std::vector<MemberState> left_behind_other_parent_unable_states;
  // 流动儿童
  int migrant_min_months = 0;
  // 困难家庭儿童: any of these AssistanceFlag bits
  std::uint32_t poor_family_assistance = 0;
  // 重残儿童
  DisabilityThreshold child_disability;
};

struct CategoryDef {
  std::string code;  // stable ASCII key, e.g. "de_facto_unsupported"
  std::string name;  // "事实无人抚养儿童"
  CategoryKind kind = CategoryKind::kProtected;
  NationalType national_type = NationalType::kNone;
  RuleId rule = RuleId::kNone;  // kNone: assigned by a worker
  int max_age = 18;             // the category ends on this birthday (周岁)
  std::string description;
  bool rule_derived() const { return rule != RuleId::kNone; }
};

struct CategoryConfig {
  int version = 0;
  std::string province_code;  // "44"
  std::string province;       // "广东省"
  std::string title;
  RuleParams params;
  std::vector<CategoryDef> categories;
  // Place names for reasons (set by the loader from config/regions/); null: province names and
  // codes only.
  std::shared_ptr<const PlaceNames> places;
  // The category with `code`, or nullptr.
  const CategoryDef* Find(std::string_view code) const;
};

// Parses the JSON text of a category config. Unknown keys, wrong types, unknown rule ids,
// states or assistance names, duplicate codes, and rules used without their parameters are
// errors: code "invalid_category_config", field = the JSON path ("rules.migrant.min_months"),
// message naming the path and the problem.
Result<CategoryConfig> ParseCategoryConfig(std::string_view json_text);

// Maps assistance names used in config and imports (低保, 特困, 低边, 临时救助, 医疗救助) to
// AssistanceFlag bits; 0 for unknown.
std::uint32_t AssistanceFlagFromName(std::string_view name);

}  // namespace th::domain
