// Reports: intake by staff and reporters, reads, lists, the reporter's reveal and attachments
// (contracts in report_service.h). Triage, close and the dispatch module's moves are in
// report_triage.cc, the public page in report_public.cc, the duty roster in duty_roster.cc.
#include "modules/reports/service/report_service.h"

#include <algorithm>

#include "base/json_writer.h"
#include "platform/service/attachments.h"
#include "modules/registry/service/child_service.h"
#include "modules/reports/permissions.h"
#include "modules/reports/service/report_internal.h"
#include "modules/screening/service/screening_service.h"
#include "platform/repo/org_repo.h"
#include "security/crypto.h"
#include "text/field.h"
#include "text/utf8.h"

namespace th::service {

using namespace reports_internal;  // NOLINT: this module's own helpers
using repo::ReportRecord;

ReportService::ReportService(Deps& deps, domain::ReportConfig config, ChildService& children,
                             ScreeningService* screening)
    : deps_(deps),
      config_(std::move(config)),
      children_(children),
      screening_(screening),
      read_audit_(deps.read_audit) {
  // Reports and the roster copy unit paths: they move with the unit, in the move's transaction.
  deps.jurisdiction.unit_moved["reports"] = [](storage::Connection& c, const repo::OrgUnit& before,
                                               const std::string& new_path) -> Status {
    return repo::ReportRepo(c).AfterUnitMove(before.path, new_path);
  };
}

ReportService::~ReportService() = default;

Result<ReportService::Scope> ReportService::ScopeOf(storage::Connection& c, const Principal& who) {
  Scope s;
  s.user_id = who.user_id;
  if (who.Can(perm::kReportRead) || who.Can(perm::kReportTriage)) {
    s.kind = Scope::kSubtree;
    s.path = who.org_path;
  } else if (who.Can(perm::kReportMandatory)) {
    s.kind = Scope::kAgency;
    // The session carries the reporter's agency; principals built elsewhere (tools) may not.
    s.agency = who.agency_id;
    if (!s.agency) {
      TH_ASSIGN_OR_RETURN(s.agency, repo::ReportRepo(c).UserAgency(who.user_id));
    }
    if (!s.agency) return Status::Forbidden();  // a reporter account without its unit
  } else if (who.Can(perm::kReportWrite)) {
    s.kind = Scope::kOwn;
  } else {
    return Status::Forbidden();
  }
  return s;
}

bool ReportService::Sees(const Scope& s, const ReportRecord& r) const {
  if (r.created_by && *r.created_by == s.user_id) return true;
  switch (s.kind) {
    case Scope::kSubtree: return r.unit_path.compare(0, s.path.size(), s.path) == 0;
    case Scope::kAgency: return r.reporter_agency_id && s.agency && *r.reporter_agency_id == *s.agency;
    case Scope::kOwn: return false;
  }
  return false;
}

Result<ReportRecord> ReportService::LoadScoped(storage::Connection& c, const Principal& who, std::int64_t id,
                                               Scope* out) {
  TH_ASSIGN_OR_RETURN(*out, ScopeOf(c, who));
  auto r = repo::ReportRepo(c).Get(id);
  if (!r.ok() && r.status().code() != Code::kNotFound) return r.status();  // storage errors pass through
  if (!r.ok() || !Sees(*out, *r)) return Status::NotFound("report");
  return std::move(*r);
}

ReportView ReportService::ViewOf(const Scope& s, const Principal& who, ReportRecord r, bool unmask) const {
  ReportView v;
  v.mine = r.created_by && *r.created_by == who.user_id;
  v.reporter_only = !(s.kind == Scope::kSubtree && r.unit_path.compare(0, s.path.size(), s.path) == 0);
  v.masked = r.sensitive && !unmask;
  // The reporter never leaves the service here (RevealReporter does that).
  r.reporter_name_enc.clear();
  r.reporter_phone_enc.clear();
  r.reporter_phone_bidx.clear();
  r.tracking_hash.clear();
  if (v.masked) {
    r.description.clear();
    r.place.clear();
    r.child_name.clear();
    r.child_school.clear();
    r.child_age.reset();
  }
  if (v.reporter_only) {
    // A reporter is told the status and the result (未保法 Art 11), nothing of the center's work.
    r.urgency.clear();
    r.category.clear();
    r.triage_note.clear();
    r.outcome.clear();
    r.child_id.reset();
    r.triaged_by.reset();
    r.closed_by.reset();
    if (r.status != domain::kReportClosed) r.reply.clear();
  }
  if (!who.Can(perm::kReportReveal)) {
    r.agency_name.clear();
    r.reporter_agency_id.reset();
    r.reporter_user_id.reset();
    if (!v.mine) r.created_by.reset();
  }
  v.report = std::move(r);
  return v;
}

// Long: one validation pass over every intake field, in the order the form shows them.
Status ReportService::Validate(storage::Connection& c, const Principal* who, const ReportInput& in, ReportRecord* r) {
  const std::int64_t now = deps_.clock.NowMillis();
  TH_ASSIGN_OR_RETURN(r->description, text::CleanRequiredText(in.description, "description", text::kLongText));
  if (text::DecodeUtf8(r->description).size() < 2) return Status::Required("description");
  TH_ASSIGN_OR_RETURN(r->place, text::CleanRequiredText(in.place, "place", text::kLineText));
  std::vector<std::string> sits;
  for (const auto& code : in.situations) {
    if (!config_.Situation(code)) return Status::InvalidEnum("situations", code);
    if (std::find(sits.begin(), sits.end(), code) == sits.end()) sits.push_back(code);
  }
  r->situations = domain::JoinSituations(sits);
  TH_ASSIGN_OR_RETURN(r->child_name, text::CleanText(in.child_name, "child_name", text::kPersonName));
  if (in.child_age && (*in.child_age < 0 || *in.child_age > 17)) {
    return Status::Invalid("child_age", "out_of_range", "儿童年龄应为 0-17 岁", "child_age must be 0-17");
  }
  r->child_age = in.child_age;
  TH_ASSIGN_OR_RETURN(r->child_school, text::CleanText(in.child_school, "child_school", text::kLineText));
  TH_ASSIGN_OR_RETURN(r->seen_at, CleanDateTime(in.seen_at, "seen_at", now));
  if (!in.urgency.empty() && !domain::IsReportUrgency(in.urgency)) return Status::InvalidEnum("urgency", in.urgency);
  r->urgency = in.urgency;
  r->anonymous = in.anonymous;
  TH_ASSIGN_OR_RETURN(auto name, text::CleanText(in.reporter_name, "reporter_name", text::kPersonName));
  TH_ASSIGN_OR_RETURN(auto phone, CleanPhone(in.reporter_phone, "reporter_phone"));
  if (in.anonymous) name.clear(), phone.clear();  // an anonymous caller leaves nothing to reveal
  if (!name.empty()) r->reporter_name_enc = deps_.keys.Encrypt(name, kCtxReporterName);
  if (!phone.empty()) {
    r->reporter_phone_enc = deps_.keys.Encrypt(phone, kCtxReporterPhone);
    r->reporter_phone_bidx = deps_.keys.BlindIndex(phone, kIdxReporterPhone);
  }
  r->police_reported = in.police_reported;
  TH_ASSIGN_OR_RETURN(r->police_station, text::CleanText(in.police_station, "police.station", text::kLineText));
  TH_ASSIGN_OR_RETURN(r->police_reported_at, CleanDateTime(in.police_reported_at, "police.reported_at", now));
  TH_ASSIGN_OR_RETURN(r->police_receipt_no, text::CleanText(in.police_receipt_no, "police.receipt_no", text::kShortText));
  r->told_civil_affairs = in.told_civil_affairs;
  r->told_education = in.told_education;
  if (in.child_id) {
    if (!who) return Status::Invalid("child_id", "unknown_field", "不接受 child_id", "child_id is not accepted here");
    auto child = children_.LoadInScope(c, *who, *in.child_id);
    if (!child.ok()) return child.status().code() == Code::kPermissionDenied ? child.status() : Status::NotFound("child_id");
    r->child_id = in.child_id;
    if (r->child_name.empty()) r->child_name = child->name;
  }
  r->sensitive = config_.Sensitive("", sits);
  return Status::Ok();
}

Status ReportService::InsertNew(storage::Connection& c, const Principal* who, const std::string& client_ip,
                                ReportRecord& r, const std::string& action) {
  const std::int64_t now = deps_.clock.NowMillis();
  r.status = domain::kReportReceived;
  r.created_at = r.updated_at = now;
  r.version = 1;
  if (who) r.created_by = who->user_id;
  TH_RETURN_IF_ERROR(repo::ReportRepo(c).Insert(r));
  // The audit entry names what was reported, never who (the reporter is sealed).
  const std::string after = JsonObjectWriter()
                                .Str("channel", r.channel)
                                .Str("status", r.status)
                                .Str("situations", r.situations)
                                .Bool("sensitive", r.sensitive)
                                .Str("urgency", r.urgency)
                                .Int("org_unit_id", r.unit_id)
                                .OptInt("child_id", r.child_id)
                                .Finish();
  TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, who, client_ip,
                                {action, "report", std::to_string(r.id), r.unit_path, "", after, ""}));
  TH_RETURN_IF_ERROR(SyncWork(c, r));
  if (r.child_id) {
    for (const auto& l : child_link_listeners_) TH_RETURN_IF_ERROR(l(c, *r.child_id));
  }
  if (r.urgency == "immediate" || config_.Urgent(domain::SplitSituations(r.situations))) {
    TH_RETURN_IF_ERROR(NotifyDuty(c, r));
  }
  return Status::Ok();
}

