// Service records (个案服务记录) with attachments, and group services (小组) with members and sessions.
#include "base/json_writer.h"
#include "io/file_type.h"
#include "modules/plans/permissions.h"
#include "modules/plans/service/plan_service.h"
#include "modules/plans/service/plans_internal.h"
#include "platform/repo/org_repo.h"
#include "text/field.h"

namespace th::service {

using namespace plans_detail;
using repo::GroupRecord;
using repo::GroupRepo;
using repo::PlanRepo;

namespace {

Status Minutes(std::int64_t m, const char* field) {
  if (m < 1 || m > 1440) {
    return Status::Invalid(field, "invalid_duration", "时长应为1至1440分钟", "The duration is 1 to 1440 minutes");
  }
  return Status::Ok();
}

// A record's case must be in scope: 404 names the record, never the case.
template <class T>
Result<T> AsNotFound(Result<T> r, const char* what) {
  if (!r.ok() && r.status().code() == Code::kNotFound) return Status::NotFound(what);
  return r;
}

}  // namespace

Result<std::vector<repo::ServiceRecordRow>> PlanService::Records(const Principal& who, std::int64_t case_id) {
  std::vector<repo::ServiceRecordRow> out;
  std::string path;
  TH_RETURN_IF_ERROR(ReadOnly(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto kase, cases_.LoadInScope(c, who, case_id));
    path = kase.unit_path;
    TH_ASSIGN_OR_RETURN(out, PlanRepo(c).RecordsForCase(case_id));
    return Status::Ok();
  }));
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"service.list", "case", std::to_string(case_id), path, "", "", ""}));
  return out;
}

Result<repo::ServiceRecordRow> PlanService::AddRecord(const Principal& who, std::int64_t case_id,
                                                      const ServiceInput& in_raw) {
  if (!who.Can(perm::kServiceWrite)) return Status::Forbidden();
  repo::ServiceRecordRow r;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto kase, cases_.LoadInScope(c, who, case_id));
    if (kase.status == "closed") return Status::InvalidState(kase.status);
    const std::int64_t now = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(CheckPastDate(in_raw.served_on, "served_on", now));
    if (in_raw.service_type.empty()) return Status::Required("service_type");
    if (!domain::PlansConfig::Find(config_.service_types, in_raw.service_type)) {
      return Status::InvalidEnum("service_type", in_raw.service_type);
    }
    TH_RETURN_IF_ERROR(Minutes(in_raw.duration_min, "duration_min"));
    TH_ASSIGN_OR_RETURN(r.delivered_by, text::CleanRequiredText(in_raw.delivered_by, "delivered_by", text::kLineText));
    TH_ASSIGN_OR_RETURN(r.content, text::CleanRequiredText(in_raw.content, "content", text::kLongText));
    TH_ASSIGN_OR_RETURN(r.outcome, text::CleanText(in_raw.outcome, "outcome", text::kLongText));
    PlanRepo repo(c);
    if (in_raw.plan_id) {
      auto p = repo.Get(*in_raw.plan_id);
      if (!p.ok() || p->case_id != case_id) {
        return Status::Invalid("plan_id", "invalid_plan", "计划不属于该个案", "The plan is not this case's");
      }
    }
    r.case_id = case_id;
    r.child_id = kase.child_id;
    r.unit_path = kase.unit_path;
    r.plan_id = in_raw.plan_id;
    r.served_on = in_raw.served_on;
    r.service_type = in_raw.service_type;
    r.duration_min = in_raw.duration_min;
    r.created_by = who.user_id;
    r.created_at = now;
    TH_RETURN_IF_ERROR(repo.InsertRecord(r));
    return Audit(deps_, c, who, "service.record", "service_record", r.id, kase.unit_path,
                 JsonObjectWriter().Int("case_id", case_id).Str("type", r.service_type).Str("on", r.served_on).Finish());
  }));
  return r;
}

Result<RecordView> PlanService::GetRecord(const Principal& who, std::int64_t record_id) {
  RecordView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    PlanRepo repo(c);
    TH_ASSIGN_OR_RETURN(v.record, AsNotFound(repo.GetRecord(record_id), "service_record"));
    TH_ASSIGN_OR_RETURN(auto kase, AsNotFound(cases_.LoadInScope(c, who, v.record.case_id), "service_record"));
    TH_ASSIGN_OR_RETURN(v.attachments, repo::AttachmentRepo(c, repo::kServiceFiles).List(record_id));
    return Audit(deps_, c, who, "service.read", "service_record", record_id, kase.unit_path, "");
  }));
  return v;
}

