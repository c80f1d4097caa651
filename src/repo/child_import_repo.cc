#include "repo/child_import_repo.h"

#include <string>

namespace th::repo {

BulkWriteScope::BulkWriteScope(storage::Connection& c, std::int64_t cache_mib) : c_(c) {
  if (c_.dialect().engine() != storage::Engine::kSqlite) return;
  auto cur = c_.Query("PRAGMA cache_size");
  if (!cur.ok() || cur->empty()) return;
  previous_ = (*cur)[0].Int(0);
  // Negative: size in KiB rather than pages. PRAGMA takes no parameters, so the number is
  // spliced; it is an integer we computed.
  active_ = c_.ExecuteScript("PRAGMA cache_size = " + std::to_string(-cache_mib * 1024)).ok();
}

BulkWriteScope::~BulkWriteScope() {
  if (active_) (void)c_.ExecuteScript("PRAGMA cache_size = " + std::to_string(previous_));
}

}  // namespace th::repo
