#include "platform/service/attachments.h"

#include <string>
#include <utility>

#include "text/field.h"

namespace th::service {

namespace {

// "JPEG、PNG图片或PDF" / "JPEG, PNG or PDF" from the accepted kinds.
void KindWords(unsigned kinds, std::string* zh, std::string* en) {
  std::string images_zh, images_en;
  for (const auto& [k, name] : {std::pair{io::kJpeg, "JPEG"}, std::pair{io::kPng, "PNG"}, std::pair{io::kWebp, "WebP"}}) {
    if (!(kinds & k)) continue;
    images_zh += std::string(images_zh.empty() ? "" : "、") + name;
    images_en += std::string(images_en.empty() ? "" : ", ") + name;
  }
  const bool pdf = kinds & io::kPdf;
  *zh = images_zh.empty() ? "PDF" : images_zh + "图片" + (pdf ? "或PDF" : "");
  *en = images_en.empty() ? "PDF" : images_en + (pdf ? " or PDF" : "");
}

}  // namespace

Result<std::string> CheckUploadBytes(std::string_view bytes, const AttachmentRule& rule) {
  const UploadErrors& e = rule.errors;
  if (bytes.empty() && !e.empty_is_bad_type) return Status::Required(e.field);
  if (bytes.size() > rule.max_bytes) {
    const std::string mb = std::to_string(rule.max_bytes >> 20);
    return Status::Error(e.too_large_status, e.too_large, e.noun_zh + std::string("不能超过") + mb + "MB",
                         e.noun_en + std::string(" is at most ") + mb + " MB", e.field);
  }
  std::string type = io::SniffFileType(bytes, rule.kinds);
  if (type.empty()) {
    std::string zh, en;
    KindWords(rule.kinds, &zh, &en);
    return Status::Invalid(e.field, e.bad_type, e.noun_zh + std::string("须为") + zh,
                           e.noun_en + std::string(" must be a ") + en + " file");
  }
  return type;
}

Result<repo::StoredFile> StoreAttachment(storage::Connection& c, const repo::FileTable& table,
                                         const AttachmentRule& rule, std::int64_t owner_id, const std::string& name,
                                         const std::string& bytes, std::optional<std::int64_t> by_user_id,
                                         std::int64_t now_ms) {
  repo::StoredFile f;
  TH_ASSIGN_OR_RETURN(f.content_type, CheckUploadBytes(bytes, rule));
  TH_ASSIGN_OR_RETURN(f.name, text::CleanText(name.empty() ? rule.default_name : name, "name", text::kLineText));
  if (f.name.empty()) f.name = rule.default_name;
  repo::AttachmentRepo files(c, table);
  TH_ASSIGN_OR_RETURN(auto n, files.Count(owner_id));
  if (n >= rule.max_count) {
    return Status::Invalid("file", "too_many_attachments", "附件数量已达上限（" + std::to_string(rule.max_count) + "个）",
                           "At most " + std::to_string(rule.max_count) + " attachments");
  }
  f.owner_id = owner_id;
  f.size = static_cast<std::int64_t>(bytes.size());
  f.data = bytes;
  f.by_user_id = by_user_id;
  f.created_at = now_ms;
  TH_RETURN_IF_ERROR(files.Insert(f));
  f.data.clear();
  return f;
}

}  // namespace th::service
