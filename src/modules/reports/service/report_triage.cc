// The center's steps on a report: triage, close, the dispatch module's moves (MoveIn) and what
// it reads (LoadForTriage, Facts); the report_triage work item and the duty officer's alert.
#include "base/json_writer.h"
#include "modules/registry/service/child_service.h"
#include "modules/reports/permissions.h"
#include "modules/reports/service/report_internal.h"
#include "modules/reports/service/report_service.h"
#include "platform/notify/service/notification_service.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_hooks.h"
#include "text/field.h"
#include "text/utf8.h"

namespace th::service {

using repo::ReportRecord;

namespace {

std::string Snapshot(const ReportRecord& r) {
  return JsonObjectWriter()
      .Str("status", r.status)
      .Str("urgency", r.urgency)
      .Str("category", r.category)
      .Int("org_unit_id", r.unit_id)
      .OptInt("child_id", r.child_id)
      .Bool("sensitive", r.sensitive)
      .Int("version", r.version)
      .Finish();
}

constexpr const char* kMaskedText = "（敏感内容，已隐藏）";

}  // namespace

Status ReportService::SyncWork(storage::Connection& c, const ReportRecord& r) {
  std::optional<work::WorkOpen> want;
  if (domain::NeedsTriage(r.status)) {
    work::WorkOpen w;
    w.kind = "report_triage";
    w.subject_type = "report";
    w.subject_id = r.id;
    w.title = "研判发现报告";
    w.label = "报告 #" + std::to_string(r.id) + " " + domain::ChannelName(r.channel);
    w.link = "/reports/" + std::to_string(r.id);
    w.owner_unit_id = r.district_unit_id;
    w.owner_role = "district";
    w.started_at = r.created_at;
    if (r.urgency == "immediate") w.variant = "urgent";
    want = std::move(w);
  }
  return work::Sync(deps_.work.get(), c, "report", r.id, want).status();
}

Status ReportService::NotifyDuty(storage::Connection& c, const ReportRecord& r) {
  const std::int64_t now = deps_.clock.NowMillis();
  TH_ASSIGN_OR_RETURN(auto shifts, repo::ReportRepo(c).ListShifts(r.district_unit_id, now, now + 1));
  notify::NotificationService notes(deps_);
  // The text names the report, never its content or reporter (it may go out by SMS).
  const std::string title = "紧急发现报告，请立即研判";
  const std::string body = "报告 #" + std::to_string(r.id) + "（" + domain::ChannelName(r.channel) + "）需立即研判处置";
  const std::string link = "/reports/" + std::to_string(r.id);
  const std::string dedup = "report:" + std::to_string(r.id) + ":urgent";
  if (shifts.empty()) {
    // Nobody on the roster now: the center's staff are told.
    return notes.Notify(c, std::nullopt, notify::Recipients::UnitRole(r.district_unit_id, "district"), title, body,
                        link, dedup)
        .status();
  }
  for (const auto& s : shifts) {
    TH_RETURN_IF_ERROR(notes.Notify(c, std::nullopt, notify::Recipients::User(s.user_id), title, body, link, dedup).status());
  }
  return Status::Ok();
}

Status ReportService::TellReporter(storage::Connection& c, const ReportRecord& r) {
  if (!r.reporter_user_id || r.status != domain::kReportClosed) return Status::Ok();
  // The reporter is told that the result is there (未保法 Art 11); the text carries no content.
  const std::string id = std::to_string(r.id);
  return notify::NotificationService(deps_)
      .Notify(c, std::nullopt, notify::Recipients::User(*r.reporter_user_id), "您提交的报告已办结",
              "报告 #" + id + " 已办结，请查看处理结果", "/reports/" + id, "report:" + id + ":closed")
      .status();
}

// Long: the triage form's checks (urgency, category, child, unit) and the write stay together.
Result<ReportView> ReportService::Triage(const Principal& who, std::int64_t id, const TriageInput& in) {
  if (!who.Can(perm::kReportTriage)) return Status::Forbidden();
  if (in.urgency.empty()) return Status::Required("urgency");
  if (!domain::IsReportUrgency(in.urgency)) return Status::InvalidEnum("urgency", in.urgency);
  if (in.category.empty()) return Status::Required("category");
  if (!config_.Category(in.category)) return Status::InvalidEnum("category", in.category);
  TH_ASSIGN_OR_RETURN(auto note, text::CleanText(in.note, "note", text::kLongText));
  ReportView view;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    Scope scope;
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id, &scope));
    if (!domain::NeedsTriage(r.status)) return Status::InvalidState(r.status);
    if (r.version != in.version) return Status::Stale();
    const ReportRecord before = r;
    if (in.child_id) {
      auto child = children_.LoadInScope(c, who, *in.child_id);
      if (!child.ok()) return Status::NotFound("child_id");
      r.child_id = in.child_id;
      if (r.child_name.empty()) r.child_name = child->name;
    }
    if (in.unit_id) {
      auto unit = repo::OrgRepo(c).Get(*in.unit_id);
      if (!unit.ok() || unit->retired || !who.Covers(unit->path) ||
          unit->path.compare(0, r.district_path.size(), r.district_path) != 0) {
        return Status::NotFound("unit_id");
      }
      r.unit_id = unit->id;
      r.unit_path = unit->path;
    }
    r.urgency = in.urgency;
    r.category = in.category;
    r.sensitive = config_.Sensitive(r.category, domain::SplitSituations(r.situations));
    r.triage_note = note;
    r.status = domain::kReportTriaged;
    r.triaged_by = who.user_id;
    r.triaged_at = r.updated_at = deps_.clock.NowMillis();
    repo::ReportRepo reports(c);
    TH_RETURN_IF_ERROR(reports.Update(r, in.version));
    r.version = in.version + 1;
    TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                  {"report.triage", "report", std::to_string(id), r.unit_path, Snapshot(before),
                                   Snapshot(r), note}));
    if (r.child_id && r.child_id != before.child_id) {
      for (const auto& l : child_link_listeners_) TH_RETURN_IF_ERROR(l(c, *r.child_id));
    }
    // Urgency changed to or from 立即: the open triage item runs on the other clock (from the
    // report's arrival), so close it and open it again; 立即 alerts the duty officer as at intake.
    const bool urgent = r.urgency == "immediate", was_urgent = before.urgency == "immediate";
    if (urgent != was_urgent) TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, "report", r.id, "report_triage"));
    TH_RETURN_IF_ERROR(SyncWork(c, r));
    if (urgent && !was_urgent) TH_RETURN_IF_ERROR(NotifyDuty(c, r));
    TH_ASSIGN_OR_RETURN(r, reports.Get(id));
    view = ViewOf(scope, who, std::move(r), false);
    return Status::Ok();
  }));
  return view;
}

