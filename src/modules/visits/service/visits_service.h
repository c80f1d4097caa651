#pragma once
// Visits by risk (走访): the next visit due for every child on the roll (visit_schedule, planned
// from the child's grade and roll categories by config/visits/schedule.json), visit records with
// photos, the due list, a child's history and statistics. Scope: the child's unit path (its grid's
// or community's) must lie in the caller's subtree, else 404; visit.read / visit.write, else 403.
// Reads of a child's visits and photos and every change are audited. A visit that falls due is a
// work item (visit_due, the community's 儿童主任) that the engine escalates; recording a visit closes
// it and plans the next.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "modules/visits/domain/schedule_config.h"
#include "modules/visits/repo/visits_repo.h"
#include "platform/service/deps.h"
#include "platform/work/work_hooks.h"

namespace th::service {

struct VisitInput {
  std::string visited_on;                  // YYYY-MM-DD, not in the future, at most a year back
  std::vector<std::string> seen;           // child | guardian | others (at least one)
  std::string seen_others;                 // who else (when "others")
  std::string place;                       // home | school | community | other
  std::string place_note;
  std::string child_state, home_state, guardian_care;  // good | fair | poor
  std::string child_note, home_note, guardian_note;
  std::vector<std::string> needs;          // living | safety | education | health | family | other
  std::string needs_note, follow_ups;
};

struct DueParams {
  std::optional<std::int64_t> community_id, street_id;
  std::string grade;                       // a grade code, "none" (ungraded) or "" (all)
  std::optional<std::int64_t> min_overdue_days;  // only visits at least this many days overdue
  std::optional<std::int64_t> within_days;       // due up to today + N (default due_soon_days)
};

struct DueRow {
  repo::VisitScheduleRecord s;
  std::int64_t overdue_days = 0;  // > 0 overdue, <= 0 days until due
};

struct VisitView {
  repo::VisitRecord visit;
  std::vector<repo::VisitPhotoRecord> photos;
};

struct ScheduleView {
  std::string child_name;
  std::optional<repo::VisitScheduleRecord> schedule;  // none: the child is not on the roll
  std::int64_t overdue_days = 0;
};

struct VisitStats {
  std::int32_t from_month = 0, to_month = 0;
  std::vector<repo::VisitStatsCell> cells;
};

struct EvaluateResult {
  std::int64_t children = 0, added = 0, replanned = 0, removed = 0, items_opened = 0;
};

class VisitsService {
 public:
  VisitsService(Deps& deps, domain::VisitScheduleConfig config);
  ~VisitsService();
  const domain::VisitScheduleConfig& config() const { return config_; }

  static constexpr std::size_t kMaxPhotoBytes = 5u << 20;
  static constexpr std::int64_t kMaxPhotosPerVisit = 9;

  // The grade hook (cases → visits): re-plans the child from its new risk grade in the caller's
  // transaction (the grade copy, the interval, next due = last visit (or `graded_at`'s day when never
  // visited) + the new interval; the open visit_due item closes when the due date moved, and one opens
  // when the new date has come). A child not on the roll keeps the grade for when it enters. An
  // unknown grade code plans as ungraded. not_found when the child does not exist. Audited
  // (visit.replan).
  Status OnGrade(storage::Connection& c, std::int64_t child_id, const std::string& grade, std::int64_t graded_at);
  // Brings one child's schedule in line with the roll (the registry's roll listener, in the roll
  // decision's transaction): a child entering gets a schedule, a child leaving loses it (and its item).
  Status OnRollChange(storage::Connection& c, std::int64_t child_id);
  // The nightly evaluation: every child against the roll (set-based, blocks of ids; only changed rows
  // are written), then a visit_due item for every schedule due by today without one. Idempotent.
  Result<EvaluateResult> Evaluate();
  // Evaluate opens the visit_due items one by one (work::Open per schedule, the path before helper
  // bulkopen, session 7) instead of with work::OpenMany per block; the same rows either way. Kept to
  // compare the two (the tests, `tonghu visits evaluate --one-by-one`). Set before Evaluate.
  void SetOpenOneByOne(bool on) { open_one_by_one_ = on; }

