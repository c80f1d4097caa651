#include "modules/workbench/service/workbench_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "domain/date.h"
#include "modules/workbench/repo/workbench_repo.h"
#include "platform/work/work_config.h"
#include "platform/work/work_repo.h"
#include "platform/work/work_service.h"
#include "modules/registry/permissions.h"
#include "platform/repo/jurisdiction_repo.h"
#include "platform/service/permissions.h"
#include "platform/repo/org_repo.h"

namespace th::workbench {

using service::Principal;

// The grouped numbers of one jurisdiction (shared by every caller of that jurisdiction).
struct WorkbenchService::Aggregate {
  Numbers numbers;  // without visible
  std::vector<TrendMonth> trend;
};

// The cache: one entry per jurisdiction. A request finding it fresh (same ChildRepo write
// generation, younger than kTtl) uses it. Otherwise, when the last computation was fast it
// recomputes (so small databases, and tests, always see their writes); when it was slow (a
// district of 1,000,000 children: 10 s) a background thread recomputes while every request gets the
// previous numbers, so no request waits for it and 16 clients never scan the same million rows at
// once. The first computation of a jurisdiction is single-flight: concurrent callers wait for it.
struct WorkbenchService::CacheEntry {
  std::shared_ptr<const Aggregate> value;
  std::uint64_t generation = 0;
  std::int32_t today = 0;
  std::chrono::steady_clock::time_point at;
  std::int64_t compute_ms = 0;
  bool computing = false;
  bool looked_up = false;  // the stored snapshot (migration 0018) was looked for
  bool loading = false;    // ... is being read
};

repo::ChildScope ScopeOfPrincipal(const Principal& who) {
  const std::string& level = who.org_level;
  const std::int64_t id = who.org_unit_id;
  if (level == "city") return {"city", id};
  if (level == "district") return {"district_id", id};
  if (level == "street") return {"street_id", id};
  if (level == "community") return {"community_id", id};
  return {"grid_id", id};
}

std::string ChildUnitColumn(const std::string& level) {
  if (level == "city") return "district_id";
  if (level == "district") return "street_id";
  if (level == "street") return "community_id";
  return "grid_id";
}

WorkbenchService::WorkbenchService(service::Deps& deps, const domain::CategoryConfig* categories, std::int64_t slow_ms)
    : deps_(deps), categories_(categories), slow_ms_(slow_ms) {}

WorkbenchService::~WorkbenchService() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  jobs_cv_.notify_all();
  if (refresher_.joinable()) refresher_.join();
}

namespace {

std::string MonthLabel(std::int32_t yyyymm) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", yyyymm / 100, yyyymm % 100);
  return buf;
}

// Adds `g` to the category counts (each code in the list once).
void CountCategories(const ChildGroup& g, std::map<std::string, std::int64_t>* by_code) {
  std::size_t i = 0;
  while (i < g.categories.size()) {
    std::size_t j = g.categories.find(',', i);
    if (j == std::string::npos) j = g.categories.size();
    if (j > i) (*by_code)[g.categories.substr(i, j - i)] += g.count;
    i = j + 1;
  }
}


// The six months of the trend, oldest first, ending with the month of `today` (yyyymmdd).
std::vector<std::int32_t> TrendMonths(std::int32_t today) {
  const domain::Date now = domain::Date::Of(today / 10000, today / 100 % 100, 1);
  std::vector<std::int32_t> months;
  for (int k = 5; k >= 0; --k) {
    const domain::Date d = now.AddMonths(-k);
    months.push_back(d.year * 100 + d.month);
  }
  return months;
}

// Snapshot text: "open_tasks\t<n>" then one ChildGroup per line, tab-separated; nullopt when a field holds a tab
// or a newline. (Snapshots stored before the first line existed read as 0 open tasks until recomputed.)
std::optional<std::string> EncodeGroups(const std::vector<ChildGroup>& groups, std::int64_t open_tasks) {
  std::string out = "open_tasks\t" + std::to_string(open_tasks) + "\n";
  for (const ChildGroup& g : groups) {
    for (const std::string* f : {&g.categories, &g.roll_status}) {
      if (f->find_first_of("\t\n") != std::string::npos) return std::nullopt;
    }
    out += std::to_string(g.unit_id) + "\t" + g.categories + "\t" + g.roll_status + "\t" +
           std::to_string(g.entered_month) + "\t" + std::to_string(g.exited_month) + "\t" + std::to_string(g.count) + "\n";
  }
  return out;
}

