// CaseService: cases (接案, assignment, the workflow, the timeline) and the contract for other
// modules (LoadInScope, LatestNeeds, MoveIn). Assessments are in case_assessments.cc.
#include "modules/cases/service/case_service.h"

#include "modules/cases/service/case_internal.h"
#include "platform/repo/org_repo.h"

namespace th::service {

using namespace case_internal;  // NOLINT: this file is part of the cases service

CaseService::CaseService(Deps& deps, domain::CaseConfig config, domain::FormSet forms, ChildService& children)
    : deps_(deps),
      config_(std::move(config)),
      forms_(std::move(forms)),
      children_(children),
      read_audit_(deps.read_audit) {
  // The case copies its child's units: a child move or a unit move carries them along.
  deps_.jurisdiction.child_moved["cases"] = [this](storage::Connection& c, std::int64_t child_id) -> Status {
    TH_ASSIGN_OR_RETURN(repo::ChildRecord r, children_.LoadRecord(c, child_id));
    TH_RETURN_IF_ERROR(repo::CaseRepo(c).MoveChild(child_id, r.community_id, r.street_id, r.district_id,
                                                   r.community_path));
    TH_ASSIGN_OR_RETURN(auto open, repo::CaseRepo(c).OpenOf(child_id));
    if (open) TH_RETURN_IF_ERROR(work::Reassign(deps_.work.get(), c, "case", open->id, "", r.street_id));
    // The assessment deadlines are the new street's social workers' (as EvaluateKind opens them).
    return work::Reassign(deps_.work.get(), c, kDueSubject, child_id, "", r.street_id);
  };
  deps_.jurisdiction.unit_moved["cases"] = [](storage::Connection& c, const repo::OrgUnit& before,
                                              const std::string& new_path) -> Status {
    return repo::CaseRepo(c).MoveUnitPaths(before.path, new_path);
  };
  // A roll decision opens (or closes) the child's assessment deadlines at once, not at the next hourly pass.
  children_.AddRollListener([this](storage::Connection& c, std::int64_t child_id) { return OnRollChange(c, child_id); });
}

CaseService::~CaseService() = default;

namespace {

Status CheckWorker(repo::CaseRepo& repo, const repo::CaseRecord& k, std::int64_t worker_id) {
  TH_ASSIGN_OR_RETURN(auto w, repo.Worker(worker_id));
  // A social worker of the child's street (the station) or the community's 儿童主任.
  const bool ok = w && w->active && (w->role == "social_worker" || w->role == "child_director") &&
                  k.unit_path.compare(0, w->unit_path.size(), w->unit_path) == 0 && w->unit_path.size() > 3;
  if (!ok) {
    return Bad("worker_user_id", "invalid_worker", "社工须为该儿童所在街道的社工或社区儿童主任",
               "The worker must be a social worker of the child's street or the community's child director");
  }
  return Status::Ok();
}

}  // namespace

Status CaseService::Record(storage::Connection& c, const Principal& who, repo::CaseRecord& k, const std::string& action,
                           const std::string& from, const std::string& note) {
  auto e = repo::CaseEventRecord::Of(k.id, deps_.clock.NowMillis(), who.user_id, action, from, k.status, note);
  TH_RETURN_IF_ERROR(repo::CaseRepo(c).AddEvent(e));
  TH_ASSIGN_OR_RETURN(auto item, work::Sync(deps_.work.get(), c, "case", k.id, CaseWork(k, k.status)));
  (void)item;
  const std::string after = "{\"status\":\"" + k.status + "\",\"action\":\"" + action + "\"}";
  return WriteAudit(c, deps_.clock, &who, who.client_ip,
                    {action == "open" ? "case.open" : action == "assign" ? "case.assign" : "case.move", "case",
                     std::to_string(k.id), k.unit_path, from.empty() ? "" : "{\"status\":\"" + from + "\"}", after,
                     note});
}

Result<CaseView> CaseService::Open(const Principal& who, const OpenCaseInput& in) {
  if (!who.Can(perm::kCaseWrite)) return Status::Forbidden();
  if (in.source != "roll" && in.source != "report" && in.source != "decision") {
    return in.source.empty() ? Status::Required("source") : Status::InvalidEnum("source", in.source);
  }
  TH_RETURN_IF_ERROR(CheckNote(in.reason, "reason", in.source == "decision" ? 2 : 0, 500));
  if (in.child_id <= 0) return Status::Required("child_id");
  std::int64_t id = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(repo::ChildRecord child, children_.LoadInScope(c, who, in.child_id));
    repo::CaseRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto open, repo.OpenOf(in.child_id));
    if (open) {
      return Status::Error(Code::kConflict, "case_open", "该儿童已有未结案的个案 #" + std::to_string(open->id),
                           "The child already has an open case #" + std::to_string(open->id), "child_id");
    }
    const std::int64_t now = deps_.clock.NowMillis();
    repo::CaseRecord k;
    k.child_id = child.id;
    k.unit_id = child.community_id;
    k.unit_path = child.community_path;
    k.street_unit_id = child.street_id;
    k.district_unit_id = child.district_id;
    k.status = "intake";
    k.source = in.source;
    k.report_id = in.report_id;
    k.reason = Trim(in.reason).empty() ? (in.source == "roll" ? "在册困境儿童接案" : "发现报告接案") : Trim(in.reason);
    k.child_name = child.name;
    const bool self = who.role == "social_worker" || who.role == "child_director";
    k.worker_user_id = in.worker_user_id ? in.worker_user_id
                                         : (self ? std::optional<std::int64_t>(who.user_id) : std::nullopt);
    if (k.worker_user_id) {
      if (*k.worker_user_id != who.user_id && !who.Can(perm::kCaseAssign)) return Status::Forbidden();
      TH_RETURN_IF_ERROR(CheckWorker(repo, k, *k.worker_user_id));
    }
    k.opened_by = who.user_id;
    k.opened_at = k.created_at = k.updated_at = now;
    TH_RETURN_IF_ERROR(repo.Insert(k));
    id = k.id;
    return Record(c, who, k, "open", "", k.reason);
  }));
  return Get(who, id);
}

