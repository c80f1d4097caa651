#include "modules/plans/service/plan_service.h"

#include "base/json_writer.h"
#include "modules/plans/permissions.h"
#include "modules/plans/service/plans_internal.h"
#include "platform/repo/user_repo.h"
#include "platform/work/work_config.h"
#include "platform/work/work_hooks.h"

namespace th::service {

using namespace plans_detail;
using domain::PlanLine;
using repo::PlanRecord;
using repo::PlanRepo;

namespace {

constexpr const char* kCaseClosed = "closed";

bool Unfinished(const std::string& s) {
  return s == domain::kPlanDraft || s == domain::kPlanSubmitted || s == domain::kPlanReturned;
}

Status StaleIf(const PlanRecord& p, std::int64_t version) {
  if (version != p.version) {
    return Status::Error(Code::kConflict, "stale_version", "计划已被他人修改，请刷新后重试",
                         "The plan was changed by someone else; reload and try again", "version");
  }
  return Status::Ok();
}

// What the caller may do with plan `p` of case `k` now (`latest`: p is the case's newest version).
std::vector<std::string> ActionsFor(const Principal& who, const PlanRecord& p, const PlanCase& k, bool latest) {
  std::vector<std::string> a;
  if (k.status == kCaseClosed) return a;
  if (who.Can(perm::kPlanWrite) && domain::PlanEditable(p.status)) a = {"edit", "submit"};
  if (who.Can(perm::kPlanApprove) && p.status == domain::kPlanSubmitted) a = {"approve", "return"};
  if (who.Can(perm::kPlanWrite) && p.status == domain::kPlanApproved && latest) a = {"revise", "complete_task"};
  return a;
}

// The goals a new plan starts from: one per need of the latest needs assessment.
std::vector<PlanLine> GoalsFromNeeds(const std::vector<PlanNeed>& needs) {
  std::vector<PlanLine> out;
  for (const auto& n : needs) {
    PlanLine l;
    l.kind = domain::kLineGoal;
    l.code = n.code;
    l.name = n.name;
    l.extra = n.note;
    out.push_back(std::move(l));
  }
  return out;
}

// A revision starts from the latest plan's lines: tasks already done stay behind.
std::vector<PlanLine> CarriedLines(std::vector<PlanLine> lines) {
  std::vector<PlanLine> out;
  for (auto& l : lines) {
    if (l.kind == domain::kLineTask && l.done_at) continue;
    l.id = 0;
    l.done_at.reset();
    l.done_by.reset();
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace

PlanService::PlanService(Deps& deps, CaseAccess& cases, domain::PlansConfig config)
    : deps_(deps),
      cases_(cases),
      config_(std::move(config)),
      read_audit_(deps.read_audit) {
  // Plans, records, groups and group members copy unit paths: they move with the unit and (those of a child)
  // with the child, in the move's transaction; a plan awaiting review goes to the new street's review. (Reads
  // of a case's plans take the scope from the case; the approval queue and group members filter by the copies.)
  deps.jurisdiction.unit_moved["plans"] = [](storage::Connection& c, const repo::OrgUnit& before,
                                             const std::string& new_path) -> Status {
    return PlanRepo(c).AfterUnitMove(before.path, new_path);
  };
  cases_.OnClosed([this](storage::Connection& c, std::int64_t case_id) { return OnCaseClosed(c, case_id); });
  deps.jurisdiction.child_moved["plans"] = [&deps](storage::Connection& c, std::int64_t child_id) -> Status {
    TH_ASSIGN_OR_RETURN(auto moved, PlanRepo(c).AfterChildMove(child_id));
    if (moved.second == 0) return Status::Ok();
    for (std::int64_t plan : moved.first) {
      TH_RETURN_IF_ERROR(work::Reassign(deps.work.get(), c, "plan", plan, "plan_review", moved.second));
    }
    return Status::Ok();
  };
}

namespace {

struct Loaded {
  PlanRecord plan;
  PlanCase kase;
  bool latest = true;
};

Result<Loaded> LoadPlan(storage::Connection& c, CaseAccess& cases, const Principal& who, std::int64_t plan_id) {
  PlanRepo repo(c);
  auto got = repo.Get(plan_id);
  if (!got.ok()) return got.status().code() == Code::kNotFound ? Status::NotFound("plan") : got.status();
  auto kase = cases.LoadInScope(c, who, got->case_id);
  if (!kase.ok()) return kase.status().code() == Code::kNotFound ? Status::NotFound("plan") : kase.status();
  TH_ASSIGN_OR_RETURN(int max, repo.MaxNumber(got->case_id));
  return Loaded{std::move(*got), std::move(*kase), got->number == max};
}

}  // namespace

Result<PlanView> PlanService::Get(const Principal& who, std::int64_t plan_id, bool reveal) {
  if (reveal && !who.Can(perm::kPlanWrite)) return Status::Forbidden();
  PlanView v;
  std::string path;
  TH_RETURN_IF_ERROR(ReadOnly(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto l, LoadPlan(c, cases_, who, plan_id));
    path = l.kase.unit_path;
    TH_ASSIGN_OR_RETURN(auto lines, PlanRepo(c).Lines(plan_id));
    v.plan = l.plan;
    v.actions = ActionsFor(who, l.plan, l.kase, l.latest);
    v.phones_revealed = reveal;
    v.lines = reveal ? std::move(lines) : MaskedLines(std::move(lines));
    const std::string today = domain::Date::FromEpochMillisShanghai(deps_.clock.NowMillis()).ToString();
    for (const auto& line : v.lines) {
      if (line.kind == domain::kLineTask && !line.done_at && l.plan.status == domain::kPlanApproved &&
          line.due_date < today) {
        v.overdue_tasks.push_back(line.id);
      }
    }
    return Status::Ok();
  }));
  TH_RETURN_IF_ERROR(
      read_audit_->Append(who, {reveal ? "plan.reveal" : "plan.read", "plan", std::to_string(plan_id), path, "", "", ""}));
  return v;
}

Result<CasePlansView> PlanService::ForCase(const Principal& who, std::int64_t case_id, bool reveal) {
  if (reveal && !who.Can(perm::kPlanWrite)) return Status::Forbidden();
  CasePlansView v;
  TH_RETURN_IF_ERROR(ReadOnly(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto kase, cases_.LoadWithNeeds(c, who, case_id));
    v.kase = std::move(kase.first);
    v.needs = std::move(kase.second);
    // The versions, the newest one's lines, the service records and the groups in one batch.
    TH_ASSIGN_OR_RETURN(auto section, PlanRepo(c).SectionOfCase(case_id));
    v.versions = std::move(section.versions);
    if (!v.versions.empty()) {
      PlanView cur;
      cur.plan = v.versions.front();
      cur.lines = reveal ? std::move(section.current_lines) : MaskedLines(std::move(section.current_lines));
      cur.phones_revealed = reveal;
      cur.actions = ActionsFor(who, cur.plan, v.kase, true);
      v.current = std::move(cur);
    }
    v.records = std::move(section.records);
    v.groups = std::move(section.groups);
    v.can_write = who.Can(perm::kPlanWrite) && v.kase.status != kCaseClosed;
    v.can_record = who.Can(perm::kServiceWrite) && v.kase.status != kCaseClosed;
    return Status::Ok();
  }));
  TH_RETURN_IF_ERROR(read_audit_->Append(
      who, {reveal ? "plan.reveal" : "plan.read", "case", std::to_string(case_id), v.kase.unit_path, "", "", ""}));
  return v;
}

