#pragma once
// Screening (排查): department data (学籍, 居住证, 残联, 低保/特困, 公安 …) uploaded as screening
// batches (stored at once, processed in the background by ScreeningWorker or RunPending), matched against the registry children in the uploader's jurisdiction with the
// linkage engine (in-process; registry ID numbers are unsealed in memory only, never logged),
// run through the screening rules (config/screening/rules.json) into findings, each finding a
// verification task (核查任务) for its community's 儿童主任. A confirmed finding feeds the
// registry's roll workflow (ChildService::Propose) or tells the 儿童主任 what to register.
// Everything is scoped to the caller's subtree (outside → not found).
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <string>
#include <string_view>
#include <vector>

#include "modules/screening/repo/screening_repo.h"
#include "platform/service/column_mapping.h"
#include "modules/registry/service/child_service.h"
#include "platform/service/deps.h"
#include "modules/screening/service/screening_rules.h"

namespace th::service {

// Fields a department column can map to, in display order (same shape as the child import's).
const std::vector<ImportField>& ScreeningFields();
// Suggests a mapping for `columns` from the known header names (each column used once).
ImportMapping SuggestScreeningMapping(const std::vector<std::string>& columns);

struct DataSourceInput {
  std::string name, dept_type;
  ImportMapping mapping;
};

struct BatchView {
  repo::ScreeningBatchRecord batch;
  repo::BatchCounts counts;
};

// One field of a child's file that the department's record contradicts, for a rule that looked
// at it (disability grades → health, disability type and grade; assistance → assistance). A
// confirmation writes the value the 儿童主任 confirmed (prefilled with the department's).
struct FileChange {
  std::string field;             // health | disability_type | disability_grade | assistance
  std::string label, label_en;   // 残疾等级 ...
  std::string file_value;        // codes: "ill", "none", "0", "dibao,tekun"
  std::string department_value;  // "" when the department does not say (the worker chooses)
  std::string file_text, department_text;  // zh-CN
};

struct FindingView {
  repo::FindingRecord finding;
  repo::BatchRow record;
  const ScreeningRule* rule = nullptr;
  std::optional<repo::ChildRecord> child;  // the matched (or review-candidate) registry child
  std::vector<FileChange> file_changes;    // open findings with a child: what confirming writes
};

// The file changes `rule` implies for `rec` against `child` (empty when they agree).
std::vector<FileChange> FileChangesFor(const ScreeningRule& rule, const repo::BatchRow& rec,
                                       const repo::ChildRecord& child);
// The ChildInput for the confirmed values (field -> code; assistance ','-separated): every
// change must be confirmed (file_change_required on "file.<field>"), no other field given.
Result<ChildInput> FileChangeInput(const std::vector<FileChange>& changes,
                                   const std::map<std::string, std::string>& values);

// What a confirmation writes besides the decision.
struct OutcomeFile {
  std::map<std::string, std::string> values;  // the confirmed file values (FileChange::field -> code)
  std::optional<std::int64_t> child_version;  // the file's version the worker saw
  std::optional<std::int64_t> child_id;       // "register" findings: the file registered for the record
};

struct TaskView {
  repo::TaskRecord task;
  FindingView finding;
  bool overdue = false;
};

// What a 儿童主任 should register after confirming a finding about a child not in the registry.
struct SuggestedChild {
  std::string name, sex, birth_date, id_number_masked;
  std::optional<std::int64_t> community_id;
  std::string residence_address, hukou_address, hukou_region_code, school_name, flow_status;
  std::string father_name, mother_name, guardian_name;
  std::string category;  // the rule's category when it proposes an entry
};

struct OutcomeResult {
  TaskView task;
  std::optional<RollRequestView> roll_request;
  std::optional<SuggestedChild> suggested_child;
};

// Screening figures of one unit (a street or community under the viewed unit; unit null for
// rows that could not be placed in a community).
struct UnitStatsRow {
  std::optional<repo::OrgUnit> unit;
  std::int64_t records = 0, matched = 0;
  repo::BatchCounts counts;
};

struct UnitStatsView {
  repo::OrgUnit unit;                // the viewed unit
  std::vector<UnitStatsRow> rows;    // its child units in code order (itself for a community), then unplaced
  UnitStatsRow totals;
};

struct BatchUploadOptions {
  std::int64_t source_id = 0;
  bool complete_roster = false;  // 全量名单: the file lists all of the source's children in the jurisdiction
  ImportMapping mapping;  // empty: the source's saved mapping, else the suggested one
  std::string file_name, sheet;
  std::int64_t max_rows = 200000;
};

class ScreeningService {
 public:
  ScreeningService(Deps& deps, ChildService& children, ScreeningRules rules);

