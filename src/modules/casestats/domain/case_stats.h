#pragma once
// Case statistics (个案统计, issue 12 "Measures"): one row of counts per unit one level below the
// caller's (district → streets, street → communities; a community: itself) and a total. Pure: no I/O.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace th::domain {

// Visits of one grade (or all): due in the period, done in it, done on time, overdue now.
struct VisitCounts {
  std::int64_t due = 0, done = 0, on_time = 0, overdue_now = 0;
};

// Guardianship counts (the guardianship module's, when the app wires a source).
struct GuardianshipCells {
  std::int64_t temporary_now = 0, returned = 0, long_term_now = 0;
};

// Counts of one group. "now" counts are a snapshot at the request time; the others count what
// happened in [from, to). Grades are the risk form's codes; "none" is ungraded.
struct CaseStatsRow {
  std::string key;               // the unit's id, "other" (the caller's own unit, outside every group) or "total"
  std::int64_t unit_id = 0;      // 0 for other and total
  std::string unit_path, name;
  // Cases.
  std::int64_t open_now = 0, opened = 0, closed = 0;
  std::map<std::string, std::int64_t> open_by_grade;
  // Assessments: completed in the period; deadlines (assessment_due, guardianship_due items) that fell
  // due in the period up to now and how many were met; open deadline items now and those overdue.
  std::int64_t assessments_done = 0, assessments_due = 0, assessments_on_time = 0;
  std::int64_t assessments_open_now = 0, assessments_overdue_now = 0;
  // Plans: individual plans approved in the period, in force now; groups (小组) meeting in the period.
  std::int64_t plans_approved = 0, plans_in_force = 0, groups_active = 0;
  // Service sessions: individual service records and group sessions held in the period.
  std::int64_t service_records = 0, group_sessions = 0;
  // Visits by grade and in all.
  std::map<std::string, VisitCounts> visits_by_grade;
  VisitCounts visits;
  // Conferences held in the period; their decisions made and completed in the period; open past due now.
  std::int64_t conferences_held = 0, decisions_made = 0, decisions_done = 0, decisions_overdue_now = 0;
  std::optional<GuardianshipCells> guardianship;

  bool Empty() const;
};

// Adds `r` into `t` (totals; guardianship only when `r` has it).
void AddInto(CaseStatsRow& t, const CaseStatsRow& r);
// The grade key of a stored grade ("" → "none").
inline std::string GradeKey(const std::string& g) { return g.empty() ? "none" : g; }

}  // namespace th::domain
