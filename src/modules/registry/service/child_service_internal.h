#pragma once
// Helpers shared by the registry service's files (child_service.cc, child_family.cc,
// child_reveal.cc, child_roll.cc, child_refresh.cc): validation of typed input, audit
// snapshots, the category rules' view of a file, search tokens. Internal to th_registry_service.

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "modules/registry/service/child_service.h"
#include "base/json_writer.h"
#include "domain/id_number.h"
#include "platform/repo/jurisdiction_repo.h"
#include "platform/repo/org_repo.h"
#include "platform/repo/user_repo.h"
#include "text/field.h"
#include "text/normalize.h"
#include "text/pinyin.h"
#include "text/utf8.h"
#include "modules/registry/permissions.h"

namespace th::service::child_internal {

using domain::Date;
using repo::ChildRecord;
using repo::MemberRecord;

// Encryption contexts and blind-index contexts. Blind indexes use the same context as users'
// phones ("phone") and one for ID numbers, so the same keys serve matching across modules.
inline constexpr const char* kCtxChildId = "child.id_number";
inline constexpr const char* kCtxGuardianPhone = "child.guardian_phone";
inline constexpr const char* kCtxGuardianId = "child.guardian_id_number";
inline constexpr const char* kCtxMemberId = "child.member_id_number";
inline constexpr const char* kCtxMemberPhone = "child.member_phone";
inline constexpr const char* kIdxId = "id_number";
inline constexpr const char* kIdxPhone = "phone";

struct AssistName {
  const char* code;
  std::uint32_t bit;
};
inline constexpr AssistName kAssist[] = {{"dibao", domain::kAssistDibao},
                                  {"tekun", domain::kAssistTekun},
                                  {"low_income", domain::kAssistLowIncome},
                                  {"temporary", domain::kAssistTemporary},
                                  {"medical", domain::kAssistMedical}};

inline Status Bad(const std::string& field, const std::string& code, const std::string& zh, const std::string& en) {
  return Status::Invalid(field, code, zh, en);
}

inline Status Need(const Principal& who, const char* perm) { return who.Can(perm) ? Status::Ok() : Status::Forbidden(); }

template <typename E>
Result<std::string> EnumCode(const std::string& text, const std::string& field) {
  E v{};
  if (!domain::ParseEnum(text, &v)) {
    return Status::InvalidEnum(field, text);
  }
  return std::string(domain::CodeOf(v));
}

template <typename E>
E EnumOf(const std::string& code) {
  E v{};
  domain::ParseEnum(code, &v);
  return v;
}

// A date typed by a person: parsed, then plausible (1900-01-01 .. today; see domain/date.h).
inline Result<std::int32_t> DateField(const std::string& text, const std::string& field, bool required, std::int32_t today) {
  if (text.empty()) {
    if (required) return Status::Required(field);
    return 0;
  }
  auto d = domain::ParseDate(text, field);
  if (!d.ok()) return d.status();
  TH_ASSIGN_OR_RETURN(Date latest, domain::DateFromYyyymmdd(today));
  TH_RETURN_IF_ERROR(domain::CheckPlausibleDate(*d, latest, field));
  return d->ToYyyymmdd();
}

inline Date DateOf(std::int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return Date{};
  auto d = domain::DateFromYyyymmdd(yyyymmdd);
  return d.ok() ? *d : Date{};
}

// Every text field goes through the shared validator (text/field.h; limits in docs/API.md).
inline Status CheckText(const std::string& v, const std::string& field, text::TextRule rule) {
  return text::CheckText(v, field, rule);
}

inline Result<std::string> CleanPhone(const std::string& raw, const std::string& field) {
  if (raw.empty()) return std::string();
  std::string p = text::CleanIdLike(raw);
  if (p.find('X') != std::string::npos || p.size() < 7 || p.size() > 12) {
    return Bad(field, "invalid_phone", "电话号码无效", "Invalid phone number");
  }
  return p;
}

inline std::string JoinCodes(const std::vector<std::string>& codes) {
  if (codes.empty()) return "";
  std::string s = ",";
  for (const auto& c : codes) s += c + ",";
  return s;
}

// Flat display snapshot of a file (identifiers masked) for audit before/after diffs.
inline std::map<std::string, std::string> Snapshot(const ChildRecord& r, const std::vector<MemberRecord>& members) {
  std::map<std::string, std::string> m;
  m["name"] = r.name;
  m["former_names"] = r.former_names;
  m["sex"] = r.sex;
  m["ethnicity"] = r.ethnicity;
  m["birth_date"] = DateOf(r.birth_date).ToString();
  m["id_number"] = r.id_masked;
  m["no_id_reason"] = r.no_id_reason;
  m["hukou_registered"] = r.hukou_registered ? "true" : "false";
  m["hukou_region_code"] = r.hukou_region_code;
  m["hukou_nature"] = r.hukou_nature;
  m["hukou_address"] = r.hukou_address;
  m["community_id"] = std::to_string(r.community_id);
  m["grid_id"] = r.grid_id ? std::to_string(*r.grid_id) : "";
  m["residence_address"] = r.residence_address;
  m["resident_since"] = DateOf(r.resident_since).ToString();
  m["school_name"] = r.school_name;
  m["school_stage"] = r.school_stage;
  m["boarding"] = r.boarding ? "true" : "false";
  m["health"] = r.health;
  m["disability_type"] = r.disability_type;
  m["disability_grade"] = std::to_string(r.disability_grade);
  m["illness"] = r.illness;
  m["flow_status"] = r.flow_status;
  m["assistance"] = std::to_string(r.assistance);
  m["parents_not_findable"] = r.parents_not_findable ? "true" : "false";
  m["director_user_id"] = r.director_user_id ? std::to_string(*r.director_user_id) : "";
  m["notes"] = r.notes;
  m["guardian.name"] = r.guardian_name;
  m["guardian.relation"] = r.guardian_relation;
  m["guardian.relation_note"] = r.guardian_relation_note;
  m["guardian.member_id"] = r.guardian_member_id ? std::to_string(*r.guardian_member_id) : "";
  m["guardian.phone"] = r.guardian_phone_masked;
  m["guardian.id_number"] = r.guardian_id_masked;
  m["guardian.agreement_date"] = DateOf(r.guardian_agreement_date).ToString();
  m["categories"] = r.categories;
  m["roll_status"] = r.roll_status;
  m["roll_categories"] = r.roll_categories;
  for (const MemberRecord& f : members) {
    std::string k = "family." + std::to_string(f.id) + ".";
    m[k + "relation"] = f.relation;
    m[k + "name"] = f.name;
    m[k + "id_number"] = f.id_masked;
    m[k + "phone"] = f.phone_masked;
    m[k + "state"] = f.state;
    m[k + "state_since"] = DateOf(f.state_since).ToString();
    m[k + "restriction_months"] = std::to_string(f.restriction_months);
    m[k + "disability"] = f.disability_type + "/" + std::to_string(f.disability_grade);
    m[k + "illness"] = f.illness;
    m[k + "work_city"] = f.work_city;
    m[k + "works_outside"] = f.works_outside;
    m[k + "lives_with_child"] = f.lives_with_child ? "true" : "false";
  }
  return m;
}

// Changed keys only: {"before":{...},"after":{...}}; a key absent on one side is "".
inline void Diff(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b,
          std::string* before, std::string* after) {
  JsonObjectWriter wb, wa;
  std::set<std::string> keys;
  for (const auto& kv : a) keys.insert(kv.first);
  for (const auto& kv : b) keys.insert(kv.first);
  for (const auto& k : keys) {
    auto ia = a.find(k);
    auto ib = b.find(k);
    std::string va = ia == a.end() ? "" : ia->second;
    std::string vb = ib == b.end() ? "" : ib->second;
    if (va == vb) continue;
    wb.Str(k, va);
    wa.Str(k, vb);
  }
  *before = wb.Finish();
  *after = wa.Finish();
}

inline std::string SnapshotJson(const std::map<std::string, std::string>& m) {
  JsonObjectWriter w;
  for (const auto& kv : m) {
    if (!kv.second.empty()) w.Str(kv.first, kv.second);
  }
  return w.Finish();
}

// The domain view used by the category rules.
inline domain::Child ToDomain(const ChildRecord& r, const std::vector<MemberRecord>& members) {
  domain::Child d;
  d.name = r.name;
  d.sex = EnumOf<domain::Sex>(r.sex);
  d.birth_date = DateOf(r.birth_date);
  d.hukou_registered = r.hukou_registered;
  d.hukou_region_code = r.hukou_region_code;
  d.hukou_nature = EnumOf<domain::HukouNature>(r.hukou_nature);
  d.residence_region_code = r.community_code;
  d.resident_since = DateOf(r.resident_since);
  d.school_stage = EnumOf<domain::SchoolStage>(r.school_stage);
  d.boarding = r.boarding;
  d.health = EnumOf<domain::HealthStatus>(r.health);
  d.disability_type = EnumOf<domain::DisabilityType>(r.disability_type);
  d.disability_grade = static_cast<std::uint8_t>(r.disability_grade);
  d.flow_status = EnumOf<domain::FlowStatus>(r.flow_status);
  d.assistance = static_cast<std::uint32_t>(r.assistance);
  d.parents_not_findable = r.parents_not_findable;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const MemberRecord& m = members[i];
    domain::FamilyMember f;
    f.member_id = std::to_string(m.id);
    f.relation = EnumOf<domain::Relation>(m.relation);
    f.name = m.name;
    f.state = EnumOf<domain::MemberState>(m.state);
    f.state_since = DateOf(m.state_since);
    f.restriction_months = static_cast<std::int16_t>(m.restriction_months);
    f.disability_type = EnumOf<domain::DisabilityType>(m.disability_type);
    f.disability_grade = static_cast<std::uint8_t>(m.disability_grade);
    f.illness = m.illness;
    f.work_city = m.work_city;
    f.work_region_code = m.work_region_code;
    f.works_outside_hukou_county = m.works_outside == "yes"  ? domain::TriState::kYes
                                   : m.works_outside == "no" ? domain::TriState::kNo
                                                             : domain::TriState::kUnknown;
    f.lives_with_child = m.lives_with_child;
    d.family.push_back(std::move(f));
    if (r.guardian_member_id && *r.guardian_member_id == m.id) d.guardian.member_index = static_cast<int>(i);
  }
  d.guardian.name = r.guardian_name;
  d.guardian.relation = EnumOf<domain::Relation>(r.guardian_relation);
  d.guardian.relation_note = r.guardian_relation_note;
  d.guardian.agreement_date = DateOf(r.guardian_agreement_date);
  return d;
}

