#include "app/work_commands.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "app/command_util.h"
#include "platform/work/work_service.h"
#include "platform/repo/org_repo.h"
#include "platform/service/audit_service.h"

namespace th::work {

namespace {

void Common(CLI::App* c, app::AppConfig& cfg) {
  app::AddDatabaseOptions(c, cfg);
  c->add_option("--sqlite-cache-mb", cfg.sqlite_cache_mb, "SQLite: page cache per connection in MiB (default 2)");
}

int Fail(const Status& s) { return app::CommandFailed(s); }

int AddWorkdays(const WorkCommands& cmds, const app::AppConfig& cfg) {
  auto cal = LoadCalendarDir(cfg.config_dir + "/calendar");
  if (!cal.ok()) return Fail(cal.status());
  auto from = domain::ParseDate(cmds.from, "from");
  if (!from.ok()) return Fail(from.status());
  if (cmds.days < 0 || cmds.days > 3660) {
    return Fail(Status::Invalid("days", "out_of_range", "--days 应在 0..3660", "--days must be 0..3660"));
  }
  WorkdayResult r = cal->AddWorkdays(*from, cmds.days);
  if (r.beyond_calendar) {
    std::printf("警告 / warning: 超出已载入的工作日历 (%d-%d)，超出部分按周一至周五计算 / beyond the loaded calendar "
                "(%d-%d): those days were counted Monday to Friday\n",
                cal->first_year(), cal->last_year(), cal->first_year(), cal->last_year());
  }
  std::printf("%s\n", r.date.ToString().c_str());
  return 0;
}

Result<app::App> OpenWithEngine(const app::AppConfig& cfg, const std::string& categories) {
  TH_ASSIGN_OR_RETURN(auto a, app::OpenApp(cfg, false));
  TH_RETURN_IF_ERROR(app::ConfigureModules(a, cfg.config_dir, categories));
  return a;
}

int Sweep(const WorkCommands& cmds, const app::AppConfig& cfg) {
  auto a = OpenWithEngine(cfg, cmds.categories);
  if (!a.ok()) return Fail(a.status());
  auto t0 = std::chrono::steady_clock::now();
  auto st = FindWork(a->services->deps())->Sweep(cmds.batch);
  if (!st.ok()) return Fail(st.status());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("督办扫描 / sweep: %lld items, %lld escalation steps, %lld batches in %.2f s\n",
              static_cast<long long>(st->claimed), static_cast<long long>(st->escalations),
              static_cast<long long>(st->batches), secs);
  return 0;
}

int DemoLoad(const WorkCommands& cmds, const app::AppConfig& cfg) {
  auto a = OpenWithEngine(cfg, cmds.categories);
  if (!a.ok()) return Fail(a.status());
  auto t0 = std::chrono::steady_clock::now();
  auto n = LoadDemoWork(*a, cmds.items);
  if (!n.ok()) return Fail(n.status());
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("已载入演示待办 / demo work items loaded: %lld in %.1f s\n", static_cast<long long>(*n), secs);
  return 0;
}

}  // namespace

void AddWorkCommands(CLI::App& cli, app::AppConfig& cfg, WorkCommands& cmds) {
  auto* cal = cli.add_subcommand("calendar", "Working-day calendar (config/calendar)");
  cal->require_subcommand(1);
  cmds.add_workdays = cal->add_subcommand("add-workdays", "Print the date N working days after --from (counting starts the next day)");
  cmds.add_workdays->add_option("--from", cmds.from, "Start date YYYY-MM-DD")->required();
  cmds.add_workdays->add_option("--days", cmds.days, "Working days to add (0..3660)")->required();
  cmds.add_workdays->add_option("--config-dir", cfg.config_dir, "Configuration directory (default config)");
  auto* work = cli.add_subcommand("work", "Work items (待办): escalation sweep, synthetic load");
  work->require_subcommand(1);
  cmds.sweep = work->add_subcommand("sweep", "Run one escalation sweep now (idempotent; safe beside running servers)");
  Common(cmds.sweep, cfg);
  cmds.sweep->add_option("--batch", cmds.batch, "Items per transaction (default 2000)");
  cmds.demo_load = work->add_subcommand("demo-load", "Add N synthetic open work items to the demo district (benchmarks)");
  Common(cmds.demo_load, cfg);
  cmds.demo_load->add_option("--items", cmds.items, "Items to add (default 1000000)");
}

std::optional<int> RunWorkCommands(const WorkCommands& cmds, const app::AppConfig& cfg) {
  if (cmds.add_workdays && *cmds.add_workdays) return AddWorkdays(cmds, cfg);
  if (cmds.sweep && *cmds.sweep) return Sweep(cmds, cfg);
  if (cmds.demo_load && *cmds.demo_load) return DemoLoad(cmds, cfg);
  return std::nullopt;
}

Result<std::int64_t> LoadDemoWork(app::App& a, std::int64_t n) {
  WorkService* w = FindWork(a.services->deps());
  if (!w) return Status::Internal("work engine not installed");
  std::vector<repo::OrgUnit> communities, streets;
  repo::OrgUnit district;
  std::int64_t first = 0;  // subject ids continue after earlier demo items
  {
    TH_ASSIGN_OR_RETURN(auto h, a.db->Acquire());
    TH_ASSIGN_OR_RETURN(first, WorkRepo(*h).MaxSubjectId("demo"));
    TH_ASSIGN_OR_RETURN(auto d, repo::OrgRepo(*h).GetByCode("440307000000"));
    district = d;
    TH_ASSIGN_OR_RETURN(auto all, repo::OrgRepo(*h).ListSubtree(d.path));
    for (auto& u : all) {
      if (u.retired) continue;
      if (u.level == "community") communities.push_back(u);
      if (u.level == "street") streets.push_back(u);
    }
  }
  if (communities.empty() || streets.empty()) return Status::Internal("demo district has no communities/streets");
  const std::int64_t now = a.clock->NowMillis();
  const std::int64_t kChunk = 20000;
  for (std::int64_t done = 0; done < n;) {
    std::vector<WorkItemRecord> items;
    const std::int64_t end = std::min(n, done + kChunk);
    for (std::int64_t i = done; i < end; ++i) {
      WorkItemRecord r;
      const std::int64_t bucket = i % 20;
      const std::size_t spread = static_cast<std::size_t>(i / 20);  // every unit of a level gets some
      const repo::OrgUnit& u = bucket < 16 ? communities[(spread * 16 + bucket) % communities.size()]
                               : bucket < 19 ? streets[(spread * 3 + bucket - 16) % streets.size()] : district;
      r.kind = bucket < 16 ? "screening_verify" : bucket < 19 ? "roll_review" : "roll_confirm";
      r.title = bucket < 16 ? "核查排查线索" : bucket < 19 ? "审核名册申请" : "确认名册申请";
      r.link = bucket < 16 ? "/screening/tasks" : bucket < 19 ? "/roll/review" : "/roll/confirm";
      r.subject_type = "demo";
      r.subject_id = first + i + 1;
      r.label = "演示待办 #" + std::to_string(first + i + 1);
      r.owner_unit_id = u.id;
      r.owner_unit_path = u.path;
      r.owner_role = bucket < 16 ? "child_director" : bucket < 19 ? "street_supervisor" : "district";
      r.district_unit_id = district.id;
      r.started_at = now - (i * 7919 % (30LL * 86400)) * 1000;  // spread over the last 30 days
      Deadlines d = w->config().DeadlinesFor(r.kind, r.started_at, w->calendar());
      r.warn_at = d.warn_at;
      r.due_at = d.due_at;
      r.district_at = d.district_at;
      r.due_flags = d.beyond_calendar ? 1 : 0;
      r.created_at = now;
      items.push_back(std::move(r));
    }
    TH_RETURN_IF_ERROR(service::InTransaction(*a.db, [&](storage::Connection& c) { return WorkRepo(c).InsertMany(items); }));
    done = end;
  }
  return n;
}

}  // namespace th::work
