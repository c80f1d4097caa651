// Convening and the workflow's changes: convene, edit, record/amend (decisions -> work items),
// cancel, close; the access rules; decisions completed by their assignees.
#include "modules/conferences/service/conference_service.h"

#include "base/json_writer.h"
#include "domain/date.h"
#include "modules/conferences/permissions.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_config.h"
#include "platform/work/work_hooks.h"
#include "platform/work/work_repo.h"
#include "text/utf8.h"

namespace th::service {

using domain::ConferenceRecord;
using domain::ConferenceDecision;
using domain::ConferenceParticipant;
using repo::ConferenceRepo;

namespace {

constexpr std::int64_t kHour = 3600LL * 1000;
constexpr std::size_t kMaxText = 20000;

bool Under(const std::string& path, const std::string& prefix) { return path.compare(0, prefix.size(), prefix) == 0; }

Status CheckLen(const std::string& field, const std::string& v, std::size_t max) {
  return v.size() > max ? Status::TooLong(field, static_cast<std::int64_t>(max)) : Status::Ok();
}

// The district at or above `unit_id`.
Result<repo::OrgUnit> DistrictAt(storage::Connection& c, std::int64_t unit_id) {
  repo::OrgRepo orgs(c);
  TH_ASSIGN_OR_RETURN(auto u, orgs.Get(unit_id));
  while (u.level != "district") {
    if (!u.parent_id) return Status::NotFound("district");
    TH_ASSIGN_OR_RETURN(u, orgs.Get(*u.parent_id));
  }
  return u;
}

// The first `n` characters of `s` ("…" when cut).
std::string Clip(const std::string& s, std::size_t n) {
  std::size_t pos = 0;
  for (std::size_t i = 0; i < n && pos < s.size(); ++i) text::NextCodePoint(s, &pos);
  return pos < s.size() ? s.substr(0, pos) + "…" : s;
}

Status BadOwner(const std::string& field) {
  return Status::Invalid(field, "invalid_owner", "责任单位应为本区成员单位、社会组织或街道/社区",
                         "The owner must be a member department, social organisation or street/community of the district");
}

}  // namespace

bool ConferenceVisible(const Principal& who, const ConferenceRecord& c) {
  if (!who.Can(perm::kConferenceRead) || who.org_path.empty()) return false;
  return who.Covers(c.unit_path) || Under(who.org_path, c.unit_path);
}

bool ConferenceManaged(const Principal& who, const ConferenceRecord& c) {
  return who.Can(perm::kConferenceManage) && !who.org_path.empty() && who.Covers(c.unit_path);
}

bool DecisionAssignedTo(const Principal& who, const ConferenceDecision& d) {
  if (!who.Can(perm::kConferenceTask)) return false;
  if (d.owner_kind == "agency") return who.agency_id && d.owner_agency_id && *who.agency_id == *d.owner_agency_id;
  return !who.agency_id && !who.org_path.empty() && who.Covers(d.owner_unit_path);
}

ConferenceService::ConferenceService(Deps& deps, ChildService& children, domain::ConferenceConfig config)
    : deps_(deps),
      children_(children),
      config_(std::move(config)),
      read_audit_(deps.read_audit) {
  deps.jurisdiction.unit_moved["conferences"] = [](storage::Connection& c, const repo::OrgUnit& before,
                                                   const std::string& new_path) -> Status {
    return ConferenceRepo(c).MoveUnit(before.path, new_path);
  };
}

Status ConferenceService::Audit(storage::Connection& c, const Principal& who, const std::string& action,
                                const std::string& type, std::int64_t id, const std::string& path,
                                const std::string& after) {
  return WriteAudit(c, deps_.clock, &who, who.client_ip, {action, type, std::to_string(id), path, "", after, ""});
}

Status ConferenceService::CheckCase(storage::Connection& c, const Principal& who, std::int64_t case_id,
                                    std::int64_t child_id) {
  if (!case_lookup_) return Status::Ok();
  auto k = case_lookup_(c, who, case_id);
  if (!k.ok()) return Status::NotFound("case");
  if (k->child_id != child_id) {
    return Status::Invalid("case_id", "invalid_case", "个案不属于该儿童", "The case is not about this child");
  }
  return Status::Ok();
}

Status ConferenceService::ValidateConvene(storage::Connection& c, const ConveneInput& in,
                                          std::vector<ConferenceParticipant>* out) {
  const domain::ConferenceReason* reason = config_.Find(in.reason);
  if (in.reason.empty()) return Status::Required("reason");
  if (!reason) return Status::InvalidEnum("reason", in.reason);
  if (reason->note_required && in.reason_note.empty()) return Status::Required("reason_note");
  if (in.scheduled_at <= 0) return Status::Required("scheduled_at");
  if (!in.online && in.place.empty()) return Status::Required("place");
  TH_RETURN_IF_ERROR(CheckLen("title", in.title, 200));
  TH_RETURN_IF_ERROR(CheckLen("place", in.place, 200));
  TH_RETURN_IF_ERROR(CheckLen("reason_note", in.reason_note, 2000));
  TH_RETURN_IF_ERROR(CheckLen("agenda", in.agenda, kMaxText));
  if (in.participants.size() > kMaxParticipants) {
    return Status::Invalid("participants", "too_many", "参会方过多", "Too many participants");
  }
  repo::OrgRepo orgs(c);
  for (std::size_t i = 0; i < in.participants.size(); ++i) {
    const ParticipantInput& p = in.participants[i];
    const std::string field = "participants[" + std::to_string(i) + "]";
    auto bad = [&] {
      return Status::Invalid(field, "invalid_participant", "参会方应为成员单位、社会组织、街道/社区或具名人员",
                             "A participant is a member department, social organisation, street/community or a named person");
    };
    ConferenceParticipant r;
    r.kind = p.kind;
    r.note = p.note;
    TH_RETURN_IF_ERROR(CheckLen(field + ".note", p.note, 500));
    if (p.kind == "agency" && p.agency_id) {
      auto a = orgs.GetAgency(*p.agency_id);
      if (!a.ok() || a->retired) return bad();
      r.agency_id = a->id;
      r.name = a->name;
    } else if (p.kind == "unit" && p.unit_id) {
      auto u = orgs.Get(*p.unit_id);
      if (!u.ok() || u->retired || (u->level != "street" && u->level != "community" && u->level != "district")) {
        return bad();
      }
      r.unit_id = u->id;
      r.name = u->name;
    } else if (p.kind == "person" && !p.name.empty()) {
      TH_RETURN_IF_ERROR(CheckLen(field + ".name", p.name, 100));
      r.name = p.name;
    } else {
      return bad();
    }
    out->push_back(std::move(r));
  }
  return Status::Ok();
}

Result<ConferenceView> ConferenceService::Convene(const Principal& who, const ConveneInput& in) {
  if (!who.Can(perm::kConferenceManage)) return Status::Forbidden();
  if (who.org_level != "street" && who.org_level != "district") return Status::Forbidden();
  if (in.child_id <= 0) return Status::Required("child_id");
  ConferenceView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    auto child = children_.LoadInScope(c, who, in.child_id);
    if (!child.ok()) return child.status().code() == Code::kPermissionDenied ? child.status() : Status::NotFound("child");
    if (in.case_id) TH_RETURN_IF_ERROR(CheckCase(c, who, *in.case_id, child->id));
    std::vector<ConferenceParticipant> parts;
    TH_RETURN_IF_ERROR(ValidateConvene(c, in, &parts));
    TH_ASSIGN_OR_RETURN(auto district, DistrictAt(c, who.org_unit_id));
    ConferenceRecord r;
    r.child_id = child->id;
    r.case_id = in.case_id;
    r.child_name = child->name;
    r.reason = in.reason;
    r.reason_note = in.reason_note;
    r.title = in.title.empty() ? child->name + "个案会商" : in.title;
    r.convener_unit_id = who.org_unit_id;
    r.convener_name = who.org_name;
    r.unit_path = who.org_path;
    r.district_unit_id = district.id;
    r.scheduled_at = in.scheduled_at;
    r.place = in.place;
    r.online = in.online;
    r.agenda = in.agenda;
    r.status = "planned";
    r.created_by = who.user_id;
    r.created_at = deps_.clock.NowMillis();
    ConferenceRepo repo(c);
    TH_RETURN_IF_ERROR(repo.Insert(r));
    TH_RETURN_IF_ERROR(repo.ReplaceParticipants(r.id, parts));
    // The conference a red grade asked for is now convened (conference_needed closes).
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kNeedSubject, r.child_id, kNeedKind));
    TH_RETURN_IF_ERROR(Audit(c, who, "conference.create", "conference", r.id, r.unit_path,
                             JsonObjectWriter().Str("child_id", std::to_string(r.child_id)).Str("reason", r.reason).Finish()));
    TH_ASSIGN_OR_RETURN(v, BuildView(c, who, r));
    return Status::Ok();
  }));
  return v;
}

