// ScreeningService: batches, findings and verification tasks as the caller sees them; outcomes; unit statistics.
#include "platform/work/work_hooks.h"
#include "modules/screening/service/screening_internal.h"

namespace th::service {

using namespace screening_internal;  // NOLINT: this file is part of the screening service

Result<BatchView> ScreeningService::GetBatch(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kScreeningManage)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::ScreeningRepo repo(*h);
  auto b = repo.GetBatch(id);
  if (!b.ok() || !Visible(who, b->unit_path)) return Status::NotFound("screening_batch");
  BatchView v{*b, {}};
  TH_ASSIGN_OR_RETURN(v.counts, repo.Counts(id, Today()));
  return v;
}

Result<std::vector<BatchView>> ScreeningService::ListBatches(const Principal& who, const repo::Page& page,
                                                             std::int64_t* total) {
  if (!who.Can(perm::kScreeningManage)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::ScreeningRepo repo(*h);
  TH_ASSIGN_OR_RETURN(auto list, repo.ListBatches(who.org_path, page, total));
  KeepCovered(who, &list, [](const auto& b) -> const std::string& { return b.unit_path; }, "screening_batch");
  std::vector<BatchView> out;
  for (auto& b : list) {
    BatchView v{std::move(b), {}};
    TH_ASSIGN_OR_RETURN(v.counts, repo.Counts(v.batch.id, Today()));
    out.push_back(std::move(v));
  }
  return out;
}

Result<FindingView> ScreeningService::LoadFindingView(storage::Connection& c, const repo::FindingRecord& f) {
  FindingView v;
  v.finding = f;
  v.rule = rules_.Find(f.rule_id);
  TH_ASSIGN_OR_RETURN(v.record, repo::ScreeningRepo(c).GetRow(f.record_id));
  if (f.child_id) {
    auto child = repo::ChildRepo(c).Get(*f.child_id);
    if (child.ok()) v.child = std::move(*child);
  }
  if (v.child && v.rule && f.status == "open") v.file_changes = FileChangesFor(*v.rule, v.record, *v.child);
  return v;
}

Result<std::vector<FindingView>> ScreeningService::ListFindings(const Principal& who, std::int64_t batch_id,
                                                                const std::string& rule_id, const std::string& status,
                                                                const repo::Page& page, std::int64_t* total) {
  TH_RETURN_IF_ERROR(GetBatch(who, batch_id).status());
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto list,
                      repo::ScreeningRepo(*h).ListFindings(batch_id, who.org_path, rule_id, status, page, total));
  KeepCovered(who, &list, [](const auto& f) -> const std::string& { return f.unit_path; }, "finding");
  std::vector<FindingView> out;
  for (const auto& f : list) {
    TH_ASSIGN_OR_RETURN(auto v, LoadFindingView(*h, f));
    out.push_back(std::move(v));
  }
  return out;
}

Result<TaskView> ScreeningService::LoadTaskView(storage::Connection& c, const repo::TaskRecord& t) {
  TaskView v;
  v.task = t;
  TH_ASSIGN_OR_RETURN(auto f, repo::ScreeningRepo(c).GetFinding(t.finding_id));
  TH_ASSIGN_OR_RETURN(v.finding, LoadFindingView(c, f));
  v.overdue = t.outcome.empty() && t.due_date < Today();
  return v;
}

Result<std::vector<TaskView>> ScreeningService::ListTasks(const Principal& who, const std::string& queue,
                                                          const std::string& status, const repo::Page& page,
                                                          std::int64_t* total) {
  if (!who.Can(perm::kScreeningVerify) && !who.Can(perm::kScreeningManage)) return Status::Forbidden();
  repo::TaskQuery q;
  q.path_prefix = who.org_path;
  if (queue == "mine") {
    q.open_only = true;
  } else if (queue == "overdue") {
    q.open_only = true;
    q.due_before = Today();
  } else if (!queue.empty()) {
    return Status::Invalid("queue", "invalid_enum", "queue 应为 mine 或 overdue", "queue must be mine or overdue");
  }
  if (status == "open") {
    q.open_only = true;
  } else if (status == "done") {
    q.done_only = true;
  } else if (!status.empty()) {
    return Status::Invalid("status", "invalid_enum", "status 应为 open 或 done", "status must be open or done");
  }
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto list, repo::ScreeningRepo(*h).ListTasks(q, page, total));
  KeepCovered(who, &list, [](const auto& t) -> const std::string& { return t.unit_path; }, "verification_task");
  std::vector<TaskView> out;
  for (const auto& t : list) {
    TH_ASSIGN_OR_RETURN(auto v, LoadTaskView(*h, t));
    out.push_back(std::move(v));
  }
  return out;
}