Result<repo::CaseRecord> CaseService::LoadScoped(storage::Connection& c, const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kCaseRead)) return Status::Forbidden();
  auto k = repo::CaseRepo(c).Get(id);
  if (!k.ok() || !who.Covers(k->unit_path)) return Status::NotFound("case");
  return k;
}

std::vector<std::string> CaseService::ActionsFor(const Principal& who, const repo::CaseRecord& k) const {
  std::vector<std::string> out;
  if (!who.Can(perm::kCaseWrite)) return out;
  for (const auto& row : CaseWorkflow().rows()) {
    if (row.from == k.status) out.push_back(row.action);
  }
  if (k.status != "closed" && who.Can(perm::kCaseAssign)) out.push_back("assign");
  return out;
}

Result<CaseView> CaseService::Get(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kCaseRead)) return Status::Forbidden();
  CaseView v;
  TH_RETURN_IF_ERROR(ReadOnly(deps_.db, [&](storage::Connection& c) -> Status {
    // The case, its timeline and the child's assessments in one batch; nothing of it leaves unless the caller
    // covers the case (the same 404 as LoadScoped's).
    TH_ASSIGN_OR_RETURN(auto page, repo::CaseRepo(c).PageOf(id));
    if (!page.record || !who.Covers(page.record->unit_path)) return Status::NotFound("case");
    v.record = std::move(*page.record);
    v.events = std::move(page.events);
    v.assessments = std::move(page.assessments);
    return Status::Ok();
  }));
  v.actions = ActionsFor(who, v.record);
  if (who.role == "leader") v.record.reason = "***";  // read-only roles see the case, not its reasons
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"case.read", "case", std::to_string(id), v.record.unit_path, "", "", ""}));
  return v;
}

