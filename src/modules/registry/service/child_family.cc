// ChildService: family members and the guardian.
#include "modules/registry/service/child_service_internal.h"

namespace th::service {

using namespace child_internal;  // NOLINT: this file is part of the registry service

Result<ChildFile> ChildService::AddMember(const Principal& who, std::int64_t id, const MemberInput& in,
                                          std::int64_t version, const std::string& reason) {
  return Mutate(who, id, version, "child.family_add",
                [&](storage::Connection& c, ChildRecord& r, std::vector<MemberRecord>& members) {
                  MemberRecord m;
                  m.child_id = r.id;
                  m.position = members.empty() ? 0 : members.back().position + 1;
                  TH_RETURN_IF_ERROR(FillMember(deps_.keys, in, true, 0, m, Today()));
                  return repo::ChildRepo(c).InsertMember(m);
                },
                reason);
}

Result<ChildFile> ChildService::UpdateMember(const Principal& who, std::int64_t id, std::int64_t member_id,
                                             const MemberInput& in, std::int64_t version,
                                             const std::string& reason) {
  return Mutate(who, id, version, "child.family_update",
                [&](storage::Connection& c, ChildRecord&, std::vector<MemberRecord>& members) {
                  for (auto& m : members) {
                    if (m.id != member_id) continue;
                    TH_RETURN_IF_ERROR(FillMember(deps_.keys, in, false, 0, m, Today()));
                    return repo::ChildRepo(c).UpdateMember(m);
                  }
                  return Status::NotFound("member_id");
                },
                reason);
}

Result<ChildFile> ChildService::RemoveMember(const Principal& who, std::int64_t id, std::int64_t member_id,
                                             std::int64_t version, const std::string& reason) {
  return Mutate(who, id, version, "child.family_remove",
                [&](storage::Connection& c, ChildRecord& r, std::vector<MemberRecord>&) {
                  if (r.guardian_member_id && *r.guardian_member_id == member_id) r.guardian_member_id.reset();
                  return repo::ChildRepo(c).DeleteMember(r.id, member_id);
                },
                reason);
}

// Long: the guardian is either a family member or typed in; both paths validate, seal and audit in one transaction.
Result<ChildFile> ChildService::SetGuardian(const Principal& who, std::int64_t id, const std::optional<GuardianInput>& g,
                                            std::int64_t version, const std::string& reason) {
  return Mutate(who, id, version, "child.guardian_set",
                [&](storage::Connection&, ChildRecord& r, std::vector<MemberRecord>& members) -> Status {
                  // An edit that leaves out the phone or ID number keeps the stored (encrypted) one as long
                  // as it is still the same guardian: the client only ever sees masked copies.
                  const ChildRecord before = r;
                  r.guardian_name.clear();
                  r.guardian_relation = "other";
                  r.guardian_relation_note.clear();
                  r.guardian_member_id.reset();
                  r.guardian_phone_enc.clear();
                  r.guardian_phone_bidx.clear();
                  r.guardian_phone_masked.clear();
                  r.guardian_id_enc.clear();
                  r.guardian_id_masked.clear();
                  r.guardian_agreement_date = 0;
                  if (!g) return Status::Ok();
                  TH_RETURN_IF_ERROR(CheckText(g->name, "guardian.name", text::kPersonName));
                  r.guardian_name = g->name;
                  if (!g->relation.empty()) {
                    TH_ASSIGN_OR_RETURN(r.guardian_relation, EnumCode<domain::Relation>(g->relation, "guardian.relation"));
                  }
                  TH_RETURN_IF_ERROR(CheckText(g->relation_note, "guardian.relation_note", text::kShortText));
                  r.guardian_relation_note = g->relation_note;
                  if (g->member_id) {
                    bool found = false;
                    for (const auto& m : members) {
                      if (m.id == *g->member_id) {
                        found = true;
                        if (r.guardian_name.empty()) r.guardian_name = m.name;
                        if (g->relation.empty()) r.guardian_relation = m.relation;
                      }
                    }
                    if (!found) return Bad("guardian.member_id", "invalid_member", "该家庭成员不存在", "No such family member");
                    r.guardian_member_id = g->member_id;
                  }
                  if (r.guardian_name.empty()) {
                    return Bad("guardian.name", "required", "缺少监护人姓名", "Guardian name is required");
                  }
                  TH_ASSIGN_OR_RETURN(std::string phone, CleanPhone(g->phone, "guardian.phone"));
                  if (!phone.empty()) {
                    r.guardian_phone_enc = deps_.keys.Encrypt(phone, kCtxGuardianPhone);
                    r.guardian_phone_bidx = deps_.keys.BlindIndex(phone, kIdxPhone);
                    r.guardian_phone_masked = domain::MaskPhone(phone);
                  }
                  if (!g->id_number.empty()) {
                    auto gid = domain::ParseIdNumber(g->id_number, Today());
                    if (!gid.ok()) {
                      return Bad("guardian.id_number", gid.status().error_code(), gid.status().message_zh(),
                                 gid.status().message_en());
                    }
                    r.guardian_id_enc = deps_.keys.Encrypt(gid->normalized, kCtxGuardianId);
                    r.guardian_id_masked = domain::MaskIdNumber(gid->normalized);
                  }
                  TH_ASSIGN_OR_RETURN(r.guardian_agreement_date,
                                      DateField(g->agreement_date, "guardian.agreement_date", false, Today()));
                  const bool same_person = r.guardian_name == before.guardian_name &&
                                           r.guardian_member_id == before.guardian_member_id;
                  if (same_person && !g->phone_present) {
                    r.guardian_phone_enc = before.guardian_phone_enc;
                    r.guardian_phone_bidx = before.guardian_phone_bidx;
                    r.guardian_phone_masked = before.guardian_phone_masked;
                  }
                  if (same_person && !g->id_number_present) {
                    r.guardian_id_enc = before.guardian_id_enc;
                    r.guardian_id_masked = before.guardian_id_masked;
                  }
                  return Status::Ok();
                },
                reason);
}

}  // namespace th::service