// Long: the channel rules (who may record which channel, where it files) read best in one place.
Result<ReportView> ReportService::Create(const Principal& who, const ReportInput& in) {
  if (in.channel.empty()) return Status::Required("channel");
  if (!domain::IsReportChannel(in.channel) || in.channel == "public") return Status::InvalidEnum("channel", in.channel);
  const bool reporter = !who.Can(perm::kReportWrite) && who.Can(perm::kReportMandatory);
  if (!who.Can(perm::kReportWrite) && !reporter) return Status::Forbidden();
  if (reporter && in.channel != "mandatory") return Status::Forbidden();
  ReportView view;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::ReportRepo reports(c);
    ReportRecord r;
    r.channel = in.channel;
    TH_RETURN_IF_ERROR(Validate(c, &who, in, &r));
    if (in.channel == "mandatory" && (!in.police_reported || r.police_station.empty() || r.police_reported_at.empty())) {
      return Status::Invalid("police", "police_record_required", "强制报告须先向公安机关报案，并填写派出所和报案时间",
                             "A mandatory report needs the police report first: station and time");
    }
    TH_ASSIGN_OR_RETURN(auto district, repo::OrgRepo(c).DistrictOn(who.org_path));
    if (!district) {
      return Status::Error(Code::kNotFound, "no_district", "您所在单位不属于任何区县，无法登记报告",
                           "Your unit is not under a district", "channel");
    }
    r.district_unit_id = district->id;
    r.district_path = district->path;
    r.unit_id = who.org_unit_id;
    r.unit_path = who.org_path;
    if (reporter) {
      std::optional<std::int64_t> agency_id = who.agency_id;
      if (!agency_id) {
        TH_ASSIGN_OR_RETURN(agency_id, reports.UserAgency(who.user_id));
      }
      if (!agency_id) return Status::Forbidden();
      TH_ASSIGN_OR_RETURN(auto agency, repo::OrgRepo(c).GetAgency(*agency_id));
      TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(agency.org_unit_id));
      r.reporter_agency_id = agency.id;
      r.unit_id = unit.id;
      r.unit_path = unit.path;
    }
    if (in.channel == "screening") {
      if (!in.finding_id) return Status::Required("finding_id");
      if (!screening_) return Status::NotFound("finding_id");
      TH_ASSIGN_OR_RETURN(auto f, screening_->FindingInScope(c, who, *in.finding_id));
      r.finding_id = f.id;
      if (f.community_id) {
        TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(*f.community_id));
        r.unit_id = unit.id;
        r.unit_path = unit.path;
      }
      if (!r.child_id && f.child_id) r.child_id = f.child_id;
    } else if (in.finding_id) {
      return Status::Invalid("finding_id", "finding_needs_screening", "只有排查发现渠道可关联排查线索",
                             "finding_id belongs to the screening channel");
    }
    if (in.channel == "field" || in.channel == "mandatory" || in.channel == "screening") {
      // The account that saw the child is the reporter (sealed like a caller's name).
      r.reporter_user_id = who.user_id;
      if (r.reporter_name_enc.empty() && !in.anonymous) {
        r.reporter_name_enc = deps_.keys.Encrypt(who.display_name, kCtxReporterName);
      }
    }
    if (r.unit_path.compare(0, r.district_path.size(), r.district_path) != 0) {
      r.unit_id = district->id;
      r.unit_path = district->path;
    }
    const std::string code = NewTrackingCode();
    r.tracking_hash = TrackingHash(deps_.keys, NormalizeTrackingCode(code));
    TH_RETURN_IF_ERROR(InsertNew(c, &who, who.client_ip, r, "report.create"));
    TH_ASSIGN_OR_RETURN(r, reports.Get(r.id));
    TH_ASSIGN_OR_RETURN(auto scope, ScopeOf(c, who));
    view = ViewOf(scope, who, std::move(r), true);
    view.tracking_code = code;
    return Status::Ok();
  }));
  return view;
}

