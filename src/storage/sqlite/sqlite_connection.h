#pragma once
// SQLite driver: one sqlite3 handle per Connection, WAL, prepared statements cached by SQL text.
#include <memory>
#include <string>

#include "storage/connection.h"

namespace th::storage {

class SqliteDialect final : public Dialect {
 public:
  Engine engine() const override { return Engine::kSqlite; }
  std::string_view name() const override { return "sqlite"; }
  std::string_view AutoIdType() const override { return "INTEGER PRIMARY KEY"; }
  std::string_view BlobType() const override { return "BLOB"; }
  std::string_view ILike() const override { return "LIKE"; }
};
const Dialect& SqliteDialectInstance();

struct SqliteSettings {
  std::int64_t mmap_bytes = 0;  // PRAGMA mmap_size (0: reads go through read(2) into the page cache)
  std::int64_t cache_bytes = 2 * 1024 * 1024;  // PRAGMA cache_size: this connection's page cache
};

// Opens (creating if missing) the database file at `path` (or ":memory:") and applies the
// connection settings: WAL, busy_timeout 5000 ms, foreign_keys ON, synchronous NORMAL, and
// `settings`. Fails with kUnavailable when the file cannot be opened.
Result<std::unique_ptr<Connection>> OpenSqliteConnection(const std::string& path,
                                                         const SqliteSettings& settings = {});

}  // namespace th::storage