std::optional<std::vector<ChildGroup>> DecodeGroups(const std::string& text, std::int64_t* open_tasks) {
  std::vector<ChildGroup> out;
  *open_tasks = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = text.find('\n', i);
    if (end == std::string::npos) return std::nullopt;
    std::vector<std::string> f;
    for (std::size_t j = i; j <= end;) {
      std::size_t k = text.find_first_of("\t\n", j);
      f.push_back(text.substr(j, k - j));
      j = k + 1;
    }
    i = end + 1;
    try {
      if (f.size() == 2 && f[0] == "open_tasks") {
        *open_tasks = std::stoll(f[1]);
        continue;
      }
      if (f.size() != 6) return std::nullopt;
      out.push_back({std::stoll(f[0]), f[1], f[2], std::stoi(f[3]), std::stoi(f[4]), std::stoll(f[5])});
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return out;
}

std::string ScopeKey(const Principal& who) {
  const repo::ChildScope scope = ScopeOfPrincipal(who);
  return scope.column + ":" + std::to_string(scope.id);
}

}  // namespace

Result<std::shared_ptr<const WorkbenchService::Aggregate>> WorkbenchService::Build(const Principal& who, std::int32_t today,
                                                                                 const std::vector<ChildGroup>& groups,
                                                                                 std::int64_t open_tasks,
                                                                                 std::int64_t computed_at) {
  const std::vector<std::int32_t> months = TrendMonths(today);
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  WorkbenchRepo repo(*h);
  TH_ASSIGN_OR_RETURN(auto units, repo.ChildUnits(who.org_unit_id));
  auto agg = std::make_shared<Aggregate>();
  Numbers& n = agg->numbers;
  n.computed_at = computed_at;
  n.open_tasks = open_tasks;
  std::map<std::string, std::int64_t> by_code;
  std::map<std::int64_t, std::int64_t> by_unit;
  std::map<std::int32_t, std::int64_t> entered, exited;
  const std::int32_t this_month = months.back();
  for (const ChildGroup& g : groups) {
    n.children_total += g.count;
    if (g.roll_status == "on_roll" || g.roll_status == "exit_proposed") n.on_roll += g.count;
    if (g.entered_month) entered[g.entered_month] += g.count;
    if (g.exited_month) exited[g.exited_month] += g.count;
    by_unit[g.unit_id] += g.count;
    CountCategories(g, &by_code);
  }
  n.entered_this_month = entered[this_month];
  n.exited_this_month = exited[this_month];
  if (categories_) {
    for (const auto& def : categories_->categories) n.by_category.push_back({{}, def.code, def.name, by_code[def.code]});
  } else {
    for (const auto& [code, count] : by_code) n.by_category.push_back({{}, code, code, count});
  }
  for (const auto& u : units) n.by_unit.push_back({u.id, "", u.name, by_unit.count(u.id) ? by_unit[u.id] : 0});
  if (by_unit.count(0)) n.by_unit.push_back({std::nullopt, "", "未划分下级单位", by_unit[0]});
  // On the roll at each month's end, walking back from today's count: a month's entries were not
  // on the roll before it and its exits were (approximate for a child entering and leaving twice).
  std::int64_t on_roll = n.on_roll;
  agg->trend.resize(months.size());
  for (std::size_t k = months.size(); k-- > 0;) {
    agg->trend[k] = {MonthLabel(months[k]), entered[months[k]], exited[months[k]], on_roll};
    on_roll = std::max<std::int64_t>(0, on_roll - entered[months[k]] + exited[months[k]]);
  }
  return std::shared_ptr<const Aggregate>(std::move(agg));
}

// The jurisdiction's open tasks (a key number): open roll requests awaiting review or confirmation
// and open verification tasks of the subtree. Counted with the groups, so cached with them.
Result<std::int64_t> WorkbenchService::OpenTasks(WorkbenchRepo& repo, const Principal& who, std::int32_t today) {
  const repo::ChildScope scope = ScopeOfPrincipal(who);
  TH_ASSIGN_OR_RETURN(auto review, repo.RollRequests(scope, "pending_review"));
  TH_ASSIGN_OR_RETURN(auto confirm, repo.RollRequests(scope, "pending_confirm"));
  TH_ASSIGN_OR_RETURN(auto tasks, repo.VerificationTasks(who.org_path, today));
  return review + confirm + tasks.open;
}

struct WorkbenchService::RefreshJob {
  Principal who;
  std::int32_t today = 0;
  std::uint64_t generation = 0;
  std::shared_ptr<CacheEntry> entry;
};

