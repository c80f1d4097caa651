#pragma once
// The cases bench's commands: `tonghu cases demo-load` (bench/cases) and `tonghu cases evaluate` (the
// assessment deadlines' evaluation, timed): five years of case work for every child on
// the roll, written set-based (INSERT ... SELECT over blocks of child ids), deterministic for a given day. main.cc
// adds it with one call and runs it with another.
#include <cstdint>
#include <optional>
#include <string>

#include "app/bootstrap.h"

namespace CLI {
class App;
}

namespace th::app {

struct CasesCommands {
  CLI::App* demo_load = nullptr;
  CLI::App* evaluate = nullptr;  // the assessment deadlines' evaluation (as at server start and hourly), timed
  std::string categories;
  bool one_by_one = false;  // evaluate --one-by-one: open the items one by one (the path before work::OpenMany)
};

void AddCasesCommands(CLI::App& cli, AppConfig& cfg, CasesCommands& cmds);
// Runs the chosen one: its exit code, or nullopt when none was chosen.
std::optional<int> RunCasesCommands(const CasesCommands& cmds, const AppConfig& cfg);

struct CasesLoadCounts {
  std::int64_t cases = 0, events = 0, assessments = 0, plans = 0, plan_lines = 0, records = 0, groups = 0,
               members = 0;
};

// For every child on the roll without a case: a current case (opened in the last three years; status by id), a
// closed earlier case for one child in three, their timelines, risk assessments yearly over five years, needs
// assessments every 600 days, guardianship assessments for one in seven, a draft for one in twenty, plans in
// versions (1-3) with eight lines each, service records (12 per case in service, 8 per closed case) and group
// membership (one in ten, three groups per street with 20 sessions each). The child's risk grade follows its
// latest risk assessment. Rows only (no work items, no audit): for benchmarks.
Result<CasesLoadCounts> LoadDemoCasesBulk(App& app);

}  // namespace th::app