inline void AddToken(std::vector<std::string>* out, std::string t) {
  if (!t.empty()) out->push_back(std::move(t));
}

// Which keys a name gets; every key is found by each of its prefixes as it is typed (a search
// looks tokens up exactly, so the prefixes are tokens themselves: see QueryTokens).
enum class NameKeys {
  kWhole,     // family members: the whole cleaned name (and its prefixes if it is Latin letters)
  kGuardian,  // the guardian: also Han unigrams and bigrams (张建国: 张, 建, 国, 张建, 建国)
  kChild,     // the child's names: also leading parts of 4+ characters and pinyin (PinyinSearchKeys)
};

inline bool IsLatinKey(const std::string& t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
}

inline void NameTokens(const std::string& name, NameKeys keys, std::vector<std::string>* out) {
  std::string clean = text::CleanName(name);
  if (clean.empty()) return;
  if (IsLatinKey(clean)) text::AppendPrefixes(clean, out);
  out->push_back(clean);
  if (keys == NameKeys::kWhole) return;
  for (auto& g : text::HanNgrams(clean)) AddToken(out, std::move(g));
  if (keys == NameKeys::kGuardian) return;
  for (auto& p : text::HanPrefixes(clean)) AddToken(out, std::move(p));
  for (auto& k : text::PinyinSearchKeys(clean, 4)) AddToken(out, std::move(k));
}