Result<ReportView> ReportService::Get(const Principal& who, std::int64_t id, const std::string& purpose) {
  const bool may_unmask = !purpose.empty() && (who.Can(perm::kReportRead) || who.Can(perm::kReportTriage));
  if (!purpose.empty()) TH_RETURN_IF_ERROR(CheckPurpose(purpose));
  ReportView view;
  Scope scope;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(*h, who, id, &scope));
    view = ViewOf(scope, who, std::move(r), may_unmask);
    if (!view.reporter_only) {
      TH_ASSIGN_OR_RETURN(view.attachments, repo::ReportRepo(*h).ListAttachments(id));
    }
  }
  // Every read of a report is audited before it is shown (group-committed with other reads).
  TH_RETURN_IF_ERROR(read_audit_->Append(
      who, {"report.read", "report", std::to_string(id), view.report.unit_path, "",
            JsonObjectWriter().Bool("sensitive", view.report.sensitive).Bool("masked", view.masked).Finish(),
            purpose}));
  return view;
}

Result<std::vector<ReportView>> ReportService::List(const Principal& who, const ReportListParams& p,
                                                    const repo::Page& page, std::int64_t* total) {
  if (!p.status.empty() && !domain::IsReportStatus(p.status)) return Status::InvalidEnum("status", p.status);
  if (!p.channel.empty() && !domain::IsReportChannel(p.channel)) return Status::InvalidEnum("channel", p.channel);
  if (!p.urgency.empty() && !domain::IsReportUrgency(p.urgency)) return Status::InvalidEnum("urgency", p.urgency);
  if (!p.category.empty() && !config_.Category(p.category)) return Status::InvalidEnum("category", p.category);
  TH_ASSIGN_OR_RETURN(auto q, text::CleanText(p.q, "q", text::kShortText));
  std::vector<ReportView> out;
  std::string ids;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(auto scope, ScopeOf(*h, who));
    repo::ReportFilter f;
    f.status = p.status;
    f.channel = p.channel;
    f.urgency = p.urgency;
    f.category = p.category;
    f.q = q;
    if (p.mine || scope.kind == Scope::kOwn) {
      f.created_by = who.user_id;
    } else if (scope.kind == Scope::kAgency) {
      f.agency_id = scope.agency;
    } else {
      f.path_prefix = scope.path;
      f.or_created_by = who.user_id;
    }
    if (p.unit_id) {
      TH_ASSIGN_OR_RETURN(f.unit_prefix, CoveredUnitPath(*h, who, *p.unit_id));
    }
    TH_ASSIGN_OR_RETURN(auto rows, repo::ReportRepo(*h).List(f, page, total));
    const std::size_t before = rows.size();
    std::erase_if(rows, [&](const ReportRecord& r) { return !Sees(scope, r); });
    if (rows.size() != before) LogScopeLeak(who, "reports", before - rows.size());
    for (auto& r : rows) {
      ids += (ids.empty() ? "" : ",") + std::to_string(r.id);
      out.push_back(ViewOf(scope, who, std::move(r), false));  // sensitive text never in a list
    }
  }
  if (!out.empty()) {
    TH_RETURN_IF_ERROR(read_audit_->Append(
        who, {"report.list", "report", "", who.org_path, "", JsonObjectWriter().Str("ids", ids).Finish(), ""}));
  }
  return out;
}

