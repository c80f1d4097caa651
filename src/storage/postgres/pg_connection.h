#pragma once
// PostgreSQL driver (libpq): one PGconn per Connection, server-side prepared statements cached
// by SQL text, text-format parameters except bytea (binary).
#include <memory>
#include <string>

#include "storage/connection.h"

namespace th::storage {

class PostgresDialect final : public Dialect {
 public:
  Engine engine() const override { return Engine::kPostgres; }
  std::string_view name() const override { return "postgresql"; }
  std::string_view AutoIdType() const override { return "BIGSERIAL PRIMARY KEY"; }
  std::string_view BlobType() const override { return "BYTEA"; }
  std::string_view ILike() const override { return "ILIKE"; }
};
const Dialect& PostgresDialectInstance();

// Connects with a libpq conninfo string or URI and sets client_encoding UTF8, TimeZone UTC and,
// when `search_path` is not empty (comma-separated schema names), the search_path.
// Fails with kUnavailable when the server cannot be reached or rejects the login.
Result<std::unique_ptr<Connection>> OpenPostgresConnection(const std::string& conninfo,
                                                           const std::string& search_path = {});

}  // namespace th::storage
