#pragma once
// Storage tuning for the bulk child import: one transaction writes tens of thousands of children
// (rows in child, family_member, child_category, search_token and audit_log). On SQLite the
// default page cache (2 MB) spills dirty pages to the WAL again and again during such a
// transaction; a larger cache for its duration keeps them in memory until commit. PostgreSQL
// needs nothing here.
#include <cstdint>

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

}  // namespace th::repo
