#pragma once
// The thin storage interface both engines implement (SQLite embedded, PostgreSQL via libpq).
// SQL is written once with $1, $2 ... placeholders; Dialect covers the few differences.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/status.h"

namespace th::storage {

// A bound parameter or a column value. Booleans are stored as INTEGER 0/1 on both engines,
// timestamps as int64 milliseconds, blobs as bytes (BLOB / BYTEA).
struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};
using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;
using Params = std::vector<Value>;

inline Value Null() { return std::monostate{}; }

// One result row. Accessors convert where it is lossless; a NULL reads as the default.
class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}
  std::size_t size() const { return cells_.size(); }
  bool IsNull(std::size_t i) const { return std::holds_alternative<std::monostate>(cells_.at(i)); }
  std::int64_t Int(std::size_t i) const;
  double Real(std::size_t i) const;
  std::string Text(std::size_t i) const;  // blobs come back as their bytes
  std::optional<std::int64_t> OptInt(std::size_t i) const;
  std::optional<std::string> OptText(std::size_t i) const;
  const Value& at(std::size_t i) const { return cells_.at(i); }

 private:
  std::vector<Value> cells_;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  const Row& operator[](std::size_t i) const { return rows[i]; }
};

enum class Engine { kSqlite, kPostgres };

// What differs between engines. Everything else is shared SQL.
class Dialect {
 public:
  virtual ~Dialect() = default;
  virtual Engine engine() const = 0;
  virtual std::string_view name() const = 0;  // "sqlite" / "postgresql"
  // Column type for an auto-increment int64 primary key.
  virtual std::string_view AutoIdType() const = 0;  // "INTEGER PRIMARY KEY" / "BIGSERIAL PRIMARY KEY"
  virtual std::string_view BlobType() const = 0;    // "BLOB" / "BYTEA"
  // Case-insensitive LIKE operator.
  virtual std::string_view ILike() const = 0;       // "LIKE" / "ILIKE"
};

// One statement of a batch (Connection::QueryBatch).
struct Statement {
  std::string sql;
  Params params;
};

// A single connection. Not thread-safe: one thread uses it at a time.
// Portability notes for the shared SQL:
// - PostgreSQL infers each $N's type from context; where there is none (`SELECT $1`, `$1 + 1`
//   with a value beyond int32) write a cast: `$1::BIGINT`, `CAST($1 AS TEXT)`.
// - Text values must be valid UTF-8 without NUL bytes (use Blob for bytes).
// - Every $N the SQL uses must be given and every given value used, on both engines.
// - After a failed statement inside a transaction PostgreSQL rejects everything until Rollback();
//   treat any error inside a transaction as fatal to it (Commit() then fails and rolls back).
// - Errors: unique/primary-key violation -> kConflict "duplicate"; server gone -> kUnavailable;
//   anything else (syntax, missing table, other constraints) -> kInternal with the engine message.
//   Statements are prepared once per connection and cached by SQL text: keep SQL text stable
//   (parameters, not values spliced into the string).
class Connection {
 public:
  virtual ~Connection() = default;
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  virtual const Dialect& dialect() const = 0;
  // Runs a statement that returns no rows; returns the number of rows changed.
  virtual Result<std::int64_t> Execute(std::string_view sql, const Params& params = {}) = 0;
  // Runs a query and returns all rows. Statements with RETURNING also go here.
  virtual Result<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs the queries in order and answers each one's rows; stops at the first failure (its error is the answer).
  // PostgreSQL sends them together (libpq pipeline mode: one round trip instead of one each; outside a transaction
  // they share one implicit transaction); SQLite runs them one by one. For reads that do not depend on one
  // another's answers, e.g. a page's record and its lists.
  virtual Result<std::vector<Rows>> QueryBatch(const std::vector<Statement>& batch) {
    std::vector<Rows> out;
    out.reserve(batch.size());
    for (const auto& st : batch) {
      TH_ASSIGN_OR_RETURN(auto rows, Query(st.sql, st.params));
      out.push_back(std::move(rows));
    }
    return out;
  }
  // Runs several statements separated by ';' without parameters (migrations, DDL).
  virtual Status ExecuteScript(std::string_view sql) = 0;
  // Transactions; nesting is not supported (use Transaction below).
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual bool InTransaction() const = 0;
  // False once the connection is unusable (server gone); the pool then discards it.
  virtual bool Healthy() const { return true; }
};

