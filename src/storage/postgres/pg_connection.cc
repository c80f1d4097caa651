#include "storage/postgres/pg_connection.h"

#include <libpq-fe.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

namespace th::storage {

const Dialect& PostgresDialectInstance() {
  static const PostgresDialect kDialect;
  return kDialect;
}

namespace {

// Lets the statement caches look up a string_view without allocating a std::string per call.
struct SqlHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Type OIDs from pg_type.h (stable across server versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;

constexpr std::size_t kMaxCachedStatements = 256;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

std::string Trimmed(const char* s) {
  std::string m = s != nullptr ? s : "";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

void IgnoreNotice(void*, const char*) {}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, p);
}

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  const Dialect& dialect() const override { return PostgresDialectInstance(); }

  Result<std::int64_t> Execute(std::string_view sql, const Params& params) override {
    TH_ASSIGN_OR_RETURN(PgResult res, Run(sql, params));
    // PQcmdTuples counts rows returned by a SELECT too; "changed" means written, as on SQLite.
    const char* tag = PQcmdStatus(res.get());
    if (tag != nullptr && std::strncmp(tag, "SELECT", 6) == 0) return std::int64_t{0};
    const char* n = PQcmdTuples(res.get());
    std::int64_t changed = 0;
    if (n != nullptr && *n != '\0') std::from_chars(n, n + std::strlen(n), changed);
    return changed;
  }

  Result<Rows> Query(std::string_view sql, const Params& params) override {
    TH_ASSIGN_OR_RETURN(PgResult res, Run(sql, params));
    return ToRows(res.get());
  }

