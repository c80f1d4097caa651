// ChildService: scope, file CRUD, category verdicts (the other parts: child_family.cc, child_reveal.cc, child_roll.cc, child_refresh.cc).
// About 600 lines: the file's core (scope, input, verdicts, CRUD); the other parts are split out.
#include "modules/registry/service/child_service.h"

#include "modules/registry/repo/registry_jurisdiction_repo.h"
#include "modules/registry/service/child_service_internal.h"
#include "modules/registry/service/roll_workflow.h"
#include "platform/work/work_hooks.h"

namespace th::service {

using namespace child_internal;  // NOLINT: this file is part of the registry service

namespace {

// The pending requests a move touched follow their child's new street (or district): their work
// items pass to the new owner, keeping their deadlines.
Status ReassignRollWork(Deps* deps, storage::Connection& c, const repo::OrgUnit* unit, std::int64_t child_id) {
  if (!deps->work) return Status::Ok();
  TH_ASSIGN_OR_RETURN(auto pending, repo::RegistryJurisdictionRepo(c).PendingRequests(unit, child_id));
  for (const auto& q : pending) {
    if (auto w = RollWork(q, q.status)) {
      TH_RETURN_IF_ERROR(deps->work->Reassign(c, "roll_request", q.id, w->kind, w->owner_unit_id));
    }
  }
  return Status::Ok();
}

}  // namespace

ChildService::ChildService(Deps& deps, domain::CategoryConfig config) : deps_(deps), config_(std::move(config)) {
  // The registry's copies of a jurisdiction move with units and children (deps.h JurisdictionHooks).
  Deps* d = &deps;
  deps.jurisdiction.unit_moved["registry"] = [d](storage::Connection& c, const repo::OrgUnit& before,
                                                 const std::string& new_path) -> Status {
    TH_RETURN_IF_ERROR(repo::RegistryJurisdictionRepo(c).AfterUnitMove(before, new_path));
    TH_RETURN_IF_ERROR(ReassignRollWork(d, c, &before, 0));
    // A grid moved to another community moved each of its children to that community: the modules' copies of a
    // child's community (cases, plans, visits, warnings...) follow through their child hooks. (A street or
    // community move keeps every child's community: the path rewrites of the unit hooks carry those.)
    if (before.level != "grid") return Status::Ok();
    TH_ASSIGN_OR_RETURN(auto kids, repo::RegistryJurisdictionRepo(c).ChildrenOfGrid(before.id));
    for (const std::int64_t id : kids) {
      for (const auto& [name, fn] : d->jurisdiction.child_moved) {
        if (name != "registry") TH_RETURN_IF_ERROR(fn(c, id));  // the registry's copies were rewritten above
      }
    }
    return Status::Ok();
  };
  deps.jurisdiction.child_moved["registry"] = [d](storage::Connection& c, std::int64_t child_id) -> Status {
    TH_RETURN_IF_ERROR(repo::RegistryJurisdictionRepo(c).AfterChildMove(child_id));
    return ReassignRollWork(d, c, nullptr, child_id);
  };
}

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

Result<ChildRecord> ChildService::LoadInScope(storage::Connection& c, const Principal& who, std::int64_t id) {
  if (!who.Can(perm::kChildRead)) return Status::Forbidden();
  return LoadScoped(c, who, id);
}

Result<ChildRecord> ChildService::LoadRecord(storage::Connection& c, std::int64_t id) {
  auto r = repo::ChildRepo(c).Get(id);
  if (!r.ok() && r.status().code() == Code::kNotFound) return Status::NotFound("child");
  return r;
}

Status ChildService::SetRiskGrade(storage::Connection& c, const Principal& who, std::int64_t child_id,
                                  const std::string& grade, std::int64_t at) {
  TH_ASSIGN_OR_RETURN(ChildRecord r, LoadRecord(c, child_id));
  TH_RETURN_IF_ERROR(repo::ChildRepo(c).SetRiskGrade(child_id, grade, at));
  return WriteAudit(c, deps_.clock, &who, who.client_ip,
                    {"child.risk_grade", "child", std::to_string(child_id), r.community_path,
                     "{\"risk_grade\":\"" + r.risk_grade + "\"}", "{\"risk_grade\":\"" + grade + "\"}", ""});
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

// Long: one field per block (validate, normalise, seal, copy the jurisdiction) over the file's ~40 fields.
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
    TH_RETURN_IF_ERROR(repo.InsertCategories(r.id, rows));
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
  TH_RETURN_IF_ERROR(Need(who, perm::kChildRead));
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
  if (!p.risk_grade.empty()) {
    if (p.risk_grade.size() > 32) return Status::InvalidEnum("risk_grade", p.risk_grade);
    q.risk_grade = p.risk_grade;
  }
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
  TH_RETURN_IF_ERROR(Need(who, perm::kChildRead));
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
  TH_RETURN_IF_ERROR(Need(who, perm::kChildWrite));
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
  TH_RETURN_IF_ERROR(Need(who, perm::kChildWrite));
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
  TH_RETURN_IF_ERROR(Need(who, perm::kChildWrite));
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
      TH_RETURN_IF_ERROR(deps_.jurisdiction.AfterChildMove(c, id));
    }
    for (const auto& l : change_listeners_) TH_RETURN_IF_ERROR(l(c, id));
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
  TH_RETURN_IF_ERROR(Need(who, perm::kChildWrite));
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
  if (r.community_id != old.community_id || r.grid_id != old.grid_id) {
    // As Mutate: what copies the child's units (requests, cases, interventions...) follows, here.
    TH_RETURN_IF_ERROR(deps_.jurisdiction.AfterChildMove(c, id));
  }
  // As Mutate: the modules that follow a child's file (warnings re-evaluate its rules) hear of the change.
  for (const auto& l : change_listeners_) TH_RETURN_IF_ERROR(l(c, id));
  std::string b, a;
  Diff(before, Snapshot(r, members), &b, &a);
  TH_ASSIGN_OR_RETURN(auto unit, repo::OrgRepo(c).Get(r.community_id));
  TH_RETURN_IF_ERROR(WriteAudit(c, deps_.clock, &who, who.client_ip,
                                {"child.update", "child", std::to_string(id), unit.path, b, a, reason}));
  return r;
}

}  // namespace th::service
