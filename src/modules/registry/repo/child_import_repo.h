#pragma once
// Storage tuning for the bulk child import: one transaction writes tens of thousands of children
// (rows in child, family_member, child_category, search_posting and audit_log). On SQLite the
// default page cache (2 MB) spills dirty pages to the WAL again and again during such a
// transaction; a larger cache for its duration keeps them in memory until commit. PostgreSQL
// needs nothing here.
#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "storage/connection.h"

namespace th::repo {

// Enlarges the SQLite page cache of `c` to `cache_mib` for the lifetime of the object and
// restores the previous size afterwards. A no-op on PostgreSQL. Failures are ignored: the
// import is then only slower.
class BulkWriteScope {
 public:
  BulkWriteScope(storage::Connection& c, std::int64_t cache_mib);
  ~BulkWriteScope();
  BulkWriteScope(const BulkWriteScope&) = delete;
  BulkWriteScope& operator=(const BulkWriteScope&) = delete;

 private:
  storage::Connection& c_;
  bool active_ = false;
  std::int64_t previous_ = 0;
};

// A file staged between preview, dry run and import (table import_upload). The data is sealed by
// the caller; tokens are random and owner-bound.
struct UploadRecord {
  std::string token;
  std::string kind;  // "child_import"
  std::int64_t owner_user_id = 0;
  std::string file_name;
  std::int64_t size_bytes = 0;
  std::string data_enc;
  std::int64_t created_at = 0, expires_at = 0;
};

class ImportUploadRepo {
 public:
  explicit ImportUploadRepo(storage::Connection& c) : c_(c) {}
  Status Insert(const UploadRecord& r);
  // The upload with this token, kind and owner that has not expired at `now`, or nullopt.
  Result<std::optional<UploadRecord>> Get(const std::string& token, const std::string& kind,
                                          std::int64_t owner_user_id, std::int64_t now);
  Status Delete(const std::string& token);
  // How many unexpired uploads `owner_user_id` has staged at `now` (any kind), and their bytes.
  struct Usage {
    std::int64_t count = 0, bytes = 0;
  };
  Result<Usage> UsageOf(std::int64_t owner_user_id, std::int64_t now);
  // Deletes every upload that expired before `now`; returns how many.
  Result<std::int64_t> DeleteExpired(std::int64_t now);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
