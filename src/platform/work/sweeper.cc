#include "platform/work/sweeper.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "base/json_writer.h"
#include "platform/work/work_service.h"

namespace th::work {

namespace {

// At most this many items per sweep (the rest wait for the next one).
constexpr std::int64_t kMaxSweepItems = 5'000'000;

// The id of the unit above the one whose path is `path` ("/1/2/3/" → 2), 0 at the top.
std::int64_t ParentOf(const std::string& path) {
  std::vector<std::int64_t> ids;
  std::int64_t cur = -1;
  for (char ch : path) {
    if (ch >= '0' && ch <= '9') {
      cur = (cur < 0 ? 0 : cur * 10) + (ch - '0');
    } else if (cur >= 0) {
      ids.push_back(cur);
      cur = -1;
    }
  }
  return ids.size() >= 2 ? ids[ids.size() - 2] : 0;
}

// The escalation steps of levels (from, to] for item `r` at `now`.
void StepsFor(const SweepRow& r, std::int64_t to_level, std::int64_t now, std::vector<EscalationRow>* out) {
  for (std::int64_t level = r.escalation_level + 1; level <= to_level; ++level) {
    if (level == 1) out->push_back({r.id, r.round, 1, "warn", r.owner_unit_id, now});
    if (level == 2) {
      out->push_back({r.id, r.round, 2, "overdue", r.owner_unit_id, now});
      if (std::int64_t parent = ParentOf(r.owner_unit_path); parent > 0) {
        out->push_back({r.id, r.round, 2, "supervise", parent, now});
      }
    }
    if (level == 3) out->push_back({r.id, r.round, 3, "district", r.district_unit_id, now});
  }
}

}  // namespace

Result<SweepStats> WorkService::SweepBatch(std::int64_t now, std::int64_t lo, std::int64_t hi) {
  SweepStats st;
  TH_RETURN_IF_ERROR(service::InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    WorkRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto rows, repo.ClaimRange(lo, hi, now));
    std::vector<EscalationRow> steps;
    std::vector<LevelUpdate> levels;
    levels.reserve(rows.size());
    for (const auto& r : rows) {
      const std::int64_t thresholds[3] = {r.warn_at, r.due_at, r.district_at};
      std::int64_t level = r.escalation_level;
      while (level < 3 && thresholds[level] <= now) ++level;
      StepsFor(r, level, now, &steps);
      levels.push_back({r.id, level, level < 3 ? thresholds[level] : kNever, r.round});
    }
    TH_ASSIGN_OR_RETURN(st.escalations, repo.InsertEscalations(steps));
    if (listener_ && !steps.empty()) TH_RETURN_IF_ERROR(listener_->OnEscalations(c, steps));  // notifications
    TH_RETURN_IF_ERROR(repo.UpdateLevels(levels));
    st.claimed = static_cast<std::int64_t>(rows.size());
    return Status::Ok();
  }));
  return st;
}

Result<SweepStats> WorkService::Sweep(std::int64_t batch) {
  const std::int64_t now = deps_.clock.NowMillis();
  batch = std::max<std::int64_t>(batch, 1);
  SweepStats total;
  // The due ids first (index only), then id ranges of `batch` of them, each claimed and raised in
  // one transaction: in id order the rows, and the pages they sit on, are written once.
  std::vector<std::int64_t> ids;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(ids, WorkRepo(*h).DueIds(now, kMaxSweepItems));
  }
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 0; i < ids.size(); i += static_cast<std::size_t>(batch)) {
    const std::size_t last = std::min(ids.size(), i + static_cast<std::size_t>(batch)) - 1;
    TH_ASSIGN_OR_RETURN(SweepStats st, SweepBatch(now, ids[i], ids[last]));
    total.claimed += st.claimed;
    total.escalations += st.escalations;
    ++total.batches;
  }
  if (total.escalations > 0) {
    TH_RETURN_IF_ERROR(service::InTransaction(deps_.db, [&](storage::Connection& c) {
      return service::WriteAudit(c, deps_.clock, nullptr, "sweeper",
                                 {"work.sweep", "work_item", "", "", "",
                                  JsonObjectWriter().Int("items", total.claimed).Int("escalations", total.escalations).Finish(),
                                  "escalation sweep"});
    }));
  }
  return total;
}

Sweeper::Sweeper(WorkService& work, std::int64_t interval_ms)
    : work_(work), interval_ms_(std::max<std::int64_t>(interval_ms, 1000)), thread_([this] { Run(); }) {}

Sweeper::~Sweeper() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sweeper::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    auto st = work_.Sweep();
    if (!st.ok()) {
      spdlog::warn("work sweep failed: {}", st.status().ToString());
    } else if (st->escalations > 0) {
      spdlog::info("work sweep: {} items, {} escalation steps", st->claimed, st->escalations);
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stop_; });
  }
}

}  // namespace th::work
