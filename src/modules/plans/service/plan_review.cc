// Submitting, approving and returning plans; tasks as work items; the approval queue.
#include "base/json_writer.h"
#include "modules/plans/permissions.h"
#include "modules/plans/service/plan_service.h"
#include "modules/plans/service/plans_internal.h"
#include "platform/repo/user_repo.h"
#include "platform/work/work_config.h"
#include "platform/work/work_hooks.h"
#include "text/field.h"

namespace th::service {

using namespace plans_detail;
using domain::PlanLine;
using repo::PlanRecord;
using repo::PlanRepo;

namespace {

Result<std::pair<PlanRecord, PlanCase>> Load(storage::Connection& c, CaseAccess& cases, const Principal& who,
                                              std::int64_t plan_id, std::int64_t version) {
  auto got = PlanRepo(c).Get(plan_id);
  if (!got.ok()) return got.status().code() == Code::kNotFound ? Status::NotFound("plan") : got.status();
  auto kase = cases.LoadInScope(c, who, got->case_id);
  if (!kase.ok()) return kase.status().code() == Code::kNotFound ? Status::NotFound("plan") : kase.status();
  if (version != got->version) {
    return Status::Error(Code::kConflict, "stale_version", "计划已被他人修改，请刷新后重试",
                         "The plan was changed by someone else; reload and try again", "version");
  }
  return std::make_pair(std::move(*got), std::move(*kase));
}

std::string Label(const PlanRecord& p) {
  return "个案#" + std::to_string(p.case_id) + " 计划第" + std::to_string(p.number) + "版";
}
std::string Link(const PlanRecord& p) { return "/cases/" + std::to_string(p.case_id); }

// The plan_task item of `t`: owned by its unit + role, or by its user (their unit and role, and
// the user named), due at the end of its due date.
Result<work::WorkOpen> TaskWork(storage::Connection& c, const domain::PlansConfig& cfg, const PlanRecord& p,
                                const PlanLine& t) {
  work::WorkOpen w;
  w.kind = "plan_task";
  w.subject_type = "plan_task";
  w.subject_id = t.id;
  w.title = "计划任务：" + t.name;
  w.label = Label(p);
  w.link = Link(p);
  if (t.owner_unit_id && !t.owner_role.empty()) {
    w.owner_unit_id = *t.owner_unit_id;
    w.owner_role = t.owner_role;
  }
  if (t.owner_user_id) {
    auto u = repo::UserRepo(c).Get(*t.owner_user_id);
    if (!u.ok()) {
      return Status::Invalid("owner_user_id", "invalid_owner", "任务负责人不存在", "The task's owner does not exist");
    }
    if (!w.owner_unit_id) {
      w.owner_unit_id = u->org_unit_id;
      w.owner_role = u->role;
    }
    w.owner_user_id = *t.owner_user_id;
  }
  TH_ASSIGN_OR_RETURN(auto due, domain::ParseDate(t.due_date, "due_date"));
  // The engine's clock starts at started_at; the kind's clock is task_clock_hours (plans.json).
  w.started_at = work::EndOfDayShanghai(due) - std::int64_t{cfg.task_clock_hours} * 3600 * 1000;
  return w;
}

}  // namespace

// Approves `p` in `c`: supersedes the case's older approved plans (closing their tasks' items),
// opens the tasks' items, closes the review item and moves the case planning → intervening.
Status ApprovePlanIn(Deps& deps, CaseAccess& cases, const domain::PlansConfig& cfg, storage::Connection& c,
                     const Principal& who, PlanRecord& p, const PlanCase& kase, const std::string& note) {
  PlanRepo repo(c);
  const std::int64_t now = deps.clock.NowMillis();
  TH_ASSIGN_OR_RETURN(auto all, repo.ForCase(p.case_id));
  for (auto& old : all) {
    if (old.id == p.id || old.status != domain::kPlanApproved) continue;
    TH_ASSIGN_OR_RETURN(auto lines, repo.Lines(old.id));
    for (const auto& t : lines) {
      if (t.kind == domain::kLineTask) TH_RETURN_IF_ERROR(work::Close(deps.work.get(), c, "plan_task", t.id));
    }
    old.status = domain::kPlanSuperseded;
    TH_RETURN_IF_ERROR(repo.Update(old, now));
  }
  p.status = domain::kPlanApproved;
  p.reviewed_at = now;
  p.reviewed_by = who.user_id;
  p.review_note = note;
  TH_RETURN_IF_ERROR(repo.Update(p, now));
  TH_ASSIGN_OR_RETURN(auto lines, repo.Lines(p.id));
  for (const auto& t : lines) {
    if (t.kind != domain::kLineTask || t.done_at) continue;
    TH_ASSIGN_OR_RETURN(auto w, TaskWork(c, cfg, p, t));
    TH_RETURN_IF_ERROR(work::Open(deps.work.get(), c, w).status());
  }
  TH_RETURN_IF_ERROR(work::Sync(deps.work.get(), c, "plan", p.id, std::nullopt).status());
  if (kase.status == "planning") {
    TH_RETURN_IF_ERROR(cases.MoveIn(c, who, p.case_id, "intervening", "个案计划第" + std::to_string(p.number) + "版已批准"));
  }
  return Audit(deps, c, who, "plan.approve", "plan", p.id, kase.unit_path,
               JsonObjectWriter().Int("case_id", p.case_id).Int("number", p.number).Str("note", note).Finish());
}

Result<PlanView> PlanService::Submit(const Principal& who, std::int64_t plan_id, std::int64_t version) {
  if (!who.Can(perm::kPlanWrite)) return Status::Forbidden();
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto l, Load(c, cases_, who, plan_id, version));
    auto& [p, kase] = l;
    if (!domain::PlanEditable(p.status) || kase.status == "closed") return Status::InvalidState(p.status);
    PlanRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto lines, repo.Lines(plan_id));
    TH_RETURN_IF_ERROR(domain::CheckPlanLines(config_, lines, true));
    bool has_goal = false;
    for (const auto& line : lines) has_goal = has_goal || line.kind == domain::kLineGoal;
    if (!has_goal) {
      return Status::Invalid("goals", "required", "计划至少需要一个目标", "A plan needs at least one goal");
    }
    p.submitted_at = deps_.clock.NowMillis();
    p.submitted_by = who.user_id;
    p.approval_required = config_.approval_required;
    if (!config_.approval_required) return ApprovePlanIn(deps_, cases_, config_, c, who, p, kase, "");
    p.status = domain::kPlanSubmitted;
    TH_RETURN_IF_ERROR(repo.Update(p, deps_.clock.NowMillis()));
    work::WorkOpen w;
    w.kind = "plan_review";
    w.title = "审批个案计划";
    w.label = Label(p);
    w.link = Link(p);
    const std::int64_t street = StreetOf(kase.unit_path, kase.district_unit_id);
    w.owner_unit_id = street ? street : kase.district_unit_id;
    w.owner_role = street && street != kase.district_unit_id ? "street_supervisor" : "district";
    TH_RETURN_IF_ERROR(work::Sync(deps_.work.get(), c, "plan", p.id, w).status());
    return Audit(deps_, c, who, "plan.submit", "plan", p.id, kase.unit_path,
                 JsonObjectWriter().Int("case_id", p.case_id).Int("number", p.number).Finish());
  }));
  return Get(who, plan_id, false);
}

