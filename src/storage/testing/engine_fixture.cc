#include "storage/testing/engine_fixture.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

namespace th::storage::testing {
namespace {

std::atomic<int> g_counter{0};

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

// One admin pool per test process creates and drops the per-test schemas.
Database* PgAdmin(const std::string& url, Status* error) {
  static std::unique_ptr<Database> admin;
  static std::string admin_url;
  if (admin == nullptr || admin_url != url) {
    Result<std::unique_ptr<Database>> r = OpenDatabase(url, 1);
    if (!r.ok()) {
      *error = r.status();
      return nullptr;
    }
    admin = std::move(r).value();
    admin_url = url;
  }
  return admin.get();
}

Status PgAdminScript(const std::string& base_url, const std::string& sql) {
  Status error;
  Database* admin = PgAdmin(base_url, &error);
  if (admin == nullptr) return error;
  TH_ASSIGN_OR_RETURN(Database::Handle h, admin->Acquire());
  return h->ExecuteScript(sql);
}

void RemoveSqliteFiles(const std::string& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(path + suffix, ec);
  }
}

}  // namespace

std::string EngineParamName(const ::testing::TestParamInfo<Engine>& info) {
  return info.param == Engine::kSqlite ? "Sqlite" : "Postgres";
}

void EngineTest::SetUp() {
  const int n = g_counter.fetch_add(1);
  const std::string tag = std::to_string(::getpid()) + "_" + std::to_string(n);
  if (engine() == Engine::kSqlite) {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    sqlite_path_ = (dir / ("th_storage_test_" + tag + ".db")).string();
    RemoveSqliteFiles(sqlite_path_);
    url_ = "sqlite://" + sqlite_path_;
  } else {
    std::string base = Env("TH_TEST_PG_URL");
    if (base.empty()) {
      if (Env("TH_REQUIRE_PG") == "1") {
        GTEST_FAIL() << "TH_REQUIRE_PG=1 but TH_TEST_PG_URL is not set "
                        "(eval \"$(scripts/pg_test.sh start)\")";
      }
      GTEST_SKIP() << "PostgreSQL cases need TH_TEST_PG_URL (eval \"$(scripts/pg_test.sh start)\")";
    }
    std::string schema = "th_t_" + tag;
    Status s = PgAdminScript(base, "CREATE SCHEMA " + schema);
    ASSERT_TRUE(s.ok()) << "cannot create test schema on " << base << ": " << s.ToString();
    pg_schema_ = schema;
    url_ = base + (base.find('?') == std::string::npos ? "?" : "&") + "search_path=" + schema;
  }
  Result<std::unique_ptr<Database>> db = OpenDatabase(url_, PoolSize());
  ASSERT_TRUE(db.ok()) << "cannot open " << url_ << ": " << db.status().ToString();
  db_ = std::move(db).value();
  Result<Database::Handle> h = db_->Acquire();
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  handle_ = std::make_unique<Database::Handle>(std::move(h).value());
}

void EngineTest::TearDown() {
  handle_.reset();
  db_.reset();
  if (!sqlite_path_.empty()) RemoveSqliteFiles(sqlite_path_);
  if (!pg_schema_.empty()) {
    Status s = PgAdminScript(Env("TH_TEST_PG_URL"), "DROP SCHEMA IF EXISTS " + pg_schema_ + " CASCADE");
    EXPECT_TRUE(s.ok()) << "cannot drop test schema " << pg_schema_ << ": " << s.ToString();
  }
}

Result<std::unique_ptr<Database>> EngineTest::OpenAnother(const DatabaseOptions& options) {
  return OpenDatabase(url_, options);
}

}  // namespace th::storage::testing
