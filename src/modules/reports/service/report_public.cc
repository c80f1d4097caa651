// The public page (发现报告大众化): a report without an account, its status by tracking code and
// its photos. Every public call spends the caller's address budget first: a flood from one
// address is refused in memory (no database work, nothing written), so it cannot slow staff.
#include "base/json_writer.h"
#include "platform/service/attachments.h"
#include "modules/reports/service/report_internal.h"
#include "modules/reports/service/report_service.h"
#include "platform/repo/org_repo.h"
#include "security/crypto.h"
#include "text/field.h"

namespace th::service {

using namespace reports_internal;  // NOLINT: this module's own helpers

namespace {

constexpr std::size_t kMaxThrottleEntries = 100000;

Status TooMany() {
  return Status::Error(Code::kTooManyRequests, "too_many_requests", "提交过于频繁，请稍后再试",
                       "Too many requests from this address; try again later");
}

}  // namespace

bool ReportService::Allow(const std::string& key, int limit) {
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int64_t window = config_.intake.window_seconds * 1000;
  std::lock_guard lock(throttle_mu_);
  if (throttle_.size() >= kMaxThrottleEntries) {
    // Bounded memory under a spray of addresses: drop the expired windows, then everything.
    std::erase_if(throttle_, [&](const auto& kv) { return kv.second.first <= now - window; });
    if (throttle_.size() >= kMaxThrottleEntries) throttle_.clear();
  }
  auto& [start, count] = throttle_[key];
  if (start <= now - window) {
    start = now;
    count = 0;
  }
  if (count >= limit) return false;
  ++count;
  return true;
}

void ReportService::ResetThrottleForTesting() {
  std::lock_guard lock(throttle_mu_);
  throttle_.clear();
}

Result<std::string> ReportService::CreatePublic(const std::string& client_ip, const ReportInput& in) {
  if (!Allow("create:" + client_ip, config_.intake.per_address)) return TooMany();
  std::string code;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::ReportRecord r;
    r.channel = "public";
    ReportInput only = in;
    only.child_id.reset();
    only.urgency.clear();
    only.anonymous = in.reporter_name.empty() && in.reporter_phone.empty();
    if (Status v = Validate(c, nullptr, only, &r); !v.ok()) {
      // The public form calls the reporter's fields contact_name / contact_phone.
      const std::string field = v.field() == "reporter_name"    ? "contact_name"
                                : v.field() == "reporter_phone" ? "contact_phone"
                                                                : v.field();
      return Status::Error(v.code(), v.error_code(), v.message_zh(), v.message_en(), field);
    }
    repo::ReportRepo reports(c);
    std::optional<repo::OrgUnit> district;
    if (!config_.intake.district_code.empty()) {
      auto d = repo::OrgRepo(c).GetByCode(config_.intake.district_code);
      if (d.ok()) district = std::move(*d);
    } else {
      TH_ASSIGN_OR_RETURN(district, repo::OrgRepo(c).FirstDistrict());
    }
    if (!district) {
      return Status::Error(Code::kUnavailable, "no_district", "暂未开通群众报告", "Public reports are not set up");
    }
    r.district_unit_id = r.unit_id = district->id;
    r.district_path = r.unit_path = district->path;
    code = NewTrackingCode();
    r.tracking_hash = TrackingHash(deps_.keys, NormalizeTrackingCode(code));
    return InsertNew(c, nullptr, client_ip, r, "report.public_create");
  }));
  return code;
}

Result<std::string> ReportService::PublicStatus(const std::string& client_ip, const std::string& tracking_code) {
  if (!Allow("status:" + client_ip, config_.intake.per_address * 20)) return TooMany();
  const std::string code = NormalizeTrackingCode(tracking_code);
  if (code.empty()) return Status::NotFound("tracking_code");
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  auto r = repo::ReportRepo(*h).GetByTracking(TrackingHash(deps_.keys, code));
  if (!r.ok()) return Status::NotFound("tracking_code");
  return r->status;
}

Status ReportService::AddPublicPhoto(const std::string& client_ip, const std::string& tracking_code,
                                     std::string_view bytes) {
  if (!Allow("photo:" + client_ip, config_.intake.per_address * 3)) return TooMany();
  const std::string code = NormalizeTrackingCode(tracking_code);
  if (code.empty()) return Status::NotFound("tracking_code");
  const AttachmentRule kPhoto{io::kImages, kMaxAttachmentBytes, config_.intake.max_photos, "照片", kPhotoErrors};
  TH_ASSIGN_OR_RETURN(const std::string type, CheckUploadBytes(bytes, kPhoto));
  return InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::ReportRepo reports(c);
    auto r = reports.GetByTracking(TrackingHash(deps_.keys, code));
    if (!r.ok()) return Status::NotFound("tracking_code");
    const std::int64_t now = deps_.clock.NowMillis();
    if (r->channel != "public" || now - r->created_at > config_.intake.photo_hours * 3600 * 1000) {
      const std::string h = std::to_string(config_.intake.photo_hours);
      return Status::Error(Code::kConflict, "photo_window_closed", "报告提交" + h + "小时后不能再补充照片",
                           "Photos can be added only within " + h + " hours of the report", "photo");
    }
    TH_ASSIGN_OR_RETURN(auto n, reports.CountAttachments(r->id, "public"));
    if (n >= config_.intake.max_photos) {
      const std::string n = std::to_string(config_.intake.max_photos);
      return Status::Error(Code::kConflict, "too_many_photos", "每份报告最多" + n + "张照片",
                           "A report has at most " + n + " photos", "photo");
    }
    repo::AttachmentRecord a;
    a.report_id = r->id;
    a.source = "public";
    a.content_type = type;
    a.size_bytes = static_cast<std::int64_t>(bytes.size());
    a.sha256 = security::Sha256Hex(bytes);
    a.data_enc = deps_.keys.Encrypt(bytes, kCtxAttachment);
    a.created_at = now;
    TH_RETURN_IF_ERROR(reports.InsertAttachment(a));
    return WriteAudit(c, deps_.clock, nullptr, client_ip,
                      {"report.public_photo", "report", std::to_string(r->id), r->unit_path, "",
                       JsonObjectWriter().Int("attachment_id", a.id).Str("sha256", a.sha256).Finish(), ""});
  });
}

}  // namespace th::service
