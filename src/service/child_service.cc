#include "service/child_service.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "base/json_writer.h"
#include "domain/id_number.h"
#include "platform/work/work_hooks.h"
#include "repo/jurisdiction_repo.h"
#include "repo/org_repo.h"
#include "repo/user_repo.h"
#include "text/field.h"
#include "text/normalize.h"
#include "text/pinyin.h"
#include "text/utf8.h"

namespace th::service {

namespace {

using domain::Date;
using repo::ChildRecord;
using repo::MemberRecord;

// Encryption contexts and blind-index contexts. Blind indexes use the same context as users'
// phones ("phone") and one for ID numbers, so the same keys serve matching across modules.
constexpr const char* kCtxChildId = "child.id_number";
constexpr const char* kCtxGuardianPhone = "child.guardian_phone";
constexpr const char* kCtxGuardianId = "child.guardian_id_number";
constexpr const char* kCtxMemberId = "child.member_id_number";
constexpr const char* kCtxMemberPhone = "child.member_phone";
constexpr const char* kIdxId = "id_number";
constexpr const char* kIdxPhone = "phone";

struct AssistName {
  const char* code;
  std::uint32_t bit;
};
constexpr AssistName kAssist[] = {{"dibao", domain::kAssistDibao},
                                  {"tekun", domain::kAssistTekun},
                                  {"low_income", domain::kAssistLowIncome},
                                  {"temporary", domain::kAssistTemporary},
                                  {"medical", domain::kAssistMedical}};

Status Bad(const std::string& field, const std::string& code, const std::string& zh, const std::string& en) {
  return Status::Invalid(field, code, zh, en);
}

Status Need(const Principal& who, const char* perm) { return who.Can(perm) ? Status::Ok() : Status::Forbidden(); }

template <typename E>
Result<std::string> EnumCode(const std::string& text, const std::string& field) {
  E v{};
  if (!domain::ParseEnum(text, &v)) {
    return Bad(field, "invalid_enum", "取值无效: " + field + " = " + text, "Invalid value for " + field + ": " + text);
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
Result<std::int32_t> DateField(const std::string& text, const std::string& field, bool required, std::int32_t today) {
  if (text.empty()) {
    if (required) return Bad(field, "required", "缺少必填字段: " + field, "Missing required field: " + field);
    return 0;
  }
  auto d = domain::ParseDate(text, field);
  if (!d.ok()) return d.status();
  TH_ASSIGN_OR_RETURN(Date latest, domain::DateFromYyyymmdd(today));
  TH_RETURN_IF_ERROR(domain::CheckPlausibleDate(*d, latest, field));
  return d->ToYyyymmdd();
}

Date DateOf(std::int32_t yyyymmdd) {
  if (yyyymmdd <= 0) return Date{};
  auto d = domain::DateFromYyyymmdd(yyyymmdd);
  return d.ok() ? *d : Date{};
}

// Every text field goes through the shared validator (text/field.h; limits in docs/API.md).
Status CheckText(const std::string& v, const std::string& field, text::TextRule rule) {
  return text::CheckText(v, field, rule);
}

Result<std::string> CleanPhone(const std::string& raw, const std::string& field) {
  if (raw.empty()) return std::string();
  std::string p = text::CleanIdLike(raw);
  if (p.find('X') != std::string::npos || p.size() < 7 || p.size() > 12) {
    return Bad(field, "invalid_phone", "电话号码无效", "Invalid phone number");
  }
  return p;
}

std::string JoinCodes(const std::vector<std::string>& codes) {
  if (codes.empty()) return "";
  std::string s = ",";
  for (const auto& c : codes) s += c + ",";
  return s;
}

// Flat display snapshot of a file (identifiers masked) for audit before/after diffs.
std::map<std::string, std::string> Snapshot(const ChildRecord& r, const std::vector<MemberRecord>& members) {
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
void Diff(const std::map<std::string, std::string>& a, const std::map<std::string, std::string>& b,
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

std::string SnapshotJson(const std::map<std::string, std::string>& m) {
  JsonObjectWriter w;
  for (const auto& kv : m) {
    if (!kv.second.empty()) w.Str(kv.first, kv.second);
  }
  return w.Finish();
}

// The domain view used by the category rules.
domain::Child ToDomain(const ChildRecord& r, const std::vector<MemberRecord>& members) {
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

void AddToken(std::vector<std::string>* out, std::string t) {
  if (!t.empty()) out->push_back(std::move(t));
}

// Which keys a name gets; every key is found by each of its prefixes as it is typed (a search
// looks tokens up exactly, so the prefixes are tokens themselves: see QueryTokens).
enum class NameKeys {
  kWhole,     // family members: the whole cleaned name (and its prefixes if it is Latin letters)
  kGuardian,  // the guardian: also Han unigrams and bigrams (张建国: 张, 建, 国, 张建, 建国)
  kChild,     // the child's names: also leading parts of 4+ characters and pinyin (PinyinSearchKeys)
};

bool IsLatinKey(const std::string& t) {
  return !t.empty() && std::all_of(t.begin(), t.end(), [](char ch) { return ch >= 'a' && ch <= 'z'; });
}

void NameTokens(const std::string& name, NameKeys keys, std::vector<std::string>* out) {
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

std::vector<std::string> BuildTokens(const security::KeyRing& keys, const ChildRecord& r,
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
std::vector<std::string> QueryTokens(const security::KeyRing& keys, const std::string& q) {
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

Status FillMember(const security::KeyRing& keys, const MemberInput& in, bool create, int index, MemberRecord& m,
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

std::mutex g_registry_mu;
std::map<Services*, std::unique_ptr<ChildService>>& Registry() {
  static std::map<Services*, std::unique_ptr<ChildService>> r;
  return r;
}

}  // namespace

ChildService* FindChildService(Services& s) {
  std::lock_guard<std::mutex> lock(g_registry_mu);
  auto it = Registry().find(&s);
  return it == Registry().end() ? nullptr : it->second.get();
}

void InstallChildService(Services& s, std::unique_ptr<ChildService> cs) {
  std::lock_guard<std::mutex> lock(g_registry_mu);
  Registry()[&s] = std::move(cs);
}

ChildService::ChildService(Deps& deps, domain::CategoryConfig config) : deps_(deps), config_(std::move(config)) {}

std::int32_t ChildService::Today() const {
  return Date::FromEpochMillisShanghai(deps_.clock.NowMillis()).ToYyyymmdd();
}

Result<repo::ChildScope> ChildService::ScopeOf(storage::Connection& c, const Principal& who) {
  // The session already carries the unit's level (a unit keeps its level when moved); only a
  // principal built without it costs a lookup.
  std::string level = who.org_level;
  if (level.empty()) {
    TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(who.org_unit_id));
    level = unit.level;
  }
  const std::int64_t id = who.org_unit_id;
  if (level == "city") return repo::ChildScope{"city", id};
  if (level == "district") return repo::ChildScope{"district_id", id};
  if (level == "street") return repo::ChildScope{"street_id", id};
  if (level == "community") return repo::ChildScope{"community_id", id};
  return repo::ChildScope{"grid_id", id};
}

bool ChildService::InScope(const repo::ChildScope& s, const ChildRecord& r) const {
  if (s.column == "district_id") return r.district_id == s.id;
  if (s.column == "street_id") return r.street_id == s.id;
  if (s.column == "community_id") return r.community_id == s.id;
  if (s.column == "grid_id") return r.grid_id && *r.grid_id == s.id;
  return false;
}

Result<ChildRecord> ChildService::LoadScoped(storage::Connection& c, const Principal& who, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto scope, ScopeOf(c, who));
  auto r = repo::ChildRepo(c).Get(id);
  if (!r.ok()) return Status::NotFound("child");
  std::vector<ChildRecord> one{std::move(*r)};
  KeepInScope(c, scope, &one, nullptr);
  if (one.empty()) return Status::NotFound("child");
  return std::move(one.front());
}

void ChildService::KeepInScope(storage::Connection& c, const repo::ChildScope& scope, std::vector<ChildRecord>* rows,
                               const Principal* list_caller) {
  std::map<std::int64_t, bool> city_districts;  // district id -> under the caller's city
  auto in_scope = [&](const ChildRecord& r) {
    if (scope.column != "city") return InScope(scope, r);
    auto it = city_districts.find(r.district_id);
    if (it == city_districts.end()) {
      auto d = repo::OrgRepo(c).Get(r.district_id);
      it = city_districts.emplace(r.district_id, d.ok() && d->parent_id && *d->parent_id == scope.id).first;
    }
    return it->second;
  };
  const std::size_t before = rows->size();
  std::erase_if(*rows, [&](const ChildRecord& r) { return !in_scope(r); });
  if (list_caller && rows->size() != before) {
    // Only a defect in a list query can get here: say so loudly, show nothing.
    spdlog::error("scope: {} child row(s) outside the jurisdiction of user {} dropped from a list",
                  before - rows->size(), list_caller->user_id);
  }
}

Status ChildService::ApplyChildInput(storage::Connection& c, const Principal* who, const ChildInput& in, bool create,
                                     ChildRecord& r) {
  std::int32_t today = Today();
  if (create || in.Has("name")) {
    if (in.name.empty()) return Bad("name", "required", "缺少必填字段: 姓名", "Missing required field: name");
    TH_RETURN_IF_ERROR(CheckText(in.name, "name", text::kPersonName));
    r.name = in.name;
  }
  if (in.Has("former_names")) {
    std::string joined;
    for (const auto& n : in.former_names) {
      TH_RETURN_IF_ERROR(CheckText(n, "former_names", text::kPersonName));
      if (n.empty()) continue;
      if (!joined.empty()) joined += '\n';
      joined += n;
    }
    r.former_names = joined;
  }
  if (in.Has("sex")) { TH_ASSIGN_OR_RETURN(r.sex, EnumCode<domain::Sex>(in.sex, "sex")); }
  if (in.Has("ethnicity")) {
    TH_RETURN_IF_ERROR(CheckText(in.ethnicity, "ethnicity", text::kShortText));
    r.ethnicity = in.ethnicity;
  }
  if (create || in.Has("birth_date")) {
    TH_ASSIGN_OR_RETURN(r.birth_date, DateField(in.birth_date, "birth_date", true, today));
    if (r.birth_date > today) return Bad("birth_date", "invalid_date", "出生日期不能晚于今天", "Birth date is in the future");
  }
  if (in.Has("no_id_reason")) {
    TH_RETURN_IF_ERROR(CheckText(in.no_id_reason, "no_id_reason", text::kLineText));
    r.no_id_reason = in.no_id_reason;
  }
  std::string plain_id;
  if (in.Has("id_number")) {
    if (in.id_number.empty()) {
      r.id_enc.clear();
      r.id_bidx.clear();
      r.id_masked.clear();
    } else {
      TH_ASSIGN_OR_RETURN(auto id, domain::ParseIdNumber(in.id_number, today));
      plain_id = id.normalized;
      r.id_enc = deps_.keys.Encrypt(id.normalized, kCtxChildId);
      r.id_bidx = deps_.keys.BlindIndex(id.normalized, kIdxId);
      r.id_masked = domain::MaskIdNumber(id.normalized);
      r.no_id_reason.clear();
    }
  }
  // Cross-check the number against birth date and sex whenever any of them changes.
  if (!r.id_enc.empty() && (in.Has("id_number") || in.Has("birth_date") || in.Has("sex"))) {
    if (plain_id.empty()) {
      TH_ASSIGN_OR_RETURN(plain_id, deps_.keys.Decrypt(r.id_enc, kCtxChildId));
    }
    TH_ASSIGN_OR_RETURN(auto info, domain::ParseIdNumber(plain_id));
    char sex = r.sex == "male" ? 'M' : r.sex == "female" ? 'F' : 0;
    TH_RETURN_IF_ERROR(domain::CheckIdMatches(info, DateOf(r.birth_date), sex));
    if (r.sex == "unknown") r.sex = info.sex == 'M' ? "male" : "female";
    // Another child with the same number is a duplicate.
    TH_ASSIGN_OR_RETURN(auto same, repo::ChildRepo(c).FindByIdBidx(r.id_bidx));
    for (const auto& o : same) {
      if (o.id != r.id) {
        return Status::Error(Code::kConflict, "duplicate", "已有儿童档案使用该身份证号",
                             "Another child file has this ID number", "id_number");
      }
    }
  }
  if (r.id_enc.empty() && r.no_id_reason.empty()) {
    return Bad("id_number", "required", "请填写身份证号，或说明无身份证号的原因(no_id_reason)",
               "Give the ID number or the reason there is none (no_id_reason)");
  }
  if (in.Has("hukou_registered")) r.hukou_registered = in.hukou_registered;
  if (in.Has("hukou_region_code")) {
    const std::string& h = in.hukou_region_code;
    TH_RETURN_IF_ERROR(text::CheckRegionCode(h, "hukou_region_code"));
    r.hukou_region_code = h;
  }
  if (in.Has("hukou_nature")) { TH_ASSIGN_OR_RETURN(r.hukou_nature, EnumCode<domain::HukouNature>(in.hukou_nature, "hukou_nature")); }
  if (in.Has("hukou_address")) {
    TH_RETURN_IF_ERROR(CheckText(in.hukou_address, "hukou_address", text::kLineText));
    r.hukou_address = in.hukou_address;
  }
  if (create || in.Has("community_id") || in.Has("grid_id")) {
    std::int64_t cid = in.Has("community_id") ? in.community_id : r.community_id;
    if (cid <= 0) return Bad("community_id", "required", "请选择所在社区", "community_id is required");
    repo::OrgRepo orgs(c);
    auto cu = orgs.Get(cid);
    if (!cu.ok() || (who && !who->Covers(cu->path))) return Status::NotFound("community_id");
    if (cu->level != "community") return Bad("community_id", "invalid_level", "所选单位不是社区/村", "Not a community");
    if (cu->retired) return Bad("community_id", "unit_retired", "所选社区已撤销", "The community is retired");
    TH_ASSIGN_OR_RETURN(auto st, orgs.Get(cu->parent_id.value_or(0)));
    r.community_id = cu->id;
    r.community_code = cu->code;
    r.community_name = cu->name;
    r.street_id = st.id;
    r.street_name = st.name;
    r.district_id = st.parent_id.value_or(0);
    std::optional<std::int64_t> gid = in.Has("grid_id") ? in.grid_id : (in.Has("community_id") ? std::nullopt : r.grid_id);
    if (gid) {
      auto g = orgs.Get(*gid);
      if (!g.ok() || g->level != "grid" || g->parent_id.value_or(0) != cu->id) {
        return Bad("grid_id", "invalid_grid", "网格不属于所选社区", "The grid is not in the chosen community");
      }
      r.grid_name = g->name;
    }
    r.grid_id = gid;
  }
  if (in.Has("residence_address")) {
    TH_RETURN_IF_ERROR(CheckText(in.residence_address, "residence_address", text::kLineText));
    r.residence_address = in.residence_address;
  }
  if (in.Has("resident_since")) { TH_ASSIGN_OR_RETURN(r.resident_since, DateField(in.resident_since, "resident_since", false, today)); }
  if (in.Has("school_name")) {
    TH_RETURN_IF_ERROR(CheckText(in.school_name, "school_name", text::kLineText));
    r.school_name = in.school_name;
  }
  if (in.Has("school_stage")) { TH_ASSIGN_OR_RETURN(r.school_stage, EnumCode<domain::SchoolStage>(in.school_stage, "school_stage")); }
  if (in.Has("boarding")) r.boarding = in.boarding;
  if (in.Has("health")) { TH_ASSIGN_OR_RETURN(r.health, EnumCode<domain::HealthStatus>(in.health, "health")); }
  if (in.Has("disability_type")) {
    TH_ASSIGN_OR_RETURN(r.disability_type, EnumCode<domain::DisabilityType>(in.disability_type, "disability_type"));
  }
  if (in.Has("disability_grade")) {
    if (in.disability_grade < 0 || in.disability_grade > 4) {
      return Bad("disability_grade", "out_of_range", "残疾等级应为0-4", "disability_grade must be 0-4");
    }
    r.disability_grade = in.disability_grade;
  }
  if (in.Has("illness")) {
    TH_RETURN_IF_ERROR(CheckText(in.illness, "illness", text::kLineText));
    r.illness = in.illness;
  }
  if (in.Has("flow_status")) { TH_ASSIGN_OR_RETURN(r.flow_status, EnumCode<domain::FlowStatus>(in.flow_status, "flow_status")); }
  if (in.Has("assistance")) {
    std::int64_t bits = 0;
    for (const auto& a : in.assistance) {
      std::uint32_t bit = 0;
      for (const auto& k : kAssist) {
        if (a == k.code) bit = k.bit;
      }
      if (!bit) bit = domain::AssistanceFlagFromName(a);
      if (!bit) return Bad("assistance", "invalid_enum", "救助类型无效: " + a, "Unknown assistance: " + a);
      bits |= bit;
    }
    r.assistance = bits;
  }
  if (in.Has("parents_not_findable")) r.parents_not_findable = in.parents_not_findable;
  if (in.Has("director_user_id")) {
    if (in.director_user_id) {
      auto u = repo::UserRepo(c).Get(*in.director_user_id);
      if (!u.ok() || (who && !who->Covers(u->org_unit_path.empty() ? std::string("/") : u->org_unit_path) &&
                      u->org_unit_id != who->org_unit_id)) {
        return Bad("director_user_id", "invalid_user", "负责儿童主任不存在或不在您的管辖范围内",
                   "The responsible child director is unknown or outside your jurisdiction");
      }
      r.director_name = u->display_name;
    }
    r.director_user_id = in.director_user_id;
  }
  if (in.Has("notes")) {
    TH_RETURN_IF_ERROR(CheckText(in.notes, "notes", text::kLongText));
    r.notes = in.notes;
  }
  return Status::Ok();
}

ChildService::Derived ChildService::DeriveVerdicts(ChildRecord& r, const std::vector<MemberRecord>& members,
                                                   const std::vector<repo::CategoryRecord>& old,
                                                   domain::Evaluation* scratch) const {
  domain::Child d = ToDomain(r, members);
  domain::Evaluation local;
  domain::Evaluation& ev = scratch ? *scratch : local;
  domain::EvaluateCategories(d, config_, Date::FromEpochMillisShanghai(deps_.clock.NowMillis()), &ev);
  Derived out;
  std::vector<repo::CategoryRecord>& rows = out.rows;
  std::vector<std::string> met;
  for (const auto& def : config_.categories) {
    repo::CategoryRecord k;
    k.child_id = r.id;
    k.code = def.code;
    const domain::Verdict* v = ev.Find(def.code);
    if (v) {
      k.outcome = std::string(domain::CodeOf(v->outcome));
      k.rule_id = v->rule_id;
      k.reason = v->reason;
      k.met_since = v->met_since.IsSet() ? v->met_since.ToYyyymmdd() : 0;
      k.ends_on = v->ends_on.IsSet() ? v->ends_on.ToYyyymmdd() : 0;
      k.next_change = v->next_change.IsSet() ? v->next_change.ToYyyymmdd() : 0;
    }
    for (const auto& o : old) {
      if (o.code == def.code && o.override_met) {
        k.override_met = o.override_met;
        k.override_reason = o.override_reason;
        k.override_by = o.override_by;
        k.override_at = o.override_at;
      }
    }
    k.met = k.override_met ? *k.override_met : k.outcome == "met";
    if (k.met) met.push_back(def.code);
    if (k.outcome != "not_met" || k.override_met) rows.push_back(std::move(k));
  }
  r.categories = JoinCodes(met);
  r.next_change_date = ev.next_change.IsSet() ? ev.next_change.ToYyyymmdd() : 0;
  // Unchanged verdict rows are not rewritten (the nightly refresh mostly finds no change).
  auto same = [](const repo::CategoryRecord& a, const repo::CategoryRecord& b) {
    return a.code == b.code && a.outcome == b.outcome && a.rule_id == b.rule_id && a.reason == b.reason &&
           a.met_since == b.met_since && a.ends_on == b.ends_on && a.next_change == b.next_change &&
           a.met == b.met && a.override_met == b.override_met &&
           (!a.override_met || (a.override_reason == b.override_reason && a.override_by == b.override_by &&
                                a.override_at == b.override_at));
  };
  out.rows_changed = old.size() != rows.size();
  for (std::size_t i = 0; !out.rows_changed && i < rows.size(); ++i) {
    bool found = false;
    for (const auto& o : old) found = found || same(o, rows[i]);
    out.rows_changed = !found;
  }
  return out;
}

Status ChildService::Rederive(storage::Connection& c, ChildRecord& r, const std::vector<MemberRecord>& members,
                              bool new_child, domain::Evaluation* scratch, bool keep_tokens,
                              const std::vector<repo::CategoryRecord>* old_rows) {
  repo::ChildRepo repo(c);
  std::vector<repo::CategoryRecord> read;
  if (!new_child && !old_rows) { TH_ASSIGN_OR_RETURN(read, repo.Categories(r.id)); }
  const Derived derived = DeriveVerdicts(r, members, old_rows ? *old_rows : read, scratch);
  const std::vector<repo::CategoryRecord>& rows = derived.rows;
  if (new_child) {
    for (const auto& k : rows) {
      TH_RETURN_IF_ERROR(c.Execute("INSERT INTO child_category (child_id, code, outcome, rule_id, reason, met_since, "
                                   "ends_on, next_change, met, override_met, override_reason, override_by, "
                                   "override_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, NULL, NULL)",
                                   {r.id, k.code, k.outcome, k.rule_id, k.reason, std::int64_t{k.met_since},
                                    std::int64_t{k.ends_on}, std::int64_t{k.next_change}, std::int64_t{k.met}})
                             .status());
    }
  } else if (derived.rows_changed) {
    TH_RETURN_IF_ERROR(repo.ReplaceCategories(r.id, rows));
  }
  if (keep_tokens) return Status::Ok();
  std::string plain_id;
  if (!r.id_enc.empty()) { TH_ASSIGN_OR_RETURN(plain_id, deps_.keys.Decrypt(r.id_enc, kCtxChildId)); }
  auto tokens = BuildTokens(deps_.keys, r, members, plain_id);
  return new_child ? repo.InsertTokens(r, tokens) : repo.ReplaceTokens(r, tokens);
}

Result<ChildFile> ChildService::BuildFile(storage::Connection& c, const Principal& who, std::int64_t id) {
  ChildFile f;
  TH_ASSIGN_OR_RETURN(f.child, LoadScoped(c, who, id));
  repo::ChildRepo repo(c);
  TH_ASSIGN_OR_RETURN(f.family, repo.Members(id));
  TH_ASSIGN_OR_RETURN(auto sibs, repo.Household(f.child.household_id, id));
  TH_ASSIGN_OR_RETURN(auto scope, ScopeOf(c, who));
  for (auto& s : sibs) {
    if (scope.column == "city" || InScope(scope, s)) f.siblings.push_back(std::move(s));
  }
  TH_ASSIGN_OR_RETURN(auto stored, repo.Categories(id));
  // Not-met verdicts are not stored; their reasons come from a fresh evaluation.
  domain::Evaluation ev = domain::EvaluateCategories(ToDomain(f.child, f.family), config_,
                                                     Date::FromEpochMillisShanghai(deps_.clock.NowMillis()));
  for (const auto& def : config_.categories) {
    VerdictView v;
    v.def = &def;
    const repo::CategoryRecord* k = nullptr;
    for (const auto& s : stored) {
      if (s.code == def.code) k = &s;
    }
    if (k) {
      v.rule_outcome = def.rule_derived() ? k->outcome : "";
      v.rule_id = k->rule_id;
      v.reason = k->reason;
      v.met_since = k->met_since;
      v.ends_on = k->ends_on;
      v.next_change = k->next_change;
      v.met = k->met;
      v.override_met = k->override_met;
      v.override_reason = k->override_reason;
      v.override_by = k->override_by;
      v.override_by_name = k->override_by_name;
      v.override_at = k->override_at;
    } else if (const domain::Verdict* e = ev.Find(def.code); e && def.rule_derived()) {
      v.rule_outcome = "not_met";
      v.rule_id = e->rule_id;
      v.reason = e->reason;
      v.next_change = e->next_change.IsSet() ? e->next_change.ToYyyymmdd() : 0;
      v.ends_on = e->ends_on.IsSet() ? e->ends_on.ToYyyymmdd() : 0;
    }
    if (v.override_met) v.source = "override";
    f.verdicts.push_back(std::move(v));
  }
  TH_ASSIGN_OR_RETURN(f.pending_request_id, repo.OpenRequestIdFor(id));
  return f;
}

Result<std::vector<ChildRecord>> ChildService::List(const Principal& who, const ChildListParams& p,
                                                    const repo::Page& page, std::int64_t* total,
                                                    bool* total_capped) {
  TH_RETURN_IF_ERROR(Need(who, "child.read"));
  if (total_capped) *total_capped = false;
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::ChildQuery q;
  TH_ASSIGN_OR_RETURN(q.scope, ScopeOf(*h, who));
  if (p.org_unit_id) {
    auto u = repo::OrgRepo(*h).Get(*p.org_unit_id);
    if (!u.ok() || !who.Covers(u->path)) return Status::NotFound("org_unit_id");
    std::string col = u->level == "district" ? "district_id" : u->level == "street" ? "street_id"
                      : u->level == "community" ? "community_id" : u->level == "grid" ? "grid_id" : "city";
    q.unit = repo::ChildScope{col, u->id};
  }
  if (!p.q.empty()) {
    q.tokens = QueryTokens(deps_.keys, p.q);
    if (q.tokens.empty()) {
      *total = 0;
      return std::vector<ChildRecord>{};
    }
  }
  if (!p.category.empty() && !config_.Find(p.category)) {
    return Bad("category", "invalid_enum", "类别无效: " + p.category, "Unknown category: " + p.category);
  }
  q.category = p.category;
  if (!p.flow_status.empty()) { TH_ASSIGN_OR_RETURN(q.flow_status, EnumCode<domain::FlowStatus>(p.flow_status, "flow_status")); }
  if (!p.school_stage.empty()) {
    TH_ASSIGN_OR_RETURN(q.school_stage, EnumCode<domain::SchoolStage>(p.school_stage, "school_stage"));
  }
  if (!p.sex.empty()) { TH_ASSIGN_OR_RETURN(q.sex, EnumCode<domain::Sex>(p.sex, "sex")); }
  if (!p.roll_status.empty()) {
    static const std::set<std::string> kRoll = {"not_on_roll", "proposed", "on_roll", "exit_proposed", "exited"};
    if (!kRoll.count(p.roll_status)) {
      return Bad("roll_status", "invalid_enum", "在册状态无效: " + p.roll_status, "Unknown roll_status");
    }
    q.roll_status = p.roll_status;
  }
  Date today = Date::FromEpochMillisShanghai(deps_.clock.NowMillis());
  if (p.age_min) {
    if (*p.age_min < 0 || *p.age_min > 30) return Bad("age_min", "out_of_range", "年龄范围无效", "Invalid age_min");
    q.birth_to = today.AddYears(-static_cast<int>(*p.age_min)).ToYyyymmdd();
  }
  if (p.age_max) {
    if (*p.age_max < 0 || *p.age_max > 30) return Bad("age_max", "out_of_range", "年龄范围无效", "Invalid age_max");
    q.birth_from = today.AddYears(-static_cast<int>(*p.age_max) - 1).AddDays(1).ToYyyymmdd();
  }
  static const std::set<std::string> kSorts = {"name", "-name", "birth_date", "-birth_date", "updated_at",
                                               "-updated_at", "id", "-id"};
  if (!p.sort.empty()) {
    if (!kSorts.count(p.sort)) return Bad("sort", "invalid_sort", "排序字段无效", "Invalid sort");
    q.sort = p.sort;
  }
  TH_ASSIGN_OR_RETURN(auto rows, repo::ChildRepo(*h).List(q, page, total, total_capped, count_cache_.get()));
  KeepInScope(*h, q.scope, &rows, &who);
  return rows;
}

Result<ChildFile> ChildService::Get(const Principal& who, std::int64_t id) {
  TH_RETURN_IF_ERROR(Need(who, "child.read"));
  ChildFile f;
  std::string unit_path;
  {
    // Build the file outside the write transaction (plain reads); the audit append below is the
    // only work done under the write lock, so readers do not queue behind each other's reads.
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(f, BuildFile(*h, who, id));
    unit_path = f.child.community_path;
  }
  // The file is returned only once its child.read entry is committed (grouped with other reads).
  TH_RETURN_IF_ERROR(read_audit_->Append(who, {"child.read", "child", std::to_string(id), unit_path, "", "", ""}));
  return f;
}

Status ChildService::PrepareNew(storage::Connection& c, const Principal& who, const NewChild& input,
                                PreparedChild* out) {
  TH_RETURN_IF_ERROR(Need(who, "child.write"));
  ChildRecord& r = out->record;
  r = ChildRecord{};
  out->members.clear();
  out->guardian_member_index = input.guardian_member_index;
  TH_RETURN_IF_ERROR(ApplyChildInput(c, &who, input.child, true, r));
  if (input.sibling_of) {
    auto sib = LoadScoped(c, who, *input.sibling_of);
    if (!sib.ok()) return Status::NotFound("sibling_of");
    r.household_id = sib->household_id;
  } else {
    r.household_id = "H-" + security::RandomToken(9);
  }
  std::int64_t now = deps_.clock.NowMillis();
  r.created_at = r.updated_at = now;
  r.created_by = r.updated_by = who.user_id;
  r.version = 1;
  std::int32_t today = Today();
  for (std::size_t i = 0; i < input.family.size(); ++i) {
    MemberRecord m;
    m.position = static_cast<std::int64_t>(i);
    TH_RETURN_IF_ERROR(FillMember(deps_.keys, input.family[i], true, static_cast<int>(i), m, today));
    out->members.push_back(std::move(m));
  }
  if (input.guardian) {
    const GuardianInput& g = *input.guardian;
    TH_RETURN_IF_ERROR(CheckText(g.name, "guardian.name", text::kPersonName));
    r.guardian_name = g.name;
    if (!g.relation.empty()) { TH_ASSIGN_OR_RETURN(r.guardian_relation, EnumCode<domain::Relation>(g.relation, "guardian.relation")); }
    TH_RETURN_IF_ERROR(CheckText(g.relation_note, "guardian.relation_note", text::kShortText));
    r.guardian_relation_note = g.relation_note;
    TH_ASSIGN_OR_RETURN(std::string phone, CleanPhone(g.phone, "guardian.phone"));
    if (!phone.empty()) {
      r.guardian_phone_enc = deps_.keys.Encrypt(phone, kCtxGuardianPhone);
      r.guardian_phone_bidx = deps_.keys.BlindIndex(phone, kIdxPhone);
      r.guardian_phone_masked = domain::MaskPhone(phone);
    }
    if (!g.id_number.empty()) {
      auto gid = domain::ParseIdNumber(g.id_number, today);
      if (!gid.ok()) return Bad("guardian.id_number", gid.status().error_code(), gid.status().message_zh(), gid.status().message_en());
      r.guardian_id_enc = deps_.keys.Encrypt(gid->normalized, kCtxGuardianId);
      r.guardian_id_masked = domain::MaskIdNumber(gid->normalized);
    }
    TH_ASSIGN_OR_RETURN(r.guardian_agreement_date, DateField(g.agreement_date, "guardian.agreement_date", false, today));
  }
  return Status::Ok();
}

Status ChildService::InsertPrepared(storage::Connection& c, const Principal& who, PreparedChild& p,
                                    const std::string& community_path, const std::string& purpose,
                                    domain::Evaluation* scratch, bool compact_audit) {
  repo::ChildRepo repo(c);
  ChildRecord& r = p.record;
  std::vector<MemberRecord>& members = p.members;
  TH_RETURN_IF_ERROR(repo.Insert(r));
  for (auto& m : members) {
    m.child_id = r.id;
    TH_RETURN_IF_ERROR(repo.InsertMember(m));
  }
  if (p.guardian_member_index >= 0 && p.guardian_member_index < static_cast<int>(members.size())) {
    r.guardian_member_id = members[static_cast<std::size_t>(p.guardian_member_index)].id;
    TH_RETURN_IF_ERROR(repo.SetGuardianMember(r.id, r.guardian_member_id));
  }
  TH_RETURN_IF_ERROR(Rederive(c, r, members, true, scratch));
  TH_RETURN_IF_ERROR(repo.SetDerived(r.id, r.categories, r.next_change_date));
  std::string path = community_path;
  if (path.empty()) {
    TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
    path = unit.path;
  }
  std::string after;
  if (compact_audit) {
    // Bulk imports: the identifying fields only (the file itself is the first version; the
    // full snapshot would double the bytes written per child).
    after = JsonObjectWriter()
                .Str("name", r.name)
                .Str("birth_date", DateOf(r.birth_date).ToString())
                .Str("id_number", r.id_masked)
                .Int("community_id", r.community_id)
                .Int("family", static_cast<std::int64_t>(members.size()))
                .Str("categories", r.categories)
                .Finish();
  } else {
    after = SnapshotJson(Snapshot(r, members));
  }
  return WriteAudit(c, deps_.clock, &who, who.client_ip,
                    {"child.create", "child", std::to_string(r.id), path, "", after, purpose});
}

Result<ChildFile> ChildService::Create(const Principal& who, const NewChild& input) {
  TH_RETURN_IF_ERROR(Need(who, "child.write"));
  std::int64_t id = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    PreparedChild p;
    TH_RETURN_IF_ERROR(PrepareNew(c, who, input, &p));
    TH_RETURN_IF_ERROR(InsertPrepared(c, who, p, "", "", nullptr));
    id = p.record.id;
    return Status::Ok();
  }));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return BuildFile(*h, who, id);
}

Result<ChildFile> ChildService::Mutate(
    const Principal& who, std::int64_t id, std::int64_t version, const std::string& action,
    const std::function<Status(storage::Connection&, ChildRecord&, std::vector<MemberRecord>&)>& fn,
    const std::string& reason) {
  TH_RETURN_IF_ERROR(Need(who, "child.write"));
  TH_RETURN_IF_ERROR(CheckChangeReason(reason, false));
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::ChildRepo repo(c);
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id));
    if (r.version != version) return Status::Stale();
    TH_ASSIGN_OR_RETURN(auto members, repo.Members(id));
    auto before = Snapshot(r, members);
    const ChildRecord moved_from = r;
    TH_RETURN_IF_ERROR(fn(c, r, members));
    TH_ASSIGN_OR_RETURN(members, repo.Members(id));
    TH_RETURN_IF_ERROR(Rederive(c, r, members, false, nullptr));
    r.updated_at = deps_.clock.NowMillis();
    r.updated_by = who.user_id;
    r.version = version;
    TH_RETURN_IF_ERROR(repo.Update(r));
    if (r.community_id != moved_from.community_id || r.grid_id != moved_from.grid_id) {
      // Its requests, findings and tasks go with the child, in this transaction.
      TH_RETURN_IF_ERROR(repo::JurisdictionRepo(c).AfterChildMove(id));
    }
    std::string b, a;
    Diff(before, Snapshot(r, members), &b, &a);
    TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {action, "child", std::to_string(id), unit.path, b, a, reason});
  }));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  return BuildFile(*h, who, id);
}

