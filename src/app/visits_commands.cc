#include "app/visits_commands.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "app/command_util.h"
#include "app/modules.h"
#include "modules/visits/api/visits_module.h"
#include "modules/visits/repo/visits_repo.h"
#include "modules/visits/service/visits_service.h"
#include "platform/service/deps.h"

namespace th::app {

namespace {

const char* GradeOf(std::int64_t id) {
  static const char* kGrades[20] = {"red",  "orange", "yellow", "yellow", "yellow", "blue", "blue",
                                    "blue", "blue",   "blue",   "blue",   "blue",   "blue", "green",
                                    "green", "green", "green",  "",       "",       ""};
  return kGrades[(id * 7) % 20];
}

}  // namespace

// Long: one linear bulk-load script (roll, then schedules and visits per block of children).
Result<std::int64_t> LoadDemoVisitsBulk(App& app, const std::string& config_dir, std::int64_t n_visits) {
  auto cfg = api::LoadVisitScheduleConfig(config_dir);
  if (!cfg.ok()) return cfg.status();
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  const std::int64_t now = app.clock->NowMillis();
  const domain::Date today = domain::Date::FromEpochMillisShanghai(now);
  const std::int32_t entered = today.AddYears(-5).ToYyyymmdd();
  TH_RETURN_IF_ERROR(service::InTransaction(*app.db, [&](storage::Connection& c) {
    return c
        .Execute("UPDATE child SET roll_status = 'on_roll', roll_entered_on = $1, roll_categories = CASE WHEN "
                 "categories LIKE '%,left_behind,%' THEN 'left_behind' ELSE 'other' END "
                 "WHERE roll_status = 'not_on_roll'",
                 {std::int64_t{entered}})
        .status();
  }));
  repo::VisitsRepo reader(*h);
  TH_ASSIGN_OR_RETURN(auto max_id, reader.MaxChildId());
  TH_ASSIGN_OR_RETURN(auto n_rows, h->Query("SELECT COUNT(*) FROM child WHERE roll_status = 'on_roll'"));
  const std::int64_t on_roll = std::max<std::int64_t>(1, n_rows[0].Int(0));
  const std::int64_t per = std::max<std::int64_t>(1, n_visits / on_roll);
  std::int64_t written = 0, planned = 0;
  for (std::int64_t lo = 1; lo <= max_id; lo += 2000) {
    TH_ASSIGN_OR_RETURN(auto block, reader.RollBetween(lo, lo + 1999));
    std::vector<repo::VisitScheduleRecord> scheds;
    std::vector<repo::VisitRecord> visits;
    for (const auto& rc : block) {
      if (!rc.OnRoll() || rc.schedule) continue;
      repo::VisitScheduleRecord s;
      s.child_id = rc.id;
      s.district_id = rc.district_id;
      s.street_id = rc.street_id;
      s.community_id = rc.community_id;
      s.grid_id = rc.grid_id;
      s.unit_path = rc.unit_path;
      s.grade = GradeOf(rc.id);
      s.graded_on = s.grade.empty() ? 0 : today.AddDays(-(rc.id % 300) - 30).ToYyyymmdd();
      s.categories = rc.roll_categories;
      domain::VisitInterval in = domain::IntervalFor(*cfg, s.grade, s.categories);
      s.interval_days = in.days;
      s.rule = in.rule;
      s.planned_from = s.graded_on ? s.graded_on : entered;
      // Last visit: within 1.2 intervals of today, so about one child in six is overdue.
      const std::int64_t back = (rc.id * 7919) % (in.days + in.days / 5 + 1);
      const domain::Date last = today.AddDays(-back);
      s.last_visit_on = last.ToYyyymmdd();
      s.next_due_on = last.AddDays(in.days).ToYyyymmdd();
      s.updated_at = now;
      const std::int64_t k_of = per + (planned < n_visits - per * on_roll ? 1 : 0);  // the remainder to the first children
      ++planned;
      const std::int64_t step = std::max<std::int64_t>(1, 1825 / k_of);
      for (std::int64_t k = 0; k < k_of; ++k) {
        repo::VisitRecord v;
        const domain::Date on = last.AddDays(-k * step);
        v.child_id = rc.id;
        v.district_id = rc.district_id;
        v.street_id = rc.street_id;
        v.community_id = rc.community_id;
        v.grid_id = rc.grid_id;
        v.unit_path = rc.unit_path;
        v.visited_on = on.ToYyyymmdd();
        v.month = v.visited_on / 100;
        v.grade = s.grade;
        v.due_on = v.visited_on + ((k * 3 + rc.id) % 7 == 0 ? -1 : 0);
        v.on_time = v.visited_on <= v.due_on;
        v.seen = ",child,guardian,";
        v.place = k % 5 == 0 ? "school" : "home";
        v.child_state = k % 9 == 0 ? "fair" : "good";
        v.home_state = "good";
        v.guardian_care = k % 11 == 0 ? "fair" : "good";
        v.needs = k % 4 == 0 ? ",education," : "";
        v.follow_ups = k % 6 == 0 ? "联系学校了解学习情况" : "";
        v.visitor_name = "儿童主任";
        v.created_at = now;
        visits.push_back(std::move(v));
      }
      scheds.push_back(std::move(s));
    }
    if (scheds.empty()) continue;
    written += static_cast<std::int64_t>(visits.size());
    TH_RETURN_IF_ERROR(service::InTransaction(*app.db, [&](storage::Connection& c) -> Status {
      repo::VisitsRepo repo(c);
      TH_RETURN_IF_ERROR(repo.InsertSchedulesBulk(scheds));
      return repo.InsertVisitsBulk(visits);
    }));
  }
  TH_RETURN_IF_ERROR(AnalyzeAfterLoad(*h, {"visit", "visit_schedule", "child"}));
  return written;
}

void AddVisitsCommands(CLI::App& cli, AppConfig& cfg, VisitsCommands& cmds) {
  auto* v = cli.add_subcommand("visits", "Visits by risk (走访): synthetic load and the nightly evaluation");
  v->require_subcommand(1);
  cmds.demo_load = v->add_subcommand("demo-load", "Put every child on the roll with grades and N visits over five years (bench/visits)");
  cmds.evaluate = v->add_subcommand("evaluate", "Run the nightly evaluation of every child's visit schedule now");
  for (CLI::App* sub : {cmds.demo_load, cmds.evaluate}) AddDatabaseOptions(sub, cfg);
  cmds.demo_load->add_option("--visits", cmds.visits, "Visit records to add (default 2000000)");
  cmds.evaluate->add_option("--categories", cmds.categories, "Category rules (default guangdong)");
  cmds.evaluate->add_flag("--one-by-one", cmds.one_by_one,
                          "Open the visit_due items one by one (the path before work::OpenMany; bench comparison)");
}

std::optional<int> RunVisitsCommands(const VisitsCommands& cmds, const AppConfig& cfg) {
  const bool load = cmds.demo_load && *cmds.demo_load;
  const bool eval = cmds.evaluate && *cmds.evaluate;
  if (!load && !eval) return std::nullopt;
  auto a = OpenApp(cfg, false);
  if (!a.ok()) return CommandFailed(a.status());
  Stopwatch clock;
  if (load) {
    if (cmds.visits < 0 || cmds.visits > 50000000) {
      return CommandFailed(Status::Invalid("visits", "out_of_range", "--visits 应在 0 到 5000 万之间", "--visits must be 0 to 50,000,000"));
    }
    auto n = LoadDemoVisitsBulk(*a, cfg.config_dir, cmds.visits);
    if (!n.ok()) return CommandFailed(n.status());
    std::printf("已载入演示走访 / demo visits load: %lld visits in %.1f s\n", static_cast<long long>(*n), clock.Seconds());
    return 0;
  }
  if (auto s = ConfigureModules(*a, cfg.config_dir, cmds.categories); !s.ok()) return CommandFailed(s);
  clock.Restart();
  a->modules->visits()->SetOpenOneByOne(cmds.one_by_one);
  auto r = a->modules->visits()->Evaluate();
  if (!r.ok()) return CommandFailed(r.status());
  std::printf("走访计划评估 / visits evaluated: %lld children on the roll, %lld added, %lld replanned, %lld removed, "
              "%lld work items opened in %.2f s\n",
              static_cast<long long>(r->children), static_cast<long long>(r->added), static_cast<long long>(r->replanned),
              static_cast<long long>(r->removed), static_cast<long long>(r->items_opened), clock.Seconds());
  return 0;
}

}  // namespace th::app
