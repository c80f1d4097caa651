// Case statistics: the caller's groups (units one level below), the repo's counts folded into them,
// the guardianship source's columns when wired, the total, and the XLSX export.
#include "modules/casestats/service/casestats_service.h"

#include "modules/casestats/permissions.h"
#include "modules/casestats/repo/casestats_repo.h"
#include "platform/repo/org_repo.h"
#include "platform/service/watermark.h"
#include "platform/work/work_config.h"

namespace th::service {

using domain::CaseStatsRow;
namespace sm = repo::stats_measure;

namespace {

bool Under(const std::string& path, const std::string& prefix) { return path.compare(0, prefix.size(), prefix) == 0; }

// Adds one count to its row.
void Apply(CaseStatsRow& r, const repo::StatsCell& c) {
  const std::string& m = c.measure;
  const std::string g = domain::GradeKey(c.grade);
  if (m == sm::kOpenNow) {
    r.open_now += c.n;
    r.open_by_grade[g] += c.n;
  } else if (m == sm::kOpened) {
    r.opened += c.n;
  } else if (m == sm::kClosed) {
    r.closed += c.n;
  } else if (m == sm::kAssessDone) {
    r.assessments_done += c.n;
  } else if (m == sm::kAssessDue) {
    r.assessments_due += c.n;
  } else if (m == sm::kAssessOnTime) {
    r.assessments_on_time += c.n;
  } else if (m == sm::kAssessOpen) {
    r.assessments_open_now += c.n;
  } else if (m == sm::kAssessOverdue) {
    r.assessments_overdue_now += c.n;
  } else if (m == sm::kPlansApproved) {
    r.plans_approved += c.n;
  } else if (m == sm::kPlansInForce) {
    r.plans_in_force += c.n;
  } else if (m == sm::kGroupsActive) {
    r.groups_active += c.n;
  } else if (m == sm::kServiceRecords) {
    r.service_records += c.n;
  } else if (m == sm::kGroupSessions) {
    r.group_sessions += c.n;
  } else if (m == sm::kVisitDone) {
    r.visits_by_grade[g].done += c.n;
    r.visits.done += c.n;
  } else if (m == sm::kVisitOnTime) {
    r.visits_by_grade[g].on_time += c.n;
    r.visits.on_time += c.n;
  } else if (m == sm::kVisitDue) {
    r.visits_by_grade[g].due += c.n;
    r.visits.due += c.n;
  } else if (m == sm::kVisitOverdue) {
    r.visits_by_grade[g].overdue_now += c.n;
    r.visits.overdue_now += c.n;
  } else if (m == sm::kConferencesHeld) {
    r.conferences_held += c.n;
  } else if (m == sm::kDecisionsMade) {
    r.decisions_made += c.n;
  } else if (m == sm::kDecisionsDone) {
    r.decisions_done += c.n;
  } else if (m == sm::kDecisionsOverdue) {
    r.decisions_overdue_now += c.n;
  }
}

}  // namespace

CaseStatsService::CaseStatsService(Deps& deps, std::vector<GradeInfo> grades) : deps_(deps), grades_(std::move(grades)) {}

Result<CaseStatsView> CaseStatsService::Stats(const Principal& who, domain::Date from, domain::Date to) {
  if (!who.Can(perm::kCaseStatRead)) return Status::Forbidden();
  if (who.org_level != "district" && who.org_level != "street" && who.org_level != "community") {
    return Status::NotFound("unit");
  }
  if (!(from.ToDays() < to.ToDays()) || to.ToDays() - from.ToDays() > 3660) {
    return Status::Invalid("to", "invalid_range", "统计区间无效", "Invalid period");
  }
  const std::int64_t now = deps_.clock.NowMillis();
  const std::string key = std::to_string(who.org_unit_id) + "/" + from.ToString() + "/" + to.ToString();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.expires > now) return it->second.view;
  }
  TH_ASSIGN_OR_RETURN(auto v, Compute(who, from, to));
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() > 1000) cache_.clear();
  cache_[key] = Cached{now + kCacheMs, v};
  return v;
}

