#include "modules/casestats/repo/casestats_repo.h"

#include <algorithm>

#include "platform/repo/sql_values.h"

namespace th::repo {

namespace sm = stats_measure;
using storage::Params;

namespace {

// The child / visit / schedule column of a scope level (the tables share the names).
Result<std::string> LevelColumn(const std::string& level) {
  if (level == "district") return std::string("district_id");
  if (level == "street") return std::string("street_id");
  if (level == "community") return std::string("community_id");
  return Status::InvalidEnum("level", level);
}

void Push(std::vector<StatsCell>& out, std::int64_t unit, const char* measure, const std::string& grade,
          std::int64_t n) {
  if (n != 0) out.push_back({unit, measure, grade, n});
}

}  // namespace

Result<std::vector<StatsCell>> CaseStatsRepo::Count(const StatsScope& scope, const StatsPeriod& period) {
  TH_ASSIGN_OR_RETURN(auto col, LevelColumn(scope.level));
  scope_unit_ = scope.unit_id;
  const std::string where = "c." + col + " = $1";
  std::vector<StatsCell> out;
  TH_RETURN_IF_ERROR(Cases(where, period, out));
  TH_RETURN_IF_ERROR(Assessments(where, period, out));
  TH_RETURN_IF_ERROR(Plans(where, scope, period, out));
  TH_RETURN_IF_ERROR(Visits(scope, period, out));
  TH_RETURN_IF_ERROR(Conferences(where, period, out));
  return out;
}

Status CaseStatsRepo::Cases(const std::string& where, const StatsPeriod& p, std::vector<StatsCell>& out) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("SELECT c.community_id, c.risk_grade, SUM(CASE WHEN k.status <> 'closed' THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN k.opened_at >= $2 AND k.opened_at < $3 THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN k.status = 'closed' AND k.closed_at >= $2 AND k.closed_at < $3 THEN 1 ELSE 0 END) "
               "FROM case_file k JOIN child c ON c.id = k.child_id WHERE " + where +
                   " AND (k.status <> 'closed' OR k.opened_at >= $2 OR k.closed_at >= $2) "
                   "GROUP BY c.community_id, c.risk_grade",
               Params{scope_unit_, p.from_ms, p.to_ms}));
  for (const auto& r : rows.rows) {
    Push(out, r.Int(0), sm::kOpenNow, r.Text(1), r.Int(2));
    Push(out, r.Int(0), sm::kOpened, "", r.Int(3));
    Push(out, r.Int(0), sm::kClosed, "", r.Int(4));
  }
  return Status::Ok();
}

// Completed assessments of any kind; the deadline items of the cases module (assessment_due,
// guardianship_due: subject child_assessment = the child): due in [from, min(to, now)), met when
// closed by their due time, open now, overdue now.
Status CaseStatsRepo::Assessments(const std::string& where, const StatsPeriod& p, std::vector<StatsCell>& out) {
  {
    TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT c.community_id, COUNT(*) FROM assessment a JOIN child c ON c.id = "
                                            "a.child_id WHERE " + where +
                                                " AND a.status = 'completed' AND a.completed_at >= $2 AND "
                                                "a.completed_at < $3 GROUP BY c.community_id",
                                            Params{scope_unit_, p.from_ms, p.to_ms}));
    for (const auto& r : rows.rows) Push(out, r.Int(0), sm::kAssessDone, "", r.Int(1));
  }
  const std::int64_t due_end = std::min(p.to_ms, p.now_ms);
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("SELECT c.community_id, SUM(CASE WHEN w.due_at >= $2 AND w.due_at < $3 THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN w.due_at >= $2 AND w.due_at < $3 AND w.closed_at IS NOT NULL AND w.closed_at <= "
               "w.due_at THEN 1 ELSE 0 END), SUM(CASE WHEN w.is_open = 1 THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN w.is_open = 1 AND w.due_at < $4 THEN 1 ELSE 0 END) "
               "FROM work_item w JOIN child c ON c.id = w.subject_id WHERE w.subject_type = 'child_assessment' "
               "AND w.kind IN ('assessment_due', 'guardianship_due') AND " + where +
                   " AND (w.is_open = 1 OR w.due_at >= $2) GROUP BY c.community_id",
               Params{scope_unit_, p.from_ms, due_end, p.now_ms}));
  for (const auto& r : rows.rows) {
    Push(out, r.Int(0), sm::kAssessDue, "", r.Int(1));
    Push(out, r.Int(0), sm::kAssessOnTime, "", r.Int(2));
    Push(out, r.Int(0), sm::kAssessOpen, "", r.Int(3));
    Push(out, r.Int(0), sm::kAssessOverdue, "", r.Int(4));
  }
  return Status::Ok();
}

