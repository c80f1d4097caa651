#pragma once
// A gtest fixture that runs one test body on both engines, each time on a fresh empty database.
//
//   class ChildRepoTest : public th::storage::testing::EngineTest {
//    protected:
//     void SetUp() override {
//       EngineTest::SetUp();
//       if (IsSkipped() || HasFatalFailure()) return;
//       ASSERT_TRUE(th::storage::Migrate(conn()).ok());
//     }
//   };
//   TEST_P(ChildRepoTest, FindsById) { ... db() ... conn() ... }
//   TH_INSTANTIATE_ENGINE_TEST(ChildRepoTest);   // -> .../Sqlite and .../Postgres
//
// SQLite: a new file in the temp directory, deleted afterwards.
// PostgreSQL: a new schema th_t_<pid>_<n> on the server named by env TH_TEST_PG_URL, set as the
// search_path of every connection the fixture opens, dropped (CASCADE) afterwards. Without
// TH_TEST_PG_URL the Postgres cases are skipped, or fail when env TH_REQUIRE_PG=1.
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "storage/connection.h"

namespace th::storage {
// Lets gtest print the parameter as "Sqlite" / "Postgres" instead of raw bytes.
inline void PrintTo(Engine e, std::ostream* os) { *os << (e == Engine::kSqlite ? "Sqlite" : "Postgres"); }
}  // namespace th::storage

namespace th::storage::testing {

// "Sqlite" / "Postgres": the parameter names used by TH_INSTANTIATE_ENGINE_TEST.
std::string EngineParamName(const ::testing::TestParamInfo<Engine>& info);

class EngineTest : public ::testing::TestWithParam<Engine> {
 protected:
  // Creates the fresh database, opens db() (pool of PoolSize()) and borrows conn().
  // Skips (or fails, see above) when the engine is unavailable.
  void SetUp() override;
  // Returns conn(), closes db() and deletes the database (file or schema).
  void TearDown() override;

  Engine engine() const { return GetParam(); }
  // The pool on the fresh database. One of its connections is held by conn().
  Database* db() { return db_.get(); }
  // A connection borrowed from db() for the whole test.
  Connection& conn() { return handle_->get(); }
  // The URL of the fresh database (with ?search_path= on PostgreSQL); OpenDatabase(url()) opens
  // another pool on the same data.
  const std::string& url() const { return url_; }
  // Another pool on the same fresh database, e.g. with a small size or a short acquire timeout.
  // Close it before the test ends.
  Result<std::unique_ptr<Database>> OpenAnother(const DatabaseOptions& options);
  // Pool size of db(); override to change.
  virtual int PoolSize() const { return 4; }

 private:
  std::string url_;
  std::string sqlite_path_;
  std::string pg_schema_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<Database::Handle> handle_;
};

}  // namespace th::storage::testing

// Instantiates a TEST_P suite derived from EngineTest over both engines.
#define TH_INSTANTIATE_ENGINE_TEST(SuiteName)                                                   \
  INSTANTIATE_TEST_SUITE_P(Engines, SuiteName,                                                  \
                           ::testing::Values(::th::storage::Engine::kSqlite,                    \
                                             ::th::storage::Engine::kPostgres),                 \
                           ::th::storage::testing::EngineParamName)