inline std::vector<std::string> BuildTokens(const security::KeyRing& keys, const ChildRecord& r,
                                     const std::vector<MemberRecord>& members, const std::string& plain_id) {
  std::vector<std::string> t;
  NameTokens(r.name, NameKeys::kChild, &t);
  std::size_t start = 0;
  while (start < r.former_names.size()) {
    std::size_t end = r.former_names.find('\n', start);
    if (end == std::string::npos) end = r.former_names.size();
    NameTokens(r.former_names.substr(start, end - start), NameKeys::kChild, &t);
    start = end + 1;
  }
  if (!plain_id.empty()) {
    if (plain_id.size() >= 4) t.push_back(plain_id.substr(plain_id.size() - 4));
    if (plain_id.size() >= 6) t.push_back(plain_id.substr(plain_id.size() - 6));
    t.push_back(keys.BlindIndex(plain_id, kIdxId));
  }
  NameTokens(r.guardian_name, NameKeys::kGuardian, &t);
  AddToken(&t, r.guardian_phone_bidx);
  for (const MemberRecord& m : members) {
    NameTokens(m.name, NameKeys::kWhole, &t);
    AddToken(&t, m.phone_bidx);
  }
  std::sort(t.begin(), t.end());
  t.erase(std::unique(t.begin(), t.end()), t.end());
  return t;
}

