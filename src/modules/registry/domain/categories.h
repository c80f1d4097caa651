#pragma once
// Category rules: derive 孤儿, 事实无人抚养儿童 (rules A and B), 留守儿童, 流动儿童, 困难家庭儿童 and
// 重残儿童 from a child's file on a given day, with reasons in words, structured findings and
// the date on which the verdict will next change. Pure: no clock, no I/O. Worker overrides
// are a service concern (the service stores the override next to the verdict).
//
// Time thresholds are counted by calendar months with end-of-month clamping (Date::AddMonths):
// a state that began on 2024-11-15 reaches "满6个月" on 2025-05-15, and 2025-05-14 is not yet.
// 服刑在押 / 强制隔离戒毒: the rule counts the months elapsed since FamilyMember::state_since;
// with deprivation_counting "elapsed_or_term" a recorded term (restriction_months) of at least
// the threshold qualifies at once (the policy text speaks of a restriction "6个月以上").
// Ages: the category ends on the max_age-th birthday (16 for 留守/流动, 18 otherwise, from the
// config); the day before it the child still qualifies.
#include <string>
#include <string_view>
#include <vector>

#include "modules/registry/domain/category_config.h"
#include "modules/registry/domain/child.h"
#include "domain/date.h"

namespace th::domain {

enum class Outcome : std::uint8_t {
  kNotMet,
  kMet,
  kAgedOut,  // the family conditions hold but the child has reached the category's max age
};
std::string_view CodeOf(Outcome v);

// A rule id (Verdict::rule_id: "orphan", "de_facto_unsupported.A", ...) in words, for people:
// "情形A：父母双方均无法履行抚养义务" / "Case A: neither parent can provide care". Rule ids are
// keys, never shown in Chinese text. "" for "" ; the id itself for an unknown id.
std::string_view RuleLabelZh(std::string_view rule_id);
std::string_view RuleLabelEn(std::string_view rule_id);

// One family member's (or the child's own) contribution to a verdict.
struct Finding {
  int member_index = -1;  // index into Child::family; -1 for the child itself or a missing parent
  Relation relation = Relation::kOther;
  MemberState state = MemberState::kAtHome;
  Date since;             // FamilyMember::state_since (or Child::resident_since for 流动)
  bool counts = false;    // satisfies its part of the rule today
  Date counts_from;       // since when it counts, or (not yet counting) when it will by time
  std::string text;       // "母亲失联(2024-11起，满6个月)"
};

struct Verdict {
  std::string category_code;  // CategoryDef::code
  std::string category_name;  // CategoryDef::name
  RuleId rule = RuleId::kNone;
  std::string rule_id;  // "orphan", "de_facto_unsupported.A", "de_facto_unsupported.B", ...
  Outcome outcome = Outcome::kNotMet;
  Date met_since;     // when met (or aged out): the day all conditions first held, if known
  Date ends_on;       // the age-out day (max_age-th birthday), if the birth date is known
  Date next_change;   // the day this verdict changes if nothing else changes; unset = never
  std::vector<Finding> findings;
  // "父亲服刑在押(2025-03起，满6个月), 母亲失联(2024-11起，满6个月) → 事实无人抚养儿童"
  std::string reason;
};

struct Evaluation {
  Date today;
  std::vector<Verdict> verdicts;  // one per rule-derived category of the config, in its order
  Date next_change;               // earliest Verdict::next_change; unset = never
  // True when the category `code` is met.
  bool Met(std::string_view code) const;
  // The verdict for category `code`, or nullptr.
  const Verdict* Find(std::string_view code) const;
  // Codes of met categories, in config order.
  std::vector<std::string> MetCodes() const;
};

// Evaluates every rule-derived category of `config` for `child` on `today` (a set, valid
// date). `config` must come from ParseCategoryConfig. Never fails: missing data (no parent
// record, unknown since-date, no birth date) yields kNotMet or an unlimited age with the gap
// named in the reason.
Evaluation EvaluateCategories(const Child& child, const CategoryConfig& config, Date today);
// Same, reusing `out`'s storage (for nightly re-evaluation of a million files).
void EvaluateCategories(const Child& child, const CategoryConfig& config, Date today,
                        Evaluation* out);

}  // namespace th::domain