Result<ChildFile> ChildService::Update(const Principal& who, std::int64_t id, const ChildInput& input,
                                       std::int64_t version, const std::string& reason) {
  return Mutate(
      who, id, version, "child.update",
      [&](storage::Connection& c, ChildRecord& r, std::vector<MemberRecord>&) {
        const ChildRecord before = r;
        TH_RETURN_IF_ERROR(ApplyChildInput(c, &who, input, false, r));
        // Identity fields need a stated reason (变更原因): it goes into the audit entry.
        bool identity = r.name != before.name || r.id_bidx != before.id_bidx ||
                        r.no_id_reason != before.no_id_reason || r.birth_date != before.birth_date ||
                        r.sex != before.sex;
        return CheckChangeReason(reason, identity);
      },
      reason);
}

Result<ChildRecord> ChildService::UpdateIn(storage::Connection& c, const Principal& who, std::int64_t id,
                                           const ChildInput& input, std::int64_t version, const std::string& reason) {
  TH_RETURN_IF_ERROR(Need(who, "child.write"));
  TH_RETURN_IF_ERROR(CheckChangeReason(reason, false));
  repo::ChildRepo repo(c);
  TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, id));
  if (r.version != version) return Status::Stale();
  TH_ASSIGN_OR_RETURN(auto members, repo.Members(id));
  const auto before = Snapshot(r, members);
  const ChildRecord old = r;
  TH_RETURN_IF_ERROR(ApplyChildInput(c, &who, input, false, r));
  const bool identity = r.name != old.name || r.id_bidx != old.id_bidx || r.no_id_reason != old.no_id_reason ||
                        r.birth_date != old.birth_date || r.sex != old.sex;
  TH_RETURN_IF_ERROR(CheckChangeReason(reason, identity));
  TH_RETURN_IF_ERROR(Rederive(c, r, members, false, nullptr));
  r.updated_at = deps_.clock.NowMillis();
  r.updated_by = who.user_id;
  r.version = version;
  TH_RETURN_IF_ERROR(repo.Update(r));
  std::string b, a;
  Diff(before, Snapshot(r, members), &b, &a);
  TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
  TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                {"child.update", "child", std::to_string(id), unit.path, b, a, reason}));
  return r;
}

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

