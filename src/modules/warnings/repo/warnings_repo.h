#pragma once
// SQL of the warnings module: the warning table (migration 0026) and the set-based reads of the
// nightly evaluation. As docs/MODULES.md §2 allows for set-based reads, this repo joins the other
// modules' tables (child, family_member, visit, finding, report, work_item) into its own row types:
// the evaluators read a block of child ids in one query per rule kind.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/repo/records.h"
#include "platform/repo/scope_sql.h"
#include "storage/connection.h"

namespace th::repo {

struct WarningRecord {
  std::int64_t id = 0;
  std::string rule_code, severity;
  std::int64_t child_id = 0, district_id = 0, street_id = 0, community_id = 0;
  std::optional<std::int64_t> grid_id;
  std::string unit_path, status = "open";
  bool is_open = true;
  std::string reason;
  std::int64_t raised_at = 0;
  std::optional<std::int64_t> raised_by;
  std::string raised_by_name;
  std::optional<std::int64_t> closed_at, closed_by;
  std::string closed_by_name, close_note;
  std::int64_t version = 1;
  std::string child_name;  // joined from child for lists and details
};

// A child as a warning needs it: its units (unit_path: its grid's or community's path) and roll.
struct WarningChild {
  std::int64_t id = 0, district_id = 0, street_id = 0, community_id = 0;
  std::optional<std::int64_t> grid_id;
  std::string unit_path, roll_status, name;
  bool OnRoll() const { return roll_status == "on_roll" || roll_status == "exit_proposed"; }
};

struct ParentStateRow {
  std::int64_t child_id = 0;
  std::string relation, name, state;
  std::int32_t since = 0;
};
struct GradeVisitRow {
  std::int64_t child_id = 0;
  std::string grade;
  std::int64_t graded_at = 0;
  std::int32_t last_visit_on = 0;  // 0: never visited
};
struct DropoutRow {
  std::int64_t child_id = 0;
  std::string school_stage;     // set when the file says so
  std::string finding_reason;   // set when a screening finding says so
  std::int64_t finding_at = 0;
};
struct ReportCountRow {
  std::int64_t child_id = 0, count = 0, last_at = 0;
};
struct OverdueWorkRow {
  std::int64_t item_id = 0;
  std::string subject_type, kind;
  std::int64_t subject_id = 0, due_at = 0;
};

struct WarningFilter {
  ChildScope scope;
  std::string rule_code;  // "" all
  std::string status;     // "" all; open | closed | handled | false_alarm | cleared
  std::optional<std::int64_t> street_id, community_id, child_id;
};

struct WarningRuleCount {
  std::string rule_code;
  std::int64_t open = 0;
};

class WarningsRepo {
 public:
  explicit WarningsRepo(storage::Connection& c) : c_(c) {}

  // Inserts an open warning (w.id set); false (nothing written) when one of the same (rule, child) is
  // already open (the partial unique index: a concurrent raise never fails the caller's transaction).
  Result<bool> Insert(WarningRecord& w);
  // Insert for many, in order, with multi-row statements: each inserted one gets its id (ascending
  // in order) and status open; one whose (rule, child) is already open is skipped (id left 0).
  Status InsertMany(std::vector<WarningRecord>& ws);
  Result<std::optional<WarningRecord>> Get(std::int64_t id);
  Result<std::optional<WarningRecord>> OpenFor(const std::string& rule_code, std::int64_t child_id);
  // Open warnings of children lo..hi.
  Result<std::vector<WarningRecord>> OpenBetween(std::int64_t lo, std::int64_t hi);
  // (rule, child) pairs of children lo..hi whose warning a person closed while its condition still holds.
  Result<std::vector<std::pair<std::string, std::int64_t>>> SuppressedBetween(std::int64_t lo, std::int64_t hi);
  // The condition of the person-closed warnings of (rule, child) no longer holds: they stop suppressing.
  Status Release(const std::string& rule_code, std::int64_t child_id);
  // Closes an open warning at `version` (false: not open at that version).
  Result<bool> Close(std::int64_t id, std::int64_t version, const std::string& status, std::int64_t at,
                     std::optional<std::int64_t> by, const std::string& by_name, const std::string& note);
  Result<std::vector<WarningRecord>> List(const WarningFilter& f, const Page& page);
  Result<std::int64_t> Count(const WarningFilter& f);
  // Open warnings by rule in scope.
  Result<std::vector<WarningRuleCount>> OpenByRule(const ChildScope& scope);

  Result<std::optional<WarningChild>> Child(std::int64_t child_id);
  Result<std::vector<WarningChild>> Children(const std::vector<std::int64_t>& ids);
  Result<std::int64_t> MaxChildId();

  // The evaluators' reads over children lo..hi on the roll.
  Result<std::vector<ParentStateRow>> ParentStates(std::int64_t lo, std::int64_t hi,
                                                   const std::vector<std::string>& relations,
                                                   const std::vector<std::string>& states);
  Result<std::vector<GradeVisitRow>> GradedVisits(std::int64_t lo, std::int64_t hi, const std::vector<std::string>& grades);
  Result<std::vector<DropoutRow>> DropoutStages(std::int64_t lo, std::int64_t hi, const std::vector<std::string>& stages);
  Result<std::vector<DropoutRow>> DropoutFindings(std::int64_t lo, std::int64_t hi, const std::vector<std::string>& rules,
                                                  const std::vector<std::string>& statuses);
  Result<std::vector<ReportCountRow>> ReportCounts(std::int64_t lo, std::int64_t hi, std::int64_t since_ms,
                                                   std::int64_t min_count);
  // Open work items of `kinds` on subjects of `subject_types` with ids lo..hi, due before `now`.
  Result<std::vector<OverdueWorkRow>> OverdueWork(std::int64_t lo, std::int64_t hi, const std::vector<std::string>& kinds,
                                                  const std::vector<std::string>& subject_types, std::int64_t now);

  // Jurisdiction copies: the child's units after a move; every row under a moved unit.
  Status FollowChild(std::int64_t child_id);
  Status FollowUnit(const std::string& old_path, const std::string& new_path);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
