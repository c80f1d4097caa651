// ScreeningService: processing a batch (matching against the registry, applying the rules) and recovery.
#include "platform/work/work_hooks.h"
#include "modules/screening/service/screening_internal.h"

namespace th::service {

using namespace screening_internal;  // NOLINT: this file is part of the screening service

namespace {

// What a rule is checked against: a department row with its best registry match, or (for
// registry_absent rules) a registry child no row matched.
struct Subject {
  const repo::BatchRow* row = nullptr;          // null for registry_absent
  const repo::MatchChild* child = nullptr;      // matched / absent child
  bool lives_here = false, hukou_outside = false;
  int child_age = 0;
};

bool In(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// True when `rule`'s batch.*, record.* and child.* conditions hold for `s` (bands and fallback
// are the caller's).
bool RuleHolds(const ScreeningRule& rule, const repo::ScreeningBatchRecord& batch, const std::string& dept_type,
               const Subject& s) {
  if (!rule.source_dept_types.empty() && !In(rule.source_dept_types, dept_type)) return false;
  if (rule.complete_roster && *rule.complete_roster != batch.complete_roster) return false;
  if (const repo::BatchRow* r = s.row) {
    if (!rule.disability_grades.empty() &&
        std::find(rule.disability_grades.begin(), rule.disability_grades.end(), r->disability_grade) ==
            rule.disability_grades.end()) {
      return false;
    }
    if (!rule.assistance.empty()) {
      bool any = false;
      for (const auto& a : rule.assistance) any = any || Contains("," + r->assistance + ",", "," + a + ",");
      if (!any) return false;
    }
    if (!rule.parent_states.empty()) {
      auto in = [&](const std::string& st) { return !st.empty() && In(rule.parent_states, st); };
      if (!in(r->father_state) && !in(r->mother_state)) return false;
    }
    if (rule.school && *rule.school != !r->school_name.empty()) return false;
    if (rule.hukou_outside_district && *rule.hukou_outside_district != s.hukou_outside) return false;
    if (rule.lives_in_jurisdiction && *rule.lives_in_jurisdiction != s.lives_here) return false;
  } else if (!rule.disability_grades.empty() || !rule.assistance.empty() || !rule.parent_states.empty() ||
             rule.school || rule.hukou_outside_district) {
    return false;
  }
  bool needs_child = rule.child_disabled || !rule.child_roll_status.empty() || rule.child_age_at_least ||
                     rule.child_age_min || rule.child_age_max || !rule.child_school_stage_not.empty();
  if (!needs_child) return true;
  if (!s.child) return false;
  const repo::ChildRecord& c = s.child->child;
  if (rule.child_disabled) {
    bool disabled = c.disability_type != "none" && c.disability_grade > 0;
    if (disabled != *rule.child_disabled) return false;
  }
  if (!rule.child_roll_status.empty() && !In(rule.child_roll_status, c.roll_status)) return false;
  if (rule.child_age_at_least && s.child_age < *rule.child_age_at_least) return false;
  if (rule.child_age_min && s.child_age < *rule.child_age_min) return false;
  if (rule.child_age_max && s.child_age > *rule.child_age_max) return false;
  if (In(rule.child_school_stage_not, c.school_stage)) return false;
  return true;
}

// A finding decided in memory, written at the end.
struct PendingFinding {
  const ScreeningRule* rule = nullptr;
  std::size_t row = 0;                       // index into the batch's rows (record rules)
  const repo::MatchChild* child = nullptr;   // registry_absent: the absent child
  std::string reason;
  std::optional<std::int64_t> community_id;
};

constexpr const char* kStopping = "screening_stopping";
constexpr const char* kClaimLost = "screening_claim_lost";

}  // namespace

Result<std::int64_t> ScreeningService::RunPending() {
  std::int64_t n = 0;
  while (!stop_.load()) {
    TH_ASSIGN_OR_RETURN(bool ran, RunOne());
    if (!ran) break;
    ++n;
  }
  return n;
}

Result<std::int64_t> ScreeningService::RecoverInterrupted(std::optional<std::int64_t> stale_ms) {
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int64_t stale = stale_ms.value_or(rules_.stale_after_seconds * 1000);
  std::int64_t n = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    TH_ASSIGN_OR_RETURN(n, repo::ScreeningRepo(c).RecoverStale(
                               now - stale, rules_.max_attempts,
                               "处理多次中断(服务器停止或崩溃)，已停止重试; 请重新上传 / processing was interrupted " +
                                   std::to_string(rules_.max_attempts) + " times; upload the file again",
                               now));
    return Status::Ok();
  }));
  return n;
}

