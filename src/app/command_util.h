#pragma once
// The plumbing every module's `tonghu <module> …` command shares (cases, dispatch, visits,
// warnings): the database options, the error line and exit code, the timer, and fresh planner
// statistics after a bulk load.
#include <chrono>
#include <vector>

#include "app/bootstrap.h"
#include "base/status.h"
#include "storage/connection.h"

namespace CLI {
class App;
}

namespace th::app {

// --database, --data-dir, --key-file and --config-dir on `sub`, into `cfg`.
void AddDatabaseOptions(CLI::App* sub, AppConfig& cfg);

// Prints "错误 / error: <zh>\n  <status>" to stderr; returns the exit code 1.
int CommandFailed(const Status& s);

// Seconds since construction or the last Restart (a command's timing line).
class Stopwatch {
 public:
  void Restart() { t0_ = std::chrono::steady_clock::now(); }
  double Seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0_).count(); }

 private:
  std::chrono::steady_clock::time_point t0_ = std::chrono::steady_clock::now();
};

// Fresh statistics for the planners after a bulk load: `VACUUM (ANALYZE) <table>` for each of
// `pg_tables` on PostgreSQL (one statement a call: VACUUM runs outside a transaction), one
// `ANALYZE` on SQLite (sqlite_stat1).
Status AnalyzeAfterLoad(storage::Connection& h, const std::vector<const char*>& pg_tables);

}  // namespace th::app
