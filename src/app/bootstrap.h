#pragma once
// Database set-up shared by the CLI subcommands: open + migrate, the first administrator, and the
// synthetic demo district.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "app/modules.h"
#include "modules/registry/domain/category_config.h"
#include "modules/screening/service/screening_rules.h"
#include "platform/service/services.h"

namespace th::app {

struct AppConfig {
  std::string database;    // URL; default sqlite:<data_dir>/tonghu.db
  std::string data_dir = "data";
  std::string key_file;    // default <data_dir>/tonghu.key
  std::string config_dir = "config";
  bool fast_hash = false;  // argon2id minimum cost: tests only
  int login_ip_limit = 600;  // login attempts per client address per 5 minutes
  int login_user_limit = 100;  // login attempts per username per 5 minutes
  // SQLite: memory-map this much of the file for reads (0: off). Off by default: each pooled
  // connection maps the file separately, so the process RSS counts the same page-cache pages
  // once per connection (1.8 GB VmRSS with 17 MB RssAnon after the 1M-child bench), although
  // searches cost ~30 % less CPU with it (docs/PERFORMANCE.md).
  std::int64_t sqlite_mmap_mb = 0;
  std::int64_t sqlite_cache_mb = 2;  // SQLite: page cache per pooled connection
};

// The app's clock: the system's, unless a command pins it to replay dated events (`tonghu demo`
// writes its activity of the past weeks at the times it happened, then unpins).
class AppClock final : public Clock {
 public:
  std::int64_t NowMillis() const override {
    const std::int64_t p = pinned_.load();
    return p != 0 ? p : system_.NowMillis();
  }
  void Pin(std::int64_t ms) { pinned_ = ms; }
  void Unpin() { pinned_ = 0; }

 private:
  SystemClock system_;
  std::atomic<std::int64_t> pinned_{0};
};

// An opened, migrated database with its services.
struct App {
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<AppClock> clock;
  std::unique_ptr<security::KeyRing> keys;
  std::unique_ptr<service::Services> services;
  // The ordered modules (accounts at once; registry and screening after ConfigureModules).
  // Declared after services: destroyed first.
  std::unique_ptr<Modules> modules;
  std::string engine;  // "sqlite" / "postgresql"
};

// Creates the data dir and key file as needed, opens and migrates the database.
Result<App> OpenApp(AppConfig cfg, bool create_key);

// The demo password every demo account shares (printed by run.sh; never for production).
inline constexpr const char* kDemoPassword = "Demo@2026tonghu";

// Loads config/regions/demo_district.csv, demo agencies and one account per role. Idempotent:
// returns false in *created when the demo already exists.
Status LoadDemo(App& app, const std::string& config_dir, bool* created);

// Creates a root unit and the first system administrator when the database has no users.
Status InitFirstAdmin(App& app, const std::string& root_code, const std::string& root_name,
                      const std::string& username, const std::string& password);

}  // namespace th::app

namespace th::app {

// Parses the category config: `categories` is a file path, or a province name resolved as
// <config_dir>/categories/<name>.json; empty means "guangdong".
Result<domain::CategoryConfig> LoadCategoryConfig(const std::string& config_dir, const std::string& categories);

// Parses <config_dir>/roles.json (the roles and their permissions); errors name the file.
Result<service::RoleTable> LoadRoles(const std::string& config_dir);

// Parses <config_dir>/screening/rules.json; errors name the file.
Result<service::ScreeningRules> LoadScreeningRules(const std::string& config_dir);

// Adds the configured modules (registry, screening) to app.modules (Modules::Configure).
Status ConfigureModules(App& app, const std::string& config_dir, const std::string& categories);

// Generates `n` synthetic children (domain::DemoGenerator, deterministic by `seed`) over the demo
// district's communities and loads them in large transactions. Requires LoadDemo first and
// ConfigureModules. Returns the number of children written.
Result<std::int64_t> LoadDemoChildren(App& app, const std::string& config_dir, std::int64_t n, std::uint64_t seed);

}  // namespace th::app
