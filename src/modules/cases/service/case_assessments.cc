// CaseService: assessments on forms as data (drafts, completion with score, grade and needs, the
// grade on the child and its listeners, comparison) and the assessment deadlines on the engine.
#include <set>

#include "domain/date.h"
#include "modules/cases/service/case_internal.h"
#include "modules/cases/service/case_service.h"

namespace th::service {

using namespace case_internal;  // NOLINT: this file is part of the cases service

namespace {

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

std::string DueKind(const std::string& kind) { return kind == "guardianship" ? "guardianship_due" : "assessment_due"; }

}  // namespace

Result<repo::ChildRecord> CaseService::ChildInScope(storage::Connection& c, const Principal& who,
                                                    std::int64_t child_id) {
  if (!who.Can(perm::kCaseRead)) return Status::Forbidden();
  auto r = children_.LoadRecord(c, child_id);
  if (!r.ok() || !who.Covers(r->community_path)) return Status::NotFound("child_id");
  return r;
}

Result<repo::AssessmentRecord> CaseService::LoadAssessment(storage::Connection& c, const Principal& who,
                                                           std::int64_t id) {
  if (!who.Can(perm::kCaseRead)) return Status::Forbidden();
  auto a = repo::CaseRepo(c).GetAssessment(id);
  if (!a.ok() || !who.Covers(a->unit_path)) return Status::NotFound("assessment");
  return a;
}

Result<repo::AssessmentRecord> CaseService::AssessmentIn(storage::Connection& c, std::int64_t id) {
  auto a = repo::CaseRepo(c).GetAssessment(id);
  if (!a.ok() && a.status().code() == Code::kNotFound) return Status::NotFound("assessment");
  return a;
}

Result<std::optional<repo::AssessmentRecord>> CaseService::LatestCompletedIn(storage::Connection& c,
                                                                             std::int64_t child_id,
                                                                             const std::string& kind) {
  return repo::CaseRepo(c).LatestCompleted(child_id, kind);
}

Status CaseService::CheckCaseOfChild(repo::CaseRepo& repo, const std::optional<std::int64_t>& case_id,
                                     std::int64_t child_id) {
  if (!case_id) return Status::Ok();
  auto k = repo.Get(*case_id);
  if (!k.ok() || k->child_id != child_id) {
    return Bad("case_id", "invalid_case", "个案与儿童不符", "The case is not this child's");
  }
  if (k->status == "closed") return Status::InvalidState(k->status, "case_id");
  return Status::Ok();
}

Result<repo::AssessmentRecord> CaseService::SaveDraft(const Principal& who, std::optional<std::int64_t> id,
                                                      const AssessmentInput& in, std::int64_t version) {
  if (!who.Can(perm::kCaseWrite)) return Status::Forbidden();
  TH_RETURN_IF_ERROR(CheckNote(in.note, "note", 0, 2000));
  std::int64_t out_id = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::CaseRepo repo(c);
    repo::AssessmentRecord a;
    const std::int64_t now = deps_.clock.NowMillis();
    if (id) {
      TH_ASSIGN_OR_RETURN(a, LoadAssessment(c, who, *id));
      if (a.status != "draft") return Status::InvalidState(a.status);
      if (a.version != version) return Status::Stale();
    } else {
      if (in.child_id <= 0) return Status::Required("child_id");
      TH_ASSIGN_OR_RETURN(repo::ChildRecord child, ChildInScope(c, who, in.child_id));
      const domain::AssessmentForm* f = nullptr;
      for (const auto& [kind, code] : forms_.active) {
        if (code == in.form) f = forms_.Find(code);
      }
      if (!f) return in.form.empty() ? Status::Required("form") : Status::InvalidEnum("form", in.form);
      a.child_id = child.id;
      a.unit_path = child.community_path;
      a.kind = f->kind;
      a.form_code = f->code;
      a.form_version = f->version;
      a.status = "draft";
      a.assessor_user_id = who.user_id;
      a.created_at = now;
      TH_ASSIGN_OR_RETURN(auto open, repo.OpenOf(child.id));
      a.case_id = in.case_id ? in.case_id : (open ? std::optional<std::int64_t>(open->id) : std::nullopt);
    }
    if (in.case_id) a.case_id = in.case_id;
    TH_RETURN_IF_ERROR(CheckCaseOfChild(repo, a.case_id, a.child_id));
    const domain::AssessmentForm* f = forms_.Find(a.form_code, a.form_version);
    if (!f) return Status::Internal("form " + a.form_code + " v" + std::to_string(a.form_version) + " missing");
    TH_ASSIGN_OR_RETURN(domain::Answers answers, domain::ParseAnswers(*f, in.answers_json, false));
    (void)answers;
    a.answers_json = in.answers_json.empty() ? "{}" : in.answers_json;
    a.note = Trim(in.note);
    a.updated_at = now;
    if (id) {
      TH_RETURN_IF_ERROR(repo.UpdateAssessment(a, version));
    } else {
      TH_RETURN_IF_ERROR(repo.InsertAssessment(a));
    }
    out_id = a.id;
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"assessment.save", "assessment", std::to_string(a.id), a.unit_path, "",
                       "{\"form\":\"" + a.form_code + "\",\"answers\":" + a.answers_json + "}", ""});
  }));
  return GetAssessment(who, out_id);
}

