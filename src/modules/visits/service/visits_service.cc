// VisitsService: schedules (the grade hook, roll changes, the nightly evaluation) and their work items.
#include "modules/visits/service/visits_service.h"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>

#include "base/json_writer.h"
#include "modules/visits/service/visits_internal.h"
#include "platform/work/work_hooks.h"

namespace th::service {

using namespace visits_internal;  // NOLINT: this file is part of the visits service
using repo::RollChild;
using repo::VisitScheduleRecord;
using repo::VisitsRepo;

VisitsService::VisitsService(Deps& deps, domain::VisitScheduleConfig config)
    : deps_(deps), config_(std::move(config)), read_audit_(deps.read_audit) {
  // The unit copies on schedules and visits move with the child and with its units (in the move's transaction).
  deps_.jurisdiction.child_moved["visits"] = [](storage::Connection& c, std::int64_t child_id) {
    return VisitsRepo(c).FollowChild(child_id);
  };
  deps_.jurisdiction.unit_moved["visits"] = [](storage::Connection& c, const repo::OrgUnit& before,
                                               const std::string& new_path) {
    return VisitsRepo(c).FollowUnit(before.path, new_path);
  };
}

VisitsService::~VisitsService() { StopNightly(); }

std::int32_t VisitsService::Today() const {
  return domain::Date::FromEpochMillisShanghai(deps_.clock.NowMillis()).ToYyyymmdd();
}

std::optional<VisitScheduleRecord> VisitsService::Plan(const RollChild& rc, std::int32_t today) const {
  if (!rc.OnRoll()) return std::nullopt;
  VisitScheduleRecord s;
  const bool had = rc.schedule.has_value();
  if (had) s = *rc.schedule;
  s.child_id = rc.id;
  s.district_id = rc.district_id;
  s.street_id = rc.street_id;
  s.community_id = rc.community_id;
  s.grid_id = rc.grid_id;
  s.unit_path = rc.unit_path;
  s.categories = rc.roll_categories;
  const bool reactivated = had && !s.active;
  s.active = true;
  if (!had || reactivated) {
    s.planned_from = rc.roll_entered_on > 0 ? rc.roll_entered_on : today;
    if (reactivated) s.planned_from = today;
  }
  domain::VisitInterval in = domain::IntervalFor(config_, s.grade, s.categories);
  s.interval_days = in.days;
  s.rule = in.rule;
  s.next_due_on = domain::NextDue(config_, in, DateOf(s.last_visit_on), DateOf(s.planned_from),
                                  s.last_visit_on == 0 && s.graded_on == 0)
                      .ToYyyymmdd();
  return s;
}

static bool SameSchedule(const VisitScheduleRecord& a, const VisitScheduleRecord& b) {
  return a.active == b.active && a.district_id == b.district_id && a.street_id == b.street_id &&
         a.community_id == b.community_id && a.grid_id == b.grid_id && a.unit_path == b.unit_path &&
         a.grade == b.grade && a.categories == b.categories && a.rule == b.rule &&
         a.interval_days == b.interval_days && a.planned_from == b.planned_from && a.next_due_on == b.next_due_on;
}

// The item follows the due date: open for the current due date once it has come, closed otherwise.
// Closes an item of another due date (s.item_due_on = 0).
Status VisitsService::CloseStale(storage::Connection& c, VisitScheduleRecord& s, std::int32_t today) {
  const bool want = s.active && s.next_due_on <= today;
  if (s.item_due_on != 0 && (!want || s.item_due_on != s.next_due_on)) {
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kSubject, s.child_id, kKind));
    s.item_due_on = 0;
  }
  return Status::Ok();
}

std::optional<work::WorkOpen> VisitsService::DueItem(const VisitScheduleRecord& s, std::int32_t today) const {
  if (!(s.active && s.next_due_on <= today) || s.item_due_on == s.next_due_on) return std::nullopt;
  work::WorkOpen w;
  w.kind = kKind;
  w.subject_type = kSubject;
  w.subject_id = s.child_id;
  w.title = "入户走访";
  w.label = "儿童 #" + std::to_string(s.child_id) + " 应于 " + DateOf(s.next_due_on).ToString() + " 走访";
  w.link = "/visits/record/" + std::to_string(s.child_id);
  w.owner_unit_id = s.community_id;
  w.owner_role = "child_director";
  w.started_at = DayStartMs(s.next_due_on);
  if (s.grade == "red" || s.grade == "orange") w.variant = s.grade;  // config/workflows/visits.json variants
  return w;
}

