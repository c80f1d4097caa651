// GuardianshipService: proposals, decisions, reads, the red-grade check and the counts. The
// placement and its end are in guardianship_placement.cc.
#include "modules/guardianship/service/guardianship_service.h"

#include <algorithm>
#include <set>

#include "modules/cases/service/case_service.h"
#include "modules/guardianship/permissions.h"
#include "modules/guardianship/service/guardianship_internal.h"
#include "modules/registry/service/child_service.h"
#include "platform/repo/org_repo.h"
#include "platform/work/work_repo.h"
#include "text/field.h"

namespace th::service {

using namespace guardianship_internal;  // NOLINT: this file is part of the guardianship service

GuardianshipService::GuardianshipService(Deps& deps, domain::GuardianshipConfig config, ChildService& children,
                                         CaseService& cases)
    : deps_(deps),
      config_(std::move(config)),
      children_(children),
      cases_(cases),
      read_audit_(deps.read_audit) {
  // The intervention copies its child's units: a child move or a unit move carries them along,
  // and the open items pass to the new street (and district, for the approval).
  deps_.jurisdiction.child_moved["guardianship"] = [this](storage::Connection& c, std::int64_t child_id) -> Status {
    TH_ASSIGN_OR_RETURN(repo::ChildRecord r, children_.LoadRecord(c, child_id));
    repo::GuardianshipRepo repo(c);
    TH_RETURN_IF_ERROR(repo.MoveChild(child_id, r.community_id, r.street_id, r.district_id, r.community_path));
    TH_RETURN_IF_ERROR(work::Reassign(deps_.work.get(), c, kChildSubject, child_id, "", r.street_id));
    TH_ASSIGN_OR_RETURN(auto open, repo.OpenOf(child_id));
    return open ? ReassignItems(c, *open) : Status::Ok();
  };
  // A unit moved (e.g. a community to another street): the paths, then the street and district
  // copies from the org tree, then the open items of the rows and children under it. A grid moved
  // (to another community): the row copies the community, not the grid, so the interventions of the
  // grid's children take the grid's new community from the org tree.
  deps_.jurisdiction.unit_moved["guardianship"] = [this](storage::Connection& c, const repo::OrgUnit& before,
                                                         const std::string& new_path) -> Status {
    repo::GuardianshipRepo repo(c);
    std::vector<repo::GuardianshipRecord> open;
    std::vector<std::pair<std::int64_t, std::int64_t>> checked;
    if (before.level == "grid") {
      TH_ASSIGN_OR_RETURN(open, repo.MoveGridChildren(before.id));
      TH_ASSIGN_OR_RETURN(checked, repo.CheckedChildrenOfGrid(before.id));
    } else {
      TH_RETURN_IF_ERROR(repo.MoveUnitPaths(before.path, new_path));
      TH_ASSIGN_OR_RETURN(open, repo.RefreshUnitsUnder(new_path));
      TH_ASSIGN_OR_RETURN(checked, repo.CheckedChildrenUnder(new_path));
    }
    for (const auto& g : open) TH_RETURN_IF_ERROR(ReassignItems(c, g));
    for (const auto& [child, street] : checked) {
      TH_RETURN_IF_ERROR(work::Reassign(deps_.work.get(), c, kChildSubject, child, "guardianship_check", street));
    }
    return Status::Ok();
  };
  // The placement's phone is shown masked; the registry's reveal (POST /children/{id}/reveal, target
  // placement, ref_id the intervention) shows it with a purpose, audited as child.reveal.
  children_.AddRevealSource(
      "placement", {perm::kGuardianshipWrite,
                    [](storage::Connection& c, const Principal& who, const repo::ChildRecord& child,
                       std::int64_t ref_id, const std::string& field) -> Result<std::string> {
                      auto g = repo::GuardianshipRepo(c).Get(ref_id);
                      if (!g.ok() && g.status().code() != Code::kNotFound) return g.status();
                      if (!g.ok() || g->child_id != child.id || !who.Covers(g->unit_path)) {
                        return Status::NotFound("ref_id");
                      }
                      if (field != "phone") return Status::InvalidEnum("field", field);
                      return g->placement_phone;
                    }});
}

GuardianshipService::~GuardianshipService() = default;

Status GuardianshipService::ReassignItems(storage::Connection& c, const repo::GuardianshipRecord& g) {
  for (const char* kind : {"placement_check", "guardianship_limit"}) {
    TH_RETURN_IF_ERROR(work::Reassign(deps_.work.get(), c, kSubject, g.id, kind, g.street_unit_id));
  }
  return work::Reassign(deps_.work.get(), c, kSubject, g.id, "guardianship_approve", g.district_unit_id);
}

Result<repo::GuardianshipRecord> GuardianshipService::LoadScoped(storage::Connection& c, const Principal& who,
                                                                 std::int64_t id) {
  if (!who.Can(perm::kGuardianshipRead)) return Status::Forbidden();
  return LoadInScope(
      who, repo::GuardianshipRepo(c).Get(id), [](const repo::GuardianshipRecord& g) { return g.unit_path; },
      "guardianship");
}

Status GuardianshipService::Record(storage::Connection& c, const Principal* who, const repo::GuardianshipRecord& g,
                                   const std::string& action, const std::string& from, const std::string& note) {
  auto e = repo::GuardianshipEventRecord::Of(g.id, deps_.clock.NowMillis(), who ? who->user_id : 0, action, from,
                                             g.status, note);
  TH_RETURN_IF_ERROR(repo::GuardianshipRepo(c).AddEvent(e));
  const std::string after = "{\"kind\":\"" + g.kind + "\",\"status\":\"" + g.status + "\"}";
  return WriteAudit(c, deps_.clock, who, who ? who->client_ip : "",
                    {"guardianship." + action, "guardianship", std::to_string(g.id), g.unit_path,
                     from.empty() ? "" : "{\"status\":\"" + from + "\"}", after, note});
}

Status GuardianshipService::CheckGrounds(const std::string& kind, const std::vector<std::string>& grounds) const {
  if (grounds.empty()) return Status::Required("grounds");
  std::set<std::string> seen;
  for (const auto& code : grounds) {
    if (!domain::GuardianshipConfig::Find(config_.Grounds(kind), code) || !seen.insert(code).second) {
      return Status::InvalidEnum("grounds", code);
    }
  }
  return Status::Ok();
}

std::vector<std::string> GuardianshipService::ActionsFor(const Principal& who,
                                                         const repo::GuardianshipRecord& g) const {
  std::vector<std::string> out;
  const bool write = who.Can(perm::kGuardianshipWrite), approve = who.Can(perm::kGuardianshipApprove);
  if (g.status == "proposed" && approve) out = {"approve", "reject"};
  if (g.status == "approved" && write) out = {"place"};
  if (g.status == "approved" && approve) out.push_back("end");  // never placed: the district may end it
  if (g.status == "placed") {
    if (write) out = {"check", "return_assessment", "return"};
    if (approve) out.push_back("convert");
  }
  if (g.status == "active" && approve) out = {"adopt", "end"};
  return out;
}

Status GuardianshipService::Activate(storage::Connection& c, const Principal& who, repo::GuardianshipRecord& g) {
  g.status = "active";
  // 兜底监护儿童 follows from the long-term guardianship (a worker-derived category of the registry).
  return children_.SetCategoryOverrideIn(c, who, g.child_id, "fallback_guardianship", true,
                                         "民政部门长期监护 (监护干预 #" + std::to_string(g.id) + ")");
}

Result<GuardianshipView> GuardianshipService::Propose(const Principal& who, const ProposeGuardianshipInput& in) {
  if (!who.Can(perm::kGuardianshipWrite)) return Status::Forbidden();
  if (in.kind != "temporary" && in.kind != "long_term") {
    return in.kind.empty() ? Status::Required("kind") : Status::InvalidEnum("kind", in.kind);
  }
  if (in.child_id <= 0) return Status::Required("child_id");
  TH_RETURN_IF_ERROR(CheckGrounds(in.kind, in.grounds));
  TH_ASSIGN_OR_RETURN(std::string reason, text::CleanRequiredText(in.reason, "reason", text::kLongText));
  std::int64_t id = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(repo::ChildRecord child, children_.LoadRecord(c, in.child_id));
    if (!who.Covers(child.community_path)) return Status::NotFound("child");
    repo::GuardianshipRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto open, repo.OpenOf(child.id));
    if (open) {
      return Conflict("guardianship_open", "该儿童已有进行中的监护干预 #" + std::to_string(open->id),
                      "The child already has an open guardianship intervention #" + std::to_string(open->id),
                      "child_id");
    }
    const std::int64_t now = deps_.clock.NowMillis();
    repo::GuardianshipRecord g;
    g.child_id = child.id;
    g.unit_id = child.community_id;
    g.unit_path = child.community_path;
    g.street_unit_id = child.street_id;
    g.district_unit_id = child.district_id;
    g.kind = in.kind;
    g.status = "proposed";
    for (const auto& code : in.grounds) g.grounds += (g.grounds.empty() ? "" : ",") + code;
    g.reason = reason;
    g.proposed_by = who.user_id;
    g.proposed_at = g.created_at = g.updated_at = now;
    g.child_name = child.name;
    TH_RETURN_IF_ERROR(repo.Insert(g));
    id = g.id;
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kChildSubject, child.id, "guardianship_check"));
    TH_RETURN_IF_ERROR(Record(c, &who, g, "propose", "", reason));
    if (config_.approval_required) {
      work::WorkOpen w = ItemOf(g, "guardianship_approve", "审批监护干预", now);
      w.owner_unit_id = g.district_unit_id;
      w.owner_role = "district";
      return work::Open(deps_.work.get(), c, w).status();
    }
    // No approval step in this deployment: the proposal is the decision.
    const std::int64_t version = g.version;
    g.decided_by = who.user_id;
    g.decided_at = now;
    g.status = "approved";
    if (g.kind == "long_term") TH_RETURN_IF_ERROR(Activate(c, who, g));
    TH_RETURN_IF_ERROR(repo.Update(g, version));
    return Record(c, &who, g, "approve", "proposed", "");
  }));
  return Get(who, id);
}

