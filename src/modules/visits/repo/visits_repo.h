#pragma once
// SQL of the visits module: visit_schedule (one row per child on the roll), visit and visit_photo
// (migration 0023). Reads the registry's child table only for the roll (ids, units, roll status,
// categories) and the names on list rows: a join in a list, no registry repo.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/repo/count_cache.h"
#include "platform/repo/records.h"
#include "platform/repo/scope_sql.h"
#include "storage/connection.h"

namespace th::repo {

struct VisitScheduleRecord {
  std::int64_t child_id = 0;
  std::int64_t district_id = 0, street_id = 0, community_id = 0;
  std::optional<std::int64_t> grid_id;
  std::string unit_path;
  bool active = true;
  std::string grade;
  std::int32_t graded_on = 0;
  std::string categories, rule;
  std::int32_t interval_days = 30, planned_from = 0, last_visit_on = 0, next_due_on = 0, item_due_on = 0;
  std::int64_t version = 1, updated_at = 0;
  // Joined from child for lists.
  std::string child_name, sex;
  std::int32_t birth_date = 0;
};

// A child of the registry as the schedules need it, with its schedule when it has one.
struct RollChild {
  std::int64_t id = 0, district_id = 0, street_id = 0, community_id = 0;
  std::optional<std::int64_t> grid_id;
  std::string unit_path, roll_status, roll_categories;
  std::int32_t roll_entered_on = 0;
  std::optional<VisitScheduleRecord> schedule;
  bool OnRoll() const { return roll_status == "on_roll" || roll_status == "exit_proposed"; }
};

struct VisitRecord {
  std::int64_t id = 0, child_id = 0, district_id = 0, street_id = 0, community_id = 0;
  std::optional<std::int64_t> grid_id;
  std::string unit_path;
  std::int32_t visited_on = 0, month = 0, due_on = 0;
  std::string grade;
  bool on_time = true;
  std::string seen, seen_others, place, place_note, child_state, child_note, home_state, home_note, guardian_care,
      guardian_note, needs, needs_note, follow_ups;
  std::int64_t photos = 0;
  std::optional<std::int64_t> visitor_user_id;
  std::string visitor_name;
  std::int64_t version = 1, created_at = 0;
};

struct VisitPhotoRecord {
  std::int64_t id = 0, visit_id = 0, size_bytes = 0, created_at = 0;
  std::string content_type, sha256, data_enc;
  std::optional<std::int64_t> created_by;
};

struct DueFilter {
  ChildScope scope;
  std::optional<std::int64_t> community_id, street_id;
  std::string grade;           // "" all; "none" ungraded
  std::int32_t due_by = 0;     // next_due_on <= due_by
  std::int32_t due_from = 0;   // next_due_on >= due_from (0: no lower bound)
};

struct VisitStatsCell {
  std::string grade;
  std::int32_t month = 0;  // yyyymm
  std::int64_t done = 0, on_time = 0, due = 0;
};

class VisitsRepo {
 public:
  explicit VisitsRepo(storage::Connection& c) : c_(c) {}
  // The due list counts at most this many matches (total_capped beyond): counting costs per row, and a
  // district's list is read a page at a time.
  static constexpr std::int64_t kCountCap = 1000;

  Result<std::optional<VisitScheduleRecord>> GetSchedule(std::int64_t child_id);
  // Inserts or replaces the row (version + 1 on replace).
  Status UpsertSchedule(const VisitScheduleRecord& s);
  Status SetItemDue(std::int64_t child_id, std::int32_t item_due_on);
  // SetItemDue for many children (child id, item_due_on): one UPDATE per item date and up to 500 ids.
  Status SetItemDueMany(const std::vector<std::pair<std::int64_t, std::int32_t>>& rows);
  // The child (any roll status) with its units and schedule; nullopt when there is no such child.
  Result<std::optional<RollChild>> RollChildOf(std::int64_t child_id);
  // Children with lo <= id <= hi with their schedules (for the set-based refresh).
  Result<std::vector<RollChild>> RollBetween(std::int64_t lo, std::int64_t hi);
  Result<std::int64_t> MaxChildId();
  // The child's name ("" when there is no such child).
  Result<std::string> ChildName(std::int64_t child_id);
  // Active schedules due by `today` whose work item is not open for that due date: child ids > after.
  Result<std::vector<VisitScheduleRecord>> DueWithoutItem(std::int32_t today, std::int64_t after, std::int64_t limit);

  Result<std::vector<VisitScheduleRecord>> ListDue(const DueFilter& f, const Page& page);
  // Capped at kCountCap (*capped set). `counts`, when given, remembers the total for a few seconds while
  // WriteGeneration is unchanged (platform/repo/count_cache.h), so paging a list counts once.
  Result<std::int64_t> CountDue(const DueFilter& f, bool* capped, CountCache* counts = nullptr);
  // Bumped by every write here to visit_schedule (the rows the due list filters and counts) and with the registry's
  // child writes (ChildWriteGeneration); CountDue's cached totals compare it.
  static std::uint64_t WriteGeneration();

  Status InsertVisit(VisitRecord& v);
  Result<std::optional<VisitRecord>> GetVisit(std::int64_t id);
  Result<std::vector<VisitRecord>> VisitsOfChild(std::int64_t child_id, const Page& page, std::int64_t* total);
  Status SetPhotoCount(std::int64_t visit_id, std::int64_t n);
  Status InsertPhoto(VisitPhotoRecord& p);
  Result<std::optional<VisitPhotoRecord>> GetPhoto(std::int64_t id);
  Result<std::vector<VisitPhotoRecord>> PhotosOf(std::int64_t visit_id);  // without data

  // Visits done (and on time) by grade and month within [from_month, to_month] (yyyymm), and the
  // active schedules' next due dates by grade and month up to to_month (overdue ones in their month).
  Result<std::vector<VisitStatsCell>> Stats(const ChildScope& scope, std::int32_t from_month, std::int32_t to_month);

  // Bulk loads for benchmarks (demo-load): multi-row INSERTs, rows as given (ids of visits ignored); the
  // visits' rollup rows added in one statement at the end (the visits with ids above the largest before the
  // load: for a database nobody else writes visits to meanwhile, as the demo load's is).
  Status InsertVisitsBulk(const std::vector<VisitRecord>& rows);
  Status InsertSchedulesBulk(const std::vector<VisitScheduleRecord>& rows);

  // Jurisdiction copies: the child's units after a move; every row under a moved unit (a grid moved to
  // another community carries its children's community too). Both keep the daily rollup.
  Status FollowChild(std::int64_t child_id);
  Status FollowUnit(const std::string& old_path, const std::string& new_path);

  // The daily visit rollup (visit_rollup, migration 0031; visits_rollup.cc), kept by every write of visit rows
  // in this repo (InsertVisit, InsertVisitsBulk, FollowChild, FollowUnit) in the caller's transaction: adds
  // (sign +1) or takes away (sign -1) the contributions of the visits `where` selects (alias v, parameters p).
  Status RollupVisits(const std::string& where, const storage::Params& p, int sign);
  // Every rollup row recounted from the visit table (repair; tests).
  Status RebuildRollup();

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