Result<std::vector<CaseView>> CaseService::List(const Principal& who, const CaseListParams& p, const repo::Page& page,
                                                std::int64_t* total) {
  if (!who.Can(perm::kCaseRead)) return Status::Forbidden();
  static const std::set<std::string> kStatus = {"intake", "assessing", "planning", "intervening", "reviewing", "closed"};
  if (!p.status.empty() && !kStatus.count(p.status)) return Status::InvalidEnum("status", p.status);
  repo::CaseFilter f;
  f.path_prefix = who.org_path;
  f.status = p.status;
  f.grade = p.grade;
  f.q = p.q;
  f.open_only = p.open_only;
  f.worker_user_id = p.worker_user_id;
  f.child_id = p.child_id;
  std::vector<repo::CaseRecord> rows;
  TH_RETURN_IF_ERROR(ReadOnly(deps_.db, [&](storage::Connection& c) -> Status {
    if (p.unit_id) {
      TH_ASSIGN_OR_RETURN(f.unit_prefix, CoveredUnitPath(c, who, *p.unit_id));
    }
    TH_ASSIGN_OR_RETURN(rows, repo::CaseRepo(c).List(f, page, total));
    return Status::Ok();
  }));
  std::vector<CaseView> out;
  std::string ids;
  for (auto& r : rows) {
    if (!who.Covers(r.unit_path)) continue;  // the single-read scope test, again on every row
    ids += (ids.empty() ? "" : ",") + std::to_string(r.id);
    if (who.role == "leader") r.reason = "***";
    CaseView v;
    v.record = std::move(r);
    out.push_back(std::move(v));
  }
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"case.list", "case", "", who.org_path, "", "{\"ids\":[" + ids + "]}", ""}));
  return out;
}

Status CaseService::Move(storage::Connection& c, const Principal& who, repo::CaseRecord& k, const std::string& action,
                         const std::string& note) {
  const work::Transition* tr = CaseWorkflow().Find(k.status, action);
  if (!tr) return Status::InvalidState(k.status);
  if (!who.Can(tr->permission)) return Status::Forbidden();
  TH_RETURN_IF_ERROR(CheckNote(note, "note", tr->note_required ? 2 : 0, 1000));
  if (action == "plan") {
    TH_ASSIGN_OR_RETURN(auto risk, repo::CaseRepo(c).LatestCompleted(k.child_id, "risk"));
    if (!risk || *risk->completed_at < k.opened_at) {
      return Status::Error(Code::kConflict, "assessment_required", "请先完成本个案的风险评估",
                           "Complete the case's risk assessment first", "status");
    }
  }
  const std::string from = k.status;
  const std::int64_t version = k.version;
  k.status = tr->to;
  k.updated_at = deps_.clock.NowMillis();
  if (k.status == "closed") {
    k.close_reason = Trim(note);
    k.closed_at = k.updated_at;
  } else if (from == "closed") {
    k.close_reason.clear();
    k.closed_at.reset();
  }
  auto st = repo::CaseRepo(c).Update(k, version);
  if (!st.ok() && st.error_code() == "duplicate") {
    return Status::Error(Code::kConflict, "case_open", "该儿童已有未结案的个案", "The child already has an open case",
                         "status");
  }
  TH_RETURN_IF_ERROR(st);
  k.version = version + 1;
  if (k.status == "closed") {
    for (const auto& fn : closed_listeners_) TH_RETURN_IF_ERROR(fn(c, k.id));
  }
  return Record(c, who, k, action, from, Trim(note));
}

Result<CaseView> CaseService::Act(const Principal& who, std::int64_t id, const std::string& action,
                                  const std::string& note, std::int64_t version) {
  if (!CaseWorkflow().KnowsAction(action)) return Status::InvalidEnum("action", action);
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(repo::CaseRecord k, LoadScoped(c, who, id));
    // 403 before 409: the permission every row of the action needs, then the version.
    for (const auto& row : CaseWorkflow().rows()) {
      if (row.action == action && !who.Can(row.permission)) return Status::Forbidden();
    }
    if (k.version != version) return Status::Stale();
    return Move(c, who, k, action, note);
  }));
  return Get(who, id);
}

