#pragma once
// Early warnings (预警): rules as data (config/warnings/*.json, domain/warning_rules.h) evaluated
// over the other modules' data when it changes (a grade, a change to a child's file or family, a
// roll decision, a report linked to a child) and nightly over every child. Each warning is one open
// row per (rule, child) and a `warning` work item (config/workflows/warnings.json) owned by the
// rule's unit (the child's community or street) with the rule's reason in words. A person closes it
// (已处置 / 误报, with a note); the nightly run closes it with a recorded reason when the condition
// has cleared. Scope: the child's unit path (its grid's or community's) in the caller's subtree, else
// 404; warning.read / warning.handle, else 403. Reads and every change are audited.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "modules/warnings/domain/warning_rules.h"
#include "modules/warnings/repo/warnings_repo.h"
#include "platform/service/deps.h"

namespace th::service {

struct WarningListParams {
  std::string rule_code, status;  // status: "" | open | closed | handled | false_alarm | cleared
  std::optional<std::int64_t> street_id, community_id, child_id;
};

struct WarningEvaluateResult {
  std::int64_t children = 0, hits = 0, raised = 0, cleared = 0, kept = 0;
};

// One (rule, child) whose condition holds, with the reason in words.
struct WarningHit {
  std::string rule_code;
  std::int64_t child_id = 0;
  std::string reason;
};

class WarningService {
 public:
  WarningService(Deps& deps, domain::WarningConfig config);
  ~WarningService();
  const domain::WarningConfig& config() const { return config_; }

  // Raises a warning of `rule_code` (a configured rule; `manual` for a person's) on the child with
  // `reason_zh` at `at` (epoch ms), in the caller's transaction: inserts it and opens its `warning`
  // work item. Idempotent per (rule, child) while a warning is open (then nothing changes). Errors:
  // 400 invalid_enum (unknown rule), 400 invalid (reason empty or > 2000 characters, control
  // characters), 404 not_found (no such child). Audited warning.raise (by the system).
  Status Raise(storage::Connection& c, const std::string& rule_code, std::int64_t child_id, const std::string& reason_zh,
               std::int64_t at);
  // The nightly run's raises in bulk, in the caller's transaction: for each hit whose rule is
  // configured and whose child is in `children`, what Raise writes (the warning, its work item, its
  // audit entry), with multi-row statements. The caller has left out the (rule, child) pairs open
  // or suppressed when it read them; a pair raised meanwhile by another transaction is skipped (the
  // partial unique index: no item, no audit entry). Returns how many were raised.
  Result<std::int64_t> RaiseMany(storage::Connection& c, const std::vector<WarningHit>& hits,
                                 const std::map<std::int64_t, repo::WarningChild>& children, std::int64_t at);
  // The data-change hook (grade, file or family change, roll decision, report linked): evaluates
  // every rule for the one child in the caller's transaction and raises what holds (never closes:
  // clearing is the nightly run's). not_found when the child does not exist.
  Status OnChildChanged(storage::Connection& c, std::int64_t child_id);
  // Same for the grade listener's signature (cases' AddGradeListener).
  Status OnGrade(storage::Connection& c, std::int64_t child_id, const std::string& grade, std::int64_t graded_at);
  // The nightly evaluation over every child (blocks of ids read outside write transactions, one
  // query per rule a block): raises the new hits and closes the open warnings of auto-closing rules
  // whose condition no longer holds (status cleared, the reason recorded). Idempotent.
  Result<WarningEvaluateResult> Evaluate();
  // With `on` the nightly run raises hit by hit (RaiseIn: a statement or more per row, the path before
  // session 7) instead of in bulk (RaiseMany); the same rows either way. Kept to compare the two
  // (the tests, `tonghu warnings evaluate --one-by-one` for bench/warnings). Set before Evaluate.
  void SetRaiseOneByOne(bool on) { one_by_one_ = on; }
  // The rules' hits for children lo..hi (for tests and the nightly run).
  Result<std::vector<WarningHit>> HitsBetween(storage::Connection& c, std::int64_t lo, std::int64_t hi);

  // Warnings in scope, open first then newest (warning.read; bad status or rule 400 invalid_enum).
  Result<std::vector<repo::WarningRecord>> List(const Principal& who, const WarningListParams& p, const repo::Page& page,
                                                std::int64_t* total);
  // One warning (warning.read, scope → 404); audited warning.read.
  Result<repo::WarningRecord> Get(const Principal& who, std::int64_t id);
  // Closes a warning by a person: outcome handled (已处置) | false_alarm (误报), a note of 2..2000
  // characters (400), at `version` (409 stale_version); 409 invalid_state when it is not open.
  // warning.handle, scope → 404. Closes its work item. Audited warning.handle.
  Result<repo::WarningRecord> Handle(const Principal& who, std::int64_t id, const std::string& outcome,
                                     const std::string& note, std::int64_t version);
  // A person raises a warning on a child in scope (warning.handle; rule default `manual`; 404 out of
  // scope). *created false when one of that rule was already open for the child (it is returned).
  Result<repo::WarningRecord> RaiseManual(const Principal& who, std::int64_t child_id, const std::string& rule_code,
                                          const std::string& reason, bool* created);
  // Open warnings by rule in the caller's scope (warning.read).
  Result<std::vector<repo::WarningRuleCount>> OpenByRule(const Principal& who);

  // A work-item subject type whose subject is not a child (e.g. a guardianship intervention): how to
  // find its child, for work_overdue rules listing that subject type. Registered while the app builds.
  using SubjectChild = std::function<Result<std::optional<std::int64_t>>(storage::Connection&, std::int64_t subject_id)>;
  void AddSubjectResolver(const std::string& subject_type, SubjectChild fn) { resolvers_[subject_type] = std::move(fn); }

  // Nightly worker: evaluates at start and when the day (Asia/Shanghai) changes; Stop joins it.
  void StartNightly(std::int64_t poll_ms = 60000);
  void StopNightly();

 private:
  struct Pending;
  repo::ChildScope ScopeOf(const Principal& who) const;
  // `checked`: the caller already knows no warning of (rule, child) is open or suppressed (the nightly
  // run read them for the block), so the two reads are skipped.
  Result<bool> RaiseIn(storage::Connection& c, const domain::WarningRule& rule, const repo::WarningChild& child,
                       const std::string& reason, std::int64_t at, const Principal* who, bool checked = false);
  Status ClearIn(storage::Connection& c, const repo::WarningRecord& w, std::int64_t now);
  Status HitsOf(storage::Connection& c, const domain::WarningRule& rule, std::int64_t lo, std::int64_t hi,
                std::int64_t now, std::map<std::pair<std::string, std::int64_t>, std::vector<std::string>>* out);
  Status WorkHits(storage::Connection& c, const domain::WarningRule& rule, std::int64_t lo, std::int64_t hi,
                  std::int64_t now, std::map<std::pair<std::string, std::int64_t>, std::vector<std::string>>* out);
  Status EvaluateBlock(std::int64_t lo, std::int64_t hi, std::int64_t now, WarningEvaluateResult* out);

  Deps& deps_;
  domain::WarningConfig config_;
  std::map<std::string, SubjectChild> resolvers_;
  std::shared_ptr<AuditQueue> read_audit_;  // Deps::read_audit
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool one_by_one_ = false;
  std::thread nightly_;
};

}  // namespace th::service