Result<PlanView> PlanService::Create(const Principal& who, std::int64_t case_id, const PlanInput& in_raw) {
  if (!who.Can(perm::kPlanWrite)) return Status::Forbidden();
  PlanInput in = in_raw;
  PlanView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto kase, cases_.LoadInScope(c, who, case_id));
    if (kase.status == kCaseClosed) return Status::InvalidState(kase.status);
    TH_RETURN_IF_ERROR(CleanPlanInput(config_, &in));
    PlanRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto existing, repo.ForCase(case_id));
    for (const auto& p : existing) {
      if (Unfinished(p.status)) {
        return Status::Error(Code::kConflict, "plan_open", "该个案已有未完成的计划(第" + std::to_string(p.number) + "版)",
                             "The case already has an unfinished plan (version " + std::to_string(p.number) + ")",
                             "case_id");
      }
    }
    if (!in.lines_given) {
      if (!existing.empty()) {
        TH_ASSIGN_OR_RETURN(auto prev, repo.Lines(existing.front().id));
        in.lines = CarriedLines(std::move(prev));
      } else {
        TH_ASSIGN_OR_RETURN(auto needs, cases_.LatestNeeds(c, case_id));
        in.lines = GoalsFromNeeds(needs);
      }
    }
    for (auto& line : in.lines) {
      if (line.phone.find('*') != std::string::npos) line.phone.clear();  // a masked number is no number
    }
    PlanRecord p;
    p.case_id = case_id;
    p.child_id = kase.child_id;
    p.unit_path = kase.unit_path;
    p.number = existing.empty() ? 1 : existing.front().number + 1;
    p.title = in.title.empty() ? "个案服务计划(一人一策)" : in.title;
    if (in.summary.empty() && !existing.empty()) in.summary = existing.front().summary;
    p.summary = in.summary;
    p.period_from = in.period_from;
    p.period_to = in.period_to;
    p.grade = kase.grade;
    p.created_by = who.user_id;
    p.approval_required = config_.approval_required;
    p.created_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo.Insert(p));
    TH_RETURN_IF_ERROR(repo.ReplaceLines(p.id, in.lines));
    // Drafting the plan is the case's planning step (评估 → 计划): without it an approved plan would leave
    // the case in 评估, never 介入. The cases module refuses the move before a completed risk assessment.
    if (kase.status == "assessing") {
      TH_RETURN_IF_ERROR(cases_.MoveIn(c, who, case_id, "planning", "制定个案服务计划"));
      kase.status = "planning";
    }
    v.plan = p;
    v.lines = MaskedLines(in.lines);
    v.actions = ActionsFor(who, p, kase, true);
    return Audit(deps_, c, who, "plan.create", "plan", p.id, kase.unit_path,
                 JsonObjectWriter().Int("case_id", case_id).Int("number", p.number).Finish());
  }));
  return v;
}

