// VisitsService: visit records, photos, the due list, history and statistics.

#include <algorithm>
#include <set>

#include "base/json_writer.h"
#include "platform/service/attachments.h"
#include "modules/visits/permissions.h"
#include "modules/visits/service/visits_internal.h"
#include "modules/visits/service/visits_service.h"
#include "platform/work/work_hooks.h"
#include "security/crypto.h"
#include "text/field.h"

namespace th::service {

using namespace visits_internal;  // NOLINT: this file is part of the visits service
using repo::VisitsRepo;

namespace {

constexpr const char* kCtxPhoto = "visit.photo";

Status Need(const Principal& who, const char* perm) { return who.Can(perm) ? Status::Ok() : Status::Forbidden(); }

Status Bad(const std::string& field, const std::string& code, const std::string& zh, const std::string& en) {
  return Status::Invalid(field, code, zh, en);
}

Status OneOf(const std::string& v, const std::set<std::string>& allowed, const char* field) {
  if (allowed.count(v)) return Status::Ok();
  if (v.empty()) return Status::Required(field);
  return Bad(field, "invalid_enum", "取值无效", "Invalid value");
}

Result<std::string> Codes(const std::vector<std::string>& v, const std::set<std::string>& allowed, const char* field) {
  std::set<std::string> seen;
  std::string out = v.empty() ? "" : ",";
  for (const auto& c : v) {
    if (!allowed.count(c)) return Bad(field, "invalid_enum", "取值无效: " + c, "Invalid value: " + c);
    if (seen.insert(c).second) out += c + ",";
  }
  return out;
}

// Long: one check per field of the visit form, in the form's order.
Status CheckInput(const VisitInput& in, std::int32_t today, repo::VisitRecord& v) {
  auto d = domain::ParseDate(in.visited_on, "visited_on");
  if (in.visited_on.empty()) return Status::Required("visited_on");
  if (!d.ok()) return d.status();
  const std::int32_t on = d->ToYyyymmdd();
  if (on > today) return Bad("visited_on", "out_of_range", "走访日期不能晚于今天", "The visit date cannot be in the future");
  if (DaysBetween(on, today) > 366) {
    return Bad("visited_on", "out_of_range", "走访日期不能早于一年前", "The visit date cannot be more than a year ago");
  }
  v.visited_on = on;
  v.month = on / 100;
  if (in.seen.empty()) return Status::Required("seen");
  TH_ASSIGN_OR_RETURN(v.seen, Codes(in.seen, {"child", "guardian", "others"}, "seen"));
  TH_ASSIGN_OR_RETURN(v.needs, Codes(in.needs, {"living", "safety", "education", "health", "family", "other"}, "needs"));
  TH_RETURN_IF_ERROR(OneOf(in.place, {"home", "school", "community", "other"}, "place"));
  const std::set<std::string> kState = {"good", "fair", "poor"};
  TH_RETURN_IF_ERROR(OneOf(in.child_state, kState, "child_state"));
  TH_RETURN_IF_ERROR(OneOf(in.home_state, kState, "home_state"));
  TH_RETURN_IF_ERROR(OneOf(in.guardian_care, kState, "guardian_care"));
  TH_RETURN_IF_ERROR(text::CheckText(in.seen_others, "seen_others", text::kLineText));
  if (v.seen.find(",others,") != std::string::npos && in.seen_others.empty()) return Status::Required("seen_others");
  TH_RETURN_IF_ERROR(text::CheckText(in.place_note, "place_note", text::kLineText));
  const std::pair<const std::string*, const char*> kLong[] = {{&in.child_note, "child_note"}, {&in.home_note, "home_note"},
                                                               {&in.guardian_note, "guardian_note"},
                                                               {&in.needs_note, "needs_note"}, {&in.follow_ups, "follow_ups"}};
  for (const auto& [value, field] : kLong) TH_RETURN_IF_ERROR(text::CheckText(*value, field, text::kLongText));
  v.seen_others = in.seen_others;
  v.place = in.place;
  v.place_note = in.place_note;
  v.child_state = in.child_state;
  v.child_note = in.child_note;
  v.home_state = in.home_state;
  v.home_note = in.home_note;
  v.guardian_care = in.guardian_care;
  v.guardian_note = in.guardian_note;
  v.needs_note = in.needs_note;
  v.follow_ups = in.follow_ups;
  return Status::Ok();
}

}  // namespace

repo::ChildScope VisitsService::ScopeOf(const Principal& who) const {
  const std::string& level = who.org_level;
  const std::int64_t id = who.org_unit_id;
  if (level == "city") return {"city", id};
  if (level == "district") return {"district_id", id};
  if (level == "street") return {"street_id", id};
  if (level == "community") return {"community_id", id};
  return {"grid_id", id};
}

Result<repo::RollChild> VisitsService::LoadChild(storage::Connection& c, const Principal& who, std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rc, VisitsRepo(c).RollChildOf(child_id));
  if (!rc || !who.Covers(rc->unit_path)) return Status::NotFound("child");
  return std::move(*rc);
}

