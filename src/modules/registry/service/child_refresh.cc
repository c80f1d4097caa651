// ChildService: the nightly re-evaluation of category verdicts and bulk generation (demo loads).
#include "modules/registry/service/child_service_internal.h"

namespace th::service {

using namespace child_internal;  // NOLINT: this file is part of the registry service

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
// Long: two reader threads and one version-checked writer share the block cursor; see the comment above.
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

// Long: maps one generated child and its family onto the bulk writer's rows, field by field.
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
