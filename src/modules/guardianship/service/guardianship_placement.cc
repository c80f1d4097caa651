// GuardianshipService: the placement (Art 93), its checks, the return assessment and the return
// home, the conversion to long-term guardianship (Art 94) and its end (adoption, Art 95).
#include "modules/guardianship/permissions.h"
#include "modules/guardianship/service/guardianship_internal.h"
#include "modules/guardianship/service/guardianship_service.h"
#include "modules/cases/service/case_service.h"
#include "modules/registry/service/child_service.h"
#include "text/field.h"

#include <algorithm>

namespace th::service {

using namespace guardianship_internal;  // NOLINT: this file is part of the guardianship service

Status GuardianshipService::OpenPlacementCheck(storage::Connection& c, const repo::GuardianshipRecord& g,
                                               std::int64_t from) {
  TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kSubject, g.id, "placement_check"));
  const std::int64_t due = from + config_.check_interval_days * kDayMs;
  return work::Open(deps_.work.get(), c, ItemOf(g, "placement_check", "安置回访(临时监护)", StartFor(due))).status();
}

Result<GuardianshipView> GuardianshipService::Place(const Principal& who, std::int64_t id, const PlacementInput& in,
                                                    std::int64_t version) {
  if (!who.Can(perm::kGuardianshipWrite)) return Status::Forbidden();  // before the body's checks
  if (!domain::GuardianshipConfig::Find(config_.placement_kinds, in.kind)) {
    return in.kind.empty() ? Status::Required("placement_kind") : Status::InvalidEnum("placement_kind", in.kind);
  }
  TH_ASSIGN_OR_RETURN(std::string name, text::CleanRequiredText(in.name, "placement_name", text::kLineText));
  TH_ASSIGN_OR_RETURN(std::string contact, text::CleanRequiredText(in.contact, "placement_contact", text::kPersonName));
  TH_ASSIGN_OR_RETURN(std::string phone, text::CleanRequiredText(in.phone, "placement_phone", text::kShortText));
  TH_RETURN_IF_ERROR(CheckPhone(phone, "placement_phone"));
  TH_ASSIGN_OR_RETURN(std::string address, text::CleanRequiredText(in.address, "placement_address", text::kLineText));
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int64_t placed_at = in.placed_at > 0 ? in.placed_at : now;
  TH_RETURN_IF_ERROR(CheckTime(placed_at, now, "placed_at"));
  const domain::GuardianshipCode* kind = domain::GuardianshipConfig::Find(config_.placement_kinds, in.kind);
  return Change(who, id, version, perm::kGuardianshipWrite, {"approved"}, "place", kind->name + " · " + name,
                [&](storage::Connection& c, repo::GuardianshipRecord& g) -> Status {
                  if (g.kind != "temporary") return Status::InvalidState(g.kind, "kind");
                  g.status = "placed";
                  g.placement_kind = in.kind;
                  g.placement_name = name;
                  g.placement_contact = contact;
                  g.placement_phone = phone;
                  g.placement_address = address;
                  g.placed_at = placed_at;
                  g.limit_at = placed_at + config_.limit_days * kDayMs;
                  TH_RETURN_IF_ERROR(OpenPlacementCheck(c, g, placed_at));
                  return work::Open(deps_.work.get(), c, ItemOf(g, "guardianship_limit", "临时监护期满处置", StartFor(*g.limit_at)))
                      .status();
                });
}

Result<GuardianshipView> GuardianshipService::RecordCheck(const Principal& who, std::int64_t id,
                                                          const PlacementCheckInput& in, std::int64_t version) {
  if (!who.Can(perm::kGuardianshipWrite)) return Status::Forbidden();  // before the body's checks
  if (!domain::GuardianshipConfig::Find(config_.child_states, in.child_state)) {
    return in.child_state.empty() ? Status::Required("child_state") : Status::InvalidEnum("child_state", in.child_state);
  }
  TH_ASSIGN_OR_RETURN(std::string notes, text::CleanText(in.notes, "notes", text::kLongText));
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int64_t at = in.checked_at > 0 ? in.checked_at : now;
  TH_RETURN_IF_ERROR(CheckTime(at, now, "checked_at"));
  return Change(who, id, version, perm::kGuardianshipWrite, {"placed"}, "check", notes,
                [&](storage::Connection& c, repo::GuardianshipRecord& g) -> Status {
                  // A check dated by day (a date picker's midnight) on the placement's day counts.
                  const std::int64_t placed_day = *g.placed_at - (*g.placed_at + 8 * 3600 * 1000LL) % kDayMs;
                  if (at < placed_day) {
                    return Status::Invalid("checked_at", "before_placement", "回访日期早于安置日期",
                                           "The check is dated before the placement");
                  }
                  repo::PlacementCheckRecord r{0, g.id, at, who.user_id, in.child_state, notes, now, ""};
                  TH_RETURN_IF_ERROR(repo::GuardianshipRepo(c).AddCheck(r));
                  return OpenPlacementCheck(c, g, std::max(at, *g.placed_at));
                });
}

Result<GuardianshipView> GuardianshipService::LinkReturnAssessment(const Principal& who, std::int64_t id,
                                                                   std::int64_t assessment_id, std::int64_t version) {
  if (!who.Can(perm::kGuardianshipWrite)) return Status::Forbidden();  // before the body's checks
  return Change(who, id, version, perm::kGuardianshipWrite, {"placed"}, "return_assessment",
                "#" + std::to_string(assessment_id), [&](storage::Connection& c, repo::GuardianshipRecord& g) -> Status {
                  auto a = cases_.AssessmentIn(c, assessment_id);
                  if (!a.ok() && a.status().code() != Code::kNotFound) return a.status();
                  if (!a.ok() || a->child_id != g.child_id || a->kind != config_.return_kind ||
                      a->status != "completed") {
                    return Status::Invalid("assessment_id", "invalid_assessment",
                                           "须为该儿童已完成的家庭监护能力评估",
                                           "Must be a completed guardianship assessment of this child");
                  }
                  g.return_assessment_id = assessment_id;
                  return Status::Ok();
                });
}