Result<GuardianshipView> GuardianshipService::Change(const Principal& who, std::int64_t id, std::int64_t version,
                                                     const char* permission, const std::vector<std::string>& from,
                                                     const std::string& action, const std::string& note,
                                                     const Step& step) {
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(repo::GuardianshipRecord g, LoadScoped(c, who, id));
    if (!who.Can(permission)) return Status::Forbidden();
    if (std::find(from.begin(), from.end(), g.status) == from.end()) return Status::InvalidState(g.status);
    if (g.version != version) return Status::Stale();
    const std::string before = g.status;
    TH_RETURN_IF_ERROR(step(c, g));
    g.updated_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo::GuardianshipRepo(c).Update(g, version));
    g.version = version + 1;
    return Record(c, &who, g, action, before, note);
  }));
  return Get(who, id);
}

Result<GuardianshipView> GuardianshipService::Decide(const Principal& who, std::int64_t id, const std::string& action,
                                                     const std::string& note_in, std::int64_t version) {
  if (!who.Can(perm::kGuardianshipApprove)) return Status::Forbidden();
  if (action != "approve" && action != "reject") {
    return action.empty() ? Status::Required("action") : Status::InvalidEnum("action", action);
  }
  TH_ASSIGN_OR_RETURN(std::string note,
                      action == "reject" ? text::CleanRequiredText(note_in, "note", text::kLongText)
                                         : text::CleanText(note_in, "note", text::kLongText));
  return Change(who, id, version, perm::kGuardianshipApprove, {"proposed"}, action, note,
                [&](storage::Connection& c, repo::GuardianshipRecord& g) -> Status {
                  g.decided_by = who.user_id;
                  g.decided_at = deps_.clock.NowMillis();
                  g.decision_note = note;
                  TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kSubject, g.id, "guardianship_approve"));
                  if (action == "reject") {
                    g.status = "rejected";
                    g.ended_at = g.decided_at;
                    g.end_kind = "rejected";
                    return Status::Ok();
                  }
                  g.status = "approved";
                  return g.kind == "long_term" ? Activate(c, who, g) : Status::Ok();
                });
}

