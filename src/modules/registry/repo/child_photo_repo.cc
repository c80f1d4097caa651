#include "modules/registry/repo/child_photo_repo.h"

#include "modules/registry/repo/child_repo.h"

namespace th::repo {

Result<std::optional<PhotoRecord>> ChildPhotoRepo::Get(std::int64_t child_id, bool with_data) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query(with_data ? "SELECT child_id, content_type, size_bytes, sha256, version, updated_at, "
                                           "updated_by, data_enc FROM child_photo WHERE child_id = $1"
                                         : "SELECT child_id, content_type, size_bytes, sha256, version, updated_at, "
                                           "updated_by FROM child_photo WHERE child_id = $1",
                               {child_id}));
  if (rows.empty()) return std::optional<PhotoRecord>();
  const storage::Row& r = rows[0];
  PhotoRecord p;
  p.child_id = r.Int(0);
  p.content_type = r.Text(1);
  p.size_bytes = r.Int(2);
  p.sha256 = r.Text(3);
  p.version = r.Int(4);
  p.updated_at = r.Int(5);
  p.updated_by = r.OptInt(6);
  if (with_data) p.data_enc = r.Text(7);
  return std::optional<PhotoRecord>(std::move(p));
}

Status ChildPhotoRepo::Put(const PhotoRecord& r) {
  storage::Value by = r.updated_by ? storage::Value(*r.updated_by) : storage::Null();
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE child_photo SET content_type = $2, size_bytes = $3, sha256 = $4, "
                                         "data_enc = $5, version = $6, updated_at = $7, updated_by = $8 "
                                         "WHERE child_id = $1",
                                         {r.child_id, r.content_type, r.size_bytes, r.sha256,
                                          storage::Blob{r.data_enc}, r.version, r.updated_at, by}));
  if (n > 0) return Status::Ok();
  return c_.Execute("INSERT INTO child_photo (child_id, content_type, size_bytes, sha256, data_enc, version, "
                    "updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    {r.child_id, r.content_type, r.size_bytes, r.sha256, storage::Blob{r.data_enc}, r.version,
                     r.updated_at, by})
      .status();
}

Result<bool> ChildPhotoRepo::Delete(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("DELETE FROM child_photo WHERE child_id = $1", {child_id}));
  return n > 0;
}

Status ChildPhotoRepo::TouchChild(std::int64_t child_id, std::int64_t version, std::int64_t now,
                                  std::int64_t user_id) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE child SET version = version + 1, updated_at = $3, updated_by = $4 "
                                         "WHERE id = $1 AND version = $2",
                                         {child_id, version, now, user_id}));
  if (n == 0) return Status::Stale();
  return ChildRepo(c_).SyncPostings(child_id);  // the postings carry updated_at (search order)
}

}  // namespace th::repo