Result<std::string> ChildService::Reveal(const Principal& who, std::int64_t id, const std::string& target,
                                         std::optional<std::int64_t> member_id, const std::string& field,
                                         const std::string& purpose) {
  TH_RETURN_IF_ERROR(Need(who, "child.reveal"));
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
    if (target.empty() || target == "child") {
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
    if (sealed.empty()) return Bad("field", "no_value", "该字段没有登记内容", "Nothing is recorded in this field");
    TH_ASSIGN_OR_RETURN(value, deps_.keys.Decrypt(sealed, ctx));
    TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
    return WriteAudit(c, deps_.clock, &who, who.client_ip,
                      {"child.reveal", "child", std::to_string(id), unit.path, "",
                       JsonObjectWriter().Str("field", label).Finish(), purpose});
  }));
  return value;
}

Result<std::vector<repo::AuditEntry>> ChildService::History(const Principal& who, std::int64_t id,
                                                            const repo::Page& page, std::int64_t* total) {
  TH_RETURN_IF_ERROR(Need(who, "child.read"));
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

Result<DuplicateResult> ChildService::Duplicates(const Principal& who, const std::string& id_number,
                                                 const std::string& name, const std::string& birth_date,
                                                 const std::string& guardian_name) {
  TH_RETURN_IF_ERROR(Need(who, "child.read"));
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

// ---- roll workflow ----

Result<RollRequestView> ChildService::Propose(const Principal& who, std::int64_t child_id, const std::string& kind,
                                              const std::string& category, const std::string& reason,
                                              const std::string& evidence) {
  TH_RETURN_IF_ERROR(Need(who, "roll.propose"));
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
  TH_RETURN_IF_ERROR(work::RollRequestChanged(deps_.work.get(), c, q.id));  // work item: review by the street
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
  if (!who.Can("child.read")) return Status::Forbidden();
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
  TH_RETURN_IF_ERROR(Need(who, "child.read"));
  TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
  repo::RollQuery q;
  TH_ASSIGN_OR_RETURN(q.scope, ScopeOf(*h, who));
  q.status = status;
  if (queue == "mine") {
    q.proposed_by = who.user_id;
  } else if (queue == "review") {
    TH_RETURN_IF_ERROR(Need(who, "roll.review"));
    q.status = "pending_review";
  } else if (queue == "confirm") {
    TH_RETURN_IF_ERROR(Need(who, "roll.confirm"));
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

Result<RollRequestView> ChildService::Decide(const Principal& who, std::int64_t id, const std::string& action,
                                             const std::string& note, std::int64_t version) {
  if (action != "review" && action != "confirm" && action != "return") return Status::NotFound("action");
  TH_RETURN_IF_ERROR(CheckText(note, "note", text::kLongText));
  if (action == "return" && text::DecodeUtf8(note).size() < 2) {
    return Bad("note", "required", "退回须填写说明", "A note is required to return a request");
  }
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    repo::ChildRepo repo(c);
    auto q = repo.GetRequest(id);
    if (!q.ok()) return Status::NotFound("roll_request");
    TH_ASSIGN_OR_RETURN(auto r, LoadScoped(c, who, q->child_id));
    const char* perm = action == "review" ? "roll.review"
                       : action == "confirm" ? "roll.confirm"
                       : q->status == "pending_review" ? "roll.review" : "roll.confirm";
    TH_RETURN_IF_ERROR(Need(who, perm));
    std::string want = action == "review" ? "pending_review" : action == "confirm" ? "pending_confirm" : "";
    bool state_ok = want.empty() ? (q->status == "pending_review" || q->status == "pending_confirm") : q->status == want;
    if (!state_ok) {
      return Status::Error(Code::kConflict, "invalid_state", "申请当前状态(" + q->status + ")不允许该操作",
                           "The request is " + q->status + "; this step does not apply", "status");
    }
    std::string next = action == "review" ? "pending_confirm" : action == "confirm" ? "confirmed" : "returned";
    std::int64_t now = deps_.clock.NowMillis();
    TH_RETURN_IF_ERROR(repo.SetRequestStatus(id, next, version, now));
    repo::RollStepRecord s{0, id, action, who.user_id, who.display_name, now, note};
    TH_RETURN_IF_ERROR(repo.InsertStep(s));
    TH_RETURN_IF_ERROR(work::RollRequestChanged(deps_.work.get(), c, id));  // work items follow the request's state
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

Result<std::int64_t> ChildService::Refresh(bool all, std::int64_t* changed) {
  *changed = 0;
  if (all) {
    TH_ASSIGN_OR_RETURN(std::int64_t evaluated, RefreshAll(changed));
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
      return WriteAudit(c, deps_.clock, nullptr, "cli",
                        {"child.categories_refresh", "child", "", "", "",
                         JsonObjectWriter().Int("evaluated", evaluated).Int("changed", *changed).Bool("all", true).Finish(),
                         "nightly re-evaluation"});
    }));
    return evaluated;
  }
  std::int64_t evaluated = 0;
  std::int64_t after = 0;
  std::int32_t today = Today();
  domain::Evaluation scratch;
  while (true) {
    std::vector<std::int64_t> ids;
    {
      TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
      repo::ChildRepo repo(*h);
      if (all) {
        TH_ASSIGN_OR_RETURN(ids, repo.IdsAfter(after, 2000));
      } else {
        TH_ASSIGN_OR_RETURN(ids, repo.DueForRefresh(today, after, 2000));
      }
    }
    if (ids.empty()) break;
    after = ids.back();
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
      repo::ChildRepo repo(c);
      for (std::int64_t id : ids) {
        TH_ASSIGN_OR_RETURN(auto r, repo.Get(id));
        TH_ASSIGN_OR_RETURN(auto members, repo.Members(id));
        std::string old = r.categories;
        std::vector<repo::CategoryRecord> old_rows;
        // Names and identifiers did not change: the search tokens stay.
        TH_RETURN_IF_ERROR(Rederive(c, r, members, false, &scratch, /*keep_tokens=*/true));
        TH_RETURN_IF_ERROR(repo.SetDerived(id, r.categories, r.next_change_date));
        if (old != r.categories) ++*changed;
        ++evaluated;
      }
      return Status::Ok();
    }));
  }
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
    return WriteAudit(c, deps_.clock, nullptr, "cli",
                      {"child.categories_refresh", "child", "", "", "",
                       JsonObjectWriter().Int("evaluated", evaluated).Int("changed", *changed).Bool("all", all).Finish(),
                       "nightly re-evaluation"});
  }));
  return evaluated;
}