// Query words -> tokens. An ID number (15/18) becomes its blind index, an 11-digit number a
// phone blind index; anything else its cleaned form.
inline std::vector<std::string> QueryTokens(const security::KeyRing& keys, const std::string& q) {
  std::vector<std::string> out;
  std::size_t i = 0;
  std::string s = text::Nfkc(q);
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == ',' || s[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != ',' && s[j] != '\t') ++j;
    if (j > i) {
      std::string w = s.substr(i, j - i);
      std::string idlike = text::CleanIdLike(w);
      bool numeric = !idlike.empty() && idlike.size() * 1 >= w.size();
      if (numeric && (idlike.size() == 15 || idlike.size() == 18)) {
        auto id = domain::ParseIdNumber(idlike);
        out.push_back(id.ok() ? keys.BlindIndex(id->normalized, kIdxId) : idlike);
      } else if (numeric && idlike.size() == 11 && idlike.find('X') == std::string::npos) {
        out.push_back(keys.BlindIndex(idlike, kIdxPhone));
      } else if (numeric) {
        out.push_back(idlike);
      } else {
        // A word is looked up as one token, and the tokens hold every prefix a name is typed
        // as (NameTokens): whole names, the child's names in parts and pinyin with initials,
        // the guardian's name in parts.
        std::string clean = text::CleanName(w);
        if (!clean.empty()) out.push_back(clean);
      }
    }
    i = j;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  if (out.size() > 8) out.resize(8);
  return out;
}

inline Status FillMember(const security::KeyRing& keys, const MemberInput& in, bool create, int index, MemberRecord& m,
                  std::int32_t today) {
  std::string f = "family[" + std::to_string(index) + "].";
  if (create || in.Has("relation")) {
    if (in.relation.empty()) return Bad(f + "relation", "required", "缺少家庭成员关系", "Relation is required");
    TH_ASSIGN_OR_RETURN(m.relation, EnumCode<domain::Relation>(in.relation, f + "relation"));
  }
  if (create || in.Has("name")) {
    TH_RETURN_IF_ERROR(CheckText(in.name, f + "name", text::kPersonName));
    m.name = in.name;
  }
  if (in.Has("id_number")) {
    if (in.id_number.empty()) {
      m.id_enc.clear();
      m.id_bidx.clear();
      m.id_masked.clear();
    } else {
      auto id = domain::ParseIdNumber(in.id_number, today);
      if (!id.ok()) {
        Status s = id.status();
        return Bad(f + "id_number", s.error_code(), s.message_zh(), s.message_en());
      }
      m.id_enc = keys.Encrypt(id->normalized, kCtxMemberId);
      m.id_bidx = keys.BlindIndex(id->normalized, kIdxId);
      m.id_masked = domain::MaskIdNumber(id->normalized);
    }
  }
  if (in.Has("phone")) {
    TH_ASSIGN_OR_RETURN(std::string p, CleanPhone(in.phone, f + "phone"));
    m.phone_enc = p.empty() ? "" : keys.Encrypt(p, kCtxMemberPhone);
    m.phone_bidx = p.empty() ? "" : keys.BlindIndex(p, kIdxPhone);
    m.phone_masked = p.empty() ? "" : domain::MaskPhone(p);
  }
  if (in.Has("state")) { TH_ASSIGN_OR_RETURN(m.state, EnumCode<domain::MemberState>(in.state, f + "state")); }
  if (in.Has("state_since")) { TH_ASSIGN_OR_RETURN(m.state_since, DateField(in.state_since, f + "state_since", false, today)); }
  if (in.Has("restriction_months")) {
    if (in.restriction_months < 0 || in.restriction_months > 1200) {
      return Bad(f + "restriction_months", "out_of_range", "刑期/期限月数无效", "Invalid restriction_months");
    }
    m.restriction_months = in.restriction_months;
  }
  if (in.Has("disability_type")) {
    TH_ASSIGN_OR_RETURN(m.disability_type, EnumCode<domain::DisabilityType>(in.disability_type, f + "disability_type"));
  }
  if (in.Has("disability_grade")) {
    if (in.disability_grade < 0 || in.disability_grade > 4) {
      return Bad(f + "disability_grade", "out_of_range", "残疾等级应为0-4", "disability_grade must be 0-4");
    }
    m.disability_grade = in.disability_grade;
  }
  if (in.Has("illness")) {
    TH_RETURN_IF_ERROR(CheckText(in.illness, f + "illness", text::kLineText));
    m.illness = in.illness;
  }
  if (in.Has("work_city")) {
    TH_RETURN_IF_ERROR(CheckText(in.work_city, f + "work_city", text::kShortText));
    m.work_city = in.work_city;
  }
  if (in.Has("work_region_code")) {
    TH_RETURN_IF_ERROR(text::CheckRegionCode(in.work_region_code, f + "work_region_code"));
    m.work_region_code = in.work_region_code;
  }
  if (in.Has("works_outside")) {
    if (in.works_outside != "yes" && in.works_outside != "no" && in.works_outside != "unknown") {
      return Bad(f + "works_outside_hukou_county", "invalid_enum", "取值应为 yes/no/unknown", "Use yes, no or unknown");
    }
    m.works_outside = in.works_outside;
  }
  if (in.Has("lives_with_child")) m.lives_with_child = in.lives_with_child;
  return Status::Ok();
}

}  // namespace th::service::child_internal