Result<TaskView> ScreeningService::GetTask(const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kScreeningVerify) && !who.Can(perm::kScreeningManage)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  auto t = repo::ScreeningRepo(*h).GetTask(id);
  if (!t.ok() || !Visible(who, t->unit_path)) return Status::NotFound("verification_task");
  return LoadTaskView(*h, *t);
}

Result<repo::FindingRecord> ScreeningService::FindingInScope(storage::Connection& c, const Principal& who,
                                                             std::int64_t id) {
  if (!who.Can(perm::kScreeningVerify) && !who.Can(perm::kScreeningManage)) return Status::Forbidden();
  auto f = repo::ScreeningRepo(c).GetFinding(id);
  if (!f.ok() || !Visible(who, f->unit_path)) return Status::NotFound("finding_id");
  return std::move(*f);
}

// Long: an outcome and the rule's on_confirm action (roll proposal or a new file) happen in one transaction.
Result<OutcomeResult> ScreeningService::RecordOutcome(const Principal& who, std::int64_t task_id,
                                                      const std::string& outcome, const std::string& note,
                                                      std::int64_t version, const OutcomeFile& file) {
  if (!who.Can(perm::kScreeningVerify)) return Status::Forbidden();
  if (outcome != "confirmed" && outcome != "rejected" && outcome != "not_found") {
    return Status::Invalid("outcome", "invalid_enum", "核查结果应为 confirmed、rejected 或 not_found",
                           "outcome must be confirmed, rejected or not_found");
  }
  if (outcome == "rejected" && text::DecodeUtf8(note).size() < 2) {
    return Status::Invalid("note", "required", "请填写不属实的原因", "A reason is required when rejecting");
  }
  TH_RETURN_IF_ERROR(text::CheckText(note, "note", text::kLongText));
  TH_ASSIGN_OR_RETURN(auto view, GetTask(who, task_id));
  if (!view.task.outcome.empty()) {
    return Status::Error(Code::kConflict, "invalid_state", "该核查任务已有结果", "This task has already been decided",
                         "outcome");
  }
  if (view.task.version != version) {
    return Status::Error(Code::kConflict, "stale_version", "记录已被他人修改，请刷新后重试",
                         "The record was changed by someone else; reload and try again", "version");
  }
  OutcomeResult result;
  const ScreeningRule* rule = view.finding.rule;
  const auto& child = view.finding.child;
  const auto& rec = view.finding.record;
  std::string kind;  // the roll request a confirmation proposes, if any
  if (outcome == "confirmed" && rule) {
    if (child && rule->action == "roll_entry") {
      if (child->roll_status == "not_on_roll" || child->roll_status == "exited") {
        kind = "entry";
      } else if (child->roll_status == "on_roll" &&
                 !Contains("," + child->roll_categories + ",", "," + rule->category + ",")) {
        kind = "change";
      }
    } else if (child && rule->action == "roll_exit" && child->roll_status == "on_roll") {
      kind = "exit";
    } else if (!child && rule->action != "none") {
      SuggestedChild s;
      s.name = rec.name;
      s.sex = rec.sex;
      s.birth_date = rec.birth_date;
      s.id_number_masked = rec.id_masked;
      s.community_id = view.task.community_id;
      s.residence_address = rec.residence_address;
      s.hukou_address = rec.hukou_address;
      s.hukou_region_code = rec.hukou_region_code;
      s.school_name = rec.school_name;
      s.flow_status = rule->flow_status;
      s.father_name = rec.father_name;
      s.mother_name = rec.mother_name;
      s.guardian_name = rec.guardian_name;
      s.category = rule->category;
      result.suggested_child = std::move(s);
    }
  }
  // The file is brought into agreement with what the worker confirmed (see the header).
  std::optional<ChildInput> file_input;
  std::optional<std::int64_t> register_child;
  if (outcome == "confirmed") {
    TH_ASSIGN_OR_RETURN(file_input, ConfirmedFileInput(who, view, file));
    if (!child && rule && rule->action != "none") {  // a child not in the registry: register first
      TH_ASSIGN_OR_RETURN(register_child, RegisteredChild(who, file));
      result.suggested_child.reset();  // registered already: the finding is linked to that file
    }
  }
  if (!kind.empty()) {
    if (!who.Can(perm::kRollPropose)) {
      return Status::Error(Code::kPermissionDenied, "roll_propose_required",
                           "确认该线索会发起名册" + std::string(kind == "exit" ? "退出" : "纳入") +
                               "申请，需由社区儿童主任(具有发起增减员申请权限)登记",
                           "Confirming this finding proposes a roll " + kind +
                               " request, which needs the roll.propose permission (the community's child director)",
                           "outcome");
    }
    if (kind != "exit") {
      const domain::CategoryDef* def = children_.categories().Find(rule->category);
      if (!def || def->kind != domain::CategoryKind::kProtected) {
        return Status::Internal("screening rule " + rule->id + " names category " + rule->category +
                                " which is not a protected category");
      }
    }
  }
  repo::TaskRecord t = view.task;
  t.outcome = outcome;
  t.note = note;
  t.decided_by = who.user_id;
  t.decided_at = deps_.clock.NowMillis();
  // The roll request (the registry's propose step), the task's decision and the finding's status
  // in one transaction: either the 儿童主任's confirmation and its request both exist or neither.
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::ScreeningRepo repo(c);
    if (file_input) {
      auto updated = children_.UpdateIn(c, who, child->id, *file_input, *file.child_version,
                                        "排查核查 #" + std::to_string(task_id) + ": " +
                                            (rule ? rule->name : view.finding.finding.rule_id));
      if (!updated.ok() && updated.status().error_code() == "stale_version") {
        return Status::Error(Code::kConflict, "stale_version", "儿童档案已被他人修改，请刷新后重新核对",
                             "The child's file was changed by someone else; reload and check again",
                             "child_version");
      }
      if (!updated.ok()) return updated.status();
      if (rule->action == "roll_entry" && !Contains(updated->categories, "," + rule->category + ",")) {
        return Status::Invalid("file", "file_disagrees",
                               "按确认的数据修改后，档案仍不符合该类别的认定条件，请核对后再确认",
                               "With the confirmed values the file still does not meet the category's rule");
      }
    }
    if (register_child) {
      TH_RETURN_IF_ERROR(repo.LinkFindingChild(t.finding_id, *register_child));
    }
    if (!kind.empty()) {
      ChildService::ProposalInput p;
      p.kind = kind;
      p.category = rule->category;
      p.reason = view.finding.finding.reason;
      p.evidence = "排查批次 #" + std::to_string(view.finding.finding.batch_id) + " 核查任务 #" +
                   std::to_string(task_id) + (note.empty() ? "" : ": " + note);
      p.field = "outcome";
      p.verification_task_id = task_id;
      TH_ASSIGN_OR_RETURN(std::int64_t request_id, children_.ProposeIn(c, who, child->id, p));
      t.roll_request_id = request_id;
      TH_RETURN_IF_ERROR(Fault("after_roll_request"));
    }
    TH_RETURN_IF_ERROR(repo.DecideTask(t));
    // Decided: its work item closes.
    TH_RETURN_IF_ERROR(work::Sync(deps_.work.get(), c, "verification_task", task_id, std::nullopt).status());
    TH_RETURN_IF_ERROR(repo.SetFindingStatus(t.finding_id, outcome, kind));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"screening.verify", "verification_task", std::to_string(task_id), t.unit_path, "",
                       JsonObjectWriter()
                           .Str("outcome", outcome)
                           .Str("rule_id", view.finding.finding.rule_id)
                           .OptInt("child_id", view.finding.finding.child_id)
                           .OptInt("roll_request_id", t.roll_request_id)
                           .Finish(),
                       note});
  }));
  if (t.roll_request_id) {
    TH_ASSIGN_OR_RETURN(auto req, children_.GetRequest(who, *t.roll_request_id));
    result.roll_request = std::move(req);
  }
  TH_ASSIGN_OR_RETURN(result.task, GetTask(who, task_id));
  return result;
}