Result<std::vector<DueRow>> VisitsService::Due(const Principal& who, const DueParams& p, const repo::Page& page,
                                               std::int64_t* total, bool* capped) {
  TH_RETURN_IF_ERROR(Need(who, perm::kVisitRead));
  if (!p.grade.empty() && p.grade != "none" && !config_.FindGrade(p.grade)) {
    return Bad("grade", "invalid_enum", "风险等级无效", "Unknown grade");
  }
  if (p.min_overdue_days && (*p.min_overdue_days < 0 || *p.min_overdue_days > 3660)) {
    return Bad("overdue_days", "out_of_range", "逾期天数应在 0 到 3660 之间", "overdue_days must be 0 to 3660");
  }
  if (p.within_days && (*p.within_days < 0 || *p.within_days > 366)) {
    return Bad("within_days", "out_of_range", "天数应在 0 到 366 之间", "within_days must be 0 to 366");
  }
  const std::int32_t today = Today();
  const domain::Date t = DateOf(today);
  repo::DueFilter f;
  f.scope = ScopeOf(who);
  f.community_id = p.community_id;
  f.street_id = p.street_id;
  f.grade = p.grade;
  f.due_by = p.min_overdue_days ? t.AddDays(-*p.min_overdue_days).ToYyyymmdd()
                                : t.AddDays(p.within_days.value_or(config_.due_soon_days)).ToYyyymmdd();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  VisitsRepo repo(*h);
  TH_ASSIGN_OR_RETURN(auto rows, repo.ListDue(f, page));
  KeepCovered(who, &rows, [](const repo::VisitScheduleRecord& s) { return s.unit_path; }, "visit_schedule");
  TH_ASSIGN_OR_RETURN(*total, repo.CountDue(f, capped, due_counts_.get()));
  std::vector<DueRow> out;
  out.reserve(rows.size());
  for (auto& s : rows) {
    const std::int64_t late = DaysBetween(s.next_due_on, today);
    out.push_back({std::move(s), late});
  }
  return out;
}

Result<ScheduleView> VisitsService::Schedule(const Principal& who, std::int64_t child_id) {
  TH_RETURN_IF_ERROR(Need(who, perm::kVisitRead));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto rc, LoadChild(*h, who, child_id));
  ScheduleView v;
  TH_ASSIGN_OR_RETURN(v.child_name, VisitsRepo(*h).ChildName(child_id));
  if (rc.schedule && rc.schedule->active) {
    v.schedule = rc.schedule;
    v.overdue_days = DaysBetween(rc.schedule->next_due_on, Today());
  }
  return v;
}