Result<GuardianshipView> GuardianshipService::Return(const Principal& who, std::int64_t id, const std::string& note_in,
                                                     std::int64_t version) {
  if (!who.Can(perm::kGuardianshipWrite)) return Status::Forbidden();  // before the body's checks
  TH_ASSIGN_OR_RETURN(std::string note, text::CleanText(note_in, "note", text::kLongText));
  return Change(who, id, version, perm::kGuardianshipWrite, {"placed"}, "return", note,
                [&](storage::Connection& c, repo::GuardianshipRecord& g) -> Status {
                  TH_ASSIGN_OR_RETURN(auto facts, ReturnFacts(c, g));
                  if (!facts || !facts->completed_at || !g.placed_at || *facts->completed_at < *g.placed_at) {
                    return Conflict("return_assessment_required",
                                    "返回家庭前须完成安置后的家庭监护能力评估并关联到本干预",
                                    "A guardianship assessment completed since the placement must be linked before "
                                    "the child returns home",
                                    "return_assessment_id");
                  }
                  if (facts->superseded_by) {
                    const std::string later = "#" + std::to_string(*facts->superseded_by);
                    return Conflict("return_assessment_superseded",
                                    "该儿童已有更新的家庭监护能力评估 " + later + "，请关联最新的评估",
                                    "The child has a later guardianship assessment " + later + "; link the latest one",
                                    "return_assessment_id");
                  }
                  if (!facts->passes) {
                    return Conflict("return_assessment_failed",
                                    "家庭监护能力评估未通过(等级 " + facts->grade + ")，不能返回家庭",
                                    "The guardianship assessment did not pass (grade " + facts->grade +
                                        "): the child cannot return home",
                                    "return_assessment_id");
                  }
                  g.status = "returned";
                  g.returned_at = g.ended_at = deps_.clock.NowMillis();
                  g.end_kind = "returned";
                  g.end_note = note;
                  return work::Close(deps_.work.get(), c, kSubject, g.id, "");
                });
}

Result<GuardianshipView> GuardianshipService::Convert(const Principal& who, std::int64_t id,
                                                      const std::vector<std::string>& grounds,
                                                      const std::string& note_in, std::int64_t version) {
  if (!who.Can(perm::kGuardianshipApprove)) return Status::Forbidden();  // before the body's checks
  TH_RETURN_IF_ERROR(CheckGrounds("long_term", grounds));
  TH_ASSIGN_OR_RETURN(std::string note, text::CleanRequiredText(note_in, "note", text::kLongText));
  return Change(who, id, version, perm::kGuardianshipApprove, {"placed"}, "convert", note,
                [&](storage::Connection& c, repo::GuardianshipRecord& g) -> Status {
                  g.kind = "long_term";
                  g.grounds.clear();
                  for (const auto& code : grounds) g.grounds += (g.grounds.empty() ? "" : ",") + code;
                  g.converted_at = deps_.clock.NowMillis();
                  TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kSubject, g.id, ""));
                  return Activate(c, who, g);
                });
}

Result<GuardianshipView> GuardianshipService::End(const Principal& who, std::int64_t id, const std::string& end_kind,
                                                  std::int64_t ended_at, const std::string& note_in,
                                                  std::int64_t version) {
  if (!who.Can(perm::kGuardianshipApprove)) return Status::Forbidden();  // before the body's checks
  if (end_kind != "adopted" && end_kind != "ended") {
    return end_kind.empty() ? Status::Required("end_kind") : Status::InvalidEnum("end_kind", end_kind);
  }
  TH_ASSIGN_OR_RETURN(std::string note, text::CleanRequiredText(note_in, "note", text::kLongText));
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int64_t at = ended_at > 0 ? ended_at : now;
  TH_RETURN_IF_ERROR(CheckTime(at, now, "ended_at"));
  return Change(who, id, version, perm::kGuardianshipApprove, {"active", "approved"},
                end_kind == "adopted" ? "adopt" : "end", note,
                [&](storage::Connection& c, repo::GuardianshipRecord& g) -> Status {
                  // Adoption ends a long-term guardianship only; an approved one was never placed.
                  if (g.status == "approved" && end_kind == "adopted") return Status::InvalidState(g.status);
                  const std::int64_t start = g.converted_at.value_or(g.decided_at.value_or(g.proposed_at));
                  if (at < start - (start + 8 * 3600 * 1000LL) % kDayMs) {  // by day (a date picker's midnight)
                    return Status::Invalid("ended_at", "before_start", "结束日期早于监护开始日期",
                                           "The end is dated before the guardianship began");
                  }
                  const bool long_term = g.status == "active";
                  g.status = end_kind;
                  g.ended_at = at;
                  g.end_kind = end_kind;
                  g.end_note = note;
                  TH_RETURN_IF_ERROR(work::Close(deps_.work.get(), c, kSubject, g.id, ""));
                  if (!long_term) return Status::Ok();
                  return children_.SetCategoryOverrideIn(c, who, g.child_id, "fallback_guardianship", std::nullopt,
                                                         "");
                });
}

}  // namespace th::service
