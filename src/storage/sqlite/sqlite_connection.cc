#include "storage/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <map>
#include <mutex>
#include <string_view>
#include <unordered_map>

namespace th::storage {

const Dialect& SqliteDialectInstance() {
  static const SqliteDialect kDialect;
  return kDialect;
}

namespace {

// Lets the statement caches look up a string_view without allocating a std::string per call.
struct SqlHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Bounds the statement cache: SQL built dynamically (IN lists) must not grow it forever.
constexpr std::size_t kMaxCachedStatements = 256;
constexpr int kBusyTimeoutMs = 5000;

Status SqliteError(sqlite3* db, int rc, std::string_view sql) {
  int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::Error(Code::kConflict, "duplicate", "记录已存在（违反唯一约束）",
                         "Duplicate: " + msg);
  }
  int primary = ext & 0xff;
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Status::Error(Code::kUnavailable, "database_busy", "数据库繁忙，请稍后重试",
                         "Database busy: " + msg);
  }
  std::string detail = "sqlite: " + msg;
  if (!sql.empty()) {
    detail += " [sql: ";
    detail += sql.substr(0, 200);
    detail += "]";
  }
  return Status::Internal(detail);
}

bool IsBlank(const char* s) {
  // A trailing comment or semicolons after the single statement are fine.
  while (*s != '\0') {
    if (std::isspace(static_cast<unsigned char>(*s)) || *s == ';') {
      ++s;
    } else if (s[0] == '-' && s[1] == '-') {
      while (*s != '\0' && *s != '\n') ++s;
    } else {
      return false;
    }
  }
  return true;
}

// One per database file in this process. SQLite has a single writer; when several of our
// connections want the write lock at once, the losers would poll it with busy_timeout's
// sleeps (1, 2, 5, 10 ... 100 ms), which is where write latency spikes came from (a child
// file open appends an audit row). Taking this mutex before BEGIN IMMEDIATE queues our own
// writers on a futex instead, so the next one starts the moment the lock is free.
// busy_timeout still covers other processes (the CLI) writing the same file.
struct WriteGate {
  std::timed_mutex mu;
};