Result<repo::StoredFile> PlanService::Attach(const Principal& who, std::int64_t record_id, const std::string& name,
                                             const std::string& bytes) {
  if (!who.Can(perm::kServiceWrite)) return Status::Forbidden();
  repo::StoredFile a;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    PlanRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto r, AsNotFound(repo.GetRecord(record_id), "service_record"));
    TH_ASSIGN_OR_RETURN(auto kase, AsNotFound(cases_.LoadInScope(c, who, r.case_id), "service_record"));
    // The file's checks come after the scope's: a record outside reads as not found whatever is sent.
    TH_ASSIGN_OR_RETURN(a, StoreAttachment(c, repo::kServiceFiles, kFiles, record_id, name, bytes, who.user_id,
                                           deps_.clock.NowMillis()));
    return Audit(deps_, c, who, "service.attach", "service_record", record_id, kase.unit_path,
                 JsonObjectWriter().Int("attachment_id", a.id).Str("name", a.name).Finish());
  }));
  return a;
}

Result<repo::StoredFile> PlanService::Attachment(const Principal& who, std::int64_t record_id,
                                                 std::int64_t attachment_id) {
  repo::StoredFile a;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    PlanRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto r, AsNotFound(repo.GetRecord(record_id), "service_record"));
    TH_ASSIGN_OR_RETURN(auto kase, AsNotFound(cases_.LoadInScope(c, who, r.case_id), "service_record"));
    TH_ASSIGN_OR_RETURN(a, repo::AttachmentRepo(c, repo::kServiceFiles).Get(record_id, attachment_id));
    return Audit(deps_, c, who, "service.attachment_read", "service_record", record_id, kase.unit_path,
                 JsonObjectWriter().Int("attachment_id", a.id).Finish());
  }));
  return a;
}

// ---- group services

namespace {

Result<GroupRecord> LoadGroup(storage::Connection& c, const Principal& who, std::int64_t id) {
  return LoadInScope(who, GroupRepo(c).Get(id), [](const GroupRecord& g) { return g.unit_path; }, "group_service");
}

Status NeedGroupReader(const Principal& who) {
  return who.Can("case.read") ? Status::Ok() : Status::Forbidden();
}

}  // namespace

Result<GroupRecord> PlanService::CreateGroup(const Principal& who, const GroupInput& in) {
  if (!who.Can(perm::kServiceWrite)) return Status::Forbidden();
  GroupRecord g;
  TH_ASSIGN_OR_RETURN(g.name, text::CleanRequiredText(in.name, "name", text::kUnitName));
  TH_ASSIGN_OR_RETURN(g.goal, text::CleanText(in.goal, "goal", text::kLongText));
  TH_ASSIGN_OR_RETURN(g.facilitator, text::CleanText(in.facilitator, "facilitator", text::kLineText));
  if (in.group_type.empty()) return Status::Required("group_type");
  if (!domain::PlansConfig::Find(config_.group_types, in.group_type)) {
    return Status::InvalidEnum("group_type", in.group_type);
  }
  g.group_type = in.group_type;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    const std::int64_t unit_id = in.unit_id ? in.unit_id : who.org_unit_id;
    auto unit = repo::OrgRepo(c).Get(unit_id);
    if (!unit.ok() || !who.Covers(unit->path)) {
      return Status::Invalid("unit_id", "invalid_unit", "单位不在您的管辖范围内", "The unit is outside your jurisdiction");
    }
    g.unit_id = unit_id;
    g.unit_path = unit->path;
    g.created_by = who.user_id;
    g.created_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(GroupRepo(c).Insert(g));
    return Audit(deps_, c, who, "group.create", "group_service", g.id, g.unit_path,
                 JsonObjectWriter().Str("name", g.name).Str("type", g.group_type).Finish());
  }));
  return g;
}

Result<std::vector<GroupRecord>> PlanService::Groups(const Principal& who, const repo::Page& page,
                                                     std::int64_t* total) {
  TH_RETURN_IF_ERROR(NeedGroupReader(who));
  std::vector<GroupRecord> out;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(out, GroupRepo(*h).List(who.org_path, page, total));
  KeepCovered(who, &out, [](const GroupRecord& g) { return g.unit_path; }, "plans.groups");
  return out;
}

Result<GroupRecord> PlanService::GetGroup(const Principal& who, std::int64_t id,
                                          std::vector<repo::GroupMemberRow>* members,
                                          std::vector<repo::GroupSessionRecord>* sessions) {
  TH_RETURN_IF_ERROR(NeedGroupReader(who));
  GroupRecord g;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(g, LoadGroup(c, who, id));
    GroupRepo repo(c);
    TH_ASSIGN_OR_RETURN(*members, repo.Members(id));
    // Members whose case is outside the caller's subtree are not shown (a group of a street read
    // by a community's director).
    KeepCovered(who, members, [](const repo::GroupMemberRow& m) { return m.unit_path; }, "plans.group_members");
    TH_ASSIGN_OR_RETURN(*sessions, repo.Sessions(id));
    return Audit(deps_, c, who, "group.read", "group_service", id, g.unit_path, "");
  }));
  return g;
}

