// The child's photo (照片) and the change reason check: ChildService members kept out of
// child_service.cc (see child_service.h for the contracts).

#include "base/json_writer.h"
#include "platform/service/attachments.h"
#include "modules/registry/repo/child_photo_repo.h"
#include "platform/repo/org_repo.h"
#include "modules/registry/service/child_service.h"
#include "security/crypto.h"
#include "text/field.h"
#include "text/utf8.h"
#include "modules/registry/permissions.h"

namespace th::service {

namespace {

// The photo is sealed under its own context so that no other sealed field can be swapped in.
constexpr const char* kCtxPhoto = "child.photo";

std::string PhotoJson(const std::optional<repo::PhotoRecord>& p) {
  if (!p) return "";
  return JsonObjectWriter()
      .Str("photo.content_type", p->content_type)
      .Int("photo.size_bytes", p->size_bytes)
      .Str("photo.sha256", p->sha256)
      .Int("photo.version", p->version)
      .Finish();
}

}  // namespace

Status CheckChangeReason(const std::string& reason, bool required) {
  if (!text::IsValidUtf8(reason)) {
    return Status::Invalid("reason", "invalid_text", "变更原因不是有效的文本", "The reason is not valid text");
  }
  std::size_t len = text::DecodeUtf8(reason).size();
  if (len > 200) {
    return Status::Invalid("reason", "reason_too_long", "变更原因过长(最多200字)",
                           "The reason is too long (200 characters at most)");
  }
  TH_RETURN_IF_ERROR(text::CheckText(reason, "reason", text::TextRule{200, text::TextShape::kLong}));
  if (required) {
    std::size_t b = reason.find_first_not_of(" \t\r\n");
    std::size_t trimmed = b == std::string::npos ? 0 : text::DecodeUtf8(reason.substr(b)).size();
    if (trimmed < 2) {
      return Status::Invalid("reason", "reason_required", "修改姓名、身份证号、出生日期或性别须填写变更原因(2-200字)",
                             "State the reason (2-200 characters) to change the name, ID number, birth date or sex");
    }
  }
  return Status::Ok();
}

Result<ChildService::PhotoInfo> ChildService::SetPhoto(const Principal& who, std::int64_t id, std::string_view bytes,
                                                       std::int64_t version, const std::string& reason) {
  if (!who.Can(perm::kChildWrite)) return Status::Forbidden();
  TH_RETURN_IF_ERROR(CheckChangeReason(reason, false));
  static const AttachmentRule kPhoto{io::kImages | io::kWebp, kMaxPhotoBytes, 1, "照片", kPhotoErrors};
  TH_ASSIGN_OR_RETURN(const std::string type, CheckUploadBytes(bytes, kPhoto));
  PhotoInfo info;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id));
    if (r.version != version) return Status::Stale();
    repo::ChildPhotoRepo photos(c);
    TH_ASSIGN_OR_RETURN(auto old, photos.Get(id, false));
    const std::int64_t now = deps_.clock.NowMillis();
    repo::PhotoRecord p;
    p.child_id = id;
    p.content_type = type;
    p.size_bytes = static_cast<std::int64_t>(bytes.size());
    p.sha256 = security::Sha256Hex(bytes);
    p.data_enc = deps_.keys.Encrypt(bytes, kCtxPhoto);
    p.version = old ? old->version + 1 : 1;
    p.updated_at = now;
    p.updated_by = who.user_id;
    TH_RETURN_IF_ERROR(photos.Put(p));
    TH_RETURN_IF_ERROR(photos.TouchChild(id, version, now, who.user_id));
    info = PhotoInfo{p.content_type, p.size_bytes, p.sha256, p.version, now, version + 1};
    TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
    p.data_enc.clear();
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"child.photo_set", "child", std::to_string(id), unit.path, PhotoJson(old), PhotoJson(p),
                       reason});
  }));
  return info;
}

Result<std::int64_t> ChildService::RemovePhoto(const Principal& who, std::int64_t id, std::int64_t version,
                                               const std::string& reason) {
  if (!who.Can(perm::kChildWrite)) return Status::Forbidden();
  TH_RETURN_IF_ERROR(CheckChangeReason(reason, false));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id));
    if (r.version != version) return Status::Stale();
    repo::ChildPhotoRepo photos(c);
    TH_ASSIGN_OR_RETURN(auto old, photos.Get(id, false));
    if (!old) return Status::NotFound("photo");
    TH_RETURN_IF_ERROR(photos.Delete(id).status());
    TH_RETURN_IF_ERROR(photos.TouchChild(id, version, deps_.clock.NowMillis(), who.user_id));
    TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"child.photo_remove", "child", std::to_string(id), unit.path, PhotoJson(old), "", reason});
  }));
  return version + 1;
}

Result<ChildService::PhotoImage> ChildService::GetPhoto(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kChildRead)) return Status::Forbidden();
  PhotoImage img;
  std::string unit_path;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(*h, who, id));
    TH_ASSIGN_OR_RETURN(auto p, repo::ChildPhotoRepo(*h).Get(id, true));
    if (!p) return Status::NotFound("photo");
    TH_ASSIGN_OR_RETURN(img.bytes, deps_.keys.Decrypt(p->data_enc, kCtxPhoto));
    img.content_type = p->content_type;
    img.photo_version = p->version;
    img.sha256 = p->sha256;
    unit_path = r.community_path;
  }
  // As with the file itself: the image leaves only once its view is in the audit log.
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"child.photo_read", "child", std::to_string(id), unit_path, "",
                       JsonObjectWriter().Int("photo.version", img.photo_version).Finish(), ""});
  }));
  return img;
}

Result<std::optional<ChildService::PhotoInfo>> ChildService::PhotoMeta(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kChildRead)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto r, LoadScoped(*h, who, id));
  TH_ASSIGN_OR_RETURN(auto p, repo::ChildPhotoRepo(*h).Get(id, false));
  if (!p) return std::optional<PhotoInfo>();
  return std::optional<PhotoInfo>(PhotoInfo{p->content_type, p->size_bytes, p->sha256, p->version, p->updated_at,
                                            r.version});
}

}  // namespace th::service