std::shared_ptr<WriteGate> GateFor(const std::string& path) {
  static std::mutex registry_mu;
  static std::map<std::string, std::weak_ptr<WriteGate>> registry;
  std::lock_guard<std::mutex> lock(registry_mu);
  std::shared_ptr<WriteGate> gate = registry[path].lock();
  if (!gate) {
    gate = std::make_shared<WriteGate>();
    registry[path] = gate;
  }
  return gate;
}

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::shared_ptr<WriteGate> gate) : db_(db), gate_(std::move(gate)) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
    ReleaseGate();
  }

  const Dialect& dialect() const override { return SqliteDialectInstance(); }

  Result<std::int64_t> Execute(std::string_view sql, const Params& params) override {
    bool read_only = false;
    Status s = Run(sql, params, nullptr, &read_only);
    if (!s.ok()) return s;
    // sqlite3_changes64 still holds the previous write's count after a SELECT.
    return read_only ? 0 : static_cast<std::int64_t>(sqlite3_changes64(db_));
  }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    Rows rows;
    Status s = Run(sql, params, &rows);
    if (!s.ok()) return s;
    return rows;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
    if (err != nullptr) sqlite3_free(err);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, {});
    return Status::Ok();
  }

  // IMMEDIATE takes the write lock up front: a writer waits (busy_timeout) at BEGIN instead of
  // failing with SQLITE_BUSY when a read transaction later tries to upgrade.
  Status Begin() override {
    if (InTransaction()) {
      return Status::Internal("sqlite: Begin() inside a transaction (nesting is not supported)");
    }
    if (gate_ && !holds_gate_) {
      if (!gate_->mu.try_lock_for(std::chrono::milliseconds(kBusyTimeoutMs))) {
        return Status::Error(Code::kUnavailable, "database_busy", "数据库繁忙，请稍后重试",
                             "Database busy: waited too long for the write lock");
      }
      holds_gate_ = true;
    }
    Status s = Simple("BEGIN IMMEDIATE");
    if (!InTransaction()) ReleaseGate();
    return s;
  }
  Status Commit() override {
    if (!InTransaction()) return Status::Internal("sqlite: Commit() without a transaction");
    Status s = Simple("COMMIT");
    if (!InTransaction()) ReleaseGate();
    return s;
  }
  Status Rollback() override {
    // A failed statement may already have rolled back (e.g. SQLITE_FULL); nothing left to do.
    Status s = InTransaction() ? Simple("ROLLBACK") : Status::Ok();
    if (!InTransaction()) ReleaseGate();
    return s;
  }
  bool InTransaction() const override { return sqlite3_get_autocommit(db_) == 0; }

 private:
  void ReleaseGate() {
    if (holds_gate_) {
      holds_gate_ = false;
      gate_->mu.unlock();
    }
  }

  Status Simple(const char* sql) {
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    return Status::Ok();
  }

  Result<sqlite3_stmt*> Prepare(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return it->second;
    std::string key(sql);
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size() + 1),
                                SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
    if (stmt == nullptr) {
      return Status::Internal("sqlite: empty statement");
    }
    if (tail != nullptr && !IsBlank(tail)) {
      sqlite3_finalize(stmt);
      return Status::Internal("sqlite: Execute/Query take one statement; use ExecuteScript [sql: " +
                              key.substr(0, 200) + "]");
    }
    // Placeholders must be $1..$N so the same SQL runs on PostgreSQL. Their numbers are kept:
    // sqlite3_bind_parameter_name walks a list, so asking it per bind costs O(parameters^2) per
    // execution (seconds per thousand runs of a multi-row INSERT with 10,000 parameters).
    int count = sqlite3_bind_parameter_count(stmt);
    std::vector<int> nums(static_cast<std::size_t>(count));
    for (int j = 1; j <= count; ++j) {
      const char* name = sqlite3_bind_parameter_name(stmt, j);
      std::string_view n = name != nullptr ? name : "";
      int num = 0;
      bool ok = n.size() >= 2 && n[0] == '$' &&
                std::from_chars(n.data() + 1, n.data() + n.size(), num).ptr == n.data() + n.size() &&
                num >= 1;
      if (!ok) {
        sqlite3_finalize(stmt);
        return Status::Internal("sqlite: placeholders must be written $1, $2 ... (found '" +
                                std::string(n.empty() ? "?" : n) + "')");
      }
      nums[static_cast<std::size_t>(j - 1)] = num;
    }
    if (cache_.size() >= kMaxCachedStatements) {
      for (auto& [k, s] : cache_) sqlite3_finalize(s);
      cache_.clear();
      param_nums_.clear();
    }
    cache_.emplace(std::move(key), stmt);
    param_nums_[stmt] = std::move(nums);
    return stmt;
  }

  Status Bind(sqlite3_stmt* stmt, const Params& params) {
    const std::vector<int>& nums = param_nums_.at(stmt);
    int count = static_cast<int>(nums.size());
    // Every $N the SQL uses must be supplied, and every supplied value used (as PostgreSQL demands).
    std::vector<bool> used(params.size(), false);
    for (int j = 1; j <= count; ++j) {
      int num = nums[static_cast<std::size_t>(j - 1)];
      if (num < 1 || static_cast<std::size_t>(num) > params.size()) {
        return Status::Internal("sqlite: SQL uses $" + std::to_string(num) + " but only " +
                                std::to_string(params.size()) + " parameters were given");
      }
      used[num - 1] = true;
      const Value& v = params[num - 1];
      int rc = SQLITE_OK;
      if (std::holds_alternative<std::monostate>(v)) {
        rc = sqlite3_bind_null(stmt, j);
      } else if (auto* n = std::get_if<std::int64_t>(&v)) {
        rc = sqlite3_bind_int64(stmt, j, *n);
      } else if (auto* d = std::get_if<double>(&v)) {
        rc = sqlite3_bind_double(stmt, j, *d);
      } else if (auto* s = std::get_if<std::string>(&v)) {
        rc = sqlite3_bind_text64(stmt, j, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
      } else if (auto* b = std::get_if<Blob>(&v)) {
        // A zero-length blob must still bind as a blob, not NULL (data() may be non-null anyway).
        rc = sqlite3_bind_blob64(stmt, j, b->bytes.data(), b->bytes.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return SqliteError(db_, rc, {});
    }
    for (std::size_t k = 0; k < used.size(); ++k) {
      if (!used[k]) {
        return Status::Internal("sqlite: parameter $" + std::to_string(k + 1) +
                                " was given but the SQL does not use it");
      }
    }
    return Status::Ok();
  }

  static Value Column(sqlite3_stmt* stmt, int c) {
    switch (sqlite3_column_type(stmt, c)) {
      case SQLITE_INTEGER:
        return static_cast<std::int64_t>(sqlite3_column_int64(stmt, c));
      case SQLITE_FLOAT:
        return sqlite3_column_double(stmt, c);
      case SQLITE_TEXT: {
        auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
        int n = sqlite3_column_bytes(stmt, c);
        return std::string(p != nullptr ? p : "", static_cast<std::size_t>(n));
      }
      case SQLITE_BLOB: {
        auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
        int n = sqlite3_column_bytes(stmt, c);
        return Blob{std::string(p != nullptr ? p : "", static_cast<std::size_t>(n))};
      }
      default:
        return std::monostate{};
    }
  }

  // Runs one statement to completion; collects rows when `out` is given.
  Status Run(std::string_view sql, const Params& params, Rows* out, bool* read_only = nullptr) {
    TH_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql));
    if (read_only != nullptr) *read_only = sqlite3_stmt_readonly(stmt) != 0;
    // Reset on every exit so the cached statement holds no lock and no stale bindings.
    struct Resetter {
      sqlite3_stmt* s;
      ~Resetter() {
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
      }
    } resetter{stmt};
    TH_RETURN_IF_ERROR(Bind(stmt, params));
    int ncols = 0;
    for (bool first = true;; first = false) {
      int rc = sqlite3_step(stmt);
      // Column names are read after the first step: a schema change recompiles the statement
      // there, and "SELECT *" may then have more columns than when it was cached.
      if (first && (rc == SQLITE_ROW || rc == SQLITE_DONE)) {
        ncols = sqlite3_column_count(stmt);
        if (out != nullptr) {
          out->columns.reserve(ncols);
          for (int c = 0; c < ncols; ++c) out->columns.emplace_back(sqlite3_column_name(stmt, c));
        }
      }
      if (rc == SQLITE_DONE) break;
      if (rc == SQLITE_ROW) {
        if (out != nullptr) {
          std::vector<Value> cells;
          cells.reserve(ncols);
          for (int c = 0; c < ncols; ++c) cells.push_back(Column(stmt, c));
          out->rows.emplace_back(std::move(cells));
        }
        continue;
      }
      return SqliteError(db_, rc, sql);
    }
    return Status::Ok();
  }

  sqlite3* db_;
  std::shared_ptr<WriteGate> gate_;  // null for :memory: (each connection is its own database)
  bool holds_gate_ = false;
  std::unordered_map<std::string, sqlite3_stmt*, SqlHash, std::equal_to<>> cache_;
  std::unordered_map<sqlite3_stmt*, std::vector<int>> param_nums_;  // $N of each parameter index
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenSqliteConnection(const std::string& path,
                                                         const SqliteSettings& settings) {
  // Memory statistics take a process-wide mutex on every allocation; with many server threads
  // that mutex becomes the hot spot. Must be set before SQLite initializes.
  static const bool kConfigured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize() == SQLITE_OK;
  }();
  (void)kConfigured;
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return Status::Error(Code::kUnavailable, "database_unavailable", "无法打开数据库文件",
                         "Cannot open SQLite database '" + path + "': " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  std::shared_ptr<WriteGate> gate;
  if (path != ":memory:" && !path.empty()) gate = GateFor(path);
  auto conn = std::make_unique<SqliteConnection>(db, std::move(gate));
  // journal_mode answers "memory" for :memory: databases; that is fine.
  Status s = conn->ExecuteScript(
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=" +
      std::to_string(std::max<std::int64_t>(0, settings.mmap_bytes)) + "; PRAGMA cache_size=-" +
      std::to_string(std::max<std::int64_t>(64, settings.cache_bytes / 1024)) + ";");
  if (!s.ok()) {
    return Status::Error(Code::kUnavailable, "database_unavailable", "无法打开数据库文件",
                         "Cannot configure SQLite database '" + path + "': " + s.message_en());
  }
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace th::storage