Result<ReportView> ReportService::Close(const Principal& who, std::int64_t id, std::int64_t version,
                                        const std::string& outcome_in, const std::string& reply_in) {
  if (!who.Can(perm::kReportTriage)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto outcome, text::CleanRequiredText(outcome_in, "outcome", text::kLongText));
  if (text::DecodeUtf8(outcome).size() < 2) return Status::Required("outcome");
  TH_ASSIGN_OR_RETURN(auto reply, text::CleanText(reply_in, "reply_to_reporter", text::kLongText));
  ReportView view;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    Scope scope;
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id, &scope));
    if (!domain::ReportMoveAllowed(r.status, domain::kReportClosed)) return Status::InvalidState(r.status);
    if (r.version != version) return Status::Stale();
    const ReportRecord before = r;
    r.status = domain::kReportClosed;
    r.outcome = outcome;
    r.reply = reply;
    r.closed_by = who.user_id;
    r.closed_at = r.updated_at = deps_.clock.NowMillis();
    repo::ReportRepo reports(c);
    TH_RETURN_IF_ERROR(reports.Update(r, version));
    r.version = version + 1;
    TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                  {"report.close", "report", std::to_string(id), r.unit_path, Snapshot(before),
                                   Snapshot(r), outcome}));
    TH_RETURN_IF_ERROR(SyncWork(c, r));
    if (on_direct_close_) TH_RETURN_IF_ERROR(on_direct_close_(c, who, id, outcome));
    TH_RETURN_IF_ERROR(TellReporter(c, r));
    TH_ASSIGN_OR_RETURN(r, reports.Get(id));
    view = ViewOf(scope, who, std::move(r), false);
    return Status::Ok();
  }));
  return view;
}

