#pragma once
// SQL for the cases module's tables (migration 0021_cases.sql): case_file, case_event,
// assessment, and the child's risk_grade / risk_graded_at columns read for deadlines. Callers
// (the service) own transactions, scope and audit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/records.h"
#include "platform/repo/timeline_repo.h"
#include "storage/connection.h"

namespace th::repo {

struct CaseRecord {
  std::int64_t id = 0;
  std::int64_t child_id = 0;
  std::int64_t unit_id = 0;  // the child's community
  std::string unit_path;     // its path (copied; kept in step by the child/unit move hooks)
  std::int64_t district_unit_id = 0, street_unit_id = 0;
  std::string status;  // intake|assessing|planning|intervening|reviewing|closed
  std::string source;  // roll | report | decision
  std::optional<std::int64_t> report_id;
  std::string reason;
  std::optional<std::int64_t> worker_user_id;
  std::string close_reason;
  std::int64_t opened_by = 0, opened_at = 0;
  std::optional<std::int64_t> closed_at;
  std::int64_t created_at = 0, updated_at = 0, version = 1;
  // Joined in reads: the child's name, grade and the names of the unit and worker.
  std::string child_name, grade, unit_name, worker_name;
};

// The timeline (case_event): owner_id is the case.
using CaseEventRecord = TimelineEvent;
inline constexpr TimelineTable kCaseTimeline{"case_event", "case_id"};

struct AssessmentRecord {
  std::int64_t id = 0;
  std::int64_t child_id = 0;
  std::optional<std::int64_t> case_id;
  std::string unit_path;  // the child's community path (scope)
  std::string kind;       // risk | needs | guardianship
  std::string form_code;
  std::int64_t form_version = 1;
  std::string status;        // draft | completed
  std::string answers_json;  // {"question_id": answer}
  double score = 0;
  std::string grade;       // grade code (risk, guardianship)
  std::string needs_json;  // [{"code","name","level","note"}] (needs)
  std::string note;
  std::int64_t assessor_user_id = 0;
  std::optional<std::int64_t> completed_at;
  std::int64_t created_at = 0, updated_at = 0, version = 1;
  std::string assessor_name;  // joined
};

struct CaseFilter {
  std::string path_prefix;  // scope (the service's)
  std::string status, grade, q;
  bool open_only = false;
  std::optional<std::int64_t> worker_user_id, child_id;
  std::string unit_prefix;
};

// A child that needs an assessment work item (EvaluateDeadlines).
struct DueChild {
  std::int64_t child_id = 0, community_id = 0, street_id = 0;
  std::string name;
  std::int32_t roll_entered_on = 0;            // yyyymmdd
  std::optional<std::int64_t> last_completed;  // the last completed assessment of the kind (ms)
};

// An account that may be a case's worker (joined with its unit).
struct WorkerInfo {
  std::int64_t id = 0;
  std::string role, unit_path, display_name;
  bool active = true;
  std::string unit_name;  // Workers only
};

class CaseRepo {
 public:
  explicit CaseRepo(storage::Connection& c) : c_(c) {}

  Status Insert(CaseRecord& r);
  Result<CaseRecord> Get(std::int64_t id);
  // The child's case that is not closed, if any.
  Result<std::optional<CaseRecord>> OpenOf(std::int64_t child_id);
  // Optimistic update: 409 stale_version when the row's version is not `version`.
  Status Update(const CaseRecord& r, std::int64_t version);
  Result<std::vector<CaseRecord>> List(const CaseFilter& f, const Page& page, std::int64_t* total);
  Result<std::optional<WorkerInfo>> Worker(std::int64_t user_id);
  // The enabled social workers and child directors of the units on `unit_path` (the unit and its
  // ancestors), by unit depth (the community's first) then name; at most 200.
  Result<std::vector<WorkerInfo>> Workers(const std::string& unit_path);
  Status AddEvent(CaseEventRecord& e);
  Result<std::vector<CaseEventRecord>> Events(std::int64_t case_id);
  // The case page's reads in one batch (one round trip on PostgreSQL): the case (nullopt when absent), its
  // timeline and its child's assessments as ChildAssessments gives them.
  struct CasePage {
    std::optional<CaseRecord> record;
    std::vector<CaseEventRecord> events;
    std::vector<AssessmentRecord> assessments;
  };
  Result<CasePage> PageOf(std::int64_t case_id);
  // The child moved: its cases' and assessments' unit copies follow.
  Status MoveChild(std::int64_t child_id, std::int64_t unit_id, std::int64_t street_id, std::int64_t district_id,
                   const std::string& unit_path);
  // A unit moved: every copied path under old_path is rewritten to start with new_path.
  Status MoveUnitPaths(const std::string& old_path, const std::string& new_path);

  Status InsertAssessment(AssessmentRecord& a);
  Result<AssessmentRecord> GetAssessment(std::int64_t id);
  Status UpdateAssessment(const AssessmentRecord& a, std::int64_t version);
  // The child's assessments, newest first (at most 200).
  Result<std::vector<AssessmentRecord>> ChildAssessments(std::int64_t child_id);
  // The child's latest completed assessment of `kind`, if any.
  Result<std::optional<AssessmentRecord>> LatestCompleted(std::int64_t child_id, const std::string& kind);
  // The needs (needs_json) of the latest completed assessment of `kind` of case `case_id`'s child, in one statement;
  // nullopt when the case or such an assessment is absent.
  Result<std::optional<std::string>> LatestNeedsOfCase(std::int64_t case_id, const std::string& kind);
  // Get (nullopt when absent) and LatestNeedsOfCase in one batch (one round trip on PostgreSQL).
  Result<std::pair<std::optional<CaseRecord>, std::optional<std::string>>> GetWithNeeds(std::int64_t case_id,
                                                                                       const std::string& kind);

  // Deadlines, set-based (one query): children on the roll whose last completed assessment of
  // `kind` is absent or older than `cutoff_ms`, with no open work item of `work_kind` on subject
  // (`subject_type`, child id); `categories` (non-empty) limits to children with one of them.
  // Children after `after_id`, by id, at most `limit`; `only_child`: that child alone (a roll decision).
  Result<std::vector<DueChild>> DueChildren(const std::string& kind, const std::string& subject_type,
                                            const std::string& work_kind, const std::vector<std::string>& categories,
                                            std::int64_t cutoff_ms, std::int64_t after_id, std::int64_t limit,
                                            std::optional<std::int64_t> only_child = std::nullopt);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