Result<PlanView> PlanService::Review(const Principal& who, std::int64_t plan_id, bool approve,
                                     const std::string& note_raw, std::int64_t version) {
  if (!who.Can(perm::kPlanApprove)) return Status::Forbidden();
  TH_ASSIGN_OR_RETURN(auto note, text::CleanText(note_raw, "note", text::kLongText));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto l, Load(c, cases_, who, plan_id, version));
    auto& [p, kase] = l;
    if (p.status != domain::kPlanSubmitted) return Status::InvalidState(p.status);
    if (approve) return ApprovePlanIn(deps_, cases_, config_, c, who, p, kase, note);
    if (note.empty()) return Status::Required("note");
    p.status = domain::kPlanReturned;
    p.reviewed_at = deps_.clock.NowMillis();
    p.reviewed_by = who.user_id;
    p.review_note = note;
    TH_RETURN_IF_ERROR(PlanRepo(c).Update(p, deps_.clock.NowMillis()));
    TH_RETURN_IF_ERROR(work::Sync(deps_.work.get(), c, "plan", p.id, std::nullopt).status());
    return Audit(deps_, c, who, "plan.return", "plan", p.id, kase.unit_path,
                 JsonObjectWriter().Int("case_id", p.case_id).Str("note", note).Finish());
  }));
  return Get(who, plan_id, false);
}

Result<PlanView> PlanService::CompleteTask(const Principal& who, std::int64_t plan_id, std::int64_t line_id) {
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    PlanRepo repo(c);
    auto got = repo.Get(plan_id);
    if (!got.ok()) return got.status().code() == Code::kNotFound ? Status::NotFound("plan") : got.status();
    auto kase = cases_.LoadInScope(c, who, got->case_id);
    if (!kase.ok()) return kase.status().code() == Code::kNotFound ? Status::NotFound("plan") : kase.status();
    TH_ASSIGN_OR_RETURN(auto lines, repo.Lines(plan_id));
    const PlanLine* task = nullptr;
    for (const auto& l : lines) {
      if (l.id == line_id && l.kind == domain::kLineTask) task = &l;
    }
    if (!task) return Status::NotFound("task");
    const bool owner = task->owner_user_id && *task->owner_user_id == who.user_id;
    if (!who.Can(perm::kPlanWrite) && !owner) return Status::Forbidden();
    if (got->status != domain::kPlanApproved || task->done_at) {
      return Status::InvalidState(task->done_at ? "done" : got->status);
    }
    TH_RETURN_IF_ERROR(repo.SetLineDone(line_id, deps_.clock.NowMillis(), who.user_id));
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, "plan_task", line_id));
    return Audit(deps_, c, who, "plan.task_done", "plan", plan_id, kase->unit_path,
                 JsonObjectWriter().Int("task_id", line_id).Str("task", task->name).Finish());
  }));
  return Get(who, plan_id, false);
}

Result<std::vector<PlanRecord>> PlanService::Pending(const Principal& who, const repo::Page& page,
                                                     std::int64_t* total) {
  if (!who.Can(perm::kPlanApprove)) return Status::Forbidden();
  std::vector<PlanRecord> out;
  TH_RETURN_IF_ERROR(ReadOnly(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(out, PlanRepo(c).ByUnit(who.org_path, domain::kPlanSubmitted, page, total));
    return Status::Ok();
  }));
  KeepCovered(who, &out, [](const PlanRecord& p) { return p.unit_path; }, "plans.pending");
  return out;
}

Status PlanService::OnCaseClosed(storage::Connection& c, std::int64_t case_id) {
  PlanRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto plans, repo.ForCase(case_id));
  for (const auto& p : plans) {
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, "plan", p.id, ""));
    TH_ASSIGN_OR_RETURN(auto lines, repo.Lines(p.id));
    for (const auto& l : lines) {
      if (l.kind == domain::kLineTask && !l.done_at) TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, "plan_task", l.id, ""));
    }
  }
  return Status::Ok();
}

}  // namespace th::service