Result<CaseView> CaseService::Assign(const Principal& who, std::int64_t id, std::int64_t worker_user_id,
                                     std::int64_t version) {
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(repo::CaseRecord k, LoadScoped(c, who, id));
    if (!who.Can(perm::kCaseAssign) && !(who.Can(perm::kCaseWrite) && worker_user_id == who.user_id)) {
      return Status::Forbidden();
    }
    if (k.status == "closed") return Status::InvalidState(k.status);
    if (k.version != version) return Status::Stale();
    repo::CaseRepo repo(c);
    TH_RETURN_IF_ERROR(CheckWorker(repo, k, worker_user_id));
    k.worker_user_id = worker_user_id;
    k.updated_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo.Update(k, version));
    // The open item follows the new worker: close and reopen it for them.
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, "case", k.id));
    TH_ASSIGN_OR_RETURN(auto w, repo.Worker(worker_user_id));
    return Record(c, who, k, "assign", k.status, w ? w->display_name : "");
  }));
  return Get(who, id);
}

Result<std::vector<repo::WorkerInfo>> CaseService::AssignableWorkers(const Principal& who, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(repo::CaseRecord k, LoadScoped(*h, who, id));
  if (!who.Can(perm::kCaseAssign)) return Status::Forbidden();
  repo::CaseRepo repo(*h);
  TH_ASSIGN_OR_RETURN(auto all, repo.Workers(k.unit_path));
  std::vector<repo::WorkerInfo> out;
  for (auto& w : all) {
    if (CheckWorker(repo, k, w.id).ok()) out.push_back(std::move(w));  // the rule Assign applies
  }
  return out;
}

// ---- the contract (CaseFactsSource) ----

namespace {

std::vector<NeedFacts> NeedsOf(const std::optional<std::string>& needs_json) {
  std::vector<NeedFacts> out;
  if (!needs_json) return out;
  for (const auto& n : domain::NeedsFromJson(*needs_json)) {
    if (n.level > 0) out.push_back({n.code, n.name, n.level, n.note});
  }
  return out;
}

CaseFacts FactsOf(const repo::CaseRecord& k) {
  return CaseFacts{k.id, k.child_id, k.unit_id, k.unit_path, k.district_unit_id, k.status, k.worker_user_id, k.grade,
                   k.version};
}

}  // namespace

Result<CaseFacts> CaseService::LoadInScope(storage::Connection& c, const Principal& who, std::int64_t case_id) {
  TH_ASSIGN_OR_RETURN(repo::CaseRecord k, LoadScoped(c, who, case_id));
  return FactsOf(k);
}

Result<std::vector<NeedFacts>> CaseService::LatestNeeds(storage::Connection& c, std::int64_t case_id) {
  // One statement (the case's child by subquery): the plan section asks on every opening of the case page.
  TH_ASSIGN_OR_RETURN(auto needs_json, repo::CaseRepo(c).LatestNeedsOfCase(case_id, "needs"));
  return NeedsOf(needs_json);
}

Result<std::pair<CaseFacts, std::vector<NeedFacts>>> CaseService::LoadWithNeeds(storage::Connection& c,
                                                                                 const Principal& who,
                                                                                 std::int64_t case_id) {
  if (!who.Can(perm::kCaseRead)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto got, repo::CaseRepo(c).GetWithNeeds(case_id, "needs"));
  if (!got.first || !who.Covers(got.first->unit_path)) return Status::NotFound("case");  // as LoadScoped
  return std::make_pair(FactsOf(*got.first), NeedsOf(got.second));
}

Status CaseService::MoveIn(storage::Connection& c, const Principal& who, std::int64_t case_id, const std::string& to,
                           const std::string& note) {
  TH_ASSIGN_OR_RETURN(repo::CaseRecord k, LoadScoped(c, who, case_id));
  const std::string action = CaseActionTo(k.status, to);
  if (action.empty()) return Status::InvalidState(k.status);
  return Move(c, who, k, action, note);
}

}  // namespace th::service