Result<std::optional<ChildInput>> ScreeningService::ConfirmedFileInput(const Principal& who, const TaskView& view,
                                                                     const OutcomeFile& file) {
  const auto& changes = view.finding.file_changes;
  if (changes.empty()) {
    if (!file.values.empty()) {
      return Status::Invalid("file", "unknown_field", "该核查不修改档案", "This verification changes no file field");
    }
    return std::optional<ChildInput>();
  }
  if (!who.Can(perm::kChildWrite)) {
    return Status::Error(Code::kPermissionDenied, "child_write_required",
                         "确认该线索会按部门数据修改儿童档案，需由有档案编辑权限的社区儿童主任登记",
                         "Confirming this finding changes the child's file, which needs the child.write permission",
                         "outcome");
  }
  if (!file.child_version) {
    return Status::Invalid("child_version", "required", "缺少儿童档案版本号", "child_version is required");
  }
  TH_ASSIGN_OR_RETURN(auto in, FileChangeInput(changes, file.values));
  return std::optional<ChildInput>(std::move(in));
}

Result<std::int64_t> ScreeningService::RegisteredChild(const Principal& who, const OutcomeFile& file) {
  if (!file.child_id) {
    return Status::Error(Code::kConflict, "child_file_required",
                         "该儿童尚未建档：请先按部门数据为其建档，再选择该档案完成核查",
                         "The child has no file yet: register the child, then choose that file to confirm",
                         "child_id");
  }
  TH_ASSIGN_OR_RETURN(auto f, children_.Get(who, *file.child_id));
  return f.child.id;
}

