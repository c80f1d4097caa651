#include "platform/repo/attachment_repo.h"

#include "platform/repo/sql_values.h"

namespace th::repo {

namespace {

StoredFile ReadFile(const storage::Row& r, bool with_data) {
  StoredFile f;
  f.id = r.Int(0);
  f.owner_id = r.Int(1);
  f.name = r.Text(2);
  f.content_type = r.Text(3);
  f.size = r.Int(4);
  if (with_data) f.data = r.Text(5);
  f.by_user_id = r.OptInt(6);
  f.created_at = r.Int(7);
  return f;
}

}  // namespace

Status AttachmentRepo::Insert(StoredFile& f) {
  const std::string sql = std::string("INSERT INTO ") + t_.table + " (" + t_.owner_column +
                          ", name, content_type, size, data, by_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, "
                          "$7) RETURNING id";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, {f.owner_id, f.name, f.content_type, f.size, storage::Blob{f.data},
                                                OptInt(f.by_user_id), f.created_at}));
  f.id = rows[0].Int(0);
  return Status::Ok();
}

Result<StoredFile> AttachmentRepo::Get(std::int64_t owner_id, std::int64_t id) {
  const std::string sql = std::string("SELECT id, ") + t_.owner_column +
                          ", name, content_type, size, data, by_user_id, created_at FROM " + t_.table +
                          " WHERE id = $1 AND " + t_.owner_column + " = $2";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, {id, owner_id}));
  if (rows.empty()) return Status::NotFound("attachment");
  return ReadFile(rows[0], true);
}

Result<std::vector<StoredFile>> AttachmentRepo::List(std::int64_t owner_id) {
  // '' for the bytes keeps the column positions of Get.
  const std::string sql = std::string("SELECT id, ") + t_.owner_column +
                          ", name, content_type, size, '', by_user_id, created_at FROM " + t_.table + " WHERE " +
                          t_.owner_column + " = $1 ORDER BY id";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, {owner_id}));
  std::vector<StoredFile> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(ReadFile(r, false));
  return out;
}

Result<std::int64_t> AttachmentRepo::Count(std::int64_t owner_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT COUNT(*) FROM ") + t_.table + " WHERE " +
                                              t_.owner_column + " = $1",
                                          {owner_id}));
  return rows[0].Int(0);
}

}  // namespace th::repo