Status VisitsService::SyncItem(storage::Connection& c, VisitScheduleRecord& s, std::int32_t today) {
  TH_RETURN_IF_ERROR(CloseStale(c, s, today));
  if (auto w = DueItem(s, today)) {
    TH_RETURN_IF_ERROR(work::Open(deps_.work.get(), c, *w).status());
    s.item_due_on = s.next_due_on;
  }
  return VisitsRepo(c).SetItemDue(s.child_id, s.item_due_on);
}

// SyncItem for many schedules: the stale items closed one by one (few), the new ones opened with
// work::OpenMany (the same checks and rows as work::Open in order), item_due_on set in bulk.
Status VisitsService::SyncItems(storage::Connection& c, std::vector<VisitScheduleRecord>& scheds, std::int32_t today) {
  if (open_one_by_one_) {
    for (auto& s : scheds) TH_RETURN_IF_ERROR(SyncItem(c, s, today));
    return Status::Ok();
  }
  std::vector<work::WorkOpen> items;
  std::vector<VisitScheduleRecord*> opening;
  for (auto& s : scheds) {
    TH_RETURN_IF_ERROR(CloseStale(c, s, today));
    if (auto w = DueItem(s, today)) {
      items.push_back(std::move(*w));
      opening.push_back(&s);
    }
  }
  TH_RETURN_IF_ERROR(work::OpenMany(deps_.work.get(), c, items).status());
  for (auto* s : opening) s->item_due_on = s->next_due_on;
  std::vector<std::pair<std::int64_t, std::int32_t>> due;
  due.reserve(scheds.size());
  for (const auto& s : scheds) due.emplace_back(s.child_id, s.item_due_on);
  return VisitsRepo(c).SetItemDueMany(due);
}

Result<std::optional<VisitScheduleRecord>> VisitsService::WriteSchedule(storage::Connection& c, const RollChild& rc,
                                                                        const std::optional<VisitScheduleRecord>& want) {
  VisitsRepo repo(c);
  if (!want) {
    if (!rc.schedule || !rc.schedule->active) return std::optional<VisitScheduleRecord>();
    VisitScheduleRecord s = *rc.schedule;
    s.active = false;
    s.updated_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo.UpsertSchedule(s));
    return std::optional<VisitScheduleRecord>(std::move(s));
  }
  VisitScheduleRecord s = *want;
  s.updated_at = deps_.clock.NowMillis();
  TH_RETURN_IF_ERROR(repo.UpsertSchedule(s));
  return std::optional<VisitScheduleRecord>(std::move(s));
}

Status VisitsService::Apply(storage::Connection& c, const RollChild& rc, const std::optional<VisitScheduleRecord>& want,
                            std::int32_t today) {
  TH_ASSIGN_OR_RETURN(auto s, WriteSchedule(c, rc, want));
  return s ? SyncItem(c, *s, today) : Status::Ok();
}

Status VisitsService::OnRollChange(storage::Connection& c, std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rc, VisitsRepo(c).RollChildOf(child_id));
  if (!rc) return Status::NotFound("child");
  const std::int32_t today = Today();
  return Apply(c, *rc, Plan(*rc, today), today);
}

Status VisitsService::OnGrade(storage::Connection& c, std::int64_t child_id, const std::string& grade,
                              std::int64_t graded_at) {
  VisitsRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto rc, repo.RollChildOf(child_id));
  if (!rc) return Status::NotFound("child");
  const std::int32_t today = Today();
  const std::int32_t graded_on = domain::Date::FromEpochMillisShanghai(graded_at).ToYyyymmdd();
  const std::string before = rc->schedule ? rc->schedule->grade : "";
  const std::int32_t due_before = rc->schedule ? rc->schedule->next_due_on : 0;
  VisitScheduleRecord s;
  if (rc->schedule) {
    s = *rc->schedule;
  } else {
    // Not yet planned: keep the grade (inactive unless on the roll).
    s.child_id = child_id;
    s.active = false;
    s.planned_from = graded_on;
  }
  s.grade = config_.FindGrade(grade) ? grade : "";
  s.graded_on = graded_on;
  s.planned_from = graded_on;  // re-planned from the grade (the last visit, if any, still counts)
  rc->schedule = s;
  std::optional<VisitScheduleRecord> want = Plan(*rc, today);
  if (!want) {
    // Off the roll: store the grade, no due date in force.
    s.district_id = rc->district_id;
    s.street_id = rc->street_id;
    s.community_id = rc->community_id;
    s.grid_id = rc->grid_id;
    s.unit_path = rc->unit_path;
    s.active = false;
    domain::VisitInterval in = domain::IntervalFor(config_, s.grade, rc->roll_categories);
    s.interval_days = in.days;
    s.rule = in.rule;
    s.next_due_on = DateOf(graded_on).AddDays(in.days).ToYyyymmdd();
    s.updated_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo.UpsertSchedule(s));
    TH_RETURN_IF_ERROR(SyncItem(c, s, today));
  } else {
    TH_RETURN_IF_ERROR(Apply(c, *rc, want, today));
  }
  TH_ASSIGN_OR_RETURN(auto after, repo.GetSchedule(child_id));
  return WriteAudit(c, deps_.clock, nullptr, "system",
                    {"visit.replan", "child", std::to_string(child_id), rc->unit_path,
                     JsonObjectWriter().Str("grade", before).Int("next_due_on", due_before).Finish(),
                     JsonObjectWriter()
                         .Str("grade", after->grade)
                         .Int("interval_days", after->interval_days)
                         .Int("next_due_on", after->next_due_on)
                         .Finish(),
                     "risk grade " + grade});
}