Result<std::optional<ReturnAssessmentFacts>> GuardianshipService::ReturnFacts(storage::Connection& c,
                                                                              const repo::GuardianshipRecord& g) {
  if (!g.return_assessment_id) return std::optional<ReturnAssessmentFacts>();
  TH_ASSIGN_OR_RETURN(repo::AssessmentRecord a, cases_.AssessmentIn(c, *g.return_assessment_id));
  ReturnAssessmentFacts f{a.id, a.status, a.grade, a.completed_at, false, std::nullopt};
  f.passes = a.status == "completed" && a.child_id == g.child_id && a.kind == config_.return_kind && g.placed_at &&
             a.completed_at && *a.completed_at >= *g.placed_at && config_.Passes(a.grade);
  // The latest completed assessment decides: a later one (whatever its grade) supersedes the linked one.
  TH_ASSIGN_OR_RETURN(auto latest, cases_.LatestCompletedIn(c, g.child_id, config_.return_kind));
  if (latest && latest->id != a.id) {
    f.superseded_by = latest->id;
    f.passes = false;
  }
  return std::optional<ReturnAssessmentFacts>(f);
}

Result<GuardianshipView> GuardianshipService::Get(const Principal& who, std::int64_t id) {
  GuardianshipView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(v.record, LoadScoped(c, who, id));
    repo::GuardianshipRepo repo(c);
    TH_ASSIGN_OR_RETURN(v.events, repo.Events(id));
    TH_ASSIGN_OR_RETURN(v.checks, repo.Checks(id));
    TH_ASSIGN_OR_RETURN(v.return_assessment, ReturnFacts(c, v.record));
    return Status::Ok();
  }));
  v.actions = ActionsFor(who, v.record);
  TH_RETURN_IF_ERROR(read_audit_->Append(
      who, {"guardianship.read", "guardianship", std::to_string(id), v.record.unit_path, "", "", ""}));
  return v;
}

