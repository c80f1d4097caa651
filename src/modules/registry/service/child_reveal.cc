// ChildService: revealing identifiers (with a purpose, audited), history, category overrides, duplicate checks.
#include "modules/registry/service/child_service_internal.h"

namespace th::service {

using namespace child_internal;  // NOLINT: this file is part of the registry service

Result<std::string> ChildService::Reveal(const Principal& who, std::int64_t id, const std::string& target,
                                         std::optional<std::int64_t> member_id, const std::string& field,
                                         const std::string& purpose) {
  auto source = reveal_sources_.find(target);
  const RevealSource* src = source == reveal_sources_.end() ? nullptr : &source->second;
  TH_RETURN_IF_ERROR(Need(who, src ? src->permission.c_str() : perm::kChildReveal));
  auto cps = text::DecodeUtf8(purpose);
  if (cps.size() < 2 || cps.size() > 200) {
    return Bad("purpose", "purpose_required", "查看完整信息须说明用途(2-200字)",
               "State the purpose (2-200 characters) to show the full value");
  }
  TH_RETURN_IF_ERROR(CheckText(purpose, "purpose", text::kLineText));
  if (field != "id_number" && field != "phone") {
    return Bad("field", "invalid_enum", "field 应为 id_number 或 phone", "field must be id_number or phone");
  }
  std::string value;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id));
    std::string sealed, ctx, label;
    if (src) {  // another module's identifier about the child, kept by that module
      if (!member_id) return Bad("ref_id", "required", "缺少记录编号", "ref_id is required");
      TH_ASSIGN_OR_RETURN(value, src->value(c, who, r, *member_id, field));
      if (value.empty()) return Bad("field", "no_value", "该字段没有登记内容", "Nothing is recorded in this field");
      label = target + "." + std::to_string(*member_id) + "." + field;
    } else if (target.empty() || target == "child") {
      if (field != "id_number") return Bad("field", "invalid_enum", "儿童本人没有电话字段", "A child has no phone field");
      sealed = r.id_enc;
      ctx = kCtxChildId;
      label = "id_number";
    } else if (target == "guardian") {
      sealed = field == "phone" ? r.guardian_phone_enc : r.guardian_id_enc;
      ctx = field == "phone" ? kCtxGuardianPhone : kCtxGuardianId;
      label = "guardian." + field;
    } else if (target == "member") {
      if (!member_id) return Bad("member_id", "required", "缺少家庭成员编号", "member_id is required");
      TH_ASSIGN_OR_RETURN(auto members, repo::ChildRepo(c).Members(id));
      bool found = false;
      for (const auto& m : members) {
        if (m.id == *member_id) {
          found = true;
          sealed = field == "phone" ? m.phone_enc : m.id_enc;
        }
      }
      if (!found) return Status::NotFound("member_id");
      ctx = field == "phone" ? kCtxMemberPhone : kCtxMemberId;
      label = "family." + std::to_string(*member_id) + "." + field;
    } else {
      return Bad("target", "invalid_enum", "target 应为 child、guardian 或 member", "target must be child, guardian or member");
    }
    if (!src) {
      if (sealed.empty()) return Bad("field", "no_value", "该字段没有登记内容", "Nothing is recorded in this field");
      TH_ASSIGN_OR_RETURN(value, deps_.keys.Decrypt(sealed, ctx));
    }
    TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"child.reveal", "child", std::to_string(id), unit.path, "",
                       JsonObjectWriter().Str("field", label).Finish(), purpose});
  }));
  return value;
}

Result<std::vector<repo::AuditEntry>> ChildService::History(const Principal& who, std::int64_t id,
                                                            const repo::Page& page, std::int64_t* total) {
  TH_RETURN_IF_ERROR(Need(who, perm::kChildRead));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_RETURN_IF_ERROR(LoadScoped(*h, who, id).status());
  return repo::ChildRepo(*h).History(id, page, total);
}

Result<ChildFile> ChildService::SetOverride(const Principal& who, std::int64_t id, const std::string& category,
                                            std::optional<bool> met, const std::string& reason,
                                            std::int64_t version) {
  if (!config_.Find(category)) {
    return Bad("category", "invalid_enum", "类别无效: " + category, "Unknown category: " + category);
  }
  if (met && text::DecodeUtf8(reason).size() < 2) {
    return Bad("reason", "required", "人工认定须说明理由", "An override needs a reason");
  }
  TH_RETURN_IF_ERROR(CheckText(reason, "reason", text::kLongText));
  return Mutate(who, id, version, "child.category_override",
                [&](storage::Connection& c, ChildRecord& r, std::vector<MemberRecord>&) -> Status {
                  repo::ChildRepo repo(c);
                  TH_ASSIGN_OR_RETURN(auto rows, repo.Categories(r.id));
                  bool found = false;
                  for (auto& k : rows) {
                    if (k.code != category) continue;
                    found = true;
                    k.override_met = met;
                    k.override_reason = met ? reason : "";
                    k.override_by = met ? std::optional<std::int64_t>(who.user_id) : std::nullopt;
                    k.override_at = met ? std::optional<std::int64_t>(deps_.clock.NowMillis()) : std::nullopt;
                  }
                  if (!found && met) {
                    repo::CategoryRecord k;
                    k.child_id = r.id;
                    k.code = category;
                    k.override_met = met;
                    k.override_reason = reason;
                    k.override_by = who.user_id;
                    k.override_at = deps_.clock.NowMillis();
                    rows.push_back(k);
                  }
                  // Rederive (run by Mutate next) keeps these overrides and recomputes `met`.
                  return repo.ReplaceCategories(r.id, rows);
                });
}