Result<std::vector<repo::Agency>> ConferenceService::Agencies(const Principal& who) {
  std::vector<repo::Agency> out;
  if (!who.Can(perm::kConferenceManage)) return out;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto district, DistrictAt(*h, who.org_unit_id));
  std::int64_t total = 0;
  TH_ASSIGN_OR_RETURN(auto all, repo::OrgRepo(*h).ListAgencies(district.path, district.id, "", repo::Page{1, 500}, &total));
  for (auto& a : all) {
    if (!a.retired && (a.kind == "department" || a.kind == "social_org")) out.push_back(std::move(a));
  }
  return out;
}

Result<ConferenceRecord> ConferenceService::LoadManaged(storage::Connection& c, const Principal& who, std::int64_t id,
                                                        std::int64_t version, const std::string& action) {
  if (!who.Can(perm::kConferenceManage)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto conf, LoadVisible(c, who, id));
  if (!ConferenceManaged(who, conf)) return Status::Forbidden();
  TH_RETURN_IF_ERROR(domain::ConferenceNext(conf.status, action).status());
  if (version != conf.version) return Status::Stale();
  return conf;
}

Result<ConferenceView> ConferenceService::Edit(const Principal& who, std::int64_t id, const ConveneInput& in) {
  ConferenceView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto conf, LoadManaged(c, who, id, in.version, "edit"));
    std::vector<ConferenceParticipant> parts;
    ConveneInput checked = in;
    if (in.case_id) TH_RETURN_IF_ERROR(CheckCase(c, who, *in.case_id, conf.child_id));
    TH_RETURN_IF_ERROR(ValidateConvene(c, checked, &parts));
    conf.reason = in.reason;
    conf.reason_note = in.reason_note;
    if (!in.title.empty()) conf.title = in.title;
    conf.scheduled_at = in.scheduled_at;
    conf.place = in.place;
    conf.online = in.online;
    conf.agenda = in.agenda;
    if (in.case_id) conf.case_id = in.case_id;
    ConferenceRepo repo(c);
    TH_RETURN_IF_ERROR(repo.Update(conf, deps_.clock.NowMillis()));
    TH_RETURN_IF_ERROR(repo.ReplaceParticipants(conf.id, parts));
    TH_RETURN_IF_ERROR(Audit(c, who, "conference.edit", "conference", conf.id, conf.unit_path));
    TH_ASSIGN_OR_RETURN(v, BuildView(c, who, conf));
    return Status::Ok();
  }));
  return v;
}

