#pragma once
// SQL for the guardianship module's tables (migration 0025_guardianship.sql): guardianship,
// guardianship_event (the timeline), guardianship_placement_check. Callers (the service) own
// transactions, scope and audit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/records.h"
#include "platform/repo/timeline_repo.h"
#include "storage/connection.h"

namespace th::repo {

struct GuardianshipRecord {
  std::int64_t id = 0, child_id = 0;
  std::int64_t unit_id = 0;  // the child's community
  std::string unit_path;     // its path (copied; kept in step by the child/unit move hooks)
  std::int64_t street_unit_id = 0, district_unit_id = 0;
  std::string kind;    // temporary | long_term
  std::string status;  // proposed | approved | placed | active | returned | adopted | ended | rejected
  std::string grounds; // ground codes, ',' separated
  std::string reason;
  std::int64_t proposed_by = 0, proposed_at = 0;
  std::optional<std::int64_t> decided_by, decided_at;
  std::string decision_note;
  std::string placement_kind, placement_name, placement_contact, placement_phone, placement_address;
  std::optional<std::int64_t> placed_at, limit_at, return_assessment_id, returned_at, converted_at, ended_at;
  std::string end_kind, end_note;
  std::int64_t created_at = 0, updated_at = 0, version = 1;
  std::string child_name, unit_name;  // joined
};

// The timeline (guardianship_event): owner_id is the intervention.
using GuardianshipEventRecord = TimelineEvent;
inline constexpr TimelineTable kGuardianshipTimeline{"guardianship_event", "guardianship_id"};

struct PlacementCheckRecord {
  std::int64_t id = 0, guardianship_id = 0, checked_at = 0, checked_by = 0;
  std::string child_state, notes;
  std::int64_t created_at = 0;
  std::string checker_name;  // joined
};

struct GuardianshipFilter {
  std::string path_prefix;  // scope (the service's)
  std::string unit_prefix, kind, status, q;
  std::optional<std::int64_t> child_id;
  bool open_only = false;
};

// One row for the case statistics' counts (CountsByGroup).
struct GuardianshipCountRow {
  std::string unit_path, kind, status;
  std::optional<std::int64_t> returned_at;
};

class GuardianshipRepo {
 public:
  explicit GuardianshipRepo(storage::Connection& c) : c_(c) {}

  Status Insert(GuardianshipRecord& r);
  Result<GuardianshipRecord> Get(std::int64_t id);
  // The child's open intervention (proposed, approved, placed or active), if any.
  Result<std::optional<GuardianshipRecord>> OpenOf(std::int64_t child_id);
  // Optimistic update of every editable column: 409 stale_version when the row's version is not
  // `version`; the row's version becomes version + 1.
  Status Update(const GuardianshipRecord& r, std::int64_t version);
  Result<std::vector<GuardianshipRecord>> List(const GuardianshipFilter& f, const Page& page, std::int64_t* total);
  Status AddEvent(GuardianshipEventRecord& e);
  Result<std::vector<GuardianshipEventRecord>> Events(std::int64_t guardianship_id);
  Status AddCheck(PlacementCheckRecord& r);
  Result<std::vector<PlacementCheckRecord>> Checks(std::int64_t guardianship_id);
  // Rows under `scope_prefix` that are open now or returned in [from, to).
  Result<std::vector<GuardianshipCountRow>> CountRows(const std::string& scope_prefix, std::int64_t from,
                                                      std::int64_t to);
  // The child moved: its interventions' unit copies follow.
  Status MoveChild(std::int64_t child_id, std::int64_t unit_id, std::int64_t street_id, std::int64_t district_id,
                   const std::string& unit_path);
  // A unit moved: every copied path under old_path is rewritten to start with new_path.
  Status MoveUnitPaths(const std::string& old_path, const std::string& new_path);
  // After a unit move (the org_unit rows and the copied paths already rewritten): the rows under
  // `path` take their street and district again from the org tree (the community's parent and its
  // parent); returns the open ones among them (id, child, street, district), whose work items follow.
  Result<std::vector<GuardianshipRecord>> RefreshUnitsUnder(const std::string& path);
  // The children in communities under `path` (by the org tree: the child rows may still carry the
  // old path while the move's hooks run) that have an open guardianship_check, with their street.
  Result<std::vector<std::pair<std::int64_t, std::int64_t>>> CheckedChildrenUnder(const std::string& path);
  // A grid moved (the org_unit row already written, the child rows possibly not yet: the registry's
  // hook may run after this one): the interventions of the children in grid `grid_id` take the
  // grid's (new) community, its path, street and district from the org tree; returns the open ones
  // (id, child, street, district), whose work items follow.
  Result<std::vector<GuardianshipRecord>> MoveGridChildren(std::int64_t grid_id);
  // The children in grid `grid_id` that have an open guardianship_check, with the grid's street (by
  // the org tree).
  Result<std::vector<std::pair<std::int64_t, std::int64_t>>> CheckedChildrenOfGrid(std::int64_t grid_id);

 private:
  // (id, child, street, district) of the open rows matching `where` (parameter $1).
  Result<std::vector<GuardianshipRecord>> OpenUnits(const std::string& where, const storage::Value& param);

  storage::Connection& c_;
};

}  // namespace th::repo
