#pragma once
// Cases (个案) and assessments (双评估 + 监护评估) with colour grades (README.md beside
// src/modules/cases). A case opens for a child of the registry (from the roll, a report or a
// worker's decision: 接案 with source and reason), is assigned to a social worker of the station or
// the community's 儿童主任 and moves intake → assessing → planning → intervening → reviewing →
// closed (case_workflow.h, a declarative table). One open case per child (409 case_open).
// Assessments are filled on forms that are data (config/assessments/*.json, domain/assessment_form.h),
// drafted and completed; a completed assessment is immutable and keeps its form version and answers.
// A completed risk assessment sets the child's grade (registry SetRiskGrade) and tells the grade
// listeners in the same transaction. Scope: the child's unit path (the case copies it); a case out
// of scope reads as not found. Every read and change is audited.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/service/principal.h"

namespace th::storage {
class Connection;
}

namespace th::service {

// ------------------------------------------------------------------------------------------------
// The contract other modules build on (plans: the case, its needs and the move planning →
// intervening; the app: the grade hook).

struct CaseFacts {
  std::int64_t id = 0, child_id = 0, unit_id = 0;  // unit_id: the child's community
  std::string unit_path;                           // that unit's path ("/1/2/3/")
  std::int64_t district_unit_id = 0;
  std::string status;  // intake|assessing|planning|intervening|reviewing|closed
  std::optional<std::int64_t> worker_user_id;
  std::string grade;  // the child's current risk grade code ("" before a risk assessment)
  std::int64_t version = 0;
};

struct NeedFacts {
  std::string code, name;  // a need category of the needs form (living, safety, ...)
  int level = 0;           // 0 none .. 3 high (the form's need levels)
  std::string note;
};

// Told when a completed risk assessment changes a child's current grade, inside that transaction
// (an error rolls the assessment back). graded_at: epoch ms.
using GradeListener = std::function<Status(storage::Connection&, std::int64_t child_id, const std::string& grade,
                                           std::int64_t graded_at)>;

// Told when a case closes, inside that transaction (an error rolls the closing back): a module ends the
// case's own work there (plans: the plan's open task and review items).
using CaseClosedListener = std::function<Status(storage::Connection&, std::int64_t case_id)>;

class CaseFactsSource {
 public:
  virtual ~CaseFactsSource() = default;
  // case.read and the case's child in the caller's scope, else 403 forbidden / 404 not_found.
  // Not audited here: the caller audits its own read.
  virtual Result<CaseFacts> LoadInScope(storage::Connection& c, const Principal& who, std::int64_t case_id) = 0;
  // The latest completed needs assessment's needs of the case's child (empty when none or when the case
  // does not exist; only needs with level > 0).
  virtual Result<std::vector<NeedFacts>> LatestNeeds(storage::Connection& c, std::int64_t case_id) = 0;
  // LoadInScope and LatestNeeds in one batch (one round trip on PostgreSQL): the plan section's opening.
  virtual Result<std::pair<CaseFacts, std::vector<NeedFacts>>> LoadWithNeeds(storage::Connection& c,
                                                                              const Principal& who,
                                                                              std::int64_t case_id) = 0;
  // Moves the case to `to` (audited as case.move, in the caller's transaction, version bumped,
  // work items synced). 403 without case.write, 404 out of scope, 409 invalid_state when the
  // workflow has no transition from the current status to `to`. e.g. plans moves planning →
  // intervening when a plan is approved.
  virtual Status MoveIn(storage::Connection& c, const Principal& who, std::int64_t case_id, const std::string& to,
                        const std::string& note) = 0;
  // Adds a listener called inside every transaction that completes a risk assessment and so sets
  // the child's current grade. Register at start-up, before serving (not thread-safe).
  virtual void AddGradeListener(GradeListener fn) = 0;
  // Adds a listener called inside every transaction that closes a case. Register at start-up.
  virtual void AddClosedListener(CaseClosedListener fn) = 0;
};

}  // namespace th::service

