#pragma once
// The warnings module's commands: `tonghu warnings evaluate` (the nightly evaluation now, timed) and
// `tonghu warnings demo-load` (for bench/warnings, after `tonghu visits demo-load`: the children's
// risk grades from their schedules, parents imprisoned or missing, repeated reports and dropouts on a
// deterministic share of the children; rows only). main.cc adds them with one call and runs them with another.
#include <cstdint>
#include <optional>
#include <string>

#include "app/bootstrap.h"

namespace CLI {
class App;
}

namespace th::app {

struct WarningsCommands {
  CLI::App* demo_load = nullptr;
  CLI::App* evaluate = nullptr;
  std::string categories;
  bool one_by_one = false;  // evaluate --one-by-one: raise hit by hit (the path before the bulk raise)
};

void AddWarningsCommands(CLI::App& cli, AppConfig& cfg, WarningsCommands& cmds);
// Runs the chosen one: its exit code, or nullopt when none was chosen.
std::optional<int> RunWarningsCommands(const WarningsCommands& cmds, const AppConfig& cfg);

// The bench load (rows only, no audit): see the file comment. Returns the rows changed or added.
Result<std::int64_t> LoadDemoWarningFacts(App& app);

}  // namespace th::app