// Plans approved in the period (the version later superseded too) and in force now (approved, its case
// open); individual service records; groups with a session in the period and those sessions.
Status CaseStatsRepo::Plans(const std::string& where, const StatsScope& s, const StatsPeriod& p,
                            std::vector<StatsCell>& out) {
  {
    TH_ASSIGN_OR_RETURN(
        auto rows,
        c_.Query("SELECT c.community_id, SUM(CASE WHEN pl.status IN ('approved', 'superseded') AND pl.reviewed_at >= "
                 "$2 AND pl.reviewed_at < $3 THEN 1 ELSE 0 END), SUM(CASE WHEN pl.status = 'approved' AND k.status "
                 "<> 'closed' THEN 1 ELSE 0 END) FROM plan pl JOIN case_file k ON k.id = pl.case_id JOIN child c ON "
                 "c.id = pl.child_id WHERE " + where +
                     " AND pl.status IN ('approved', 'superseded') GROUP BY c.community_id",
                 Params{scope_unit_, p.from_ms, p.to_ms}));
    for (const auto& r : rows.rows) {
      Push(out, r.Int(0), sm::kPlansApproved, "", r.Int(1));
      Push(out, r.Int(0), sm::kPlansInForce, "", r.Int(2));
    }
  }
  {
    TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT c.community_id, COUNT(*) FROM service_record sr JOIN child c ON "
                                            "c.id = sr.child_id WHERE " + where +
                                                " AND sr.served_on >= $2 AND sr.served_on < $3 GROUP BY c.community_id",
                                            Params{scope_unit_, p.from_date, p.to_date}));
    for (const auto& r : rows.rows) Push(out, r.Int(0), sm::kServiceRecords, "", r.Int(1));
  }
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT g.unit_id, COUNT(DISTINCT g.id), COUNT(*) FROM group_service g JOIN "
                                          "group_session gs ON gs.group_id = g.id WHERE g.unit_path LIKE $1 ESCAPE '\\' "
                                          "AND gs.held_on >= $2 AND gs.held_on < $3 GROUP BY g.unit_id",
                                          Params{LikeEscape(s.path) + "%", p.from_date, p.to_date}));
  for (const auto& r : rows.rows) {
    Push(out, r.Int(0), sm::kGroupsActive, "", r.Int(1));
    Push(out, r.Int(0), sm::kGroupSessions, "", r.Int(2));
  }
  return Status::Ok();
}

// Visits by grade: done (and on time) in the period and the visits whose due date fell in it, from the
// visits module's daily rollup (visit_rollup: one row per community, grade and day, kept in the visit's
// transaction); due in the period also counts the schedules still waiting on a due date in it; overdue now:
// active schedules past their due day.
Status CaseStatsRepo::Visits(const StatsScope& s, const StatsPeriod& p, std::vector<StatsCell>& out) {
  TH_ASSIGN_OR_RETURN(auto col, LevelColumn(s.level));
  {
    TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT r.community_id, r.grade, SUM(r.done), SUM(r.on_time), SUM(r.due) "
                                            "FROM visit_rollup r WHERE r." + col +
                                                " = $1 AND r.day >= $2 AND r.day < $3 GROUP BY r.community_id, r.grade",
                                            Params{scope_unit_, std::int64_t{p.from_day}, std::int64_t{p.to_day}}));
    for (const auto& r : rows.rows) {
      Push(out, r.Int(0), sm::kVisitDone, r.Text(1), r.Int(2));
      Push(out, r.Int(0), sm::kVisitOnTime, r.Text(1), r.Int(3));
      Push(out, r.Int(0), sm::kVisitDue, r.Text(1), r.Int(4));
    }
  }
  // Both counts need next_due_on < max(to, today): one range of the scope's due-order index, not every
  // active schedule of the scope (most are due after today).
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("SELECT s.community_id, s.grade, SUM(CASE WHEN s.next_due_on >= $2 AND s.next_due_on < $3 THEN 1 ELSE 0 "
               "END), SUM(CASE WHEN s.next_due_on < $4 THEN 1 ELSE 0 END) FROM visit_schedule s WHERE s." + col +
                   " = $1 AND s.active = 1 AND s.next_due_on < $5 GROUP BY s.community_id, s.grade",
               Params{scope_unit_, std::int64_t{p.from_day}, std::int64_t{p.to_day}, std::int64_t{p.today},
                      std::int64_t{std::max(p.to_day, p.today)}}));
  for (const auto& r : rows.rows) {
    Push(out, r.Int(0), sm::kVisitDue, r.Text(1), r.Int(2));
    Push(out, r.Int(0), sm::kVisitOverdue, r.Text(1), r.Int(3));
  }
  return Status::Ok();
}

// Conferences held in the period; decisions recorded and completed in it; open decisions past their due date.
Status CaseStatsRepo::Conferences(const std::string& where, const StatsPeriod& p, std::vector<StatsCell>& out) {
  {
    TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT c.community_id, COUNT(*) FROM conference f JOIN child c ON c.id = "
                                            "f.child_id WHERE " + where +
                                                " AND f.status IN ('held', 'closed') AND f.held_at >= $2 AND f.held_at "
                                                "< $3 GROUP BY c.community_id",
                                            Params{scope_unit_, p.from_ms, p.to_ms}));
    for (const auto& r : rows.rows) Push(out, r.Int(0), sm::kConferencesHeld, "", r.Int(1));
  }
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("SELECT c.community_id, SUM(CASE WHEN d.created_at >= $2 AND d.created_at < $3 THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN d.status = 'done' AND d.done_at >= $2 AND d.done_at < $3 THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN d.status = 'open' AND d.due_date < $4 THEN 1 ELSE 0 END) FROM conference_decision d "
               "JOIN child c ON c.id = d.child_id WHERE " + where +
                   " AND (d.status = 'open' OR d.created_at >= $2 OR d.done_at >= $2) GROUP BY c.community_id",
               Params{scope_unit_, p.from_ms, p.to_ms, p.today_date}));
  for (const auto& r : rows.rows) {
    Push(out, r.Int(0), sm::kDecisionsMade, "", r.Int(1));
    Push(out, r.Int(0), sm::kDecisionsDone, "", r.Int(2));
    Push(out, r.Int(0), sm::kDecisionsOverdue, "", r.Int(3));
  }
  return Status::Ok();
}

}  // namespace th::repo
