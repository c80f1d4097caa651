// Schema migrations: numbered SQL files compiled into the binary, applied in order.
#include <string>

#include "base/clock.h"
#include "storage/connection.h"

namespace th::storage {
namespace {

std::string Label(const Migration& m) {
  std::string v = std::to_string(m.version);
  if (v.size() < 4) v.insert(0, 4 - v.size(), '0');
  return v + "_" + m.name;
}

Status ValidateList(const std::vector<Migration>& migrations) {
  int prev = 0;
  for (const Migration& m : migrations) {
    if (m.version <= prev) {
      return Status::Internal("migrations must have strictly increasing positive versions; " +
                              Label(m) + " follows version " + std::to_string(prev));
    }
    prev = m.version;
  }
  return Status::Ok();
}

Result<bool> TableExists(Connection& c) {
  Result<Rows> r = c.dialect().engine() == Engine::kSqlite
                       ? c.Query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                 "name = 'schema_migrations'")
                       : c.Query("SELECT 1 WHERE to_regclass('schema_migrations') IS NOT NULL");
  if (!r.ok()) return r.status();
  return !r->empty();
}

Result<int> MaxVersion(Connection& c) {
  TH_ASSIGN_OR_RETURN(Rows rows, c.Query("SELECT MAX(version) FROM schema_migrations"));
  return static_cast<int>(rows.empty() ? 0 : rows[0].Int(0));
}

Status TooNew(int current, int latest) {
  return Status::Error(Code::kInternal, "schema_too_new", "数据库结构版本高于本程序，请升级程序",
                       "Database schema version " + std::to_string(current) +
                           " is newer than this binary's " + std::to_string(latest) +
                           "; upgrade the binary");
}

Status ApplyOne(Connection& c, const Migration& m, std::int64_t now_ms) {
  Transaction tx(c);
  TH_RETURN_IF_ERROR(tx.Begin());
  // SQLite's BEGIN IMMEDIATE already excludes other writers; on PostgreSQL two servers starting
  // together queue on this lock, and the second then sees the migration as applied.
  if (c.dialect().engine() == Engine::kPostgres) {
    TH_RETURN_IF_ERROR(c.ExecuteScript("LOCK TABLE schema_migrations IN EXCLUSIVE MODE"));
  }
  TH_ASSIGN_OR_RETURN(int current, MaxVersion(c));
  if (current >= m.version) return Status::Ok();  // applied meanwhile by another process
  std::string sql = RenderMigrationSql(m.sql, c.dialect());
  if (std::size_t p = sql.find("{{"); p != std::string::npos) {
    return Status::Internal("migration " + Label(m) + " uses an unknown placeholder near '" +
                            sql.substr(p, 20) + "' (known: {{AUTO_ID}}, {{BLOB}})");
  }
  Status s = c.ExecuteScript(sql);
  if (!s.ok()) {
    return Status::Error(s.code(), "migration_failed", "数据库结构升级失败",
                         "Migration " + Label(m) + " failed: " + s.message_en());
  }
  TH_RETURN_IF_ERROR(c.Execute(
                          "INSERT INTO schema_migrations (version, name, applied_at) "
                          "VALUES ($1, $2, $3)",
                          {std::int64_t{m.version}, m.name, now_ms})
                         .status());
  return tx.Commit();
}

}  // namespace

std::string RenderMigrationSql(std::string_view sql, const Dialect& dialect) {
  static constexpr std::string_view kAutoId = "{{AUTO_ID}}";
  static constexpr std::string_view kBlob = "{{BLOB}}";
  std::string out;
  out.reserve(sql.size());
  std::size_t i = 0;
  while (i < sql.size()) {
    if (sql.compare(i, kAutoId.size(), kAutoId) == 0) {
      out += dialect.AutoIdType();
      i += kAutoId.size();
    } else if (sql.compare(i, kBlob.size(), kBlob) == 0) {
      out += dialect.BlobType();
      i += kBlob.size();
    } else {
      out.push_back(sql[i++]);
    }
  }
  return out;
}

Result<int> CurrentSchemaVersion(Connection& c) {
  TH_ASSIGN_OR_RETURN(bool exists, TableExists(c));
  if (!exists) return 0;
  return MaxVersion(c);
}

int LatestSchemaVersion() {
  const std::vector<Migration>& all = EmbeddedMigrations();
  return all.empty() ? 0 : all.back().version;
}

Status Migrate(Connection& c) { return Migrate(c, EmbeddedMigrations()); }

Status Migrate(Connection& c, const std::vector<Migration>& migrations) {
  TH_RETURN_IF_ERROR(ValidateList(migrations));
  if (c.InTransaction()) {
    return Status::Internal("Migrate() needs a connection outside any transaction");
  }
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  TH_ASSIGN_OR_RETURN(bool exists, TableExists(c));
  if (!exists) {
    Status s = c.ExecuteScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
    // Another server may have created it at the same moment (PostgreSQL reports a duplicate
    // type then); the table existing is all that matters.
    if (!s.ok()) {
      TH_ASSIGN_OR_RETURN(bool now_exists, TableExists(c));
      if (!now_exists) return s;
    }
  }
  TH_ASSIGN_OR_RETURN(int current, MaxVersion(c));
  if (current > latest) return TooNew(current, latest);
  SystemClock clock;
  for (const Migration& m : migrations) {
    if (m.version <= current) continue;
    TH_RETURN_IF_ERROR(ApplyOne(c, m, clock.NowMillis()));
  }
  return Status::Ok();
}

}  // namespace th::storage