  // The due list: active schedules in scope due by today + within_days (default due_soon_days),
  // filters as given, by due date. visit.read. Bad filters: 400 invalid_enum / out_of_range.
  Result<std::vector<DueRow>> Due(const Principal& who, const DueParams& p, const repo::Page& page,
                                  std::int64_t* total, bool* capped);
  // The child's schedule (visit.read, scope → 404).
  Result<ScheduleView> Schedule(const Principal& who, std::int64_t child_id);
  // The child's visits, newest first (visit.read, scope → 404); audited visit.read.
  Result<std::vector<VisitView>> History(const Principal& who, std::int64_t child_id, const repo::Page& page,
                                         std::int64_t* total);
  // Records a visit (visit.write, scope → 404, field errors 400): closes the child's visit_due item,
  // sets last visit and next due. Audited visit.create. In one transaction.
  Result<VisitView> Record(const Principal& who, std::int64_t child_id, const VisitInput& in);
  // One visit (visit.read, scope → 404); audited visit.read.
  Result<VisitView> Get(const Principal& who, std::int64_t visit_id);
  // A photo of a visit: JPEG, PNG or WebP by magic bytes (400 invalid_photo_type), at most
  // kMaxPhotoBytes (413 photo_too_large), at most kMaxPhotosPerVisit (409 too_many_photos); stored
  // sealed. visit.write; audited visit.photo_add.
  Result<repo::VisitPhotoRecord> AddPhoto(const Principal& who, std::int64_t visit_id, std::string_view bytes);
  // The image, unsealed (visit.read, scope of its visit → 404); audited visit.photo_read.
  Result<repo::VisitPhotoRecord> Photo(const Principal& who, std::int64_t photo_id);
  // Visits due and done by grade and month (visit.read) in the caller's scope, months from..to
  // (YYYY-MM, at most 24 months; default the last 6).
  Result<VisitStats> Stats(const Principal& who, const std::string& from, const std::string& to);

  // Nightly worker: evaluates at start and when the day (Asia/Shanghai) changes; checks every
  // `poll_ms`. Stop joins it.
  void StartNightly(std::int64_t poll_ms = 60000);
  void StopNightly();

 private:
  std::int32_t Today() const;
  repo::ChildScope ScopeOf(const Principal& who) const;
  Result<repo::RollChild> LoadChild(storage::Connection& c, const Principal& who, std::int64_t child_id);
  // The schedule `rc` should have today (nullopt: none), from its current row.
  std::optional<repo::VisitScheduleRecord> Plan(const repo::RollChild& rc, std::int32_t today) const;
  // Writes `want` for the child (or deactivates) and keeps its work item in step.
  Status Apply(storage::Connection& c, const repo::RollChild& rc, const std::optional<repo::VisitScheduleRecord>& want,
               std::int32_t today);
  // Writes `want` for the child (or deactivates an active schedule): the row written, nullopt when none was.
  Result<std::optional<repo::VisitScheduleRecord>> WriteSchedule(storage::Connection& c, const repo::RollChild& rc,
                                                                 const std::optional<repo::VisitScheduleRecord>& want);
  // The work item follows the schedule: CloseStale closes an item of another due date, DueItem is the
  // item to open (nullopt: none); SyncItem does both for one schedule and stores item_due_on,
  // SyncItems for many with work::OpenMany (one by one when open_one_by_one_).
  Status CloseStale(storage::Connection& c, repo::VisitScheduleRecord& s, std::int32_t today);
  std::optional<work::WorkOpen> DueItem(const repo::VisitScheduleRecord& s, std::int32_t today) const;
  Status SyncItem(storage::Connection& c, repo::VisitScheduleRecord& s, std::int32_t today);
  Status SyncItems(storage::Connection& c, std::vector<repo::VisitScheduleRecord>& scheds, std::int32_t today);
  Result<std::int64_t> OpenDueItems(std::int32_t today);

  Deps& deps_;
  domain::VisitScheduleConfig config_;
  std::shared_ptr<AuditQueue> read_audit_;  // Deps::read_audit
  // The due list's totals across pages (repo::CountCache, VisitsRepo::WriteGeneration).
  std::unique_ptr<repo::CountCache> due_counts_ = std::make_unique<repo::CountCache>();
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_one_by_one_ = false;
  bool stop_ = false;
  std::thread nightly_;
};

}  // namespace th::service