Status PlanService::AddMember(const Principal& who, std::int64_t group_id, std::int64_t case_id) {
  if (!who.Can(perm::kServiceWrite)) return Status::Forbidden();
  return InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto g, LoadGroup(c, who, group_id));
    auto kase = cases_.LoadInScope(c, who, case_id);
    if (!kase.ok()) {
      return kase.status().code() == Code::kNotFound ? Status::Invalid("case_id", "invalid_case", "个案不存在或不在管辖范围内", "No such case in your jurisdiction")
                                                     : kase.status();
    }
    if (kase->unit_path.compare(0, g.unit_path.size(), g.unit_path) != 0) {
      return Status::Invalid("case_id", "outside_group_unit", "该儿童不在小组所属单位范围内",
                             "The child is outside the group's unit");
    }
    auto added = GroupRepo(c).AddMember({group_id, case_id, kase->child_id, kase->unit_path, deps_.clock.NowMillis()});
    if (!added.ok() && added.code() == Code::kConflict) {
      return Status::Error(Code::kConflict, "duplicate", "该儿童已在小组中", "The child is already a member", "case_id");
    }
    TH_RETURN_IF_ERROR(added);
    return Audit(deps_, c, who, "group.add_member", "group_service", group_id, g.unit_path,
                 JsonObjectWriter().Int("case_id", case_id).Finish());
  });
}

Status PlanService::RemoveMember(const Principal& who, std::int64_t group_id, std::int64_t case_id) {
  if (!who.Can(perm::kServiceWrite)) return Status::Forbidden();
  return InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto g, LoadGroup(c, who, group_id));
    TH_RETURN_IF_ERROR(GroupRepo(c).RemoveMember(group_id, case_id));
    return Audit(deps_, c, who, "group.remove_member", "group_service", group_id, g.unit_path,
                 JsonObjectWriter().Int("case_id", case_id).Finish());
  });
}

Result<repo::GroupSessionRecord> PlanService::AddSession(const Principal& who, std::int64_t group_id,
                                                         const SessionInput& in) {
  if (!who.Can(perm::kServiceWrite)) return Status::Forbidden();
  repo::GroupSessionRecord s;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto g, LoadGroup(c, who, group_id));
    if (g.status != "open") return Status::InvalidState(g.status);
    const std::int64_t now = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(CheckPastDate(in.held_on, "held_on", now));
    TH_RETURN_IF_ERROR(Minutes(in.duration_min, "duration_min"));
    TH_ASSIGN_OR_RETURN(s.topic, text::CleanRequiredText(in.topic, "topic", text::kLineText));
    TH_ASSIGN_OR_RETURN(s.content, text::CleanText(in.content, "content", text::kLongText));
    TH_ASSIGN_OR_RETURN(s.facilitator, text::CleanText(in.facilitator, "facilitator", text::kLineText));
    TH_ASSIGN_OR_RETURN(s.outcome, text::CleanText(in.outcome, "outcome", text::kLongText));
    GroupRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto members, repo.Members(group_id));
    for (auto id : in.attendees) {
      bool found = false;
      for (const auto& m : members) found = found || m.case_id == id;
      if (!found) return Status::Invalid("attendees", "not_member", "出席者须为小组成员", "Attendees must be members");
    }
    s.group_id = group_id;
    s.held_on = in.held_on;
    s.duration_min = in.duration_min;
    s.attendees = in.attendees;
    s.created_by = who.user_id;
    s.created_at = now;
    TH_RETURN_IF_ERROR(repo.InsertSession(s));
    return Audit(deps_, c, who, "group.session", "group_service", group_id, g.unit_path,
                 JsonObjectWriter().Int("session_id", s.id).Str("on", s.held_on).Finish());
  }));
  return s;
}

Result<GroupRecord> PlanService::SetGroupStatus(const Principal& who, std::int64_t id, const std::string& status,
                                                std::int64_t version) {
  if (!who.Can(perm::kServiceWrite)) return Status::Forbidden();
  if (status != "open" && status != "closed") return Status::InvalidEnum("status", status);
  GroupRecord g;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(g, LoadGroup(c, who, id));
    g.version = version;  // a stale version fails the update (409 stale_version)
    g.status = status;
    TH_RETURN_IF_ERROR(GroupRepo(c).Update(g, deps_.clock.NowMillis()));
    return Audit(deps_, c, who, "group." + std::string(status == "open" ? "reopen" : "close"), "group_service", id,
                 g.unit_path, "");
  }));
  return g;
}

}  // namespace th::service
