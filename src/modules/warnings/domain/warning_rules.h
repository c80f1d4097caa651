#pragma once
// Early-warning rules (预警规则) as data: config/warnings/*.json. Each rule names one of a fixed set
// of evaluators (the kinds below, implemented by the service over the other modules' data), its
// parameters, its severity (the colour and the `warning` work kind's clock variant), the unit that
// owns its warnings and a reason template in words. Pure: parsing and the reason's wording.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"

namespace th::domain {

enum class WarningKind {
  kParentState,    // a father's / mother's state is one of `states` (服刑在押, 失联)
  kGradeNoVisit,   // the child's risk grade is one of `grades` and no visit for `days` days
  kDropout,        // the child's school stage is one of `school_stages`, or a screening finding says so
  kRepeatReports,  // at least `min_reports` reports on the child within `months` months
  kWorkOverdue,    // an open work item of one of `work_kinds` on the child is past its deadline
  kManual,         // raised by a person (a visit, a worker's decision)
};

// The stable code of a kind ("parent_state"); FindWarningKind parses it (false when unknown).
const char* WarningKindCode(WarningKind k);
bool FindWarningKind(const std::string& code, WarningKind* out);

struct WarningRule {
  std::string code, name, name_en;
  WarningKind kind = WarningKind::kManual;
  std::string severity = "medium";   // high | medium | low
  std::string owner_level = "community";  // community | street
  std::string owner_role = "child_director";
  bool auto_close = true;
  std::string reason;  // template: {placeholder}s the evaluator fills
  // Parameters (which apply depends on the kind).
  std::vector<std::string> relations, states, grades, school_stages, finding_rules, finding_status, work_kinds,
      child_subjects;
  std::map<std::string, std::string> grade_names, kind_names;
  int days = 0, months = 0, min_reports = 0;
};

struct WarningConfig {
  std::vector<WarningRule> rules;
  std::int64_t version = 1;
  const WarningRule* Find(const std::string& code) const;
};

// Parses one file's text. Errors (invalid_config) name the rule and key: unique codes of at most 40
// characters [a-z0-9_], a known kind, severity high|medium|low, owner level community|street, a
// non-empty reason, and the kind's parameters (parent_state: relations, states; grade_no_visit:
// grades, 1 <= days <= 3660; dropout: school_stages or finding_rules; repeat_reports: 2 <= min_reports
// <= 100, 1 <= months <= 120; work_overdue: work_kinds, child_subjects). A rule `manual` of kind
// manual is added when the file has none.
Result<WarningConfig> ParseWarningConfig(const std::string& text);

// The reason in words: `tmpl` with each {key} replaced by facts[key] (an unknown key stays as written).
std::string FormatReason(const std::string& tmpl, const std::map<std::string, std::string>& facts);

}  // namespace th::domain
