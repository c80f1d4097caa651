#include "app/command_util.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <string>

namespace th::app {

void AddDatabaseOptions(CLI::App* sub, AppConfig& cfg) {
  sub->add_option("--database", cfg.database, "Database URL (env TONGHU_DATABASE; default sqlite:<data-dir>/tonghu.db)");
  sub->add_option("--data-dir", cfg.data_dir, "Data directory (env TONGHU_DATA_DIR)");
  sub->add_option("--key-file", cfg.key_file, "Master key file (default <data-dir>/tonghu.key)");
  sub->add_option("--config-dir", cfg.config_dir, "Configuration directory (default config)");
}

int CommandFailed(const Status& s) {
  std::fprintf(stderr, "错误 / error: %s\n  %s\n", s.message_zh().c_str(), s.ToString().c_str());
  return 1;
}

Status AnalyzeAfterLoad(storage::Connection& h, const std::vector<const char*>& pg_tables) {
  if (h.dialect().engine() != storage::Engine::kPostgres) return h.ExecuteScript("ANALYZE");
  for (const char* table : pg_tables) {
    TH_RETURN_IF_ERROR(h.ExecuteScript(std::string("VACUUM (ANALYZE) ") + table));
  }
  return Status::Ok();
}

}  // namespace th::app