Result<bool> ScreeningService::RunOne() {
  std::optional<std::int64_t> id;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(id, repo::ScreeningRepo(*h).NextQueued());
  }
  if (!id) return false;
  bool claimed = false;
  std::int64_t attempt = 0;
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::ScreeningRepo repo(c);
    TH_ASSIGN_OR_RETURN(claimed, repo.Claim(*id, deps_.clock.NowMillis()));
    if (!claimed) return Status::Ok();
    TH_ASSIGN_OR_RETURN(auto b, repo.GetBatch(*id));
    attempt = b.attempts;
    return Status::Ok();
  }));
  if (!claimed) return true;  // another worker took it; look for the next one
  Status st = Process(*id, attempt);
  if (st.ok() || st.error_code() == kClaimLost) return true;
  const bool requeue = st.error_code() == kStopping;
  std::string error = requeue ? "" : st.message_zh() + (st.message_en() != st.message_zh() ? " / " + st.message_en() : "");
  TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    return repo::ScreeningRepo(c).EndAttempt(*id, attempt, requeue, error, deps_.clock.NowMillis()).status();
  }));
  return true;
}

// Long: one batch in one pass (read records, link against the registry, apply every rule, write findings and tasks) with heartbeats; its stages share the linkage result and the rule context.
Status ScreeningService::Process(std::int64_t batch_id, std::int64_t attempt) {
  repo::ScreeningBatchRecord batch;
  repo::DataSourceRecord source;
  repo::OrgUnit caller_unit;
  std::vector<repo::OrgUnit> units;
  std::vector<repo::BatchRow> rows;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    repo::ScreeningRepo repo(*h);
    TH_ASSIGN_OR_RETURN(batch, repo.GetBatch(batch_id));
    TH_ASSIGN_OR_RETURN(source, repo.GetSource(batch.source_id));
    TH_ASSIGN_OR_RETURN(caller_unit, repo::OrgRepo(*h).Get(batch.org_unit_id));
    TH_ASSIGN_OR_RETURN(units, repo::OrgRepo(*h).ListSubtree(batch.unit_path));
    TH_ASSIGN_OR_RETURN(rows, repo.Rows(batch_id));
  }
  const std::int64_t total = static_cast<std::int64_t>(rows.size());
  const domain::Date ref_date = [&] {
    auto d = domain::DateFromYyyymmdd(batch.reference_date);
    return d.ok() ? *d : domain::Date::FromEpochMillisShanghai(batch.created_at);
  }();

  // Stage and records processed, committed so every server sees them; written at each stage
  // change and about every 5% within one. A lost claim or a stop request ends the attempt here.
  std::string last_stage;
  std::int64_t last_written = 0;
  auto progress = [&](const std::string& stage, std::int64_t processed) -> Status {
    const std::int64_t step = std::max<std::int64_t>(1, total / 20);
    if (stage == last_stage && processed < total && processed - last_written < step) return Status::Ok();
    if (stop_.load()) {
      return Status::Error(Code::kUnavailable, kStopping, "服务器正在停止，批次已重新排队", "Server stopping; batch re-queued");
    }
    last_stage = stage;
    last_written = processed;
    bool still = false;
    TH_RETURN_IF_ERROR(InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
      TH_ASSIGN_OR_RETURN(still, repo::ScreeningRepo(c).Progress(batch_id, attempt, stage, processed,
                                                                 deps_.clock.NowMillis()));
      return Status::Ok();
    }));
    if (!still) return Status::Error(Code::kConflict, kClaimLost, "批次已由其他进程处理", "Batch claimed elsewhere");
    return Status::Ok();
  };
  TH_RETURN_IF_ERROR(progress("loading", 0));

  std::map<std::int64_t, const repo::OrgUnit*> unit_by_id;
  for (const auto& u : units) unit_by_id[u.id] = &u;
  auto path_of = [&](std::int64_t unit_id) -> std::string {
    if (auto it = unit_by_id.find(unit_id); it != unit_by_id.end()) return it->second->path;
    return batch.unit_path;
  };
  auto unit_of_path = [&](const std::string& path) -> const repo::OrgUnit* {
    for (const auto& u : units) {
      if (u.path == path) return &u;
    }
    return nullptr;
  };
  std::string county_prefix;
  if (caller_unit.code.size() >= 6 && caller_unit.level != "city") county_prefix = caller_unit.code.substr(0, 6);
  if (caller_unit.level == "city" && caller_unit.code.size() >= 4) county_prefix = caller_unit.code.substr(0, 4);

  // Registry of the uploader's jurisdiction, identifiers unsealed in memory for the engine only.
  repo::ChildScope scope;
  if (caller_unit.level == "city") scope = {"city", caller_unit.id};
  else if (caller_unit.level == "district") scope = {"district_id", caller_unit.id};
  else if (caller_unit.level == "street") scope = {"street_id", caller_unit.id};
  else if (caller_unit.level == "community") scope = {"community_id", caller_unit.id};
  else scope = {"grid_id", caller_unit.id};
  std::vector<repo::MatchChild> registry;
  {
    TH_ASSIGN_OR_RETURN(auto h, deps_.db.Acquire());
    TH_ASSIGN_OR_RETURN(registry, repo::ScreeningRepo(*h).RegistryForMatching(scope));
  }
  std::vector<linkage::Record> reg(registry.size()), src(rows.size());
  for (std::size_t i = 0; i < registry.size(); ++i) {
    const repo::ChildRecord& c = registry[i].child;
    linkage::Record& r = reg[i];
    r.id = std::to_string(c.id);
    r.name = c.name;
    r.sex = c.sex;
    r.birth_date = BirthString(c.birth_date);
    auto id = children_.UnsealIdNumber(c);
    if (id.ok()) r.id_number = *id;
    r.father_name = registry[i].father_name;
    r.mother_name = registry[i].mother_name;
    r.guardian_name = c.guardian_name;
    auto phone = children_.UnsealGuardianPhone(c);
    if (phone.ok()) r.guardian_phone = *phone;
    r.hukou_address = c.hukou_address;
    r.residence_address = c.residence_address;
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const repo::BatchRow& row = rows[i];
    linkage::Record& r = src[i];
    r.id = std::to_string(row.line);
    r.name = row.name;
    r.sex = row.sex;
    r.birth_date = row.birth_date;
    if (!row.id_enc.empty()) {
      TH_ASSIGN_OR_RETURN(r.id_number, deps_.keys.Decrypt(row.id_enc, kCtxRecordId));
    }
    if (!row.phone_enc.empty()) {
      TH_ASSIGN_OR_RETURN(r.guardian_phone, deps_.keys.Decrypt(row.phone_enc, kCtxRecordPhone));
    }
    r.father_name = row.father_name;
    r.mother_name = row.mother_name;
    r.guardian_name = row.guardian_name;
    r.hukou_address = row.hukou_address;
    r.residence_address = row.residence_address;
  }
  TH_RETURN_IF_ERROR(progress("matching", 0));
  linkage::LinkConfig cfg;
  cfg.link_threshold = rules_.link_threshold;
  cfg.review_threshold = rules_.review_threshold;
  cfg.reference_days = text::DaysFromCivil({ref_date.year, ref_date.month, ref_date.day});
  Status stage_error;
  cfg.progress = [&](const char*, double fraction) {
    if (!stage_error.ok()) return;
    stage_error = progress("matching", static_cast<std::int64_t>(fraction * static_cast<double>(total)));
  };
  auto linked = linkage::Link(reg, src, cfg);
  if (!linked.ok()) return linked.status();
  TH_RETURN_IF_ERROR(stage_error);
  TH_RETURN_IF_ERROR(progress("rules", 0));

  auto age_of = [&](const repo::MatchChild& mc) {
    auto b = domain::DateFromYyyymmdd(mc.child.birth_date);
    return b.ok() ? domain::AgeOn(*b, ref_date) : 0;
  };
  std::vector<PendingFinding> pending;
  std::set<std::int64_t> seen_children;  // matched (link) or candidates (review) of some row
  batch.records = batch.matched = batch.review = batch.unmatched = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    repo::BatchRow& r = rows[i];
    const linkage::Match& m = linked->matches[i];
    const repo::MatchChild* mc = m.registry_index >= 0 && m.band != linkage::Band::kNoLink
                                     ? &registry[static_cast<std::size_t>(m.registry_index)]
                                     : nullptr;
    r.band = linkage::BandName(m.band);
    r.probability = m.probability;
    if (mc) {
      r.child_id = mc->child.id;
      seen_children.insert(mc->child.id);
    }
    // The best candidate's field agreement, even below review, so a worker can see why.
    if (m.registry_index >= 0) r.explanation = linkage::ExplainText(linked->model, m);
    ++batch.records;
    if (m.band == linkage::Band::kLink) ++batch.matched;
    if (m.band == linkage::Band::kReview) ++batch.review;
    if (m.band == linkage::Band::kNoLink) ++batch.unmatched;

    Subject subj;
    subj.row = &r;
    subj.child = mc;
    subj.lives_here = r.community_id.has_value();
    if (!county_prefix.empty()) {
      if (r.hukou_region_code.size() >= county_prefix.size()) {
        subj.hukou_outside = r.hukou_region_code.compare(0, county_prefix.size(), county_prefix) != 0;
      } else if (!r.hukou_address.empty()) {
        subj.hukou_outside = !Contains(r.hukou_address, caller_unit.name);
      }
    }
    subj.child_age = mc ? age_of(*mc) : 0;
    std::map<std::string, std::string> vars = {
        {"name", r.name},
        {"birth_date", r.birth_date},
        {"disability_type", r.disability_type},
        {"disability_grade", std::to_string(r.disability_grade)},
        {"assistance", AssistanceZh(r.assistance)},
        {"school_name", r.school_name},
        {"hukou_address", r.hukou_address.empty() ? r.hukou_region_code : r.hukou_address},
        {"father_state", StateZh(r.father_state)},
        {"mother_state", StateZh(r.mother_state)},
        {"child_name", mc ? mc->child.name : ""},
        {"child_roll_status", mc ? mc->child.roll_status : ""},
        {"child_age", std::to_string(subj.child_age)},
        {"probability", FormatProbability(m.probability)},
        {"file_name", batch.file_name},
        {"source_name", source.name},
    };
    bool fired = false;
    for (const ScreeningRule& rule : rules_.rules) {
      if (rule.applies_to != "record") continue;
      if (rule.fallback && fired) continue;
      if (!rule.bands.empty() && !In(rule.bands, r.band)) continue;
      if (!RuleHolds(rule, batch, source.dept_type, subj)) continue;
      fired = true;
      PendingFinding f;
      f.rule = &rule;
      f.row = i;
      f.child = mc;
      f.reason = Replace(rule.reason, vars);
      f.community_id = mc ? std::optional<std::int64_t>(mc->child.community_id) : r.community_id;
      pending.push_back(std::move(f));
    }
    TH_RETURN_IF_ERROR(progress("rules", static_cast<std::int64_t>(i) + 1));
  }
  // Registry children no row matched (only for the batches such a rule accepts: a complete
  // roster from the named source types).
  for (const ScreeningRule& rule : rules_.rules) {
    if (rule.applies_to != "registry_absent") continue;
    if (!In(rule.source_dept_types, source.dept_type) || !batch.complete_roster) continue;
    for (const auto& mc : registry) {
      if (seen_children.count(mc.child.id)) continue;
      Subject subj;
      subj.child = &mc;
      subj.child_age = age_of(mc);
      if (!RuleHolds(rule, batch, source.dept_type, subj)) continue;
      PendingFinding f;
      f.rule = &rule;
      f.child = &mc;
      f.reason = Replace(rule.reason, {{"child_name", mc.child.name},
                                       {"child_birth_date", BirthString(mc.child.birth_date)},
                                       {"child_age", std::to_string(subj.child_age)},
                                       {"child_roll_status", mc.child.roll_status},
                                       {"file_name", batch.file_name.empty() ? "-" : batch.file_name},
                                       {"source_name", source.name}});
      f.community_id = mc.child.community_id;
      pending.push_back(std::move(f));
    }
  }
  TH_RETURN_IF_ERROR(progress("writing", total));
  TH_RETURN_IF_ERROR(Fault("before_write"));

  // Match results, findings, tasks and status done in one transaction: until it commits the
  // batch shows none of them, and a failure leaves none of them.
  const std::int64_t now = deps_.clock.NowMillis();
  const std::int32_t due = ref_date.AddDays(rules_.due_days).ToYyyymmdd();
  return InTransaction(deps_.db, [&](storage::Connection& c) -> Status {
    repo::ScreeningRepo repo(c);
    for (const auto& r : rows) {
      if (r.child_id || r.band != "no_link" || !r.explanation.empty()) TH_RETURN_IF_ERROR(repo.SetRowMatch(r));
    }
    std::int64_t findings = 0;
    for (auto& p : pending) {
      repo::FindingRecord f;
      f.batch_id = batch_id;
      f.rule_id = p.rule->id;
      f.reason = p.reason;
      if (p.rule->applies_to == "registry_absent") {
        // The subject has no department row: a registry-origin row stands for the child.
        repo::BatchRow stand_in;
        stand_in.batch_id = batch_id;
        stand_in.origin = "registry";
        stand_in.name = p.child->child.name;
        stand_in.sex = p.child->child.sex;
        stand_in.birth_date = BirthString(p.child->child.birth_date);
        stand_in.community_id = p.child->child.community_id;
        stand_in.child_id = p.child->child.id;
        stand_in.band = "no_link";
        TH_RETURN_IF_ERROR(repo.InsertRow(stand_in));
        f.record_id = stand_in.id;
      } else {
        f.record_id = rows[p.row].id;
      }
      if (p.child) f.child_id = p.child->child.id;
      f.community_id = p.community_id;
      f.unit_path = f.community_id ? path_of(*f.community_id) : batch.unit_path;
      f.created_at = now;
      TH_RETURN_IF_ERROR(repo.InsertFinding(f));
      repo::TaskRecord task;
      task.finding_id = f.id;
      task.community_id = f.community_id;
      task.unit_path = f.unit_path;
      task.due_date = due;
      task.created_at = now;
      TH_RETURN_IF_ERROR(repo.InsertTask(task));
      // The work item for the community's 儿童主任 (or whoever works the batch's unit).
      const repo::OrgUnit* owner = unit_of_path(task.unit_path);
      if (!owner) return Status::Internal("verification task unit " + task.unit_path + " missing");
      TH_RETURN_IF_ERROR(
          work::Sync(deps_.work.get(), c, "verification_task", task.id, TaskWork(task.id, *owner, now)).status());
      ++findings;
    }
    TH_RETURN_IF_ERROR(Fault("after_findings"));
    batch.processed = total;
    batch.finished_at = now;
    TH_ASSIGN_OR_RETURN(bool finished, repo.Finish(batch, attempt));
    if (!finished) return Status::Error(Code::kConflict, kClaimLost, "批次已由其他进程处理", "Batch claimed elsewhere");
    // The uploader stays the actor of record; the worker acts on their upload.
    Principal actor;
    actor.user_id = batch.uploaded_by;
    actor.username = "screening-worker";
    actor.display_name = batch.uploaded_by_name.empty() ? "后台排查" : batch.uploaded_by_name;
    actor.org_path = batch.unit_path;
    return WriteAudit(c, deps_.clock, &actor, "",
                      {"screening.batch", "screening_batch", std::to_string(batch_id), batch.unit_path, "",
                       JsonObjectWriter()
                           .Int("source_id", source.id)
                           .Str("file_name", batch.file_name)
                           .Int("records", batch.records)
                           .Int("matched", batch.matched)
                           .Int("review", batch.review)
                           .Int("findings", findings)
                           .Int("attempt", attempt)
                           .Finish(),
                       batch.file_name.empty() ? "screening" : "screening: " + batch.file_name});
  });
}

}  // namespace th::service
