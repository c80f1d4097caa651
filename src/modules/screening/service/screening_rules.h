#pragma once
// Screening rules (排查规则), loaded from config/screening/rules.json: data, not code. Each rule
// lists conditions on the department record, its best registry match and the matched child;
// a record meeting them yields a finding with the rule's reason (a template over the record's
// fields) and, on confirmation, the action the rule names. See the file's "notes".
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "platform/service/column_mapping.h"  // ParseMappingJson, used with the rules

namespace th::service {

struct ScreeningRule {
  std::string id, name, name_en;
  // record: checked for every department record of a batch. registry_absent: checked once per
  // batch for every registry child of the uploader's jurisdiction that no record of the batch
  // matched (link or review band), e.g. a child no longer in the school register.
  std::string applies_to = "record";
  bool fallback = false;             // only when no earlier rule fired for the record
  // batch.* (any rule): the batch's source dept_type in this list; the upload marked 全量名单.
  std::vector<std::string> source_dept_types;
  std::optional<bool> complete_roster;
  std::vector<std::string> bands;    // link | review | no_link; empty = any
  // record.*
  std::vector<std::int64_t> disability_grades;
  std::vector<std::string> assistance;     // any of
  std::vector<std::string> parent_states;  // father or mother in any of
  std::optional<bool> school;              // school_name present
  std::optional<bool> hukou_outside_district;
  // child.*
  std::optional<bool> child_disabled;
  std::vector<std::string> child_roll_status;
  std::optional<std::int64_t> child_age_at_least;
  std::optional<std::int64_t> child_age_min, child_age_max;  // child.age_between [min, max] at the batch date
  std::vector<std::string> child_school_stage_not;            // child.school_stage_not
  std::optional<bool> lives_in_jurisdiction;
  std::string reason;  // template with {field}
  // on_confirm
  std::string action = "none";  // roll_entry | roll_exit | register | none
  std::string category;         // for roll_entry
  std::string flow_status;      // for register: suggested flow_status
};

struct ScreeningRules {
  int version = 1;
  std::int64_t due_days = 14;
  double link_threshold = 0.95, review_threshold = 0.50;
  // Background processing ("worker"): a running batch whose heartbeat is older than this is
  // taken to be abandoned by a crashed server; after max_attempts claims it is failed.
  std::int64_t stale_after_seconds = 120;
  std::int64_t max_attempts = 3;
  std::vector<ScreeningRule> rules;
  const ScreeningRule* Find(std::string_view id) const;
};

// Parses the rules file. Errors name the offending rule (code "invalid_screening_rules").
Result<ScreeningRules> ParseScreeningRules(std::string_view json_text);

}  // namespace th::service