Status ChildService::SetCategoryOverrideIn(storage::Connection& c, const Principal& who, std::int64_t child_id,
                                           const std::string& category, std::optional<bool> met,
                                           const std::string& reason) {
  if (!config_.Find(category)) {
    return Bad("category", "invalid_enum", "类别无效: " + category, "Unknown category: " + category);
  }
  repo::ChildRepo repo(c);
  TH_ASSIGN_OR_RETURN(ChildRecord r, LoadRecord(c, child_id));
  TH_ASSIGN_OR_RETURN(auto rows, repo.Categories(r.id));
  const std::int64_t now = deps_.clock.NowMillis();
  bool found = false;
  for (auto& k : rows) {
    if (k.code != category) continue;
    found = true;
    k.override_met = met;
    k.override_reason = met ? reason : "";
    k.override_by = met ? std::optional<std::int64_t>(who.user_id) : std::nullopt;
    k.override_at = met ? std::optional<std::int64_t>(now) : std::nullopt;
  }
  if (!found && met) {
    repo::CategoryRecord k;
    k.child_id = r.id;
    k.code = category;
    k.override_met = met;
    k.override_reason = reason;
    k.override_by = who.user_id;
    k.override_at = now;
    rows.push_back(k);
  }
  TH_RETURN_IF_ERROR(repo.ReplaceCategories(r.id, rows));
  TH_ASSIGN_OR_RETURN(auto members, repo.Members(r.id));
  const std::string before = r.categories;
  TH_RETURN_IF_ERROR(Rederive(c, r, members, false, nullptr));
  r.updated_at = now;
  TH_RETURN_IF_ERROR(repo.Update(r));
  const std::string m = met ? (*met ? "true" : "false") : "null";
  return WriteAudit(c, deps_.clock, &who, who.client_ip,
                    {"child.category_override", "child", std::to_string(r.id), r.community_path,
                     "{\"categories\":\"" + before + "\"}",
                     "{\"category\":\"" + category + "\",\"met\":" + m + ",\"categories\":\"" + r.categories + "\"}",
                     reason});
}

Result<DuplicateResult> ChildService::Duplicates(const Principal& who, const std::string& id_number,
                                                 const std::string& name, const std::string& birth_date,
                                                 const std::string& guardian_name) {
  TH_RETURN_IF_ERROR(Need(who, perm::kChildRead));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  TH_ASSIGN_OR_RETURN(auto scope, ScopeOf(*h, who));
  repo::ChildRepo repo(*h);
  DuplicateResult out;
  std::set<std::int64_t> seen;
  auto add = [&](ChildRecord r, const std::string& match) {
    if (!seen.insert(r.id).second) return;
    if (scope.column == "city" || InScope(scope, r)) {
      out.items.push_back({std::move(r), match});
    } else {
      ++out.outside_jurisdiction;
    }
  };
  if (!id_number.empty()) {
    TH_ASSIGN_OR_RETURN(auto id, domain::ParseIdNumber(id_number));
    TH_ASSIGN_OR_RETURN(auto rows, repo.FindByIdBidx(deps_.keys.BlindIndex(id.normalized, kIdxId)));
    for (auto& r : rows) add(std::move(r), "id_number");
  }
  if (!name.empty() && !birth_date.empty()) {
    TH_ASSIGN_OR_RETURN(std::int32_t bd, DateField(birth_date, "birth_date", true, Today()));
    TH_ASSIGN_OR_RETURN(auto rows, repo.FindByNameBirth(name, bd));
    for (auto& r : rows) {
      bool g = !guardian_name.empty() && r.guardian_name == guardian_name;
      add(std::move(r), g ? "name_birth_date_guardian" : "name_birth_date");
    }
  } else if (id_number.empty()) {
    return Bad("id_number", "required", "请提供身份证号，或姓名和出生日期", "Give id_number, or name and birth_date");
  }
  return out;
}

}  // namespace th::service