Result<RevealedReporter> ReportService::RevealReporter(const Principal& who, std::int64_t id,
                                                       const std::string& purpose) {
  if (!who.Can(perm::kReportReveal)) return Status::Forbidden();
  TH_RETURN_IF_ERROR(CheckPurpose(purpose));
  RevealedReporter out;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    Scope scope;
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id, &scope));
    if (!r.reporter_name_enc.empty()) {
      TH_ASSIGN_OR_RETURN(out.name, deps_.keys.Decrypt(r.reporter_name_enc, kCtxReporterName));
    }
    if (!r.reporter_phone_enc.empty()) {
      TH_ASSIGN_OR_RETURN(out.phone, deps_.keys.Decrypt(r.reporter_phone_enc, kCtxReporterPhone));
    }
    out.agency_id = r.reporter_agency_id;
    out.agency_name = r.agency_name;
    out.user_id = r.reporter_user_id;
    out.anonymous = r.anonymous;
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"report.reveal_reporter", "report", std::to_string(id), r.unit_path, "", "", purpose});
  }));
  return out;
}

Result<repo::AttachmentRecord> ReportService::AddAttachment(const Principal& who, std::int64_t id,
                                                            std::string_view bytes) {
  if (!who.Can(perm::kReportWrite) && !who.Can(perm::kReportTriage) && !who.Can(perm::kReportMandatory)) {
    return Status::Forbidden();
  }
  repo::AttachmentRecord a;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    Scope scope;
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id, &scope));  // out of scope: 404 before the content
    static const AttachmentRule kStaffFile{
        io::kImagesAndPdf, kMaxAttachmentBytes, kMaxStaffAttachments, "附件",
        {"attachment", "附件", "An attachment", "attachment_too_large", Code::kPayloadTooLarge,
         "invalid_attachment_type", true}};
    TH_ASSIGN_OR_RETURN(const std::string type, CheckUploadBytes(bytes, kStaffFile));
    repo::ReportRepo reports(c);
    TH_ASSIGN_OR_RETURN(auto n, reports.CountAttachments(id, "staff"));
    if (n >= kMaxStaffAttachments) {
      return Status::Error(Code::kConflict, "too_many_attachments", "每份报告最多20个附件",
                           "A report has at most 20 attachments", "attachment");
    }
    a.report_id = id;
    a.source = "staff";
    a.content_type = type;
    a.size_bytes = static_cast<std::int64_t>(bytes.size());
    a.sha256 = security::Sha256Hex(bytes);
    a.data_enc = deps_.keys.Encrypt(bytes, kCtxAttachment);
    a.created_by = who.user_id;
    a.created_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(reports.InsertAttachment(a));
    a.data_enc.clear();
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"report.attachment_add", "report", std::to_string(id), r.unit_path, "",
                       JsonObjectWriter().Int("attachment_id", a.id).Str("sha256", a.sha256).Finish(), ""});
  }));
  return a;
}