namespace {
ReportFacts FactsOf(const ReportRecord& r) {
  ReportFacts f;
  f.id = r.id;
  f.district_unit_id = r.district_unit_id;
  f.unit_id = r.unit_id;
  f.unit_path = r.unit_path;
  f.status = r.status;
  f.urgency = r.urgency;
  f.category = r.category;
  f.channel = r.channel;
  f.child_id = r.child_id;
  f.sensitive = r.sensitive;
  f.summary = r.sensitive ? kMaskedText : r.description;
  f.place = r.sensitive ? kMaskedText : r.place;
  f.version = r.version;
  return f;
}
}  // namespace

Result<ReportFacts> ReportService::LoadForTriage(storage::Connection& c, const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kReportTriage)) return Status::Forbidden();
  Scope scope;
  TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id, &scope));
  if (scope.kind != Scope::kSubtree || !who.Covers(r.unit_path)) return Status::NotFound("report");
  TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                {"report.read", "report", std::to_string(id), r.unit_path, "",
                                 JsonObjectWriter().Bool("sensitive", r.sensitive).Bool("masked", r.sensitive).Finish(),
                                 ""}));
  return FactsOf(r);
}

Result<ReportFacts> ReportService::Facts(storage::Connection& c, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto r, repo::ReportRepo(c).Get(id));
  return FactsOf(r);
}

Status ReportService::MoveIn(storage::Connection& c, const Principal& who, std::int64_t id, const std::string& to_status,
                             const std::string& note, const ReportClosing& closing) {
  if (!domain::IsReportStatus(to_status)) return Status::InvalidEnum("status", to_status);
  repo::ReportRepo reports(c);
  TH_ASSIGN_OR_RETURN(auto r, reports.Get(id));
  if (!domain::ReportMoveAllowed(r.status, to_status)) return Status::InvalidState(r.status);
  const ReportRecord before = r;
  r.status = to_status;
  r.updated_at = deps_.clock.NowMillis();
  if (to_status == domain::kReportClosed) {
    // Closed with its order (the return visit verified it): the center's outcome (else the
    // step's note) and its reply to the reporter (未保法 Art 11).
    r.closed_by = who.user_id;
    r.closed_at = r.updated_at;
    TH_ASSIGN_OR_RETURN(auto outcome, text::CleanText(closing.outcome, "outcome", text::kLongText));
    if (outcome.empty()) {
      TH_ASSIGN_OR_RETURN(outcome, text::CleanText(note, "note", text::kLongText));
    }
    if (!outcome.empty() || r.outcome.empty()) r.outcome = outcome;
    TH_ASSIGN_OR_RETURN(auto reply, text::CleanText(closing.reply, "reply_to_reporter", text::kLongText));
    if (!reply.empty()) r.reply = reply;
  }
  TH_RETURN_IF_ERROR(reports.Update(r, before.version));
  r.version = before.version + 1;
  TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                {"report.move", "report", std::to_string(id), r.unit_path, Snapshot(before),
                                 Snapshot(r), note}));
  TH_RETURN_IF_ERROR(SyncWork(c, r));
  return TellReporter(c, r);
}

}  // namespace th::service
