#pragma once
// SQL for the child's photo (table child_photo, migration 0006): one sealed image per child.
// Callers (ChildService) own scoping, sealing, transactions and auditing.
#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "storage/connection.h"

namespace th::repo {

struct PhotoRecord {
  std::int64_t child_id = 0;
  std::string content_type;  // image/jpeg | image/png | image/webp
  std::int64_t size_bytes = 0;
  std::string sha256;        // hex of the plain image
  std::string data_enc;      // sealed image (empty when only the metadata was read)
  std::int64_t version = 1;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> updated_by;
};

class ChildPhotoRepo {
 public:
  explicit ChildPhotoRepo(storage::Connection& c) : c_(c) {}

  // The child's photo (with the sealed bytes when `with_data`), or nullopt.
  Result<std::optional<PhotoRecord>> Get(std::int64_t child_id, bool with_data);
  // Inserts or replaces the child's photo; `r.version` is written as given.
  Status Put(const PhotoRecord& r);
  // Deletes the child's photo; returns whether there was one.
  Result<bool> Delete(std::int64_t child_id);
  // Bumps the child's version (the photo is part of the file) when it still equals `version`;
  // kConflict stale_version otherwise.
  Status TouchChild(std::int64_t child_id, std::int64_t version, std::int64_t now, std::int64_t user_id);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
