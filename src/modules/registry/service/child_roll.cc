// ChildService: the roll workflow (propose, review, confirm, return) and its queues.
#include "modules/registry/service/roll_workflow.h"
#include "platform/work/work_hooks.h"
#include "modules/registry/service/child_service_internal.h"

namespace th::service {

using namespace child_internal;  // NOLINT: this file is part of the registry service

// ---- roll workflow ----

Result<RollRequestView> ChildService::Propose(const Principal& who, std::int64_t child_id, const std::string& kind,
                                              const std::string& category, const std::string& reason,
                                              const std::string& evidence) {
  TH_RETURN_IF_ERROR(Need(who, perm::kRollPropose));
  if (kind != "entry" && kind != "change" && kind != "exit") {
    return Bad("kind", "invalid_enum", "申请类型应为 entry、change 或 exit", "kind must be entry, change or exit");
  }
  if (kind != "exit") {
    const domain::CategoryDef* def = config_.Find(category);
    if (!def || def->kind != domain::CategoryKind::kProtected) {
      return Bad("category", "invalid_enum", "请选择保障类别", "Choose a protected category");
    }
  }
  // The reason itself is checked by ProposeIn, which knows the rule verdict it must answer.
  TH_RETURN_IF_ERROR(CheckText(reason, "reason", text::kLongText));
  TH_RETURN_IF_ERROR(CheckText(evidence, "evidence", text::kLongText));
  std::int64_t req_id = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(req_id, ProposeIn(c, who, child_id, {kind, category, reason, evidence}));
    return Status::Ok();
  }));
  return GetRequest(who, req_id);
}

// Long: validation, the open-request check, the child's new roll state and the audit entry of one proposal, in the caller's transaction.
Result<std::int64_t> ChildService::ProposeIn(storage::Connection& c, const Principal& who, std::int64_t child_id,
                                             const ProposalInput& in) {
  repo::ChildRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, child_id));
  TH_ASSIGN_OR_RETURN(auto open, repo.OpenRequestIdFor(child_id));
  if (open) {
    return Status::Error(Code::kConflict, "request_pending", "该儿童已有待审核的申请",
                         "This child already has an open request", "child_id");
  }
  bool ok = in.kind == "entry" ? (r.roll_status == "not_on_roll" || r.roll_status == "exited")
                               : r.roll_status == "on_roll";
  if (!ok) {
    return Status::Error(Code::kConflict, "invalid_state", "当前在册状态(" + r.roll_status + ")不能提出该申请",
                         "The roll status " + r.roll_status + " does not allow this request", in.field);
  }
  repo::RollRequestRecord q;
  if (in.kind != "exit") {
    TH_ASSIGN_OR_RETURN(auto members, repo.Members(child_id));
    RuleVerdictOf(r, members, in.category, &q.rule_outcome, &q.rule_reason);
  }
  if (text::DecodeUtf8(in.reason).size() < 2) {
    if (!q.rule_outcome.empty() && q.rule_outcome != "met") {
      const domain::CategoryDef* def = config_.Find(in.category);
      const std::string name = def ? def->name : in.category;
      return Bad("reason", "reason_required",
                 "规则判定该儿童不符合“" + name + "”（" + q.rule_reason + "），提出该申请须填写理由",
                 "The rules say the child does not qualify for " + in.category + " (" + q.rule_reason +
                     "); give a reason for this proposal");
    }
    return Bad("reason", "required", "请填写申请理由", "A reason is required");
  }
  q.child_id = child_id;
  q.district_id = r.district_id;
  q.street_id = r.street_id;
  q.community_id = r.community_id;
  q.kind = in.kind;
  q.category = in.kind == "exit" ? "" : in.category;
  q.reason = in.reason;
  q.evidence = in.evidence;
  q.status = "pending_review";
  q.prior_roll_status = r.roll_status;
  q.proposed_by = who.user_id;
  q.proposed_at = deps_.clock.NowMillis();
  TH_RETURN_IF_ERROR(repo.InsertRequest(q));
  repo::RollStepRecord s{0, q.id, "propose", who.user_id, who.display_name, q.proposed_at, in.reason};
  TH_RETURN_IF_ERROR(repo.InsertStep(s));
  // The work item: review by the street.
  TH_RETURN_IF_ERROR(work::Sync(deps_.work.get(), c, "roll_request", q.id, RollWork(q, q.status)).status());
  std::string before = r.roll_status;
  if (in.kind == "entry") r.roll_status = "proposed";
  if (in.kind == "exit") r.roll_status = "exit_proposed";
  r.updated_at = q.proposed_at;
  r.updated_by = who.user_id;
  TH_RETURN_IF_ERROR(repo.Update(r));
  TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
  TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                {"roll.propose", "child", std::to_string(child_id), unit.path,
                                 JsonObjectWriter().Str("roll_status", before).Finish(),
                                 JsonObjectWriter()
                                     .Int("request_id", q.id)
                                     .Str("kind", in.kind)
                                     .Str("category", q.category)
                                     .Str("roll_status", r.roll_status)
                                     .OptInt("verification_task_id", in.verification_task_id)
                                     .Str("rule_outcome", q.rule_outcome)
                                     .Finish(),
                                 in.reason}));
  return q.id;
}