Result<std::vector<GuardianshipView>> GuardianshipService::List(const Principal& who, const GuardianshipListParams& p,
                                                                const repo::Page& page, std::int64_t* total) {
  if (!who.Can(perm::kGuardianshipRead)) return Status::Forbidden();
  static const std::set<std::string> kStatus = {"proposed", "approved", "placed",  "active",
                                                "returned", "adopted",  "ended",   "rejected"};
  if (!p.status.empty() && !kStatus.count(p.status)) return Status::InvalidEnum("status", p.status);
  if (!p.kind.empty() && p.kind != "temporary" && p.kind != "long_term") return Status::InvalidEnum("kind", p.kind);
  TH_RETURN_IF_ERROR(text::CheckText(p.q, "q", text::kPersonName));  // a child's name: 50 characters, one line
  repo::GuardianshipFilter f{who.org_path, "", p.kind, p.status, p.q, p.child_id, p.open_only};
  std::vector<repo::GuardianshipRecord> rows;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    if (p.unit_id) {
      TH_ASSIGN_OR_RETURN(f.unit_prefix, CoveredUnitPath(c, who, *p.unit_id));
    }
    TH_ASSIGN_OR_RETURN(rows, repo::GuardianshipRepo(c).List(f, page, total));
    return Status::Ok();
  }));
  KeepCovered(who, &rows, [](const repo::GuardianshipRecord& g) { return g.unit_path; }, "guardianship");
  std::vector<GuardianshipView> out;
  std::string ids;
  for (auto& r : rows) {
    ids += (ids.empty() ? "" : ",") + std::to_string(r.id);
    GuardianshipView v;
    v.actions = ActionsFor(who, r);
    v.record = std::move(r);
    out.push_back(std::move(v));
  }
  TH_RETURN_IF_ERROR(read_audit_->Append(
      who, {"guardianship.list", "guardianship", "", who.org_path, "", "{\"ids\":[" + ids + "]}", ""}));
  return out;
}