Result<PlanView> PlanService::Update(const Principal& who, std::int64_t plan_id, const PlanInput& in_raw) {
  if (!who.Can(perm::kPlanWrite)) return Status::Forbidden();
  PlanInput in = in_raw;
  PlanView v;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(auto l, LoadPlan(c, cases_, who, plan_id));
    if (!domain::PlanEditable(l.plan.status)) return Status::InvalidState(l.plan.status);
    TH_RETURN_IF_ERROR(StaleIf(l.plan, in.version));
    TH_RETURN_IF_ERROR(CleanPlanInput(config_, &in));
    PlanRepo repo(c);
    if (!in.title.empty()) l.plan.title = in.title;
    l.plan.summary = in.summary;
    l.plan.period_from = in.period_from;
    l.plan.period_to = in.period_to;
    if (in.lines_given) {
      // Phones sent back masked (unchanged in the editor) keep the stored number.
      TH_ASSIGN_OR_RETURN(auto old, repo.Lines(plan_id));
      for (auto& line : in.lines) {
        if (line.phone.find('*') == std::string::npos) continue;
        for (const auto& o : old) {
          if (o.kind == line.kind && o.id == line.id) line.phone = o.phone;
        }
        if (line.phone.find('*') != std::string::npos) line.phone.clear();
      }
      TH_RETURN_IF_ERROR(repo.ReplaceLines(plan_id, in.lines));
    }
    TH_RETURN_IF_ERROR(repo.Update(l.plan, deps_.clock.NowMillis()));
    TH_ASSIGN_OR_RETURN(auto lines, repo.Lines(plan_id));
    v.plan = l.plan;
    v.lines = MaskedLines(std::move(lines));
    v.actions = ActionsFor(who, l.plan, l.kase, l.latest);
    return Audit(deps_, c, who, "plan.update", "plan", plan_id, l.kase.unit_path, "");
  }));
  return v;
}

}  // namespace th::service