Result<repo::AttachmentRecord> ReportService::GetAttachment(const Principal& who, std::int64_t id,
                                                            std::int64_t attachment_id) {
  repo::AttachmentRecord a;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    Scope scope;
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id, &scope));
    ReportView v = ViewOf(scope, who, r, false);
    if (v.reporter_only && !v.mine) return Status::NotFound("attachment");
    TH_ASSIGN_OR_RETURN(a, repo::ReportRepo(c).GetAttachment(id, attachment_id));
    TH_ASSIGN_OR_RETURN(a.data_enc, deps_.keys.Decrypt(a.data_enc, kCtxAttachment));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"report.attachment_read", "report", std::to_string(id), r.unit_path, "",
                       JsonObjectWriter().Int("attachment_id", a.id).Finish(), ""});
  }));
  return a;
}

Result<std::vector<ReportView>> ReportService::ForChild(const Principal& who, std::int64_t child_id,
                                                        const repo::Page& page, std::int64_t* total) {
  if (!who.Can(perm::kReportRead)) return Status::Forbidden();
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_RETURN_IF_ERROR(children_.LoadInScope(*h, who, child_id).status());
  }
  std::vector<ReportView> out;
  std::string ids;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(auto scope, ScopeOf(*h, who));
    repo::ReportFilter f;
    f.path_prefix = scope.path;
    f.child_id = child_id;
    TH_ASSIGN_OR_RETURN(auto rows, repo::ReportRepo(*h).List(f, page, total));
    for (auto& r : rows) {
      if (!Sees(scope, r)) continue;
      ids += (ids.empty() ? "" : ",") + std::to_string(r.id);
      out.push_back(ViewOf(scope, who, std::move(r), false));
    }
  }
  if (!out.empty()) {
    TH_RETURN_IF_ERROR(read_audit_->Append(
        who, {"report.list", "child", std::to_string(child_id), who.org_path, "",
              JsonObjectWriter().Str("ids", ids).Finish(), ""}));
  }
  return out;
}

}  // namespace th::service
