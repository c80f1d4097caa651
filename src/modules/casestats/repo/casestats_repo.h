#pragma once
// SQL of the case statistics: set-based counts over the tables of cases (case_file, assessment),
// plans (plan, service_record, group_service, group_session), visits (visit, visit_schedule),
// conferences (conference, conference_decision) and the work engine's assessment deadline items,
// as MODULES.md §2 allows a module that USES them (read only). Children are grouped by their
// current community (the registry's child row: a child who moved counts where it lives now);
// visits by the visit rows' own unit copies (kept by the visits module's move hooks); group
// services by their unit. One query per measure, each one indexed range or one scope's rows.
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/connection.h"

namespace th::repo {

// Where the counts come from: the children whose `level` unit is `unit_id` (level: district,
// street or community), the groups under `path`.
struct StatsScope {
  std::string level;
  std::int64_t unit_id = 0;
  std::string path;
};

// The period [from_ms, to_ms) in every form the tables store, and now.
struct StatsPeriod {
  std::int64_t from_ms = 0, to_ms = 0, now_ms = 0;
  std::int32_t from_day = 0, to_day = 0, today = 0;  // yyyymmdd; to_day excluded
  std::string from_date, to_date, today_date;        // YYYY-MM-DD; to_date excluded
};

// One count: `measure` of the unit (a community for child-based counts, the group's unit for group
// services, the visit's community for visits) and grade ("" when the measure has none).
struct StatsCell {
  std::int64_t unit_id = 0;
  std::string measure, grade;
  std::int64_t n = 0;
};

// Measures (StatsCell::measure).
namespace stats_measure {
inline constexpr const char* kOpenNow = "open_now";           // by grade
inline constexpr const char* kOpened = "opened";
inline constexpr const char* kClosed = "closed";
inline constexpr const char* kAssessDone = "assess_done";
inline constexpr const char* kAssessDue = "assess_due";
inline constexpr const char* kAssessOnTime = "assess_on_time";
inline constexpr const char* kAssessOpen = "assess_open";
inline constexpr const char* kAssessOverdue = "assess_overdue";
inline constexpr const char* kPlansApproved = "plans_approved";
inline constexpr const char* kPlansInForce = "plans_in_force";
inline constexpr const char* kGroupsActive = "groups_active";
inline constexpr const char* kServiceRecords = "service_records";
inline constexpr const char* kGroupSessions = "group_sessions";
inline constexpr const char* kVisitDone = "visit_done";        // by grade
inline constexpr const char* kVisitOnTime = "visit_on_time";   // by grade
inline constexpr const char* kVisitDue = "visit_due";          // by grade
inline constexpr const char* kVisitOverdue = "visit_overdue";  // by grade
inline constexpr const char* kConferencesHeld = "conf_held";
inline constexpr const char* kDecisionsMade = "dec_made";
inline constexpr const char* kDecisionsDone = "dec_done";
inline constexpr const char* kDecisionsOverdue = "dec_overdue";
}  // namespace stats_measure

class CaseStatsRepo {
 public:
  explicit CaseStatsRepo(storage::Connection& c) : c_(c) {}
  // Every count of the scope in the period (cells with n = 0 are left out). invalid for an unknown level.
  Result<std::vector<StatsCell>> Count(const StatsScope& scope, const StatsPeriod& period);

 private:
  Status Cases(const std::string& where, const StatsPeriod& p, std::vector<StatsCell>& out);
  Status Assessments(const std::string& where, const StatsPeriod& p, std::vector<StatsCell>& out);
  Status Plans(const std::string& where, const StatsScope& s, const StatsPeriod& p, std::vector<StatsCell>& out);
  Status Visits(const StatsScope& s, const StatsPeriod& p, std::vector<StatsCell>& out);
  Status Conferences(const std::string& where, const StatsPeriod& p, std::vector<StatsCell>& out);

  storage::Connection& c_;
  std::int64_t scope_unit_ = 0;
};

}  // namespace th::repo