Result<std::vector<VisitView>> VisitsService::History(const Principal& who, std::int64_t child_id,
                                                      const repo::Page& page, std::int64_t* total) {
  TH_RETURN_IF_ERROR(Need(who, perm::kVisitRead));
  std::vector<VisitView> out;
  std::string path;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(auto rc, LoadChild(*h, who, child_id));
    path = rc.unit_path;
    VisitsRepo repo(*h);
    TH_ASSIGN_OR_RETURN(auto visits, repo.VisitsOfChild(child_id, page, total));
    for (auto& v : visits) {
      TH_ASSIGN_OR_RETURN(auto photos, v.photos > 0 ? repo.PhotosOf(v.id) : Result<std::vector<repo::VisitPhotoRecord>>(
                                                                               std::vector<repo::VisitPhotoRecord>{}));
      out.push_back({std::move(v), std::move(photos)});
    }
  }
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"visit.read", "child", std::to_string(child_id), path, "", "",
                                               "visit history"}));
  return out;
}

// Long: the record, the schedule's new dates, the work item and the audit entry of one visit, in one transaction.
Result<VisitView> VisitsService::Record(const Principal& who, std::int64_t child_id, const VisitInput& in) {
  TH_RETURN_IF_ERROR(Need(who, perm::kVisitWrite));
  const std::int32_t today = Today();
  repo::VisitRecord v;
  std::int64_t id = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto rc, LoadChild(c, who, child_id));
    TH_RETURN_IF_ERROR(CheckInput(in, today, v));
    VisitsRepo repo(c);
    v.child_id = child_id;
    v.district_id = rc.district_id;
    v.street_id = rc.street_id;
    v.community_id = rc.community_id;
    v.grid_id = rc.grid_id;
    v.unit_path = rc.unit_path;
    v.visitor_user_id = who.user_id;
    v.visitor_name = who.display_name;
    v.created_at = deps_.clock.NowMillis();
    if (rc.schedule && rc.schedule->active) {
      v.grade = rc.schedule->grade;
      v.due_on = rc.schedule->next_due_on;
      v.on_time = v.visited_on <= v.due_on;
    }
    TH_RETURN_IF_ERROR(repo.InsertVisit(v));
    id = v.id;
    if (rc.schedule && rc.schedule->active && v.visited_on >= rc.schedule->last_visit_on) {
      repo::VisitScheduleRecord s = *rc.schedule;
      s.last_visit_on = v.visited_on;
      domain::VisitInterval iv{s.interval_days, s.rule};
      s.next_due_on = domain::NextDue(config_, iv, DateOf(s.last_visit_on), DateOf(s.planned_from), false).ToYyyymmdd();
      s.updated_at = v.created_at;
      TH_RETURN_IF_ERROR(repo.UpsertSchedule(s));
      TH_RETURN_IF_ERROR(SyncItem(c, s, today));
    }
    return WriteAudit(c, deps_.clock, &who, "",
                      {"visit.create", "visit", std::to_string(id), rc.unit_path, "",
                       JsonObjectWriter()
                           .Int("child_id", child_id)
                           .Int("visited_on", v.visited_on)
                           .Str("place", v.place)
                           .Str("seen", v.seen)
                           .Str("child_state", v.child_state)
                           .Str("guardian_care", v.guardian_care)
                           .Str("needs", v.needs)
                           .Bool("on_time", v.on_time)
                           .Finish(),
                       ""});
  }));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto got, VisitsRepo(*h).GetVisit(id));
  return VisitView{std::move(*got), {}};
}

Result<VisitView> VisitsService::Get(const Principal& who, std::int64_t visit_id) {
  TH_RETURN_IF_ERROR(Need(who, perm::kVisitRead));
  VisitView out;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    VisitsRepo repo(*h);
    TH_ASSIGN_OR_RETURN(auto v, repo.GetVisit(visit_id));
    if (!v || !who.Covers(v->unit_path)) return Status::NotFound("visit");
    TH_ASSIGN_OR_RETURN(out.photos, repo.PhotosOf(visit_id));
    out.visit = std::move(*v);
  }
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"visit.read", "visit", std::to_string(visit_id), out.visit.unit_path,
                                               "", "", ""}));
  return out;
}

