#include "modules/casestats/domain/case_stats.h"

namespace th::domain {

namespace {

void AddVisits(VisitCounts& t, const VisitCounts& r) {
  t.due += r.due;
  t.done += r.done;
  t.on_time += r.on_time;
  t.overdue_now += r.overdue_now;
}

}  // namespace

bool CaseStatsRow::Empty() const {
  const bool counts_zero =
      open_now == 0 && opened == 0 && closed == 0 && assessments_done == 0 && assessments_due == 0 &&
      assessments_open_now == 0 && plans_approved == 0 && plans_in_force == 0 && groups_active == 0 &&
      service_records == 0 && group_sessions == 0 && visits.due == 0 && visits.done == 0 &&
      visits.overdue_now == 0 && conferences_held == 0 && decisions_made == 0 && decisions_done == 0 &&
      decisions_overdue_now == 0;
  const bool guard_zero = !guardianship || (guardianship->temporary_now == 0 && guardianship->returned == 0 &&
                                            guardianship->long_term_now == 0);
  return counts_zero && guard_zero;
}

void AddInto(CaseStatsRow& t, const CaseStatsRow& r) {
  t.open_now += r.open_now;
  t.opened += r.opened;
  t.closed += r.closed;
  for (const auto& [g, n] : r.open_by_grade) t.open_by_grade[g] += n;
  t.assessments_done += r.assessments_done;
  t.assessments_due += r.assessments_due;
  t.assessments_on_time += r.assessments_on_time;
  t.assessments_open_now += r.assessments_open_now;
  t.assessments_overdue_now += r.assessments_overdue_now;
  t.plans_approved += r.plans_approved;
  t.plans_in_force += r.plans_in_force;
  t.groups_active += r.groups_active;
  t.service_records += r.service_records;
  t.group_sessions += r.group_sessions;
  for (const auto& [g, v] : r.visits_by_grade) AddVisits(t.visits_by_grade[g], v);
  AddVisits(t.visits, r.visits);
  t.conferences_held += r.conferences_held;
  t.decisions_made += r.decisions_made;
  t.decisions_done += r.decisions_done;
  t.decisions_overdue_now += r.decisions_overdue_now;
  if (r.guardianship) {
    if (!t.guardianship) t.guardianship = GuardianshipCells{};
    t.guardianship->temporary_now += r.guardianship->temporary_now;
    t.guardianship->returned += r.guardianship->returned;
    t.guardianship->long_term_now += r.guardianship->long_term_now;
  }
}

}  // namespace th::domain
