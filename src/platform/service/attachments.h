#pragma once
// The one upload path for a module's attachments (dispatch feedback, conference materials): the bytes'
// checks (present, within the size, a kind the module accepts by its first bytes: io/file_type), the
// name, the per-owner cap and the row (platform/repo/attachment_repo.h). The module checks its own
// permission, scope and state first (an owner outside the caller's scope reads as not found whatever
// is sent), then calls StoreAttachment in the same transaction and writes its audit entry. The routes'
// half is platform/api/upload.h (AddAttachmentRoutes).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "base/status.h"
#include "io/file_type.h"
#include "platform/repo/attachment_repo.h"
#include "storage/connection.h"

namespace th::service {

struct AttachmentRule {
  unsigned kinds = io::kImagesAndPdf;   // io::FileKinds
  std::size_t max_bytes = 5u << 20;     // whole MB: the message names it
  std::int64_t max_count = 10;          // per owner
  const char* default_name = "附件";     // when the upload names none
};

// Checks `bytes` against `rule`; the MIME type from the bytes. Errors, all on field "file": 400
// required (empty), 400 file_too_large ("附件不能超过N MB"), 400 invalid_file_type (naming the kinds).
Result<std::string> CheckUploadBytes(const std::string& bytes, const AttachmentRule& rule);

// Checks the upload, cleans the name (one line of at most 200 characters; `rule.default_name` when
// empty), checks the owner has fewer than `rule.max_count` files (400 too_many_attachments) and
// inserts the row. Returns it without the bytes.
Result<repo::StoredFile> StoreAttachment(storage::Connection& c, const repo::FileTable& table,
                                         const AttachmentRule& rule, std::int64_t owner_id, const std::string& name,
                                         const std::string& bytes, std::optional<std::int64_t> by_user_id,
                                         std::int64_t now_ms);

}  // namespace th::service