// ------------------------------------------------------------------------------------------------
// The service (case_service.cc, case_assessments.cc, case_deadlines.cc).
#include "modules/cases/domain/assessment_form.h"
#include "modules/cases/domain/case_config.h"
#include "modules/cases/repo/case_repo.h"
#include "modules/registry/domain/child_records.h"
#include "platform/service/deps.h"
#include "platform/work/work_hooks.h"

namespace th::service {

class ChildService;

struct OpenCaseInput {
  std::int64_t child_id = 0;
  std::string source;  // roll | report | decision
  std::optional<std::int64_t> report_id;
  std::string reason;  // 接案原因, 2..500
  std::optional<std::int64_t> worker_user_id;
};

struct CaseListParams {
  std::string status, grade, q;
  std::optional<std::int64_t> worker_user_id, child_id, unit_id;
  bool open_only = false;
};

struct CaseView {
  repo::CaseRecord record;
  std::vector<repo::CaseEventRecord> events;          // detail only: the timeline
  std::vector<repo::AssessmentRecord> assessments;    // detail only: the child's, newest first
  std::vector<std::string> actions;                   // the actions the caller may take now
};

struct AssessmentInput {
  std::string form;                 // a form code of the deployment's set
  std::string answers_json;         // {"question_id": answer, ...}
  std::optional<std::int64_t> case_id;
  std::int64_t child_id = 0;
  std::string note;
};

struct Comparison {
  repo::AssessmentRecord a, b;
  struct Row {
    std::string section, question_id, text;
    std::string a, b;  // answers in words
    bool changed = false;
  };
  std::vector<Row> rows;
};

class CaseService : public CaseFactsSource {
 public:
  CaseService(Deps& deps, domain::CaseConfig config, domain::FormSet forms, ChildService& children);
  ~CaseService() override;

  const domain::CaseConfig& config() const { return config_; }
  const domain::FormSet& forms() const { return forms_; }

  // Cases. Open: case.write, the child in scope (404), one open case per child (409 case_open),
  // source roll|report|decision, reason 2..500 (a decision needs one; roll/report default one),
  // worker: a user of the child's street or community with case.write (400 invalid_worker); an
  // assignee other than the caller needs case.assign. Opens the case_assess work item.
  Result<CaseView> Open(const Principal& who, const OpenCaseInput& in);
  Result<std::vector<CaseView>> List(const Principal& who, const CaseListParams& p, const repo::Page& page,
                                     std::int64_t* total);
  Result<CaseView> Get(const Principal& who, std::int64_t id);
  // action: assess | plan | intervene | review | close | reopen (case_workflow.h); note required
  // for close and reopen; version checked (409 stale_version).
  Result<CaseView> Act(const Principal& who, std::int64_t id, const std::string& action, const std::string& note,
                       std::int64_t version);
  Result<CaseView> Assign(const Principal& who, std::int64_t id, std::int64_t worker_user_id, std::int64_t version);
  // The accounts Assign accepts for the case (the assign-worker picker): enabled social workers and child
  // directors of the case's community, street or above. The case in scope (404), case.assign (403).
  Result<std::vector<repo::WorkerInfo>> AssignableWorkers(const Principal& who, std::int64_t id);

  // Assessments: drafts are saved with any answers (validated by type), completed with all
  // required answered (400 naming the question's id in `field`). A completed one is immutable
  // (409 invalid_state).
  Result<repo::AssessmentRecord> SaveDraft(const Principal& who, std::optional<std::int64_t> id,
                                           const AssessmentInput& in, std::int64_t version);
  Result<repo::AssessmentRecord> Complete(const Principal& who, std::int64_t id, std::int64_t version);
  Result<repo::AssessmentRecord> GetAssessment(const Principal& who, std::int64_t id);
  Result<std::vector<repo::AssessmentRecord>> ChildAssessments(const Principal& who, std::int64_t child_id);
  Result<Comparison> Compare(const Principal& who, std::int64_t a, std::int64_t b);
  // The assessment `id` on `c` without a permission, scope check or audit (404 when absent), for a
  // module that checks it against its own scoped record (guardianship: the return assessment must
  // be the same child's).
  Result<repo::AssessmentRecord> AssessmentIn(storage::Connection& c, std::int64_t id);
  // The child's latest completed assessment of `kind` on `c`, if any (same terms as AssessmentIn;
  // guardianship: a return assessment must not be superseded by a later one).
  Result<std::optional<repo::AssessmentRecord>> LatestCompletedIn(storage::Connection& c, std::int64_t child_id,
                                                                  const std::string& kind);

