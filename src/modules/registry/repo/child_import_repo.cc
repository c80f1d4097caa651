#include "modules/registry/repo/child_import_repo.h"

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

Status ImportUploadRepo::Insert(const UploadRecord& r) {
  return c_.Execute("INSERT INTO import_upload (token, kind, owner_user_id, file_name, size_bytes, data_enc, "
                    "created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    {r.token, r.kind, r.owner_user_id, r.file_name, r.size_bytes, storage::Blob{r.data_enc},
                     r.created_at, r.expires_at})
      .status();
}

Result<std::optional<UploadRecord>> ImportUploadRepo::Get(const std::string& token, const std::string& kind,
                                                          std::int64_t owner_user_id, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT token, kind, owner_user_id, file_name, size_bytes, data_enc, "
                                          "created_at, expires_at FROM import_upload WHERE token = $1 AND "
                                          "kind = $2 AND owner_user_id = $3 AND expires_at > $4",
                                          {token, kind, owner_user_id, now}));
  if (rows.empty()) return std::optional<UploadRecord>();
  const storage::Row& row = rows[0];
  UploadRecord r;
  r.token = row.Text(0);
  r.kind = row.Text(1);
  r.owner_user_id = row.Int(2);
  r.file_name = row.Text(3);
  r.size_bytes = row.Int(4);
  r.data_enc = row.Text(5);
  r.created_at = row.Int(6);
  r.expires_at = row.Int(7);
  return std::optional<UploadRecord>(std::move(r));
}

Result<ImportUploadRepo::Usage> ImportUploadRepo::UsageOf(std::int64_t owner_user_id, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM import_upload "
                                          "WHERE owner_user_id = $1 AND expires_at > $2",
                                          {owner_user_id, now}));
  Usage u;
  if (!rows.empty()) {
    u.count = rows[0].Int(0);
    u.bytes = rows[0].Int(1);
  }
  return u;
}

Status ImportUploadRepo::Delete(const std::string& token) {
  return c_.Execute("DELETE FROM import_upload WHERE token = $1", {token}).status();
}

Result<std::int64_t> ImportUploadRepo::DeleteExpired(std::int64_t now) {
  return c_.Execute("DELETE FROM import_upload WHERE expires_at <= $1", {now});
}

}  // namespace th::repo