Result<std::shared_ptr<const WorkbenchService::Aggregate>> WorkbenchService::Compute(const Principal& who,
                                                                                   std::int32_t today) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t computed_at = deps_.clock.NowMillis();
  std::vector<ChildGroup> groups;
  std::int64_t open_tasks = 0;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    WorkbenchRepo repo(*h);
    TH_ASSIGN_OR_RETURN(groups, repo.ChildGroups(ScopeOfPrincipal(who), ChildUnitColumn(who.org_level),
                                                 TrendMonths(today).front() * 100 + 1));
    TH_ASSIGN_OR_RETURN(open_tasks, OpenTasks(repo, who, today));
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  if (ms >= slow_ms_) {
    // Slow enough to be recomputed in the background: kept for the next start (best effort).
    if (auto text = EncodeGroups(groups, open_tasks)) {
      Status saved = service::InTransaction(deps_.db, [&](storage::Connection& c) {
        return WorkbenchRepo(c).SaveSnapshot({ScopeKey(who), today, *text, computed_at, ms});
      });
      if (!saved.ok()) spdlog::warn("workbench: numbers not stored: {}", saved.ToString());
    }
  }
  return Build(who, today, groups, open_tasks, computed_at);
}

// The stored snapshot of the caller's jurisdiction as numbers, or null when there is none (or it
// does not parse).
Result<std::shared_ptr<const WorkbenchService::Aggregate>> WorkbenchService::Stored(const Principal& who,
                                                                                  std::int64_t* compute_ms,
                                                                                  std::int32_t* day) {
  std::optional<NumbersSnapshot> snap;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(snap, WorkbenchRepo(*h).LoadSnapshot(ScopeKey(who)));
  }
  if (!snap) return std::shared_ptr<const Aggregate>();
  std::int64_t open_tasks = 0;
  auto groups = DecodeGroups(snap->groups, &open_tasks);
  if (!groups) return std::shared_ptr<const Aggregate>();
  *compute_ms = snap->compute_ms;
  *day = snap->day;
  return Build(who, snap->day, *groups, open_tasks, snap->computed_at);
}

Result<std::shared_ptr<const WorkbenchService::Aggregate>> WorkbenchService::Refresh(
    const Principal& who, std::int32_t today, std::uint64_t generation, const std::shared_ptr<CacheEntry>& e) {
  const auto t0 = std::chrono::steady_clock::now();
  auto r = Compute(who, today);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  std::lock_guard<std::mutex> lock(mu_);
  e->computing = false;
  if (r.ok()) {
    e->value = *r;
    e->generation = generation;
    e->today = today;
    e->at = std::chrono::steady_clock::now();
    e->compute_ms = ms;
  } else {
    spdlog::warn("workbench: numbers not computed: {}", r.status().ToString());
  }
  cv_.notify_all();
  return r;
}

void WorkbenchService::RefreshLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    jobs_cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
    if (stop_) return;
    std::shared_ptr<RefreshJob> job = std::move(jobs_.front());
    jobs_.pop_front();
    lock.unlock();
    (void)Refresh(job->who, job->today, job->generation, job->entry);
    lock.lock();
  }
}

Result<std::shared_ptr<const WorkbenchService::Aggregate>> WorkbenchService::NumbersFor(const Principal& who,
                                                                                      std::int32_t today) {
  const std::string key = ScopeKey(who);
  const std::uint64_t generation = repo::ChildWriteGeneration();
  std::unique_lock<std::mutex> lock(mu_);
  auto& slot = cache_[key];
  if (!slot) slot = std::make_shared<CacheEntry>();
  std::shared_ptr<CacheEntry> e = slot;
  if (!e->looked_up) {
    // First use since the start: the numbers last computed (by any server, before a restart) are
    // served at once, stale, while the background thread recomputes them.
    e->looked_up = e->loading = true;
    lock.unlock();
    std::int64_t compute_ms = 0;
    std::int32_t day = 0;
    auto stored = Stored(who, &compute_ms, &day);
    lock.lock();
    e->loading = false;
    if (!stored.ok()) spdlog::warn("workbench: stored numbers not read: {}", stored.status().ToString());
    if (stored.ok() && *stored && !e->value) {
      e->value = *stored;
      e->generation = ~std::uint64_t{0};  // never fresh: recomputed at the first use
      e->today = day;
      e->compute_ms = std::max(compute_ms, slow_ms_);
    }
    cv_.notify_all();
  }
  for (;;) {
    if (e->loading) {
      cv_.wait(lock);
      continue;
    }
    const bool fresh = e->value && e->generation == generation && e->today == today &&
                       std::chrono::steady_clock::now() - e->at < kTtl;
    if (fresh) return e->value;
    if (e->value && e->compute_ms >= slow_ms_) {
      // Slow: the previous numbers now, the new ones from the background thread.
      if (!e->computing) {
        e->computing = true;
        jobs_.push_back(std::make_shared<RefreshJob>(RefreshJob{who, today, generation, e}));
        if (!refresher_.joinable()) refresher_ = std::thread([this] { RefreshLoop(); });
        jobs_cv_.notify_one();
      }
      return e->value;
    }
    if (!e->computing) break;
    cv_.wait(lock);  // the first computation of this jurisdiction is under way: wait for it
  }
  e->computing = true;
  lock.unlock();
  return Refresh(who, today, generation, e);
}

