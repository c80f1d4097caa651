#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "storage/connection.h"

namespace th::storage {
namespace {

std::string TempPath(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("th_url_test_" + std::to_string(::getpid()) + "_" + name))
      .string();
}

void Remove(const std::string& path) {
  std::error_code ec;
  for (const char* s : {"", "-wal", "-shm"}) std::filesystem::remove(path + s, ec);
}

TEST(OpenDatabaseTest, SqliteUrlForms) {
  const std::string abs = TempPath("abs.db");
  const std::string bare = TempPath("bare.db");
  struct Case {
    std::string url;
    std::string file;  // expected to exist afterwards; empty for :memory:
  } cases[] = {
      {"sqlite://" + abs, abs},
      {bare, bare},
      {":memory:", ""},
      {"sqlite::memory:", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    Remove(c.file);
    auto db = OpenDatabase(c.url, 2);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_EQ((*db)->dialect().engine(), Engine::kSqlite);
    auto h = (*db)->Acquire();
    ASSERT_TRUE(h.ok());
    auto rows = (*h)->Query("SELECT 40 + 2");
    ASSERT_TRUE(rows.ok()) << rows.status().ToString();
    EXPECT_EQ((*rows)[0].Int(0), 42);
    if (!c.file.empty()) {
      EXPECT_TRUE(std::filesystem::exists(c.file));
      auto mode = (*h)->Query("PRAGMA journal_mode");
      ASSERT_TRUE(mode.ok());
      EXPECT_EQ((*mode)[0].Text(0), "wal");
    }
    auto fk = (*h)->Query("PRAGMA foreign_keys");
    ASSERT_TRUE(fk.ok());
    EXPECT_EQ((*fk)[0].Int(0), 1);
    auto busy = (*h)->Query("PRAGMA busy_timeout");
    ASSERT_TRUE(busy.ok());
    EXPECT_EQ((*busy)[0].Int(0), 5000);
    auto sync = (*h)->Query("PRAGMA synchronous");
    ASSERT_TRUE(sync.ok());
    EXPECT_EQ((*sync)[0].Int(0), 1);  // NORMAL
    h = Result<Database::Handle>(Status::Internal("released"));
    db = Result<std::unique_ptr<Database>>(Status::Internal("closed"));
    Remove(c.file);
  }
}

TEST(OpenDatabaseTest, RelativeSqliteUrl) {
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(std::filesystem::temp_directory_path());
  const std::string name = "th_url_test_" + std::to_string(::getpid()) + "_rel.db";
  {
    auto db = OpenDatabase("sqlite:" + name, 1);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    EXPECT_TRUE(std::filesystem::exists(name));
  }
  Remove(std::filesystem::absolute(name).string());
  std::filesystem::current_path(cwd);
}

TEST(OpenDatabaseTest, BadUrlsGiveClearErrors) {
  struct Case {
    std::string url;
    int pool_size;
    Code code;
  } cases[] = {
      {"", 4, Code::kInvalidArgument},
      {"sqlite:", 4, Code::kInvalidArgument},
      {"mysql://root@localhost/db", 4, Code::kInvalidArgument},
      {":memory:", 0, Code::kInvalidArgument},
      {"sqlite:///nonexistent-dir-th/x/y.db", 4, Code::kUnavailable},
      {"postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", 4, Code::kUnavailable},
      {"postgresql://nobody@127.0.0.1:1/none?bogus_param=1", 4, Code::kUnavailable},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.url);
    auto db = OpenDatabase(c.url, c.pool_size);
    ASSERT_FALSE(db.ok());
    EXPECT_EQ(db.status().code(), c.code) << db.status().ToString();
    EXPECT_FALSE(db.status().message_en().empty());
  }
}

TEST(OpenDatabaseTest, MemoryDatabaseIsOneSharedConnection) {
  DatabaseOptions options;
  options.pool_size = 4;
  options.acquire_timeout = std::chrono::milliseconds(50);
  auto db = OpenDatabase(":memory:", options);
  ASSERT_TRUE(db.ok());
  {
    auto h = (*db)->Acquire();
    ASSERT_TRUE(h.ok());
    ASSERT_TRUE((*h)->ExecuteScript("CREATE TABLE t (x BIGINT)").ok());
    auto second = (*db)->Acquire();  // capped at one connection
    EXPECT_FALSE(second.ok());
    EXPECT_EQ(second.status().error_code(), "pool_exhausted");
  }
  auto h = (*db)->Acquire();
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE((*h)->Query("SELECT x FROM t").ok());  // same database
}

}  // namespace
}  // namespace th::storage
