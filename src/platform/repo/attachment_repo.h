#pragma once
// SQL for a module's attachment table (dispatch feedback, conference materials, ...). Every such table
// has the same columns: (id, <owner column>, name, content_type, size, data, by_user_id, created_at),
// `owner column` naming the row the file belongs to. Callers (services) own transactions, scope and
// the upload's checks (platform/service/attachments.h).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/owned_table.h"
#include "storage/connection.h"

namespace th::repo {

struct StoredFile {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;  // the conference, dispatch order, ... it belongs to
  std::string name;
  std::string content_type;  // from the bytes (io::SniffFileType), never the client's
  std::int64_t size = 0;
  std::string data;  // the bytes; empty in lists
  std::optional<std::int64_t> by_user_id;
  std::int64_t created_at = 0;
};

// Which table, and which column holds the owner's id.
using FileTable = OwnedTable;

class AttachmentRepo {
 public:
  AttachmentRepo(storage::Connection& c, FileTable t) : c_(c), t_(t) {}

  // Inserts and fills `f.id`.
  Status Insert(StoredFile& f);
  // The file with its bytes; kNotFound "attachment" when absent or another owner's.
  Result<StoredFile> Get(std::int64_t owner_id, std::int64_t id);
  // The owner's files without their bytes, oldest first.
  Result<std::vector<StoredFile>> List(std::int64_t owner_id);
  Result<std::int64_t> Count(std::int64_t owner_id);

 private:
  storage::Connection& c_;
  FileTable t_;
};

}  // namespace th::repo