// Long: the block loop of the nightly evaluation (reads outside write transactions, writes only changes).
Result<EvaluateResult> VisitsService::Evaluate() {
  constexpr std::int64_t kBlock = 5000;
  EvaluateResult out;
  const std::int32_t today = Today();
  std::int64_t max_id = 0;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(max_id, VisitsRepo(*h).MaxChildId());
  }
  for (std::int64_t lo = 1; lo <= max_id; lo += kBlock) {
    std::vector<std::pair<RollChild, std::optional<VisitScheduleRecord>>> changes;
    {
      TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
      TH_ASSIGN_OR_RETURN(auto block, VisitsRepo(*h).RollBetween(lo, lo + kBlock - 1));
      for (auto& rc : block) {
        auto want = Plan(rc, today);
        if (rc.OnRoll()) ++out.children;
        if (!want) {
          if (rc.schedule && rc.schedule->active) {
            ++out.removed;
            changes.emplace_back(std::move(rc), std::nullopt);
          }
          continue;
        }
        if (!rc.schedule) {
          ++out.added;
        } else if (SameSchedule(*rc.schedule, *want)) {
          continue;
        } else {
          ++out.replanned;
        }
        changes.emplace_back(std::move(rc), std::move(want));
      }
    }
    if (changes.empty()) continue;
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
      if (open_one_by_one_) {  // the path before: each child's schedule, then its item
        for (const auto& [rc, want] : changes) TH_RETURN_IF_ERROR(Apply(c, rc, want, today));
        return Status::Ok();
      }
      std::vector<VisitScheduleRecord> written;
      written.reserve(changes.size());
      for (const auto& [rc, want] : changes) {
        TH_ASSIGN_OR_RETURN(auto s, WriteSchedule(c, rc, want));
        if (s) written.push_back(std::move(*s));
      }
      return SyncItems(c, written, today);
    }));
  }
  TH_ASSIGN_OR_RETURN(out.items_opened, OpenDueItems(today));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    return WriteAudit(c, deps_.clock, nullptr, "system",
                      {"visit.evaluate", "visit_schedule", "", "", "",
                       JsonObjectWriter()
                           .Int("children", out.children)
                           .Int("added", out.added)
                           .Int("replanned", out.replanned)
                           .Int("removed", out.removed)
                           .Int("items_opened", out.items_opened)
                           .Finish(),
                       "nightly evaluation"});
  }));
  return out;
}

Result<std::int64_t> VisitsService::OpenDueItems(std::int32_t today) {
  std::int64_t opened = 0, after = 0;
  while (true) {
    std::vector<VisitScheduleRecord> due;
    {
      TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
      TH_ASSIGN_OR_RETURN(due, VisitsRepo(*h).DueWithoutItem(today, after, 2000));
    }
    if (due.empty()) break;
    after = due.back().child_id;
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) { return SyncItems(c, due, today); }));
    opened += static_cast<std::int64_t>(due.size());
  }
  return opened;
}

void VisitsService::StartNightly(std::int64_t poll_ms) {
  if (nightly_.joinable()) return;
  nightly_ = std::thread([this, poll_ms] {
    std::int32_t done_for = 0;
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      const std::int32_t today = Today();
      if (today != done_for) {
        lock.unlock();
        const auto t0 = std::chrono::steady_clock::now();
        auto r = Evaluate();
        if (r.ok()) {
          const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
          spdlog::info("visits: evaluated {} children ({} added, {} replanned, {} removed, {} items opened) in {} ms",
                       r->children, r->added, r->replanned, r->removed, r->items_opened, ms.count());
          done_for = today;
        } else {
          spdlog::error("visits: nightly evaluation failed: {}", r.status().ToString());
        }
        lock.lock();
      }
      cv_.wait_for(lock, std::chrono::milliseconds(poll_ms), [this] { return stop_; });
    }
  });
}

void VisitsService::StopNightly() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (nightly_.joinable()) nightly_.join();
}

}  // namespace th::service