Result<std::optional<std::int64_t>> GuardianshipService::ChildOf(storage::Connection& c, std::int64_t id) {
  auto g = repo::GuardianshipRepo(c).Get(id);
  if (!g.ok()) {
    if (g.status().code() == Code::kNotFound) return std::optional<std::int64_t>();
    return g.status();
  }
  return std::optional<std::int64_t>(g->child_id);
}

Status GuardianshipService::OnAlarmGrade(storage::Connection& c, std::int64_t child_id, const std::string& grade,
                                         std::int64_t at) {
  TH_ASSIGN_OR_RETURN(auto open, repo::GuardianshipRepo(c).OpenOf(child_id));
  if (open) return Status::Ok();  // an intervention is already under way
  TH_ASSIGN_OR_RETURN(repo::ChildRecord child, children_.LoadRecord(c, child_id));
  work::WorkOpen w;
  w.kind = "guardianship_check";
  w.subject_type = kChildSubject;
  w.subject_id = child_id;
  w.title = "核查监护状况(风险等级 " + grade + ")";
  w.label = child.name;
  w.link = "/children/" + std::to_string(child_id) + "?tab=guardianship";
  w.owner_unit_id = child.street_id;
  w.owner_role = "social_worker";
  w.started_at = at;
  // Sync opens it unless one of its kind is open: idempotent while the check is open.
  TH_ASSIGN_OR_RETURN(std::int64_t item, work::Sync(deps_.work.get(), c, kChildSubject, child_id, w));
  (void)item;
  return WriteAudit(c, deps_.clock, nullptr, "",
                    {"guardianship.check_open", "child", std::to_string(child_id), child.community_path, "",
                     "{\"grade\":\"" + grade + "\"}", ""});
}

Status GuardianshipService::CloseCheck(const Principal& who, std::int64_t child_id, const std::string& note_in) {
  if (!who.Can(perm::kGuardianshipWrite)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(std::string note, text::CleanRequiredText(note_in, "note", text::kLongText));
  return InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    auto child = children_.LoadRecord(c, child_id);
    if (!child.ok() || !who.Covers(child->community_path)) return Status::NotFound("child");
    // Nothing to complete: 409 and no audit entry (a completion is recorded only for an open check).
    TH_ASSIGN_OR_RETURN(auto open, work::WorkRepo(c).OpenFor(kChildSubject, child_id));
    const bool any = std::any_of(open.begin(), open.end(),
                                 [](const work::WorkItemRecord& w) { return w.kind == "guardianship_check"; });
    if (!any) return Status::InvalidState("no_open_check", "child_id");
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kChildSubject, child_id, "guardianship_check"));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"guardianship.check_done", "child", std::to_string(child_id), child->community_path, "", "",
                       note});
  });
}

Result<std::vector<GuardianshipCounts>> GuardianshipService::CountsByGroup(
    storage::Connection& c, const std::string& scope_path, const std::vector<std::string>& group_paths,
    std::int64_t from, std::int64_t to) {
  std::vector<GuardianshipCounts> out;
  for (const auto& p : group_paths) out.push_back({p, 0, 0, 0});
  TH_ASSIGN_OR_RETURN(auto rows, repo::GuardianshipRepo(c).CountRows(scope_path, from, to));
  for (const auto& r : rows) {
    auto it = std::find_if(out.begin(), out.end(), [&](const GuardianshipCounts& g) {
      return r.unit_path.compare(0, g.group_path.size(), g.group_path) == 0;
    });
    if (it == out.end()) continue;
    if (r.kind == "temporary" && (r.status == "approved" || r.status == "placed")) ++it->temporary_now;
    if (r.kind == "long_term" && r.status == "active") ++it->long_term_now;
    if (r.returned_at && *r.returned_at >= from && *r.returned_at < to) ++it->returned;
  }
  return out;
}

}  // namespace th::service