// Every child, on two threads. Each worker takes the next block of ids, reads the block's
// children, members and verdict rows in three queries outside any write transaction and
// evaluates them; only children whose derived values changed are written, in a transaction that
// first checks the child's version: a child edited in between was re-derived by that edit and is
// left alone. Reads run in parallel (SQLite WAL readers, PostgreSQL sessions); the writes are few.
Result<std::int64_t> ChildService::RefreshAll(std::int64_t* changed) {
  constexpr std::int64_t kBlock = 2000;
  std::int64_t max_id = 0;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(max_id, repo::ChildRepo(*h).MaxId());
  }
  std::atomic<std::int64_t> next_block{0}, evaluated{0}, changed_count{0};
  std::mutex error_mu;
  Status error = Status::Ok();
  std::atomic<bool> failed{false};
  auto work = [&]() -> Status {
    domain::Evaluation scratch;
    const std::vector<MemberRecord> none;
    const std::vector<repo::CategoryRecord> no_rows;
    while (!failed.load()) {
      const std::int64_t lo = next_block.fetch_add(1) * kBlock + 1;
      if (lo > max_id) return Status::Ok();
      const std::int64_t hi = lo + kBlock - 1;
      struct Pending {
        ChildRecord child;
        Derived derived;
        bool categories_changed;
      };
      std::vector<Pending> pending;
      {
        TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
        repo::ChildRepo repo(*h);
        TH_ASSIGN_OR_RETURN(auto children, repo.ChildrenBetween(lo, hi));
        TH_ASSIGN_OR_RETURN(auto members, repo.MembersBetween(lo, hi));
        TH_ASSIGN_OR_RETURN(auto verdicts, repo.CategoriesBetween(lo, hi));
        for (ChildRecord& r : children) {
          auto m = members.find(r.id);
          auto v = verdicts.find(r.id);
          const std::string old_categories = r.categories;
          const std::int32_t old_next = r.next_change_date;
          Derived d = DeriveVerdicts(r, m == members.end() ? none : m->second, v == verdicts.end() ? no_rows : v->second,
                                     &scratch);
          const bool categories_changed = r.categories != old_categories;
          if (categories_changed || r.next_change_date != old_next || d.rows_changed) {
            pending.push_back({std::move(r), std::move(d), categories_changed});
          }
          evaluated.fetch_add(1);
        }
      }
      if (pending.empty()) continue;
      TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) {
        repo::ChildRepo repo(c);
        for (const Pending& p : pending) {
          TH_ASSIGN_OR_RETURN(bool applied, repo.SetDerivedIfVersion(p.child.id, p.child.version, p.child.categories,
                                                                     p.child.next_change_date));
          if (!applied) continue;
          if (p.derived.rows_changed) { TH_RETURN_IF_ERROR(repo.ReplaceCategories(p.child.id, p.derived.rows)); }
          if (p.categories_changed) changed_count.fetch_add(1);
        }
        return Status::Ok();
      }));
    }
    return Status::Ok();
  };
  auto run = [&] {
    Status s = work();
    if (!s.ok()) {
      std::lock_guard<std::mutex> lock(error_mu);
      if (error.ok()) error = s;
      failed = true;
    }
  };
  std::thread second(run);
  run();
  second.join();
  TH_RETURN_IF_ERROR(error);
  *changed = changed_count.load();
  return evaluated.load();
}

