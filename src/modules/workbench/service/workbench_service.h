#pragma once
// The 工作台 (GET /api/v1/workbench): the caller's to-dos first, then the key numbers of the
// caller's jurisdiction (children by category and by child unit, on the roll, entered and exited
// this month in Asia/Shanghai, open tasks), a 6-month trend and the caller's recently opened files.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "modules/registry/domain/category_config.h"
#include "platform/repo/scope_sql.h"
#include "platform/service/deps.h"

namespace th::work {
struct InboxPage;
}  // namespace th::work

namespace th::workbench {

struct ChildGroup;  // workbench_repo.h
class WorkbenchRepo;

struct TodoCount {
  std::string kind, kind_name;
  std::int64_t count = 0, overdue = 0;
  std::int64_t due_today = 0;  // not overdue, due by the end of today (work items only)
};

struct Todo {
  std::int64_t due_today = 0, overdue = 0, total = 0;
  std::vector<TodoCount> counts;
  // Where the counts come from: "work_items" (the engine's inbox) or "roll_and_tasks" (open roll
  // requests and verification tasks, before the work engine is merged).
  std::string source;
};

struct CountBy {
  std::optional<std::int64_t> id;  // unit id (null: children outside any grid)
  std::string code;                // category code
  std::string name;
  std::int64_t count = 0;
};

struct Numbers {
  bool visible = false;  // the caller may see numbers (child.read or stats.read)
  std::int64_t children_total = 0, on_roll = 0, entered_this_month = 0, exited_this_month = 0, open_tasks = 0;
  std::int64_t computed_at = 0;  // when these numbers were computed (epoch ms): older after a restart
  std::vector<CountBy> by_category, by_unit;
};

struct TrendMonth {
  std::string month;  // "2026-07"
  std::int64_t entered = 0, exited = 0, on_roll = 0;
};

struct RecentFileView {
  std::int64_t child_id = 0;
  std::string name, unit_name;
  std::int64_t viewed_at = 0;
};

struct Workbench {
  std::int64_t unit_id = 0;
  std::string unit_name, unit_level;
  Todo todo;
  Numbers numbers;
  std::vector<TrendMonth> trend;
  std::vector<RecentFileView> recent_files;
};

class WorkbenchService {
 public:
  // `categories` names category codes (may be null: codes are shown as names). A recomputation
  // taking `slow_ms` or more is done in the background from then on (tests pass 0).
  WorkbenchService(service::Deps& deps, const domain::CategoryConfig* categories, std::int64_t slow_ms = kSlowMs);
  ~WorkbenchService();

  // The caller's 工作台. Any signed-in user: numbers need child.read or stats.read (else
  // numbers.visible = false and zeros), recent files child.read. Scope: the caller's subtree, in
  // this layer; recent files pass the single-read scope test (service::KeepCovered).
  // Numbers over a large jurisdiction are cached per jurisdiction (see the .cc): they may lag a
  // write by one recomputation when a recomputation takes longer than kSlowMs (that one runs on a
  // background thread, so no request waits for it).
  Result<Workbench> Get(const service::Principal& who);

  static constexpr std::chrono::seconds kTtl{30};
  static constexpr std::int64_t kSlowMs = 200;

 private:
  struct Aggregate;
  struct CacheEntry;
  Result<std::shared_ptr<const Aggregate>> NumbersFor(const service::Principal& who, std::int32_t today);
  // The grouped pass over the jurisdiction (stored for the next start when slow), as numbers.
  Result<std::shared_ptr<const Aggregate>> Compute(const service::Principal& who, std::int32_t today);
  Result<std::shared_ptr<const Aggregate>> Build(const service::Principal& who, std::int32_t today,
                                                 const std::vector<ChildGroup>& groups, std::int64_t open_tasks,
                                                 std::int64_t computed_at);
  Result<std::int64_t> OpenTasks(WorkbenchRepo& repo, const service::Principal& who, std::int32_t today);
  Result<std::shared_ptr<const Aggregate>> Stored(const service::Principal& who, std::int64_t* compute_ms,
                                                  std::int32_t* day);
  // The to-dos: the work engine's inbox counts when `inbox` is given (read by the caller), else
  // the roll requests and verification tasks.
  Result<Todo> TodoFor(storage::Connection& c, const service::Principal& who, std::int32_t today,
                       const work::InboxPage* inbox);
  // Recomputes `e` (of `who`'s jurisdiction) and stores the result; wakes waiters.
  Result<std::shared_ptr<const Aggregate>> Refresh(const service::Principal& who, std::int32_t today,
                                                   std::uint64_t generation, const std::shared_ptr<CacheEntry>& e);
  void RefreshLoop();
  service::Deps& deps_;
  const domain::CategoryConfig* categories_;
  std::int64_t slow_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::shared_ptr<CacheEntry>> cache_;
  // Slow recomputations run here, one at a time, so no request waits for them.
  struct RefreshJob;
  std::deque<std::shared_ptr<RefreshJob>> jobs_;
  std::condition_variable jobs_cv_;
  bool stop_ = false;
  std::thread refresher_;
};

// The child scope of a principal's unit and the child column one level below it.
repo::ChildScope ScopeOfPrincipal(const service::Principal& who);
std::string ChildUnitColumn(const std::string& level);

}  // namespace th::workbench