Result<repo::VisitPhotoRecord> VisitsService::AddPhoto(const Principal& who, std::int64_t visit_id,
                                                       std::string_view bytes) {
  TH_RETURN_IF_ERROR(Need(who, perm::kVisitWrite));
  repo::VisitPhotoRecord p;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    VisitsRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto v, repo.GetVisit(visit_id));
    if (!v || !who.Covers(v->unit_path)) return Status::NotFound("visit");
    static const AttachmentRule kPhoto{io::kImages | io::kWebp, kMaxPhotoBytes, kMaxPhotosPerVisit, "照片",
                                       kPhotoErrors};
    TH_ASSIGN_OR_RETURN(p.content_type, CheckUploadBytes(bytes, kPhoto));
    if (v->photos >= kMaxPhotosPerVisit) {
      return Status::Error(Code::kConflict, "too_many_photos", "每次走访最多 9 张照片", "At most 9 photos per visit", "photo");
    }
    p.visit_id = visit_id;
    p.size_bytes = static_cast<std::int64_t>(bytes.size());
    p.sha256 = security::Sha256Hex(bytes);
    p.data_enc = deps_.keys.Encrypt(bytes, kCtxPhoto);
    p.created_by = who.user_id;
    p.created_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo.InsertPhoto(p));
    TH_RETURN_IF_ERROR(repo.SetPhotoCount(visit_id, v->photos + 1));
    return WriteAudit(c, deps_.clock, &who, "",
                      {"visit.photo_add", "visit", std::to_string(visit_id), v->unit_path, "",
                       JsonObjectWriter().Int("photo_id", p.id).Str("sha256", p.sha256).Int("size", p.size_bytes).Finish(),
                       ""});
  }));
  p.data_enc.clear();
  return p;
}

Result<repo::VisitPhotoRecord> VisitsService::Photo(const Principal& who, std::int64_t photo_id) {
  TH_RETURN_IF_ERROR(Need(who, perm::kVisitRead));
  repo::VisitPhotoRecord p;
  std::string path;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    VisitsRepo repo(*h);
    TH_ASSIGN_OR_RETURN(auto got, repo.GetPhoto(photo_id));
    if (!got) return Status::NotFound("photo");
    TH_ASSIGN_OR_RETURN(auto v, repo.GetVisit(got->visit_id));
    if (!v || !who.Covers(v->unit_path)) return Status::NotFound("photo");
    path = v->unit_path;
    p = std::move(*got);
  }
  TH_ASSIGN_OR_RETURN(p.data_enc, deps_.keys.Decrypt(p.data_enc, kCtxPhoto));
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"visit.photo_read", "visit", std::to_string(p.visit_id), path, "",
                                               JsonObjectWriter().Int("photo_id", p.id).Finish(), ""}));
  return p;
}

Result<VisitStats> VisitsService::Stats(const Principal& who, const std::string& from, const std::string& to) {
  TH_RETURN_IF_ERROR(Need(who, perm::kVisitRead));
  auto month_of = [](const std::string& s, const char* field) -> Result<std::int32_t> {
    auto d = domain::ParseDate(s + "-01", field);
    if (s.size() != 7 || !d.ok()) return Bad(field, "invalid_date", "月份格式应为 YYYY-MM", "Use YYYY-MM");
    return d->ToYyyymmdd() / 100;
  };
  const domain::Date today = DateOf(Today());
  VisitStats out;
  if (to.empty()) {
    out.to_month = today.ToYyyymmdd() / 100;
  } else {
    TH_ASSIGN_OR_RETURN(out.to_month, month_of(to, "to"));
  }
  if (from.empty()) {
    out.from_month = DateOf(out.to_month * 100 + 1).AddMonths(-5).ToYyyymmdd() / 100;
  } else {
    TH_ASSIGN_OR_RETURN(out.from_month, month_of(from, "from"));
  }
  const int span = (out.to_month / 100 - out.from_month / 100) * 12 + (out.to_month % 100 - out.from_month % 100);
  if (span < 0 || span >= 24) return Bad("from", "out_of_range", "月份范围应为 1 到 24 个月", "The range must be 1 to 24 months");
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(out.cells, VisitsRepo(*h).Stats(ScopeOf(who), out.from_month, out.to_month));
  return out;
}

}  // namespace th::service
