#pragma once
// The work engine's commands (`tonghu calendar add-workdays`, `tonghu work sweep`, `tonghu work
// demo-load`, synthetic items for benchmarks; `tonghu demo` makes real work: demo_activity.h). main.cc adds
// them with one call and runs them with another.
#include <cstdint>
#include <optional>
#include <string>

#include "app/bootstrap.h"

namespace CLI {
class App;
}

namespace th::work {

struct WorkCommands {
  CLI::App* add_workdays = nullptr;
  CLI::App* sweep = nullptr;
  CLI::App* demo_load = nullptr;
  std::string from;
  int days = 0;
  std::int64_t items = 1000000;
  std::int64_t batch = 2000;
  std::string categories;
};

// Adds the subcommands to `cli`; `cfg` receives the common options.
void AddWorkCommands(CLI::App& cli, app::AppConfig& cfg, WorkCommands& cmds);
// Runs the one that was chosen: its exit code, or nullopt when none of them was.
std::optional<int> RunWorkCommands(const WorkCommands& cmds, const app::AppConfig& cfg);

// Benchmarks only (`tonghu work demo-load`): adds `n` synthetic open work items (deterministic, subject
// type "demo", label "演示待办 #N") over the demo district's units: 80 %
// verification items in communities, 15 % reviews in streets, 5 % confirmations in the district,
// started over the last 30 days (about a third overdue). Requires the demo district and the
// installed engine. Returns the number written.
Result<std::int64_t> LoadDemoWork(app::App& app, std::int64_t n);

}  // namespace th::work