Status ConferenceService::AddDecision(storage::Connection& c, const ConferenceRecord& conf, const DecisionInput& in,
                                      int seq, const std::string& field) {
  if (in.content.empty()) return Status::Required(field + ".content");
  TH_RETURN_IF_ERROR(CheckLen(field + ".content", in.content, 2000));
  if (in.due_date.empty()) return Status::Required(field + ".due_date");
  TH_ASSIGN_OR_RETURN(auto due, domain::ParseDate(in.due_date, field + ".due_date"));
  if (in.agency_id.has_value() == in.unit_id.has_value()) return BadOwner(field);
  TH_ASSIGN_OR_RETURN(auto district, repo::OrgRepo(c).Get(conf.district_unit_id));
  ConferenceDecision d;
  d.conference_id = conf.id;
  d.child_id = conf.child_id;
  d.seq = seq;
  d.content = in.content;
  d.due_date = due.ToString();
  d.status = "open";
  d.created_at = deps_.clock.NowMillis();
  repo::OrgRepo orgs(c);
  if (in.agency_id) {
    auto a = orgs.GetAgency(*in.agency_id);
    if (!a.ok() || a->retired || (a->kind != "department" && a->kind != "social_org") ||
        a->org_unit_id != district.id) {
      return BadOwner(field);
    }
    d.owner_kind = "agency";
    d.owner_agency_id = a->id;
    d.owner_unit_id = district.id;
    d.owner_unit_path = district.path;
    d.owner_role = "dept_liaison";
    d.owner_name = a->name;
  } else {
    auto u = orgs.Get(*in.unit_id);
    if (!u.ok() || u->retired || (u->level != "street" && u->level != "community") || !Under(u->path, district.path)) {
      return BadOwner(field);
    }
    d.owner_kind = "unit";
    d.owner_unit_id = u->id;
    d.owner_unit_path = u->path;
    d.owner_role = u->level == "street" ? "street_supervisor" : "child_director";
    d.owner_name = u->name;
  }
  TH_RETURN_IF_ERROR(ConferenceRepo(c).InsertDecision(d));
  // The task on the engine, with the conference's deadline (end of the due day, Asia/Shanghai).
  work::WorkOpen w;
  w.kind = "conference_decision";
  w.subject_type = "conference_decision";
  w.subject_id = d.id;
  w.title = "落实会商决定";
  w.label = conf.child_name + "：" + Clip(d.content, 40);
  w.link = "/conferences/decisions/" + std::to_string(d.id);
  w.owner_unit_id = d.owner_unit_id;
  w.owner_role = d.owner_role;
  w.owner_agency_id = d.owner_agency_id;
  w.started_at = d.created_at;
  TH_ASSIGN_OR_RETURN(std::int64_t item, work::Open(deps_.work.get(), c, w));
  if (item == 0) return Status::Ok();
  const std::int64_t due_at = work::EndOfDayShanghai(due);
  return work::WorkRepo(c).SetDeadlines(item, due_at - 48 * kHour, due_at, due_at + 72 * kHour, 0, false);
}

