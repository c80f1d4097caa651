// The connection pool and URL dispatch to the two drivers.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>

#include "storage/connection.h"
#include "storage/postgres/pg_connection.h"
#include "storage/sqlite/sqlite_connection.h"

namespace th::storage {
namespace {

using Factory = std::function<Result<std::unique_ptr<Connection>>()>;

class PooledDatabase final : public Database {
 public:
  PooledDatabase(const Dialect& dialect, Factory factory, int max_size,
                 std::chrono::milliseconds timeout, std::unique_ptr<Connection> first)
      : dialect_(dialect), factory_(std::move(factory)), max_size_(max_size), timeout_(timeout) {
    idle_.push_back(std::move(first));
    open_ = 1;
  }

  const Dialect& dialect() const override { return dialect_; }

  Result<Handle> Acquire() override {
    auto deadline = std::chrono::steady_clock::now() + timeout_;
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      if (!idle_.empty()) {
        // Most recently used first: its statement cache and OS pages are warm.
        std::unique_ptr<Connection> c = std::move(idle_.back());
        idle_.pop_back();
        return Handle(this, std::move(c));
      }
      if (open_ < max_size_) {
        ++open_;
        lock.unlock();  // connecting to a server takes milliseconds; don't block Release()
        Result<std::unique_ptr<Connection>> r = factory_();
        if (!r.ok()) {
          lock.lock();
          --open_;
          cv_.notify_one();
          return r.status();
        }
        return Handle(this, std::move(r).value());
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= max_size_) {
        return Status::Error(Code::kUnavailable, "pool_exhausted", "服务器繁忙，请稍后重试",
                             "All " + std::to_string(max_size_) +
                                 " database connections are busy; try again later");
      }
    }
  }

 protected:
  void Release(std::unique_ptr<Connection> c) override {
    // A borrower that forgot to finish its transaction must not leak it to the next one.
    if (c->InTransaction()) (void)c->Rollback();
    bool keep = c->Healthy() && !c->InTransaction();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (keep) {
        idle_.push_back(std::move(c));
      } else {
        --open_;
      }
    }
    cv_.notify_one();
    c.reset();  // a discarded connection closes outside the lock
  }

 private:
  const Dialect& dialect_;
  Factory factory_;
  const int max_size_;
  const std::chrono::milliseconds timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Connection>> idle_;
  int open_ = 0;
};

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigit(s[i + 1]) >= 0 && HexDigit(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexDigit(s[i + 1]) * 16 + HexDigit(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Removes our own `search_path` query parameter (libpq would reject it) from a PostgreSQL URI.
std::string ExtractSearchPath(std::string& url) {
  std::size_t q = url.find('?');
  if (q == std::string::npos) return {};
  std::string query = url.substr(q + 1);
  std::string kept;
  std::string search_path;
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t amp = query.find('&', start);
    if (amp == std::string::npos) amp = query.size();
    std::string_view part(query.data() + start, amp - start);
    if (StartsWith(part, "search_path=")) {
      search_path = PercentDecode(part.substr(12));
    } else if (!part.empty()) {
      if (!kept.empty()) kept.push_back('&');
      kept.append(part);
    }
    start = amp + 1;
  }
  url = url.substr(0, q);
  if (!kept.empty()) url += "?" + kept;
  return search_path;
}

Status BadUrl(const std::string& url, std::string_view why) {
  return Status::Invalid("database", "invalid_database_url", "数据库地址无效",
                         "Invalid database URL '" + url + "': " + std::string(why));
}

}  // namespace

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url, int pool_size) {
  DatabaseOptions options;
  options.pool_size = pool_size;
  return OpenDatabase(url, options);
}

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url,
                                               const DatabaseOptions& options) {
  if (options.pool_size < 1) return BadUrl(url, "pool size must be at least 1");
  if (url.empty()) return BadUrl(url, "empty");
  const Dialect* dialect = nullptr;
  Factory factory;
  int pool_size = options.pool_size;
  if (StartsWith(url, "postgresql://") || StartsWith(url, "postgres://")) {
    std::string conninfo = url;
    std::string search_path = ExtractSearchPath(conninfo);
    dialect = &PostgresDialectInstance();
    factory = [conninfo, search_path]() { return OpenPostgresConnection(conninfo, search_path); };
  } else {
    std::string path;
    if (StartsWith(url, "sqlite://")) {
      path = url.substr(9);  // "sqlite:///abs" -> "/abs"
    } else if (StartsWith(url, "sqlite:")) {
      path = url.substr(7);
    } else if (url.find("://") != std::string::npos) {
      return BadUrl(url, "unknown scheme (use sqlite: or postgresql://)");
    } else {
      path = url;
    }
    if (path.empty()) return BadUrl(url, "missing file path");
    // Each SQLite connection to ":memory:" is its own database: share one connection.
    if (path == ":memory:") pool_size = 1;
    dialect = &SqliteDialectInstance();
    SqliteSettings settings;
    settings.mmap_bytes = options.sqlite_mmap_bytes;
    settings.cache_bytes = options.sqlite_cache_bytes;
    factory = [path, settings]() { return OpenSqliteConnection(path, settings); };
  }
  TH_ASSIGN_OR_RETURN(std::unique_ptr<Connection> first, factory());
  return std::unique_ptr<Database>(std::make_unique<PooledDatabase>(
      *dialect, std::move(factory), pool_size, options.acquire_timeout, std::move(first)));
}

}  // namespace th::storage