void ChildService::RuleVerdictOf(const ChildRecord& r, const std::vector<MemberRecord>& members,
                                 const std::string& category, std::string* outcome, std::string* reason) const {
  outcome->clear();
  reason->clear();
  const domain::CategoryDef* def = config_.Find(category);
  if (!def || !def->rule_derived()) return;
  domain::Evaluation ev = domain::EvaluateCategories(ToDomain(r, members), config_,
                                                     Date::FromEpochMillisShanghai(deps_.clock.NowMillis()));
  const domain::Verdict* v = ev.Find(def->code);
  *outcome = v ? std::string(domain::CodeOf(v->outcome)) : "not_met";
  *reason = v ? v->reason : "";
}

Result<RollRequestView> ChildService::GetRequest(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kChildRead)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::ChildRepo repo(*h);
  auto q = repo.GetRequest(id);
  if (!q.ok()) return Status::NotFound("roll_request");
  TH_RETURN_IF_ERROR(LoadScoped(*h, who, q->child_id).status());
  RollRequestView v{*q, {}};
  TH_ASSIGN_OR_RETURN(v.steps, repo.Steps(id));
  return v;
}

Result<std::vector<RollRequestView>> ChildService::ListRequests(const Principal& who, const std::string& queue,
                                                                const std::string& status, const repo::Page& page,
                                                                std::int64_t* total) {
  TH_RETURN_IF_ERROR(Need(who, perm::kChildRead));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::RollQuery q;
  TH_ASSIGN_OR_RETURN(q.scope, ScopeOf(*h, who));
  q.status = status;
  if (queue == "mine") {
    q.proposed_by = who.user_id;
  } else if (queue == "review") {
    TH_RETURN_IF_ERROR(Need(who, perm::kRollReview));
    q.status = "pending_review";
  } else if (queue == "confirm") {
    TH_RETURN_IF_ERROR(Need(who, perm::kRollConfirm));
    q.status = "pending_confirm";
  } else if (!queue.empty()) {
    return Bad("queue", "invalid_enum", "queue 应为 mine、review 或 confirm", "queue must be mine, review or confirm");
  }
  repo::ChildRepo repo(*h);
  TH_ASSIGN_OR_RETURN(auto rows, repo.ListRequests(q, page, total));
  // Each request carries its child's jurisdiction: pass the page through the child scope test.
  std::vector<ChildRecord> juris(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    juris[i].id = rows[i].id;
    juris[i].district_id = rows[i].district_id;
    juris[i].street_id = rows[i].street_id;
    juris[i].community_id = rows[i].community_id;
    juris[i].grid_id = rows[i].grid_id;
  }
  KeepInScope(*h, q.scope, &juris, &who);
  std::set<std::int64_t> keep;
  for (const auto& j : juris) keep.insert(j.id);
  std::erase_if(rows, [&](const repo::RollRequestRecord& r) { return !keep.count(r.id); });
  std::vector<RollRequestView> out;
  for (auto& r : rows) {
    RollRequestView v{std::move(r), {}};
    TH_ASSIGN_OR_RETURN(v.steps, repo.Steps(v.request.id));
    out.push_back(std::move(v));
  }
  return out;
}