// RAII transaction: rolls back unless Commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Connection& c) : c_(c) {}
  ~Transaction() {
    if (began_ && !done_) (void)c_.Rollback();
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Status Begin() {
    Status s = c_.Begin();
    began_ = s.ok();
    return s;
  }
  Status Commit() {
    Status s = c_.Commit();
    if (s.ok()) done_ = true;
    return s;
  }

 private:
  Connection& c_;
  bool began_ = false;
  bool done_ = false;
};

// A pool of connections to one database. Thread-safe.
class Database {
 public:
  virtual ~Database() = default;
  virtual const Dialect& dialect() const = 0;
  // Borrows a connection; it returns to the pool when the handle is destroyed.
  class Handle {
   public:
    Handle(Database* db, std::unique_ptr<Connection> c) : db_(db), c_(std::move(c)) {}
    Handle(Handle&&) = default;
    // Returns the connection held so far to its pool before taking the other one.
    Handle& operator=(Handle&& o) noexcept {
      if (this != &o) {
        if (c_) db_->Release(std::move(c_));
        db_ = o.db_;
        c_ = std::move(o.c_);
      }
      return *this;
    }
    ~Handle() {
      if (c_) db_->Release(std::move(c_));
    }
    Connection& operator*() { return *c_; }
    Connection* operator->() { return c_.get(); }
    Connection& get() { return *c_; }

   private:
    Database* db_;
    std::unique_ptr<Connection> c_;
  };
  virtual Result<Handle> Acquire() = 0;

 protected:
  virtual void Release(std::unique_ptr<Connection> c) = 0;
};

// Opens by URL: "sqlite:///abs/path.db", "sqlite:relative.db", a bare path (SQLite),
// or "postgresql://user@host:port/db" (also "postgres://"). `pool_size` caps connections.
// ":memory:" (or "sqlite::memory:") is a private in-memory SQLite database; the pool is then
// capped at one connection, since every SQLite connection to ":memory:" is a separate database.
// PostgreSQL URLs accept every libpq URI parameter plus `search_path=a,b`, which is set on
// each new connection (tests use it to isolate themselves in a schema).
// One connection is opened eagerly so a bad URL or an unreachable server fails here.
// Every Handle must be destroyed before its Database.
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url, int pool_size = 8);

struct DatabaseOptions {
  int pool_size = 8;
  // How long Acquire() waits for a free connection before failing with kUnavailable.
  std::chrono::milliseconds acquire_timeout{10'000};
  // SQLite only: read the first `sqlite_mmap_bytes` of the file through a shared memory map
  // (PRAGMA mmap_size; capped by SQLite's compile-time maximum, 2 GiB in Debian's build).
  // Reads then cost no system call and no copy; the mapped pages are the OS page cache, shared
  // by every connection, and show up in the process's RssFile (not RssAnon). 0 turns it off.
  std::int64_t sqlite_mmap_bytes = 0;
  // SQLite only: each connection's page cache (PRAGMA cache_size), private memory. SQLite's
  // default is 2 MiB.
  std::int64_t sqlite_cache_bytes = 2 * 1024 * 1024;
};
// As above, with every pool knob.
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url,
                                               const DatabaseOptions& options);

// One schema change. `sql` may use {{AUTO_ID}} and {{BLOB}}, replaced per engine.
struct Migration {
  int version = 0;   // from the file name NNNN_name.sql
  std::string name;  // "platform"
  std::string sql;
};

// Applies every migration newer than the recorded schema version, each in its own
// transaction, and records it in schema_migrations. Safe to run on every start.
Status Migrate(Connection& c);
// Same, with an explicit list (tests). The list must have strictly increasing positive versions.
// A database whose recorded version is newer than the list's newest fails with "schema_too_new".
Status Migrate(Connection& c, const std::vector<Migration>& migrations);
// The newest migration version this binary knows (0 when there are none).
int LatestSchemaVersion();
// The migrations compiled into this binary (src/storage/migrations/*.sql), ordered by version.
const std::vector<Migration>& EmbeddedMigrations();
// The highest version recorded in schema_migrations; 0 for a database never migrated.
Result<int> CurrentSchemaVersion(Connection& c);
// Replaces {{AUTO_ID}} and {{BLOB}} with the dialect's types.
std::string RenderMigrationSql(std::string_view sql, const Dialect& dialect);

}  // namespace th::storage