  // Assessment deadlines: opens the assessment_due / guardianship_due work items of every child
  // that needs one (set-based: one query per kind); returns how many were opened.
  Result<std::int64_t> EvaluateDeadlines();
  // One child's deadlines after a roll decision (the registry's roll listener, registered by the
  // constructor; in the decision's transaction): a child now on the roll gets the items it is due at
  // once (as EvaluateDeadlines would open them within the hour), a child off the roll has its open
  // assessment_due / guardianship_due items closed.
  Status OnRollChange(storage::Connection& c, std::int64_t child_id);
  // EvaluateDeadlines opens each batch's items one by one (work::Open, the path before helper
  // bulkopen, session 7) instead of with work::OpenMany; the same rows either way. Kept to compare
  // the two (the tests, `tonghu cases evaluate --one-by-one`). Set before EvaluateDeadlines.
  void SetOpenOneByOne(bool on) { open_one_by_one_ = on; }

  // CaseFactsSource.
  Result<CaseFacts> LoadInScope(storage::Connection& c, const Principal& who, std::int64_t case_id) override;
  Result<std::vector<NeedFacts>> LatestNeeds(storage::Connection& c, std::int64_t case_id) override;
  Result<std::pair<CaseFacts, std::vector<NeedFacts>>> LoadWithNeeds(storage::Connection& c, const Principal& who,
                                                                      std::int64_t case_id) override;
  Status MoveIn(storage::Connection& c, const Principal& who, std::int64_t case_id, const std::string& to,
                const std::string& note) override;
  void AddGradeListener(GradeListener fn) override { grade_listeners_.push_back(std::move(fn)); }
  void AddClosedListener(CaseClosedListener fn) override { closed_listeners_.push_back(std::move(fn)); }

 private:
  Result<repo::CaseRecord> LoadScoped(storage::Connection& c, const Principal& who, std::int64_t id);
  std::vector<std::string> ActionsFor(const Principal& who, const repo::CaseRecord& k) const;
  // Takes `action` on `k` (table-checked, note and permission), writes it, the timeline event,
  // the work item and the audit entry.
  Status Move(storage::Connection& c, const Principal& who, repo::CaseRecord& k, const std::string& action,
              const std::string& note);
  Status Record(storage::Connection& c, const Principal& who, repo::CaseRecord& k, const std::string& action,
                const std::string& from, const std::string& note);
  Result<repo::ChildRecord> ChildInScope(storage::Connection& c, const Principal& who, std::int64_t child_id);
  Result<repo::AssessmentRecord> LoadAssessment(storage::Connection& c, const Principal& who, std::int64_t id);
  Status CheckCaseOfChild(repo::CaseRepo& repo, const std::optional<std::int64_t>& case_id, std::int64_t child_id);
  // Sets the child's grade (registry) and calls the grade listeners.
  Status ApplyGrade(storage::Connection& c, const Principal& who, const repo::AssessmentRecord& a);
  Result<std::int64_t> EvaluateKind(const std::string& kind, const std::vector<std::string>& categories);
  // The deadline item of `kind` ("risk", "guardianship") the child `d` is due (owner, clock start).
  work::WorkOpen DueItem(const std::string& kind, const repo::DueChild& d) const;
  Status OpenDue(storage::Connection& c, const std::string& kind, const repo::DueChild& d);

  Deps& deps_;
  domain::CaseConfig config_;
  domain::FormSet forms_;
  ChildService& children_;
  std::vector<GradeListener> grade_listeners_;
  std::vector<CaseClosedListener> closed_listeners_;
  std::shared_ptr<AuditQueue> read_audit_;  // Deps::read_audit
  bool open_one_by_one_ = false;
};

}  // namespace th::service