Status CaseService::ApplyGrade(storage::Connection& c, const Principal& who, const repo::AssessmentRecord& a) {
  TH_RETURN_IF_ERROR(children_.SetRiskGrade(c, who, a.child_id, a.grade, *a.completed_at));
  for (const auto& fn : grade_listeners_) TH_RETURN_IF_ERROR(fn(c, a.child_id, a.grade, *a.completed_at));
  return Status::Ok();
}

Result<repo::AssessmentRecord> CaseService::Complete(const Principal& who, std::int64_t id, std::int64_t version) {
  if (!who.Can(perm::kCaseWrite)) return Status::Forbidden();
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::CaseRepo repo(c);
    TH_ASSIGN_OR_RETURN(repo::AssessmentRecord a, LoadAssessment(c, who, id));
    if (a.status != "draft") return Status::InvalidState(a.status);
    if (a.version != version) return Status::Stale();
    const domain::AssessmentForm* f = forms_.Find(a.form_code, a.form_version);
    if (!f) return Status::Internal("form " + a.form_code + " missing");
    TH_ASSIGN_OR_RETURN(domain::Answers answers, domain::ParseAnswers(*f, a.answers_json, true));
    const domain::Scored s = domain::ScoreAnswers(*f, answers);
    a.status = "completed";
    a.score = s.score;
    a.grade = s.grade;
    a.needs_json = domain::NeedsToJson(s.needs);
    a.completed_at = a.updated_at = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(CheckCaseOfChild(repo, a.case_id, a.child_id));
    TH_RETURN_IF_ERROR(repo.UpdateAssessment(a, version));
    if (a.kind == "risk") TH_RETURN_IF_ERROR(ApplyGrade(c, who, a));
    // The deadline this assessment meets is met; the case moves on from intake.
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kDueSubject, a.child_id, DueKind(a.kind)));
    if (a.case_id) {
      TH_ASSIGN_OR_RETURN(repo::CaseRecord k, repo.Get(*a.case_id));
      if (k.status == "intake") TH_RETURN_IF_ERROR(Move(c, who, k, "assess", "完成" + f->name));
    }
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"assessment.complete", "assessment", std::to_string(a.id), a.unit_path, "",
                       "{\"form\":\"" + a.form_code + "\",\"version\":" + std::to_string(a.form_version) +
                           ",\"grade\":\"" + a.grade + "\",\"score\":" + std::to_string(a.score) + "}",
                       ""});
  }));
  return GetAssessment(who, id);
}