// Long: the groups, the counts folded into them, the guardianship columns, the total.
Result<CaseStatsView> CaseStatsService::Compute(const Principal& who, domain::Date from, domain::Date to) {
  CaseStatsView v;
  v.from = from;
  v.to = to;
  v.from_ms = work::EndOfDayShanghai(from.AddDays(-1)) + 1;
  v.to_ms = work::EndOfDayShanghai(to.AddDays(-1)) + 1;
  v.grades = grades_;
  v.unit_name = who.org_name;
  v.unit_level = who.org_level;
  const std::int64_t now = deps_.clock.NowMillis();
  const domain::Date today = domain::Date::FromEpochMillisShanghai(now);
  repo::StatsPeriod p{v.from_ms,        v.to_ms,           now,          from.ToYyyymmdd(), to.ToYyyymmdd(),
                      today.ToYyyymmdd(), from.ToString(), to.ToString(), today.ToString()};
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::OrgRepo orgs(*h);
  // The groups: the caller's child units (a community's caller: none), then the caller's own unit.
  std::vector<repo::OrgUnit> groups;
  if (who.org_level != "community") {
    TH_ASSIGN_OR_RETURN(groups, orgs.ListChildren(who.org_unit_id, true));
  }
  for (const auto& g : groups) {
    CaseStatsRow r;
    r.key = std::to_string(g.id);
    r.unit_id = g.id;
    r.unit_path = g.path;
    r.name = g.name;
    v.rows.push_back(std::move(r));
  }
  CaseStatsRow other;
  other.key = "other";
  other.unit_path = who.org_path;
  other.name = groups.empty() ? who.org_name : "其他";
  // Every unit of the subtree to its group (a child's community, a group service's unit).
  TH_ASSIGN_OR_RETURN(auto units, orgs.ListSubtree(who.org_path));
  std::map<std::int64_t, CaseStatsRow*> row_of;
  for (const auto& u : units) {
    CaseStatsRow* row = &other;
    for (auto& r : v.rows) {
      if (Under(u.path, r.unit_path)) {
        row = &r;
        break;
      }
    }
    row_of[u.id] = row;
  }
  TH_ASSIGN_OR_RETURN(auto cells,
                      repo::CaseStatsRepo(*h).Count(repo::StatsScope{who.org_level, who.org_unit_id, who.org_path}, p));
  for (const auto& c : cells) {
    auto it = row_of.find(c.unit_id);
    Apply(it == row_of.end() ? other : *it->second, c);
  }
  if (guardianship_) {
    v.has_guardianship = true;
    std::vector<std::string> paths;
    for (const auto& r : v.rows) paths.push_back(r.unit_path);
    paths.push_back(who.org_path);
    TH_ASSIGN_OR_RETURN(auto counts, guardianship_(*h, who.org_path, paths, v.from_ms, v.to_ms));
    for (auto& r : v.rows) r.guardianship = domain::GuardianshipCells{};
    other.guardianship = domain::GuardianshipCells{};
    for (const auto& g : counts) {
      CaseStatsRow* row = g.group_path == who.org_path ? &other : nullptr;
      for (auto& r : v.rows) {
        if (!row && r.unit_path == g.group_path) row = &r;
      }
      if (!row) continue;
      row->guardianship->temporary_now += g.temporary_now;
      row->guardianship->returned += g.returned;
      row->guardianship->long_term_now += g.long_term_now;
    }
  }
  // A retired unit keeps its row only while something still counts there.
  std::vector<CaseStatsRow> kept;
  for (std::size_t i = 0; i < v.rows.size(); ++i) {
    if (!groups[i].retired || !v.rows[i].Empty()) kept.push_back(std::move(v.rows[i]));
  }
  v.rows = std::move(kept);
  if (groups.empty() || !other.Empty()) v.rows.push_back(other);
  v.total.key = "total";
  v.total.name = "合计";
  if (v.has_guardianship) v.total.guardianship = domain::GuardianshipCells{};
  for (const auto& r : v.rows) domain::AddInto(v.total, r);
  // Another risk form's grades (optional, placed by the module) are columns only when the data has them;
  // grades no form lists (a retired form's) get their own columns last, so the rows still add up.
  auto has = [&](const std::string& g) { return v.total.open_by_grade.count(g) || v.total.visits_by_grade.count(g); };
  std::erase_if(v.grades, [&](const GradeInfo& x) { return x.optional && !has(x.code); });
  auto known = [&](const std::string& g) {
    if (g == "none") return true;
    for (const auto& x : v.grades) {
      if (x.code == g) return true;
    }
    return false;
  };
  for (const auto& [g, n] : v.total.open_by_grade) {
    if (!known(g)) v.grades.push_back({g, g, g, "#909399"});
  }
  for (const auto& [g, n] : v.total.visits_by_grade) {
    if (!known(g)) v.grades.push_back({g, g, g, "#909399"});
  }
  return v;
}

}  // namespace th::service
