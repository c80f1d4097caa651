// The 24-hour duty roster (值班表) of a district center and handover notes (值班交接). Urgent
// reports alert whoever is on duty now (report_triage.cc, NotifyDuty).
#include "base/json_writer.h"
#include "modules/reports/permissions.h"
#include "modules/reports/service/report_service.h"
#include "platform/repo/org_repo.h"
#include "platform/repo/user_repo.h"
#include "text/field.h"
#include "text/utf8.h"

namespace th::service {

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

bool MayReadRoster(const Principal& who) {
  return who.Can(perm::kDutyManage) || who.Can(perm::kReportTriage) || who.Can(perm::kReportRead);
}

}  // namespace

Result<std::optional<repo::DutyShiftRecord>> ReportService::DutyDistrict(storage::Connection& c, const Principal& who,
                                                                         repo::OrgUnit* district) {
  TH_ASSIGN_OR_RETURN(auto d, repo::OrgRepo(c).DistrictOn(who.org_path));
  if (!d) {
    return Status::Error(Code::kNotFound, "no_district", "您所在单位不属于任何区县", "Your unit is not under a district",
                         "district");
  }
  *district = std::move(*d);
  const std::int64_t now = deps_.clock.NowMillis();
  TH_ASSIGN_OR_RETURN(auto shifts, repo::ReportRepo(c).ListShifts(district->id, now, now + 1));
  for (auto& s : shifts) {
    if (s.user_id == who.user_id) return std::optional<repo::DutyShiftRecord>(std::move(s));
  }
  return std::optional<repo::DutyShiftRecord>();
}

Result<std::vector<repo::DutyShiftRecord>> ReportService::ListShifts(const Principal& who, std::int64_t from,
                                                                     std::int64_t to) {
  if (!MayReadRoster(who)) return Status::Forbidden();
  // Defaults: from a day ago, two weeks on.
  if (from == 0) from = deps_.clock.NowMillis() - kDayMs;
  if (to == 0) to = from + 15 * kDayMs;
  if (to <= from || to - from > 62 * kDayMs) {
    return Status::Invalid("to", "invalid_range", "时间范围无效(最多62天)", "Invalid range (at most 62 days)");
  }
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::OrgUnit district;
  TH_RETURN_IF_ERROR(DutyDistrict(*h, who, &district).status());
  return repo::ReportRepo(*h).ListShifts(district.id, from, to);
}

Result<std::vector<repo::DutyShiftRecord>> ReportService::OnDutyNow(const Principal& who) {
  const std::int64_t now = deps_.clock.NowMillis();
  return ListShifts(who, now, now + 1);
}

Result<repo::DutyShiftRecord> ReportService::AddShift(const Principal& who, const DutyShiftInput& in) {
  if (!who.Can(perm::kDutyManage)) return Status::Forbidden();
  if (in.user_id <= 0) return Status::Required("user_id");
  if (in.starts_at <= 0) return Status::Required("starts_at");
  if (in.ends_at <= in.starts_at || in.ends_at - in.starts_at > 7 * kDayMs) {
    return Status::Invalid("ends_at", "invalid_range", "结束时间须晚于开始时间，一班最长7天",
                           "ends_at must follow starts_at, a shift lasts at most 7 days");
  }
  TH_ASSIGN_OR_RETURN(auto note, text::CleanText(in.note, "note", text::kLineText));
  repo::DutyShiftRecord s;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::OrgUnit district;
    TH_RETURN_IF_ERROR(DutyDistrict(c, who, &district).status());
    auto user = repo::UserRepo(c).Get(in.user_id);
    // The roster names the center's own staff: active users whose unit is the district.
    if (!user.ok() || user->disabled || user->org_unit_id != district.id) return Status::NotFound("user_id");
    s.district_unit_id = district.id;
    s.district_path = district.path;
    s.user_id = in.user_id;
    s.starts_at = in.starts_at;
    s.ends_at = in.ends_at;
    s.note = note;
    s.created_by = who.user_id;
    s.created_at = deps_.clock.NowMillis();
    repo::ReportRepo reports(c);
    TH_RETURN_IF_ERROR(reports.InsertShift(s));
    TH_ASSIGN_OR_RETURN(s, reports.GetShift(s.id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"duty.shift_create", "duty_shift", std::to_string(s.id), district.path, "",
                       JsonObjectWriter()
                           .Int("user_id", s.user_id)
                           .Int("starts_at", s.starts_at)
                           .Int("ends_at", s.ends_at)
                           .Finish(),
                       ""});
  }));
  return s;
}

Status ReportService::DeleteShift(const Principal& who, std::int64_t id, std::int64_t version) {
  if (!who.Can(perm::kDutyManage)) return Status::Forbidden();
  return InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::OrgUnit district;
    TH_RETURN_IF_ERROR(DutyDistrict(c, who, &district).status());
    repo::ReportRepo reports(c);
    auto s = reports.GetShift(id);
    if (!s.ok() || s->district_unit_id != district.id) return Status::NotFound("shift");
    if (s->version != version) return Status::Stale();
    TH_ASSIGN_OR_RETURN(auto n, reports.DeleteShift(id, version));
    if (n == 0) return Status::Stale();
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"duty.shift_delete", "duty_shift", std::to_string(id), district.path,
                       JsonObjectWriter().Int("user_id", s->user_id).Int("starts_at", s->starts_at).Int("ends_at", s->ends_at).Finish(),
                       "", ""});
  });
}

Result<repo::HandoverRecord> ReportService::AddHandover(const Principal& who, const std::string& note_in) {
  if (!MayReadRoster(who)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto note, text::CleanRequiredText(note_in, "note", text::kLongText));
  if (text::DecodeUtf8(note).size() < 2) return Status::Required("note");
  repo::HandoverRecord h;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::OrgUnit district;
    TH_ASSIGN_OR_RETURN(auto mine, DutyDistrict(c, who, &district));
    // The officer on duty writes the handover; a roster manager may too.
    if (!mine && !who.Can(perm::kDutyManage)) return Status::Forbidden();
    h.district_unit_id = district.id;
    h.district_path = district.path;
    if (mine) h.shift_id = mine->id;
    h.note = note;
    h.created_by = who.user_id;
    h.created_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo::ReportRepo(c).InsertHandover(h));
    h.created_by_name = who.display_name;
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"duty.handover", "duty_handover", std::to_string(h.id), district.path, "",
                       JsonObjectWriter().OptInt("shift_id", h.shift_id).Finish(), ""});
  }));
  return h;
}

Result<std::vector<repo::HandoverRecord>> ReportService::ListHandovers(const Principal& who, const repo::Page& page,
                                                                       std::int64_t* total) {
  if (!MayReadRoster(who)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::OrgUnit district;
  TH_RETURN_IF_ERROR(DutyDistrict(*h, who, &district).status());
  return repo::ReportRepo(*h).ListHandovers(district.id, page, total);
}

}  // namespace th::service