Result<repo::AssessmentRecord> CaseService::GetAssessment(const Principal& who, std::int64_t id) {
  repo::AssessmentRecord a;
  TH_RETURN_IF_ERROR(ReadOnly(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(a, LoadAssessment(c, who, id));
    return Status::Ok();
  }));
  TH_RETURN_IF_ERROR(
      read_audit_->Append(who, {"assessment.read", "assessment", std::to_string(id), a.unit_path, "", "", ""}));
  return a;
}

Result<std::vector<repo::AssessmentRecord>> CaseService::ChildAssessments(const Principal& who, std::int64_t child_id) {
  std::vector<repo::AssessmentRecord> out;
  std::string path;
  TH_RETURN_IF_ERROR(ReadOnly(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(repo::ChildRecord child, ChildInScope(c, who, child_id));
    path = child.community_path;
    TH_ASSIGN_OR_RETURN(out, repo::CaseRepo(c).ChildAssessments(child_id));
    return Status::Ok();
  }));
  TH_RETURN_IF_ERROR(
      read_audit_->Append(who, {"assessment.read", "child", std::to_string(child_id), path, "", "", ""}));
  return out;
}

Result<Comparison> CaseService::Compare(const Principal& who, std::int64_t a_id, std::int64_t b_id) {
  Comparison out;
  TH_RETURN_IF_ERROR(ReadOnly(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(out.a, LoadAssessment(c, who, a_id));
    TH_ASSIGN_OR_RETURN(out.b, LoadAssessment(c, who, b_id));
    return Status::Ok();
  }));
  if (out.a.child_id != out.b.child_id || out.a.kind != out.b.kind) {
    return Bad("b", "not_comparable", "只能对比同一儿童的同类评估", "Compare two assessments of one child and kind");
  }
  const domain::AssessmentForm* fa = forms_.Find(out.a.form_code, out.a.form_version);
  const domain::AssessmentForm* fb = forms_.Find(out.b.form_code, out.b.form_version);
  if (!fa || !fb) return Status::Internal("form missing");
  TH_ASSIGN_OR_RETURN(auto ans_a, domain::ParseAnswers(*fa, out.a.answers_json, false));
  TH_ASSIGN_OR_RETURN(auto ans_b, domain::ParseAnswers(*fb, out.b.answers_json, false));
  // Rows follow the newer form; a question only the older form has comes after.
  std::set<std::string> seen;
  auto add = [&](const domain::AssessmentForm& f) {
    for (const auto& s : f.sections) {
      for (const auto& q : s.questions) {
        if (!seen.insert(q.id).second) continue;
        Comparison::Row r{s.title, q.id, q.text, "", "", false};
        const domain::FormQuestion* qa = fa->Find(q.id);
        const domain::FormQuestion* qb = fb->Find(q.id);
        if (qa && ans_a.count(q.id)) r.a = domain::AnswerText(*qa, ans_a[q.id]);
        if (qb && ans_b.count(q.id)) r.b = domain::AnswerText(*qb, ans_b[q.id]);
        r.changed = r.a != r.b;
        out.rows.push_back(std::move(r));
      }
    }
  };
  add(*fb);
  add(*fa);
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"assessment.compare", "assessment", std::to_string(a_id),
                                               out.a.unit_path, "", "{\"b\":" + std::to_string(b_id) + "}", ""}));
  return out;
}

// ---- deadlines ----