Result<ConferenceView> ConferenceService::Record(const Principal& who, std::int64_t id, const RecordInput& in,
                                                 bool amend) {
  ConferenceView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto conf, LoadManaged(c, who, id, in.version, amend ? "amend" : "record"));
    if (in.discussion.empty()) return Status::Required("discussion");
    TH_RETURN_IF_ERROR(CheckLen("discussion", in.discussion, kMaxText));
    ConferenceRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto existing, repo.Decisions(conf.id));
    if (existing.size() + in.decisions.size() > kMaxDecisions) {
      return Status::Invalid("decisions", "too_many", "决定事项过多", "Too many decisions");
    }
    for (const auto& [pid, attended] : in.attendance) TH_RETURN_IF_ERROR(repo.SetAttended(pid, conf.id, attended));
    int seq = static_cast<int>(existing.size());
    for (std::size_t i = 0; i < in.decisions.size(); ++i) {
      TH_RETURN_IF_ERROR(AddDecision(c, conf, in.decisions[i], ++seq, "decisions[" + std::to_string(i) + "]"));
    }
    const std::int64_t now = deps_.clock.NowMillis();
    conf.discussion = in.discussion;
    if (!amend) {
      conf.status = "held";
      conf.held_at = now;
      conf.recorded_by = who.user_id;
    }
    TH_RETURN_IF_ERROR(repo.Update(conf, now));
    TH_RETURN_IF_ERROR(Audit(c, who, amend ? "conference.amend" : "conference.record", "conference", conf.id,
                             conf.unit_path,
                             JsonObjectWriter().Int("decisions_added", static_cast<std::int64_t>(in.decisions.size())).Finish()));
    TH_ASSIGN_OR_RETURN(v, BuildView(c, who, conf));
    return Status::Ok();
  }));
  return v;
}

