// ChildTransfer: uploads staged between preview and import (per-user caps).
#include "modules/registry/service/child_import_internal.h"

namespace th::service {

using namespace child_import_internal;  // NOLINT: this file is part of the registry service

// ---- staged uploads ----

namespace {
constexpr const char* kUploadKind = "child_import";
constexpr const char* kCtxUpload = "import.upload";

Status UploadNotFound() {
  return Status::Error(Code::kNotFound, "upload_not_found", "上传的文件已过期或不存在，请重新上传",
                       "The uploaded file has expired or does not exist; upload it again", "upload_token");
}
}  // namespace

Result<ChildTransfer::StagedUpload> ChildTransfer::Stage(const Principal& who, std::string_view bytes,
                                                         const std::string& file_name) {
  if (!who.Can(perm::kChildWrite)) return Status::Forbidden();
  if (bytes.empty()) return Status::Invalid("file", "import_empty", "文件为空", "The file is empty");
  const std::int64_t now = deps_.clock.NowMillis();
  repo::UploadRecord r;
  r.token = security::RandomToken(24);
  r.kind = kUploadKind;
  r.owner_user_id = who.user_id;
  r.file_name = text::IsValidUtf8(file_name) ? file_name.substr(0, 255) : "";
  r.size_bytes = static_cast<std::int64_t>(bytes.size());
  r.data_enc = deps_.keys.Encrypt(bytes, kCtxUpload);
  r.created_at = now;
  r.expires_at = now + upload_ttl_ms_;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::ImportUploadRepo uploads(c);
    TH_RETURN_IF_ERROR(uploads.DeleteExpired(now).status());
    // Per-user quota, checked in the inserting transaction: staged files are sealed copies held
    // for an hour, so without it one account could fill the database (or a server's memory).
    TH_ASSIGN_OR_RETURN(auto usage, uploads.UsageOf(who.user_id, now));
    if (usage.count >= max_staged_uploads_) {
      const std::string n = std::to_string(max_staged_uploads_);
      return Status::Error(Code::kTooManyRequests, "upload_quota_count",
                           "您已有" + n + "个上传后尚未导入的文件。请先完成导入，或等待1小时后文件自动清除，再上传新文件",
                           "You already have " + n + " staged uploads; import them or wait an hour until they expire",
                           "file");
    }
    if (usage.bytes + r.size_bytes > max_staged_bytes_) {
      const std::string mb = std::to_string(max_staged_bytes_ >> 20);
      return Status::Error(Code::kPayloadTooLarge, "upload_quota_bytes",
                           "您上传后尚未导入的文件合计超过" + mb + " MB。请先完成导入，或等待1小时后文件自动清除，再上传",
                           "Your staged uploads would exceed " + mb + " MB; import them or wait an hour until they expire",
                           "file");
    }
    return uploads.Insert(r);
  }));
  return StagedUpload{r.token, r.file_name, r.size_bytes, r.expires_at};
}

Result<std::string> ChildTransfer::LoadStaged(const Principal& who, const std::string& token, std::string* file_name) {
  if (!who.Can(perm::kChildWrite)) return Status::Forbidden();
  if (token.empty() || token.size() > 64) return UploadNotFound();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto r, repo::ImportUploadRepo(*h).Get(token, kUploadKind, who.user_id, deps_.clock.NowMillis()));
  if (!r) return UploadNotFound();
  if (file_name) *file_name = r->file_name;
  return deps_.keys.Decrypt(r->data_enc, kCtxUpload);
}

Status ChildTransfer::DropStaged(const std::string& token) {
  return InTransaction(deps_.db, [&](storage::Connection& c) { return repo::ImportUploadRepo(c).Delete(token); });
}

}  // namespace th::service
