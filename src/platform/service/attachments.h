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
#include <string_view>

#include "base/status.h"
#include "io/file_type.h"
#include "platform/repo/attachment_repo.h"
#include "storage/connection.h"

namespace th::service {

// How CheckUploadBytes answers: the attachment routes' words by default; an upload path that
// documented other codes before it shared these checks (a child's photo, a visit's photos, a
// report's photos and attachments) keeps them by naming its own.
struct UploadErrors {
  const char* field = "file";
  const char* noun_zh = "附件";            // "附件不能超过5MB", "附件须为JPEG、PNG图片或PDF"
  const char* noun_en = "An attachment";  // "An attachment is at most 5 MB"
  const char* too_large = "file_too_large";
  Code too_large_status = Code::kInvalidArgument;  // 400, or Code::kPayloadTooLarge (413)
  const char* bad_type = "invalid_file_type";
  bool empty_is_bad_type = false;  // an empty upload: 400 required, or (photos) the bad_type answer
};

// A photo's words (a child's photo, a visit's photos, a public report's photos): field "photo",
// 413 photo_too_large, 400 invalid_photo_type (an empty upload too).
inline constexpr UploadErrors kPhotoErrors{"photo", "照片", "The photo", "photo_too_large", Code::kPayloadTooLarge,
                                           "invalid_photo_type", true};

struct AttachmentRule {
  unsigned kinds = io::kImagesAndPdf;   // io::FileKinds
  std::size_t max_bytes = 5u << 20;     // whole MB: the message names it
  std::int64_t max_count = 10;          // per owner
  const char* default_name = "附件";     // when the upload names none
  UploadErrors errors{};
};

// Checks `bytes` against `rule`; the MIME type from the bytes (never the client's word). Errors, on
// `rule.errors.field` (default "file"): 400 required (empty), 400 (or 413) `too_large` over
// max_bytes ("附件不能超过N MB"), 400 `bad_type` when the first bytes are not a kind the rule accepts
// (naming the kinds).
Result<std::string> CheckUploadBytes(std::string_view bytes, const AttachmentRule& rule);

// Checks the upload, cleans the name (one line of at most 200 characters; `rule.default_name` when
// empty), checks the owner has fewer than `rule.max_count` files (400 too_many_attachments) and
// inserts the row. Returns it without the bytes.
Result<repo::StoredFile> StoreAttachment(storage::Connection& c, const repo::FileTable& table,
                                         const AttachmentRule& rule, std::int64_t owner_id, const std::string& name,
                                         const std::string& bytes, std::optional<std::int64_t> by_user_id,
                                         std::int64_t now_ms);

}  // namespace th::service