// Long: one workflow step (permission, state, version, the child's roll state, audit) in one transaction.
// The step itself comes from the declarative table (roll_workflow.h).
Result<RollRequestView> ChildService::Decide(const Principal& who, std::int64_t id, const std::string& action,
                                             const std::string& note, std::int64_t version) {
  const work::WorkflowTable& flow = RollRequestWorkflow();
  if (!flow.KnowsAction(action)) return Status::NotFound("action");
  TH_RETURN_IF_ERROR(CheckText(note, "note", text::kLongText));
  const bool note_required = [&] {
    for (const auto& row : flow.rows()) {
      if (row.action == action && row.note_required) return true;
    }
    return false;
  }();
  if (note_required && text::DecodeUtf8(note).size() < 2) {
    return Bad("note", "required", "退回须填写说明", "A note is required to return a request");
  }
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::ChildRepo repo(c);
    auto q = repo.GetRequest(id);
    if (!q.ok()) return Status::NotFound("roll_request");
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, q->child_id));
    TH_RETURN_IF_ERROR(Need(who, RollActionPermission(q->status, action).c_str()));
    const work::Transition* step = flow.Find(q->status, action);
    if (!step) {
      return Status::Error(Code::kConflict, "invalid_state", "申请当前状态(" + q->status + ")不允许该操作",
                           "The request is " + q->status + "; this step does not apply", "status");
    }
    const std::string next = step->to;
    std::int64_t now = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo.SetRequestStatus(id, next, version, now));
    repo::RollStepRecord s{0, id, action, who.user_id, who.display_name, now, note};
    TH_RETURN_IF_ERROR(repo.InsertStep(s));
    // The work items follow the request's state.
    TH_RETURN_IF_ERROR(work::Sync(deps_.work.get(), c, "roll_request", id, RollWork(*q, next)).status());
    std::string before = JsonObjectWriter().Str("roll_status", r.roll_status).Str("roll_categories", r.roll_categories).Finish();
    bool child_changed = false;
    if (action == "confirm") {
      std::int32_t today = Today();
      if (q->kind == "entry") {
        r.roll_status = "on_roll";
        r.roll_categories = q->category;
        r.roll_entered_on = today;
        r.roll_exited_on = 0;
      } else if (q->kind == "change") {
        r.roll_categories = q->category;
      } else {
        r.roll_status = "exited";
        r.roll_exited_on = today;
      }
      child_changed = true;
    } else if (action == "return") {
      r.roll_status = q->prior_roll_status;
      child_changed = true;
    }
    if (child_changed) {
      r.updated_at = now;
      r.updated_by = who.user_id;
      TH_RETURN_IF_ERROR(repo.Update(r));
      for (const auto& l : roll_listeners_) TH_RETURN_IF_ERROR(l(c, r.id));
    }
    TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"roll." + action, "child", std::to_string(r.id), unit.path, before,
                       JsonObjectWriter()
                           .Int("request_id", id)
                           .Str("request_status", next)
                           .Str("roll_status", r.roll_status)
                           .Str("roll_categories", r.roll_categories)
                           .Finish(),
                       note});
  }));
  return GetRequest(who, id);
}

}  // namespace th::service