  const ScreeningRules& rules() const { return rules_; }
  Deps& deps() { return deps_; }

  // Needs screening.manage. name 1-100 chars; mapping keys must be ScreeningFields keys.
  Result<repo::DataSourceRecord> CreateSource(const Principal& who, const DataSourceInput& in);
  // Sources of the caller's subtree and ancestors. Needs screening.manage or screening.verify.
  Result<std::vector<repo::DataSourceRecord>> ListSources(const Principal& who);

  // Parses the upload and stores the batch (status queued) with its department rows in one
  // transaction, then wakes the worker; matching and rules run later (RunPending). Needs
  // screening.manage. Errors as the child import's for the file and mapping (invalid_mapping,
  // missing_columns, csv_*/xlsx_*, import_too_many_rows).
  Result<BatchView> Upload(const Principal& who, std::string_view bytes, const BatchUploadOptions& o);

  // Background processing. RunPending claims queued batches one at a time (a claim is atomic, so
  // several servers on one PostgreSQL may run it) and processes each: matching against the
  // registry of the uploader's jurisdiction, then the rules; stage and records processed are
  // written as it goes; rows' match results, findings and tasks are written in one transaction
  // together with status done, so a failure (status failed with the reason) leaves none of them.
  // Returns how many batches it processed (done or failed). Stops between batches when Stop was
  // requested (a batch interrupted that way goes back to queued).
  Result<std::int64_t> RunPending();
  // Batches left running by a crashed server: those whose heartbeat is older than `stale_ms`
  // (default: the rules' stale_after_seconds) are re-queued, or failed once they were claimed
  // max_attempts times. Returns how many were touched.
  Result<std::int64_t> RecoverInterrupted(std::optional<std::int64_t> stale_ms = std::nullopt);
  // Called after an upload commits (the worker's wake-up); may be empty.
  void SetOnQueued(std::function<void()> fn) {
    std::lock_guard<std::mutex> lock(hook_mu_);
    on_queued_ = std::move(fn);
  }
  // Asks a running RunPending to stop at the next stage boundary.
  void RequestStop() { stop_.store(true); }
  // Test seam: called at "before_write" and, inside the final transaction, "after_findings" (a
  // non-OK status fails the batch there), and inside RecordOutcome's transaction at
  // "after_roll_request" (a non-OK status is returned and nothing of the outcome is kept).
  void SetFaultForTesting(std::function<Status(const std::string& point)> fn) { fault_ = std::move(fn); }

  // Per-unit figures for `unit_id` (default: the caller's unit; must be in the caller's subtree,
  // else not found) over all batches or one. Needs screening.manage or stats.read.
  Result<UnitStatsView> UnitStats(const Principal& who, std::optional<std::int64_t> unit_id,
                                  std::optional<std::int64_t> batch_id);
  Result<std::vector<BatchView>> ListBatches(const Principal& who, const repo::Page& page, std::int64_t* total);
  Result<BatchView> GetBatch(const Principal& who, std::int64_t id);
  Result<std::vector<FindingView>> ListFindings(const Principal& who, std::int64_t batch_id, const std::string& rule_id,
                                                const std::string& status, const repo::Page& page,
                                                std::int64_t* total);