Result<ConferenceView> ConferenceService::Cancel(const Principal& who, std::int64_t id, std::int64_t version,
                                                 const std::string& note) {
  ConferenceView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto conf, LoadManaged(c, who, id, version, "cancel"));
    if (note.empty()) return Status::Required("note");
    conf.status = "cancelled";
    TH_RETURN_IF_ERROR(ConferenceRepo(c).Update(conf, deps_.clock.NowMillis()));
    TH_RETURN_IF_ERROR(Audit(c, who, "conference.cancel", "conference", conf.id, conf.unit_path,
                             JsonObjectWriter().Str("note", note).Finish()));
    TH_ASSIGN_OR_RETURN(v, BuildView(c, who, conf));
    return Status::Ok();
  }));
  return v;
}

Result<ConferenceView> ConferenceService::Close(const Principal& who, std::int64_t id, std::int64_t version) {
  ConferenceView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto conf, LoadManaged(c, who, id, version, "close"));
    ConferenceRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto decisions, repo.Decisions(conf.id));
    for (const auto& d : decisions) {
      if (d.status != "done") {
        return Status::Error(Code::kConflict, "decisions_open", "仍有未办结的决定事项，不能办结会商",
                             "Decisions are still open; the conference cannot be closed", "status");
      }
    }
    const std::int64_t now = deps_.clock.NowMillis();
    conf.status = "closed";
    conf.closed_at = now;
    TH_RETURN_IF_ERROR(repo.Update(conf, now));
    TH_RETURN_IF_ERROR(Audit(c, who, "conference.close", "conference", conf.id, conf.unit_path));
    TH_ASSIGN_OR_RETURN(v, BuildView(c, who, conf));
    return Status::Ok();
  }));
  return v;
}

Result<DecisionView> ConferenceService::CompleteDecision(const Principal& who, std::int64_t id, std::int64_t version,
                                                         const std::string& note) {
  if (!who.Can(perm::kConferenceTask) && !who.Can(perm::kConferenceManage)) return Status::Forbidden();
  DecisionView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    ConferenceRepo repo(c);
    auto d = repo.GetDecision(id);
    if (!d.ok()) return Status::NotFound("conference_decision");
    TH_ASSIGN_OR_RETURN(auto conf, repo.Get(d->conference_id));
    const bool assignee = DecisionAssignedTo(who, *d);
    if (!assignee && !ConferenceVisible(who, conf)) return Status::NotFound("conference_decision");
    if (!assignee && !ConferenceManaged(who, conf)) return Status::Forbidden();
    if (d->status != "open") return Status::InvalidState(d->status);
    if (version != d->version) return Status::Stale();
    if (note.empty()) return Status::Required("note");
    TH_RETURN_IF_ERROR(CheckLen("note", note, 2000));
    const std::int64_t now = deps_.clock.NowMillis();
    d->status = "done";
    d->result_note = note;
    d->done_at = now;
    d->done_by = who.user_id;
    TH_RETURN_IF_ERROR(repo.UpdateDecision(*d, now));
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, "conference_decision", d->id));
    TH_RETURN_IF_ERROR(Audit(c, who, "conference.decision_done", "conference_decision", d->id, conf.unit_path,
                             JsonObjectWriter().Str("note", note).Finish()));
    v = MakeDecisionView(who, *d, conf);
    return Status::Ok();
  }));
  return v;
}

}  // namespace th::service
