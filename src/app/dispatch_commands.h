#pragma once
// The dispatch module's command: `tonghu dispatch demo-load --reports N --orders M`, a synthetic
// district load for bench/dispatch (reports through every channel and orders in every state,
// spread over the last 12 months). main.cc adds it with one call and runs it with another.
#include <cstdint>
#include <optional>

#include "app/bootstrap.h"

namespace CLI {
class App;
}

namespace th::app {

struct DispatchCommands {
  CLI::App* demo_load = nullptr;
  std::int64_t reports = 100000;
  std::int64_t orders = 300000;
};

void AddDispatchCommands(CLI::App& cli, AppConfig& cfg, DispatchCommands& cmds);
// Runs the chosen one: its exit code, or nullopt when none was chosen.
std::optional<int> RunDispatchCommands(const DispatchCommands& cmds, const AppConfig& cfg);

// Adds `reports` synthetic triaged reports in the demo district and `orders` dispatch orders over
// them (deterministic; lead orders to the member departments and streets, co orders beyond one per
// report). Rows only (no work items, no audit): for benchmarks. Returns the orders written.
Result<std::int64_t> LoadDemoDispatchBulk(App& app, std::int64_t reports, std::int64_t orders);

}  // namespace th::app
