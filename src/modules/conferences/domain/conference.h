#pragma once
// Case conferences (个案会商): records, the start-condition config and the declarative workflow.
// Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace th::domain {

struct ConferenceReason {
  std::string code, name, name_en;
  bool note_required = false;
};

struct ConferenceConfig {
  std::vector<ConferenceReason> reasons;
  const ConferenceReason* Find(const std::string& code) const {
    for (const auto& r : reasons) {
      if (r.code == code) return &r;
    }
    return nullptr;
  }
};

struct ConferenceRecord {
  std::int64_t id = 0, child_id = 0;
  std::optional<std::int64_t> case_id;
  std::string child_name, reason, reason_note, title;
  std::int64_t convener_unit_id = 0;
  std::string convener_name, unit_path;
  std::int64_t district_unit_id = 0, scheduled_at = 0;
  std::string place;
  bool online = false;
  std::string agenda, status, discussion;
  std::optional<std::int64_t> held_at, recorded_by, closed_at, created_by;
  std::int64_t version = 1, created_at = 0, updated_at = 0;
};

struct ConferenceParticipant {
  std::int64_t id = 0, conference_id = 0;
  std::string kind;  // agency | unit | person
  std::optional<std::int64_t> agency_id, unit_id;
  std::string name, note;
  std::optional<bool> attended;
};

struct ConferenceDecision {
  std::int64_t id = 0, conference_id = 0, child_id = 0;
  int seq = 0;
  std::string content;
  std::string owner_kind;  // agency | unit
  std::optional<std::int64_t> owner_agency_id;
  std::int64_t owner_unit_id = 0;
  std::string owner_unit_path, owner_role, owner_name;
  std::string due_date;  // YYYY-MM-DD
  std::string status;    // open | done
  std::string result_note;
  std::optional<std::int64_t> done_at, done_by;
  std::int64_t version = 1, created_at = 0, updated_at = 0;
};

// The workflow: planned --edit--> planned; planned --record--> held (minutes recorded);
// held --amend--> held (minutes corrected, decisions added); held --close--> closed (every decision
// done: checked by the service); planned --cancel--> cancelled. Attachments: planned or held.
inline constexpr const char* kConferenceStates[] = {"planned", "held", "closed", "cancelled"};
inline constexpr const char* kConferenceActions[] = {"edit", "record", "amend", "close", "cancel", "attach"};

// The state after `action` from `state`, or 409 invalid_state (400 invalid_enum for an unknown action).
Result<std::string> ConferenceNext(const std::string& state, const std::string& action);
// The actions allowed from `state` (for the web's buttons).
std::vector<std::string> ConferenceActions(const std::string& state);
// zh-CN / en names.
std::string ConferenceStatusName(const std::string& status, bool en);

}  // namespace th::domain