  Result<std::vector<Rows>> QueryBatch(const std::vector<Statement>& batch) override {
    if (batch.size() < 2 || PQpipelineStatus(conn_) != PQ_PIPELINE_OFF) return Connection::QueryBatch(batch);
    // Every statement prepared first (a round trip each on its first use on this connection), without a
    // DEALLOCATE ALL between two of them.
    if (cache_.size() + batch.size() > kMaxCachedStatements && PQtransactionStatus(conn_) != PQTRANS_INERROR) {
      PgResult r(PQexec(conn_, "DEALLOCATE ALL"));
      cache_.clear();
    }
    std::vector<const std::string*> names;
    std::vector<Bound> bound;
    for (const auto& st : batch) {
      TH_ASSIGN_OR_RETURN(const std::string* name, Prepared(st.sql));
      TH_ASSIGN_OR_RETURN(Bound b, Bind(st.params));
      names.push_back(name);
      bound.push_back(std::move(b));
    }
    if (PQenterPipelineMode(conn_) != 1) return Connection::QueryBatch(batch);
    bool sent = true;
    for (std::size_t i = 0; i < batch.size() && sent; ++i) {
      sent = PQsendQueryPrepared(conn_, names[i]->c_str(), static_cast<int>(batch[i].params.size()),
                                 bound[i].values.data(), bound[i].lengths.data(), bound[i].formats.data(), 0) == 1;
    }
    const bool synced = PQpipelineSync(conn_) == 1;  // after a failed send too: the drain reads up to it
    if (!sent || !synced) {
      Status err = Error(nullptr, batch.front().sql);
      DrainPipeline();
      return err;
    }
    // Each query's result, then a null; after the last one the sync point. A failed query makes the ones after it
    // PGRES_PIPELINE_ABORTED.
    std::vector<PgResult> results;
    bool at_sync = false;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      PgResult r(PQgetResult(conn_));
      if (r == nullptr) break;
      if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) {
        at_sync = true;
        break;
      }
      while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
      results.push_back(std::move(r));
    }
    if (!at_sync || PQexitPipelineMode(conn_) != 1) DrainPipeline();
    bool stale = false;
    for (std::size_t i = 0; i < results.size(); ++i) {
      const ExecStatusType st = PQresultStatus(results[i].get());
      if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK || st == PGRES_PIPELINE_ABORTED) continue;
      if (IsStaleStatement(results[i].get())) {
        stale = true;
        Forget(batch[i].sql);
        continue;
      }
      return Error(results[i].get(), batch[i].sql);
    }
    // A statement gone stale (DDL, DISCARD ALL) outside a transaction: again one by one, each re-prepared.
    if (stale) {
      if (PQtransactionStatus(conn_) != PQTRANS_IDLE) return Status::Internal("postgresql: stale statement in a batch");
      return Connection::QueryBatch(batch);
    }
    if (results.size() != batch.size()) return Status::Internal("postgresql: a batch answered too few results");
    std::vector<Rows> out;
    out.reserve(results.size());
    for (const auto& r : results) out.push_back(ToRows(r.get()));
    return out;
  }

  Status ExecuteScript(std::string_view sql) override {
    std::string text(sql);
    PgResult res(PQexec(conn_, text.c_str()));
    ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
      return Error(res.get(), {});
    }
    return Status::Ok();
  }

  Status Begin() override {
    if (InTransaction()) {
      return Status::Internal("postgresql: Begin() inside a transaction (nesting is not supported)");
    }
    return Simple("BEGIN");
  }
  Status Commit() override {
    PGTransactionStatusType ts = PQtransactionStatus(conn_);
    if (ts == PQTRANS_INERROR) {
      // COMMIT of an aborted transaction silently rolls back; make the failure visible.
      (void)Simple("ROLLBACK");
      return Status::Internal(
          "postgresql: the transaction was rolled back because a statement in it failed");
    }
    if (ts != PQTRANS_INTRANS) return Status::Internal("postgresql: Commit() without a transaction");
    return Simple("COMMIT");
  }
  Status Rollback() override {
    if (!InTransaction()) return Status::Ok();
    return Simple("ROLLBACK");
  }
  bool InTransaction() const override {
    PGTransactionStatusType ts = PQtransactionStatus(conn_);
    return ts == PQTRANS_INTRANS || ts == PQTRANS_INERROR || ts == PQTRANS_ACTIVE;
  }
  bool Healthy() const override { return PQstatus(conn_) == CONNECTION_OK; }

  Status Setup(const std::string& search_path) {
    PQsetNoticeProcessor(conn_, IgnoreNotice, nullptr);
    std::string sql = "SET client_encoding TO 'UTF8'; SET TimeZone TO 'UTC';";
    if (!search_path.empty()) {
      std::string list;
      std::size_t start = 0;
      while (start <= search_path.size()) {
        std::size_t comma = search_path.find(',', start);
        if (comma == std::string::npos) comma = search_path.size();
        std::string name = search_path.substr(start, comma - start);
        while (!name.empty() && name.front() == ' ') name.erase(0, 1);
        while (!name.empty() && name.back() == ' ') name.pop_back();
        if (!name.empty()) {
          char* quoted = PQescapeIdentifier(conn_, name.data(), name.size());
          if (quoted == nullptr) return Status::Internal("postgresql: bad search_path");
          if (!list.empty()) list += ", ";
          list += quoted;
          PQfreemem(quoted);
        }
        start = comma + 1;
      }
      if (!list.empty()) sql += " SET search_path TO " + list + ";";
    }
    return ExecuteScript(sql);
  }

 private:
  static Rows ToRows(const PGresult* r) {
    Rows rows;
    int ncols = PQnfields(r);
    int nrows = PQntuples(r);
    rows.columns.reserve(ncols);
    std::vector<Oid> types(ncols);
    for (int c = 0; c < ncols; ++c) {
      rows.columns.emplace_back(PQfname(r, c));
      types[c] = PQftype(r, c);
    }
    rows.rows.reserve(nrows);
    for (int i = 0; i < nrows; ++i) {
      std::vector<Value> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) cells.push_back(Cell(r, i, c, types[c]));
      rows.rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  // Reads whatever the pipeline still holds up to its sync point, then leaves pipeline mode.
  void DrainPipeline() {
    for (int guard = 0; guard < 100000 && PQpipelineStatus(conn_) != PQ_PIPELINE_OFF; ++guard) {
      PGresult* r = PQgetResult(conn_);
      if (r == nullptr) {
        if (PQexitPipelineMode(conn_) == 1 || PQstatus(conn_) != CONNECTION_OK) break;
        continue;
      }
      const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
      PQclear(r);
      if (sync && PQexitPipelineMode(conn_) == 1) break;
    }
  }

  Status Simple(const char* sql) {
    PgResult res(PQexec(conn_, sql));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return Error(res.get(), sql);
    return Status::Ok();
  }

  Status Error(const PGresult* res, std::string_view sql) const {
    const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string msg = Trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    if (msg.empty()) msg = Trimmed(PQerrorMessage(conn_));
    if (state != nullptr && std::strcmp(state, "23505") == 0) {
      return Status::Error(Code::kConflict, "duplicate", "记录已存在（违反唯一约束）",
                           "Duplicate: " + msg);
    }
    // Deadlock (40P01) or serialization failure (40001): PostgreSQL aborted this transaction for another's sake;
    // the same work again usually succeeds (callers whose transaction is safe to repeat do so: RetryOnWriteConflict).
    if (state != nullptr && (std::strcmp(state, "40P01") == 0 || std::strcmp(state, "40001") == 0)) {
      return Status::Error(Code::kConflict, "write_conflict", "数据正被其他操作同时修改，请稍后重试",
                           "Another change to the same data got in the way; try again (" + msg + ")");
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Status::Error(Code::kUnavailable, "database_unavailable", "数据库连接已断开",
                           "Database connection lost: " + msg);
    }
    std::string detail = "postgresql: " + msg;
    if (state != nullptr) detail += std::string(" (SQLSTATE ") + state + ")";
    if (!sql.empty()) {
      detail += " [sql: ";
      detail += sql.substr(0, 200);
      detail += "]";
    }
    return Status::Internal(detail);
  }

  static bool IsStaleStatement(const PGresult* res) {
    const char* state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (state == nullptr) return false;
    // 26000: the prepared statement vanished (DISCARD ALL); 0A000: its result type changed
    // after DDL ("cached plan must not change result type").
    return std::strcmp(state, "26000") == 0 || std::strcmp(state, "0A000") == 0;
  }

  // Returns the cached statement name for `sql`, preparing it on first use.
  Result<const std::string*> Prepared(std::string_view sql) {
    if (auto it = cache_.find(sql); it != cache_.end()) return &it->second;
    std::string key(sql);
    if (cache_.size() >= kMaxCachedStatements && PQtransactionStatus(conn_) != PQTRANS_INERROR) {
      PgResult r(PQexec(conn_, "DEALLOCATE ALL"));
      cache_.clear();
    }
    std::string name = "th_" + std::to_string(++next_id_);
    PgResult res(PQprepare(conn_, name.c_str(), key.c_str(), 0, nullptr));
    if (PQresultStatus(res.get()) != PGRES_COMMAND_OK) return Error(res.get(), sql);
    auto [it, inserted] = cache_.emplace(std::move(key), std::move(name));
    return &it->second;
  }

  void Forget(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) return;
    if (PQtransactionStatus(conn_) == PQTRANS_IDLE) {
      PgResult r(PQexec(conn_, ("DEALLOCATE " + it->second).c_str()));
    }
    cache_.erase(it);
  }

  // Text (and binary bytea) parameter values for libpq; `values` points into `text` and the params.
  struct Bound {
    std::vector<std::string> text;
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
  };

  static Result<Bound> Bind(const Params& params) {
    const int n = static_cast<int>(params.size());
    Bound b{std::vector<std::string>(n), std::vector<const char*>(n, nullptr), std::vector<int>(n, 0),
            std::vector<int>(n, 0)};
    for (int i = 0; i < n; ++i) {
      const Value& v = params[i];
      if (std::holds_alternative<std::monostate>(v)) continue;  // NULL
      if (auto* x = std::get_if<std::int64_t>(&v)) {
        b.text[i] = std::to_string(*x);
      } else if (auto* d = std::get_if<double>(&v)) {
        b.text[i] = FormatDouble(*d);
      } else if (auto* s = std::get_if<std::string>(&v)) {
        if (s->find('\0') != std::string::npos) {
          return Status::Invalid("", "invalid_text", "文本中含有不允许的空字符",
                                 "Text parameter $" + std::to_string(i + 1) +
                                     " contains a NUL byte (use Blob for binary data)");
        }
        b.values[i] = s->c_str();
        continue;
      } else if (auto* blob = std::get_if<Blob>(&v)) {
        b.values[i] = blob->bytes.data();
        b.lengths[i] = static_cast<int>(blob->bytes.size());
        b.formats[i] = 1;  // binary bytea: no escaping, NUL bytes intact
        continue;
      }
      b.values[i] = b.text[i].c_str();
    }
    return b;
  }

  Result<PgResult> Run(std::string_view sql, const Params& params) {
    const int n = static_cast<int>(params.size());
    TH_ASSIGN_OR_RETURN(Bound b, Bind(params));
    for (int attempt = 0;; ++attempt) {
      TH_ASSIGN_OR_RETURN(const std::string* name, Prepared(sql));
      PgResult res(PQexecPrepared(conn_, name->c_str(), n, b.values.data(), b.lengths.data(),
                                  b.formats.data(), 0));
      ExecStatusType st = PQresultStatus(res.get());
      if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return res;
      if (st == PGRES_EMPTY_QUERY) return Status::Internal("postgresql: empty statement");
      if (attempt == 0 && res != nullptr && IsStaleStatement(res.get())) {
        bool can_retry = PQtransactionStatus(conn_) == PQTRANS_IDLE;
        Forget(sql);
        if (can_retry) continue;
      }
      return Error(res.get(), sql);
    }
  }

  static Value Cell(const PGresult* r, int row, int col, Oid type) {
    if (PQgetisnull(r, row, col)) return std::monostate{};
    const char* p = PQgetvalue(r, row, col);
    int len = PQgetlength(r, row, col);
    switch (type) {
      case kInt2Oid:
      case kInt4Oid:
      case kInt8Oid:
      case kOidOid: {
        std::int64_t v = 0;
        std::from_chars(p, p + len, v);
        return v;
      }
      case kFloat4Oid:
      case kFloat8Oid:
      case kNumericOid:
        return std::strtod(p, nullptr);  // also parses NaN / Infinity / -Infinity
      case kBoolOid:
        return static_cast<std::int64_t>(len > 0 && p[0] == 't' ? 1 : 0);
      case kByteaOid: {
        std::size_t out_len = 0;
        unsigned char* bytes =
            PQunescapeBytea(reinterpret_cast<const unsigned char*>(p), &out_len);
        if (bytes == nullptr) return Blob{};
        Blob b{std::string(reinterpret_cast<const char*>(bytes), out_len)};
        PQfreemem(bytes);
        return b;
      }
      default:
        return std::string(p, static_cast<std::size_t>(len));
    }
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string, SqlHash, std::equal_to<>> cache_;  // SQL text -> prepared statement name
  std::uint64_t next_id_ = 0;
};

}  // namespace

Result<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& conninfo,
                                                           const std::string& search_path) {
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr || PQstatus(conn) != CONNECTION_OK) {
    std::string msg = conn != nullptr ? Trimmed(PQerrorMessage(conn)) : "out of memory";
    PQfinish(conn);
    return Status::Error(Code::kUnavailable, "database_unavailable", "无法连接数据库",
                         "Cannot connect to PostgreSQL: " + msg);
  }
  auto c = std::make_unique<PgConnection>(conn);
  Status s = c->Setup(search_path);
  if (!s.ok()) return s;
  return std::unique_ptr<Connection>(std::move(c));
}

}  // namespace th::storage