Result<std::string> ChildService::UnsealIdNumber(const ChildRecord& r) const {
  if (r.id_enc.empty()) return std::string();
  return deps_.keys.Decrypt(r.id_enc, kCtxChildId);
}

Result<std::string> ChildService::UnsealGuardianPhone(const ChildRecord& r) const {
  if (r.guardian_phone_enc.empty()) return std::string();
  return deps_.keys.Decrypt(r.guardian_phone_enc, kCtxGuardianPhone);
}

Status ChildService::InsertGenerated(repo::ChildBulkWriter& out, const domain::Child& d, const UnitRefs& units,
                                     const std::string& community_code, std::int64_t now,
                                     domain::Evaluation* scratch) {
  repo::NewChildRows rows;
  ChildRecord& r = rows.child;
  r.household_id = d.household_id;
  r.name = d.name;
  for (const auto& n : d.former_names) r.former_names += (r.former_names.empty() ? "" : "\n") + n;
  r.sex = std::string(domain::CodeOf(d.sex));
  r.ethnicity = d.ethnicity;
  r.birth_date = d.birth_date.ToYyyymmdd();
  if (!d.id_number.empty()) {
    r.id_enc = deps_.keys.Encrypt(d.id_number, kCtxChildId);
    r.id_bidx = deps_.keys.BlindIndex(d.id_number, kIdxId);
    r.id_masked = domain::MaskIdNumber(d.id_number);
  }
  r.no_id_reason = d.id_number.empty() ? (d.no_id_reason.empty() ? "未登记" : d.no_id_reason) : "";
  r.hukou_registered = d.hukou_registered;
  r.hukou_region_code = d.hukou_region_code;
  r.hukou_nature = std::string(domain::CodeOf(d.hukou_nature));
  r.hukou_address = d.hukou_address;
  r.district_id = units.district_id;
  r.street_id = units.street_id;
  r.community_id = units.community_id;
  r.community_code = community_code;
  r.grid_id = units.grid_id;
  r.residence_address = d.residence_address;
  r.resident_since = d.resident_since.IsSet() ? d.resident_since.ToYyyymmdd() : 0;
  r.school_name = d.school_name;
  r.school_stage = std::string(domain::CodeOf(d.school_stage));
  r.boarding = d.boarding;
  r.health = std::string(domain::CodeOf(d.health));
  r.disability_type = std::string(domain::CodeOf(d.disability_type));
  r.disability_grade = d.disability_grade;
  r.illness = d.illness;
  r.flow_status = std::string(domain::CodeOf(d.flow_status));
  r.assistance = d.assistance;
  r.parents_not_findable = d.parents_not_findable;
  r.notes = d.notes;
  r.guardian_name = d.guardian.name;
  r.guardian_relation = std::string(domain::CodeOf(d.guardian.relation));
  r.guardian_relation_note = d.guardian.relation_note;
  if (!d.guardian.phone.empty()) {
    r.guardian_phone_enc = deps_.keys.Encrypt(d.guardian.phone, kCtxGuardianPhone);
    r.guardian_phone_bidx = deps_.keys.BlindIndex(d.guardian.phone, kIdxPhone);
    r.guardian_phone_masked = domain::MaskPhone(d.guardian.phone);
  }
  if (!d.guardian.id_number.empty()) {
    r.guardian_id_enc = deps_.keys.Encrypt(d.guardian.id_number, kCtxGuardianId);
    r.guardian_id_masked = domain::MaskIdNumber(d.guardian.id_number);
  }
  r.guardian_agreement_date = d.guardian.agreement_date.IsSet() ? d.guardian.agreement_date.ToYyyymmdd() : 0;
  r.created_at = r.updated_at = now;
  // Derive first so the row is written once.
  std::vector<MemberRecord>& members = rows.members;
  members.reserve(d.family.size());
  for (std::size_t i = 0; i < d.family.size(); ++i) {
    const domain::FamilyMember& f = d.family[i];
    MemberRecord m;
    m.position = static_cast<std::int64_t>(i);
    m.relation = std::string(domain::CodeOf(f.relation));
    m.name = f.name;
    if (!f.id_number.empty()) {
      m.id_enc = deps_.keys.Encrypt(f.id_number, kCtxMemberId);
      m.id_bidx = deps_.keys.BlindIndex(f.id_number, kIdxId);
      m.id_masked = domain::MaskIdNumber(f.id_number);
    }
    if (!f.phone.empty()) {
      m.phone_enc = deps_.keys.Encrypt(f.phone, kCtxMemberPhone);
      m.phone_bidx = deps_.keys.BlindIndex(f.phone, kIdxPhone);
      m.phone_masked = domain::MaskPhone(f.phone);
    }
    m.state = std::string(domain::CodeOf(f.state));
    m.state_since = f.state_since.IsSet() ? f.state_since.ToYyyymmdd() : 0;
    m.restriction_months = f.restriction_months;
    m.disability_type = std::string(domain::CodeOf(f.disability_type));
    m.disability_grade = f.disability_grade;
    m.illness = f.illness;
    m.work_city = f.work_city;
    m.work_region_code = f.work_region_code;
    m.works_outside = f.works_outside_hukou_county == domain::TriState::kYes  ? "yes"
                      : f.works_outside_hukou_county == domain::TriState::kNo ? "no"
                                                                              : "unknown";
    m.lives_with_child = f.lives_with_child;
    members.push_back(std::move(m));
  }
  // Evaluate with the domain child directly (the generator's view is complete).
  domain::EvaluateCategories(d, config_, Date::FromEpochMillisShanghai(now), scratch);
  std::vector<std::string> met;
  for (const auto& v : scratch->verdicts) {
    if (v.outcome == domain::Outcome::kMet) met.push_back(v.category_code);
  }
  r.categories = JoinCodes(met);
  r.next_change_date = scratch->next_change.IsSet() ? scratch->next_change.ToYyyymmdd() : 0;
  if (d.guardian.member_index >= 0 && d.guardian.member_index < static_cast<int>(members.size())) {
    rows.guardian_member = d.guardian.member_index;
  }
  for (const auto& v : scratch->verdicts) {
    if (v.outcome == domain::Outcome::kNotMet) continue;
    repo::CategoryRecord k;
    k.code = v.category_code;
    k.outcome = std::string(domain::CodeOf(v.outcome));
    k.rule_id = v.rule_id;
    k.reason = v.reason;
    k.met_since = v.met_since.IsSet() ? v.met_since.ToYyyymmdd() : 0;
    k.ends_on = v.ends_on.IsSet() ? v.ends_on.ToYyyymmdd() : 0;
    k.next_change = v.next_change.IsSet() ? v.next_change.ToYyyymmdd() : 0;
    k.met = v.outcome == domain::Outcome::kMet;
    rows.categories.push_back(std::move(k));
  }
  rows.tokens = BuildTokens(deps_.keys, r, members, d.id_number);
  return out.Add(std::move(rows));
}

}  // namespace th::service
