#pragma once
// The registry's rows as stored (namespace repo: the repository reads and writes them; the
// services and the modules that use the registry read them). Plain values: sealed identifiers,
// blind indexes and masked copies as stored. Dates are yyyymmdd integers (0 = unknown),
// timestamps epoch ms UTC.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace th::repo {

// One row of `child`. Dates are yyyymmdd integers (0 = unknown).
struct ChildRecord {
  std::int64_t id = 0;
  std::string household_id;
  std::string name;
  std::string former_names;  // '\n'-separated
  std::string sex = "unknown";
  std::string ethnicity;
  std::int32_t birth_date = 0;
  std::string id_enc, id_bidx, id_masked;
  std::string no_id_reason;
  bool hukou_registered = true;
  std::string hukou_region_code;
  std::string hukou_nature = "unknown";
  std::string hukou_address;
  std::int64_t district_id = 0, street_id = 0, community_id = 0;
  std::optional<std::int64_t> grid_id;
  std::string residence_address;
  std::int32_t resident_since = 0;
  std::string school_name;
  std::string school_stage = "unknown";
  bool boarding = false;
  std::string health = "unknown";
  std::string disability_type = "none";
  std::int64_t disability_grade = 0;
  std::string illness;
  std::string flow_status = "unknown";
  std::int64_t assistance = 0;
  bool parents_not_findable = false;
  std::optional<std::int64_t> director_user_id;
  std::string notes;
  std::string guardian_name;
  std::string guardian_relation = "other";
  std::string guardian_relation_note;
  std::optional<std::int64_t> guardian_member_id;
  std::string guardian_phone_enc, guardian_phone_bidx, guardian_phone_masked;
  std::string guardian_id_enc, guardian_id_masked;
  std::int32_t guardian_agreement_date = 0;
  std::string categories;  // effective met codes, ','-separated with leading and trailing ','
  std::int32_t next_change_date = 0;
  std::string roll_status = "not_on_roll";
  std::string roll_categories;  // ','-separated
  std::int32_t roll_entered_on = 0, roll_exited_on = 0;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> created_by;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> updated_by;
  // Joined by Get and List (community_path: the unit path audit entries about the child carry).
  std::string street_name, community_name, community_code, community_path, grid_name;
  std::string director_name, created_by_name;
  // The current risk grade (a grade code of the cases module's risk form, "" when never graded),
  // read-only here: written only by ChildRepo::SetRiskGrade (migration 0021_cases.sql).
  std::string risk_grade;
  std::optional<std::int64_t> risk_graded_at;
};

struct MemberRecord {
  std::int64_t id = 0;
  std::int64_t child_id = 0;
  std::int64_t position = 0;
  std::string relation = "other";
  std::string name;
  std::string id_enc, id_bidx, id_masked;
  std::string phone_enc, phone_bidx, phone_masked;
  std::string state = "at_home";
  std::int32_t state_since = 0;
  std::int64_t restriction_months = 0;
  std::string disability_type = "none";
  std::int64_t disability_grade = 0;
  std::string illness;
  std::string work_city;
  std::string work_region_code;
  std::string works_outside = "unknown";
  bool lives_with_child = false;
};

struct CategoryRecord {
  std::int64_t child_id = 0;
  std::string code;
  std::string outcome = "not_met";  // met, not_met, aged_out
  std::string rule_id;
  std::string reason;
  std::int32_t met_since = 0, ends_on = 0, next_change = 0;
  bool met = false;  // effective
  std::optional<bool> override_met;
  std::string override_reason;
  std::optional<std::int64_t> override_by;
  std::optional<std::int64_t> override_at;
  std::string override_by_name;  // joined
};

struct RollStepRecord {
  std::int64_t id = 0;
  std::int64_t request_id = 0;
  std::string action;
  std::optional<std::int64_t> by_user_id;
  std::string by_name;
  std::int64_t at = 0;
  std::string note;
};

struct RollRequestRecord {
  std::int64_t id = 0;
  std::int64_t child_id = 0;
  std::int64_t district_id = 0, street_id = 0, community_id = 0;  // the child's, read with the request
  std::optional<std::int64_t> grid_id;                              // the child's grid
  std::string kind;
  std::string category;
  std::string reason;
  std::string evidence;
  std::string status;
  std::string prior_roll_status;
  std::int64_t proposed_by = 0;
  std::int64_t proposed_at = 0;
  std::int64_t version = 1;
  std::int64_t updated_at = 0;
  // The category's rule verdict when proposed: met | not_met | aged_out; "" for exits and categories
  // no rule derives. rule_reason: the rule's explanation.
  std::string rule_outcome, rule_reason;
  // Joined.
  std::string child_name, community_name, proposed_by_name;
};

}  // namespace th::repo
