#include "app/warnings_commands.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <vector>

#include "app/command_util.h"
#include "app/modules.h"
#include "modules/warnings/service/warning_service.h"
#include "platform/service/deps.h"

namespace th::app {

// Long: one linear bulk-load script, one statement per kind of fact.
Result<std::int64_t> LoadDemoWarningFacts(App& app) {
  const std::int64_t now = app.clock->NowMillis();
  constexpr std::int64_t kDay = 24LL * 3600 * 1000;
  std::int64_t changed = 0;
  TH_RETURN_IF_ERROR(service::InTransaction(*app.db, [&](storage::Connection& c) -> Status {
    // The grades the visits load gave the schedules become the children's risk grades (as cases sets them).
    TH_ASSIGN_OR_RETURN(auto n, c.Execute("UPDATE child SET risk_grade = (SELECT s.grade FROM visit_schedule s WHERE "
                                          "s.child_id = child.id), risk_graded_at = $1 - (id % 300 + 30) * $2 "
                                          "WHERE EXISTS (SELECT 1 FROM visit_schedule s WHERE s.child_id = child.id "
                                          "AND s.grade <> '')",
                                          {now, kDay}));
    changed += n;
    // One father in 97 imprisoned, one mother in 89 missing.
    TH_ASSIGN_OR_RETURN(n, c.Execute("UPDATE family_member SET state = 'imprisoned', state_since = 20250601 "
                                     "WHERE relation = 'father' AND child_id % 97 = 0"));
    changed += n;
    TH_ASSIGN_OR_RETURN(n, c.Execute("UPDATE family_member SET state = 'missing', state_since = 20260301 "
                                     "WHERE relation = 'mother' AND child_id % 89 = 0"));
    changed += n;
    // One child in 131 out of school.
    TH_ASSIGN_OR_RETURN(n, c.Execute("UPDATE child SET school_stage = 'dropout' WHERE id % 131 = 0 "
                                     "AND roll_status = 'on_roll'"));
    changed += n;
    // Reports on one child in 50: two within the last months for most of them (five years of history
    // would hold older ones too: one more a year back for each).
    for (int k = 0; k < 3; ++k) {
      TH_ASSIGN_OR_RETURN(
          n, c.Execute("INSERT INTO report (district_unit_id, district_path, unit_id, unit_path, channel, status, "
                       "description, place, tracking_hash, created_at, updated_at, child_id) "
                       "SELECT c.district_id, d.path, c.community_id, u.path, 'hotline', 'closed', '演示报告', '家中', "
                       "'bench-' || CAST(c.id AS TEXT) || '-' || $3, $1 - ((c.id % 90) + $4) * $2, $1, c.id "
                       "FROM child c JOIN org_unit u ON u.id = c.community_id JOIN org_unit d ON d.id = c.district_id "
                       "WHERE c.id % 50 = 0 AND c.roll_status = 'on_roll'",
                       {now, kDay, std::to_string(k), std::int64_t{k == 2 ? 365 : k * 20}}));
      changed += n;
    }
    return Status::Ok();
  }));
  TH_ASSIGN_OR_RETURN(auto h, app.db->Acquire());
  TH_RETURN_IF_ERROR(AnalyzeAfterLoad(*h, {"child", "family_member", "report"}));
  return changed;
}

void AddWarningsCommands(CLI::App& cli, AppConfig& cfg, WarningsCommands& cmds) {
  auto* w = cli.add_subcommand("warnings", "Early warnings (预警): the nightly evaluation and a synthetic load");
  w->require_subcommand(1);
  cmds.demo_load = w->add_subcommand("demo-load", "Give the loaded children grades, parents' states, reports and dropouts (bench/warnings)");
  cmds.evaluate = w->add_subcommand("evaluate", "Run the nightly evaluation of every warning rule over every child now");
  for (CLI::App* sub : {cmds.demo_load, cmds.evaluate}) AddDatabaseOptions(sub, cfg);
  cmds.evaluate->add_option("--categories", cmds.categories, "Category rules (default guangdong)");
  cmds.evaluate->add_flag("--one-by-one", cmds.one_by_one,
                          "Raise the new warnings one by one (the path before the bulk raise; bench comparison)");
}

std::optional<int> RunWarningsCommands(const WarningsCommands& cmds, const AppConfig& cfg) {
  const bool load = cmds.demo_load && *cmds.demo_load;
  const bool eval = cmds.evaluate && *cmds.evaluate;
  if (!load && !eval) return std::nullopt;
  auto a = OpenApp(cfg, false);
  if (!a.ok()) return CommandFailed(a.status());
  Stopwatch clock;
  if (load) {
    auto n = LoadDemoWarningFacts(*a);
    if (!n.ok()) return CommandFailed(n.status());
    std::printf("已载入预警演示数据 / warning facts load: %lld rows in %.1f s\n", static_cast<long long>(*n), clock.Seconds());
    return 0;
  }
  if (auto s = ConfigureModules(*a, cfg.config_dir, cmds.categories); !s.ok()) return CommandFailed(s);
  clock.Restart();
  a->modules->warnings()->SetRaiseOneByOne(cmds.one_by_one);
  auto r = a->modules->warnings()->Evaluate();
  if (!r.ok()) return CommandFailed(r.status());
  std::printf("预警评估 / warnings evaluated: %lld hits, %lld raised, %lld cleared, %lld kept in %.2f s\n",
              static_cast<long long>(r->hits), static_cast<long long>(r->raised), static_cast<long long>(r->cleared),
              static_cast<long long>(r->kept), clock.Seconds());
  return 0;
}

}  // namespace th::app