Result<Todo> WorkbenchService::TodoFor(storage::Connection& c, const Principal& who, std::int32_t today,
                                       const work::InboxPage* inbox) {
  if (work::WorkService* work = work::FindWork(deps_); work && inbox) {
    // The inbox's own counts (GET /inbox: the same numbers, the same few-second cache), due today
    // included: nothing here is counted per request.
    Todo t;
    t.source = "work_items";
    for (const auto& k : inbox->counts) {
      t.counts.push_back({k.kind, work->KindName(k.kind, false), k.count, k.overdue, k.due_today});
      t.total += k.count;
      t.overdue += k.overdue;
      t.due_today += k.due_today;
    }
    return t;
  }
  // Without the work engine, the to-dos are the caller's open roll requests (review or confirm, by
  // permission) and verification tasks of the subtree.
  WorkbenchRepo repo(c);
  const repo::ChildScope scope = ScopeOfPrincipal(who);
  TH_ASSIGN_OR_RETURN(auto review, repo.RollRequests(scope, "pending_review"));
  TH_ASSIGN_OR_RETURN(auto confirm, repo.RollRequests(scope, "pending_confirm"));
  TH_ASSIGN_OR_RETURN(auto tasks, repo.VerificationTasks(who.org_path, today));
  Todo t;
  t.source = "roll_and_tasks";
  if (who.Can("roll.review")) t.counts.push_back({"roll_review", "入册/退出申请审核", review, 0, 0});
  if (who.Can("roll.confirm")) t.counts.push_back({"roll_confirm", "入册/退出申请确认", confirm, 0, 0});
  if (who.Can("screening.verify")) {
    t.counts.push_back({"verification", "排查核实任务", tasks.open, tasks.overdue, tasks.due_today});
    t.due_today += tasks.due_today;
    t.overdue += tasks.overdue;
  }
  for (const auto& k : t.counts) t.total += k.count;
  return t;
}

Result<Workbench> WorkbenchService::Get(const Principal& who) {
  Workbench w;
  w.unit_id = who.org_unit_id;
  w.unit_name = who.org_name;
  w.unit_level = who.org_level;
  const std::int32_t today = domain::Date::FromEpochMillisShanghai(deps_.clock.NowMillis()).ToYyyymmdd();
  std::optional<work::InboxPage> inbox;  // read before taking a connection: Inbox takes its own
  if (work::WorkService* work = work::FindWork(deps_)) {
    TH_ASSIGN_OR_RETURN(inbox, work->Inbox(who, "", repo::Page{1, 1}));
  }
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(w.todo, TodoFor(*h, who, today, inbox ? &*inbox : nullptr));
    if (who.Can(perm::kChildRead)) {
      TH_ASSIGN_OR_RETURN(auto recent, WorkbenchRepo(*h).RecentFiles(who.user_id, 10));
      // A file read earlier may have moved out of the jurisdiction since: not shown (not a defect to log).
      std::erase_if(recent, [&](const RecentFile& f) { return !who.Covers(f.unit_path); });
      for (auto& f : recent) w.recent_files.push_back({f.child_id, std::move(f.name), std::move(f.unit_name), f.viewed_at});
    }
  }
  if (who.Can(perm::kChildRead) || who.Can(perm::kStatsRead)) {
    TH_ASSIGN_OR_RETURN(auto agg, NumbersFor(who, today));
    w.numbers = agg->numbers;
    w.trend = agg->trend;
    w.numbers.visible = true;
  }
  return w;
}

}  // namespace th::workbench