// Long: one grouped query per figure, assembled into one view.
Result<UnitStatsView> ScreeningService::UnitStats(const Principal& who, std::optional<std::int64_t> unit_id,
                                                  std::optional<std::int64_t> batch_id) {
  if (!who.Can(perm::kScreeningManage) && !who.Can(perm::kStatsRead)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::OrgRepo orgs(*h);
  UnitStatsView v;
  auto u = orgs.Get(unit_id.value_or(who.org_unit_id));
  if (!u.ok() || !Visible(who, u->path)) return Status::NotFound("org_unit");
  v.unit = *u;
  if (batch_id) {
    // A batch is counted for the units it reached; it must exist and concern the caller
    // (uploaded in their subtree or above it).
    auto b = repo::ScreeningRepo(*h).GetBatch(*batch_id);
    if (!b.ok() || !(Visible(who, b->unit_path) || who.org_path.rfind(b->unit_path, 0) == 0)) {
      return Status::NotFound("screening_batch");
    }
  }
  TH_ASSIGN_OR_RETURN(auto subtree, orgs.ListSubtree(v.unit.path));
  // Rows are the viewed unit's direct children (streets of a district, communities of a street);
  // a community is its own single row.
  std::vector<const repo::OrgUnit*> heads;
  for (const auto& x : subtree) {
    if (x.parent_id && *x.parent_id == v.unit.id && x.level != "grid") heads.push_back(&x);
  }
  if (heads.empty()) heads.push_back(&v.unit);
  std::sort(heads.begin(), heads.end(), [](const repo::OrgUnit* a, const repo::OrgUnit* b) { return a->code < b->code; });
  std::vector<UnitStatsRow> out(heads.size());
  for (std::size_t i = 0; i < heads.size(); ++i) out[i].unit = *heads[i];
  UnitStatsRow unplaced;
  repo::UnitCountsQuery q;
  q.path_prefix = v.unit.path;
  q.batch_id = batch_id;
  q.today = Today();
  TH_ASSIGN_OR_RETURN(auto counts, repo::ScreeningRepo(*h).UnitCounts(q));
  auto add = [](UnitStatsRow& dst, const repo::UnitCountsRow& src) {
    dst.records += src.records;
    dst.matched += src.matched;
    repo::BatchCounts& d = dst.counts;
    const repo::BatchCounts& s = src.counts;
    for (const auto& [k, n] : s.findings_by_rule) d.findings_by_rule[k] += n;
    d.findings += s.findings;
    d.open += s.open;
    d.confirmed += s.confirmed;
    d.rejected += s.rejected;
    d.not_found += s.not_found;
    d.added += s.added;
    d.exited += s.exited;
    d.overdue += s.overdue;
  };
  for (const auto& c : counts) {
    UnitStatsRow* dst = &unplaced;
    if (c.community_id) {
      for (std::size_t i = 0; i < heads.size(); ++i) {
        if (c.unit_path.compare(0, heads[i]->path.size(), heads[i]->path) == 0) {
          dst = &out[i];
          break;
        }
      }
    }
    add(*dst, c);
    add(v.totals, c);
  }
  v.rows = std::move(out);
  if (unplaced.records || unplaced.counts.findings) v.rows.push_back(std::move(unplaced));
  return v;
}

}  // namespace th::service