work::WorkOpen CaseService::DueItem(const std::string& kind, const repo::DueChild& d) const {
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int64_t lead = static_cast<std::int64_t>(config_.repeat_days - config_.open_before_days) * kDayMs;
  const domain::AssessmentForm* form = forms_.ForKind(kind);
  work::WorkOpen w;
  w.kind = DueKind(kind);
  w.subject_type = kDueSubject;
  w.subject_id = d.child_id;
  w.title = kind == "guardianship" ? "年度监护评估" : d.last_completed ? "年度风险需求评估" : "新纳入儿童双评估";
  w.label = d.name + (form ? " · " + form->name : "");
  w.link = "/children/" + std::to_string(d.child_id) + "?tab=cases";
  w.owner_unit_id = d.street_id;
  w.owner_role = "social_worker";
  auto day = domain::DateFromYyyymmdd(d.roll_entered_on);
  // Midnight in Shanghai (UTC+8) of the day the child entered the roll.
  const std::int64_t entered = day.ok() ? day->ToDays() * kDayMs - 8 * 3600 * 1000LL : now;
  // New: the month runs from entering the roll; again: from a month before the year is up.
  w.started_at = d.last_completed ? *d.last_completed + lead : std::min(entered, now);
  return w;
}

Status CaseService::OpenDue(storage::Connection& c, const std::string& kind, const repo::DueChild& d) {
  return work::Open(deps_.work.get(), c, DueItem(kind, d)).status();
}

Result<std::int64_t> CaseService::EvaluateKind(const std::string& kind, const std::vector<std::string>& categories) {
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int64_t lead = static_cast<std::int64_t>(config_.repeat_days - config_.open_before_days) * kDayMs;
  const std::string work_kind = DueKind(kind);
  std::int64_t opened = 0, after = 0;
  for (;;) {
    std::vector<repo::DueChild> batch;
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
      TH_ASSIGN_OR_RETURN(batch, repo::CaseRepo(c).DueChildren(kind, kDueSubject, work_kind, categories, now - lead,
                                                               after, 2000));
      if (open_one_by_one_) {
        for (const auto& d : batch) TH_RETURN_IF_ERROR(OpenDue(c, kind, d));
      } else {
        // The batch's items in one go (work::OpenMany: Open's checks and rows, multi-row statements).
        std::vector<work::WorkOpen> items;
        items.reserve(batch.size());
        for (const auto& d : batch) items.push_back(DueItem(kind, d));
        TH_RETURN_IF_ERROR(work::OpenMany(deps_.work.get(), c, items).status());
      }
      opened += static_cast<std::int64_t>(batch.size());
      return Status::Ok();
    }));
    if (batch.size() < 2000) break;
    after = batch.back().child_id;
  }
  return opened;
}

Status CaseService::OnRollChange(storage::Connection& c, std::int64_t child_id) {
  if (!deps_.work) return Status::Ok();
  TH_ASSIGN_OR_RETURN(auto child, children_.LoadRecord(c, child_id));
  if (child.roll_status != "on_roll" && child.roll_status != "exit_proposed") {
    // Off the roll: nothing is due any more.
    TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kDueSubject, child_id, DueKind("risk")));
    return work::Close(deps_.work.get(), c, kDueSubject, child_id, DueKind("guardianship"));
  }
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int64_t lead = static_cast<std::int64_t>(config_.repeat_days - config_.open_before_days) * kDayMs;
  repo::CaseRepo repo(c);
  for (const std::string kind : {"risk", "guardianship"}) {
    if (kind == "guardianship" && config_.guardianship_categories.empty()) continue;
    const std::vector<std::string> cats = kind == "guardianship" ? config_.guardianship_categories
                                                                 : std::vector<std::string>{};
    TH_ASSIGN_OR_RETURN(auto due, repo.DueChildren(kind, kDueSubject, DueKind(kind), cats, now - lead, 0, 1, child_id));
    for (const auto& d : due) TH_RETURN_IF_ERROR(OpenDue(c, kind, d));
  }
  return Status::Ok();
}

Result<std::int64_t> CaseService::EvaluateDeadlines() {
  if (!deps_.work) return std::int64_t{0};
  TH_ASSIGN_OR_RETURN(std::int64_t risk, EvaluateKind("risk", {}));
  if (config_.guardianship_categories.empty()) return risk;
  TH_ASSIGN_OR_RETURN(std::int64_t g, EvaluateKind("guardianship", config_.guardianship_categories));
  return risk + g;
}

}  // namespace th::service
