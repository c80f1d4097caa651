#include "platform/work/sweeper.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

#include "base/json_writer.h"
#include "platform/work/work_service.h"

namespace th::work {

namespace {

// At most this many items per sweep (the rest wait for the next one).
constexpr std::int64_t kMaxSweepItems = 5'000'000;
// PostgreSQL: batches run on this many connections at once (disjoint id ranges; the sweep is CPU-bound
// in the database backend, one core per connection). SQLite has one writer: one.
constexpr std::size_t kPostgresSweepConnections = 2;

using GroupKey = std::tuple<std::int64_t, std::string, std::string, std::int64_t>;

GroupKey KeyOf(const EscalationGroup& g) { return {g.target_unit_id, g.step, g.owner_role, g.owner_agency_id}; }

}  // namespace

struct WorkService::SweepTally {
  // Held by a batch from telling the listener to its commit: batches running at once on several
  // connections tell (and count `earlier`) one after the other, in commit order.
  std::mutex mu;
  std::map<GroupKey, std::int64_t> committed;  // steps per recipient of the batches committed so far
};

Result<SweepStats> WorkService::SweepBatch(std::int64_t now, std::int64_t lo, std::int64_t hi, SweepTally& tally) {
  SweepStats st;
  std::vector<EscalationGroup> groups;
  std::unique_lock<std::mutex> telling(tally.mu, std::defer_lock);
  TH_RETURN_IF_ERROR(service::InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    SweepRepo repo(c);
    TH_ASSIGN_OR_RETURN(RangeSweep r, repo.EscalateRange(lo, hi, now));
    st.claimed = r.claimed;
    st.escalations = r.added;
    groups = std::move(r.groups);
    if (!listener_ || groups.empty()) return Status::Ok();
    telling.lock();
    EscalationBatch batch{now, lo, hi, {}};
    const std::int64_t rows_up_to = listener_->RowsUpTo();
    for (EscalationGroup& g : groups) {
      auto it = tally.committed.find(KeyOf(g));
      g.earlier = it == tally.committed.end() ? 0 : it->second;
      if (g.earlier + g.count <= rows_up_to) {
        TH_ASSIGN_OR_RETURN(g.rows, repo.GroupSteps(g, now, lo, hi, g.count));
      }
    }
    batch.groups = groups;
    return listener_->OnEscalations(c, batch);  // notifications, in the batch's transaction
  }));
  if (!telling.owns_lock()) telling.lock();
  for (const EscalationGroup& g : groups) tally.committed[KeyOf(g)] += g.count;
  return st;
}

Result<SweepStats> WorkService::Sweep(std::int64_t batch) {
  const std::int64_t now = deps_.clock.NowMillis();
  batch = std::max<std::int64_t>(batch, 1);
  SweepStats total;
  // The due ids first (index only), then id ranges of `batch` of them, each raised in one
  // transaction by set-based statements: in id order the rows, and the pages they sit on, are
  // written once.
  std::vector<std::int64_t> ids;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(ids, SweepRepo(*h).DueIds(now, kMaxSweepItems));
  }
  std::sort(ids.begin(), ids.end());
  const std::size_t connections =
      deps_.db.dialect().engine() == storage::Engine::kPostgres ? kPostgresSweepConnections : 1;
  const std::size_t step = static_cast<std::size_t>(batch);
  const std::size_t batches = (ids.size() + step - 1) / step;
  SweepTally tally;
  std::atomic<std::size_t> next{0};
  std::mutex mu;  // guards total and failed
  Status failed = Status::Ok();
  auto work = [&] {
    for (std::size_t b = next++; b < batches; b = next++) {
      const std::size_t i = b * step, last = std::min(ids.size(), i + step) - 1;
      auto st = SweepBatch(now, ids[i], ids[last], tally);
      std::lock_guard<std::mutex> lock(mu);
      if (!st.ok()) {
        if (failed.ok()) failed = st.status();
        next = batches;  // the other connections stop after their batch
        return;
      }
      total.claimed += st->claimed;
      total.escalations += st->escalations;
      ++total.batches;
    }
  };
  std::vector<std::thread> others;
  for (std::size_t k = 1; k < connections && k < batches; ++k) others.emplace_back(work);
  work();
  for (auto& t : others) t.join();
  TH_RETURN_IF_ERROR(failed);
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
