#pragma once
// The visits module's commands: `tonghu visits demo-load --visits N` (a synthetic five-year load for
// bench/visits: every child of the data directory on the roll, graded, with visit records) and
// `tonghu visits evaluate` (the nightly evaluation, timed). main.cc adds them with one call and
// runs them with another.
#include <cstdint>
#include <optional>

#include "app/bootstrap.h"

namespace CLI {
class App;
}

namespace th::app {

struct VisitsCommands {
  CLI::App* demo_load = nullptr;
  CLI::App* evaluate = nullptr;
  std::int64_t visits = 2000000;
  std::string categories;
  bool one_by_one = false;  // evaluate --one-by-one: open the visit_due items one by one (before work::OpenMany)
};

void AddVisitsCommands(CLI::App& cli, AppConfig& cfg, VisitsCommands& cmds);
// Runs the chosen one: its exit code, or nullopt when none was chosen.
std::optional<int> RunVisitsCommands(const VisitsCommands& cmds, const AppConfig& cfg);

// Puts every child not on the roll on it (entered five years ago), grades them deterministically
// (red, orange, yellow, blue, green or none by id), writes `visits` visit records spread over five
// years and the schedules they give (about one child in six overdue). Rows only (no work items, no
// audit): for benchmarks. Returns the visits written.
Result<std::int64_t> LoadDemoVisitsBulk(App& app, const std::string& config_dir, std::int64_t visits);

}  // namespace th::app