  // queue: "" (all in my subtree) | mine (open) | overdue (open, past due). status: "" | open | done.
  // Needs screening.verify or screening.manage.
  Result<std::vector<TaskView>> ListTasks(const Principal& who, const std::string& queue, const std::string& status,
                                          const repo::Page& page, std::int64_t* total);
  Result<TaskView> GetTask(const Principal& who, std::int64_t id);
  // The finding on `c` when its unit is in `who`'s subtree (404 not_found otherwise), no audit:
  // for the reports module, which escalates a finding into a report. Needs screening.verify or
  // screening.manage (403 otherwise).
  Result<repo::FindingRecord> FindingInScope(storage::Connection& c, const Principal& who, std::int64_t id);
  // outcome: confirmed | rejected (note required) | not_found. Needs screening.verify; a
  // confirmation whose rule proposes a roll request (entry/change/exit) also needs roll.propose
  // (kPermissionDenied "roll_propose_required" otherwise). The task's decision, the finding's
  // status and the roll request are written in one transaction. A decided task → kConflict
  // invalid_state; a stale version → kConflict stale_version; the child already has an open
  // request → kConflict request_pending.
  // A confirmation brings the file into agreement in the same transaction: when the finding has
  // file_changes, `file.values` must confirm each (file_change_required) and `file.child_version`
  // name the file's version (required; stale → kConflict stale_version on "child_version"); they
  // are written through ChildService::UpdateIn (child.write, audit, categories re-evaluated), and
  // a roll entry whose category the re-evaluated file still does not meet is refused
  // (file_disagrees). A finding about a child not in the registry whose rule acts on confirmation
  // ("register", or a roll rule without a registry child) is confirmed only with `file.child_id`,
  // the file since registered for it (in the caller's scope; kConflict child_file_required
  // without it): the finding is linked to that child.
  Result<OutcomeResult> RecordOutcome(const Principal& who, std::int64_t task_id, const std::string& outcome,
                                      const std::string& note, std::int64_t version, const OutcomeFile& file = {});

 private:
  Result<FindingView> LoadFindingView(storage::Connection& c, const repo::FindingRecord& f);
  Result<TaskView> LoadTaskView(storage::Connection& c, const repo::TaskRecord& t);
  // RecordOutcome's checks of what a confirmation writes to the file / links (see there).
  Result<std::optional<ChildInput>> ConfirmedFileInput(const Principal& who, const TaskView& view,
                                                       const OutcomeFile& file);
  Result<std::int64_t> RegisteredChild(const Principal& who, const OutcomeFile& file);
  std::int32_t Today() const;
  // Claims and processes the oldest queued batch; false when there was none to claim.
  Result<bool> RunOne();
  Status Process(std::int64_t batch_id, std::int64_t attempt);
  Status Fault(const std::string& point) const { return fault_ ? fault_(point) : Status::Ok(); }

  Deps& deps_;
  ChildService& children_;
  ScreeningRules rules_;
  std::mutex hook_mu_;
  std::function<void()> on_queued_;  // guarded by hook_mu_
  std::function<Status(const std::string&)> fault_;
  std::atomic<bool> stop_{false};
};

// One background thread running ScreeningService::RunPending whenever an upload is queued, and
// every `poll_ms` besides (batches queued by another server on the same database), after first
// recovering batches a crashed server left running. Stop (or the destructor) finishes the
// current batch's stage and joins.
class ScreeningWorker {
 public:
  explicit ScreeningWorker(ScreeningService& svc, std::int64_t poll_ms = 2000);
  ~ScreeningWorker();
  ScreeningWorker(const ScreeningWorker&) = delete;
  ScreeningWorker& operator=(const ScreeningWorker&) = delete;

  void Start();
  void Stop();
  void Notify();

 private:
  void Loop();

  ScreeningService& svc_;
  std::int64_t poll_ms_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, pending_ = false;
  std::thread thread_;
};

// Starts a worker for `svc` (which must outlive it).
std::unique_ptr<ScreeningWorker> StartScreeningWorker(ScreeningService& svc);

}  // namespace th::service
