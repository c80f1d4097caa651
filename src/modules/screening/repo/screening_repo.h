#pragma once
// SQL for screening (排查): data sources, screening batches, their department rows, findings and
// verification tasks. Callers (ScreeningService) own transactions, authorization, sealing and
// auditing. Scoping is by `unit_path` prefix: a caller with path "/1/2/" sees rows whose
// unit_path starts with it.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "modules/registry/domain/child_records.h"
#include "platform/repo/scope_sql.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

struct DataSourceRecord {
  std::int64_t id = 0;
  std::int64_t org_unit_id = 0;
  std::string unit_path;
  std::string name;
  std::string dept_type;
  std::string mapping_json = "{}";
  std::optional<std::int64_t> created_by;
  std::int64_t created_at = 0;
  std::int64_t version = 1;
};

struct ScreeningBatchRecord {
  std::int64_t id = 0;
  std::int64_t source_id = 0;
  std::int64_t org_unit_id = 0;
  std::string unit_path;
  std::string file_name;
  std::int64_t uploaded_by = 0;
  std::string status = "queued";  // queued | running | done | failed
  std::string stage;               // queued | loading | matching | rules | writing | done | failed
  std::string error;
  std::int64_t processed = 0, total = 0;  // records through the current stage / all records
  std::int64_t records = 0, matched = 0, review = 0, unmatched = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> finished_at;
  std::int64_t attempts = 0;  // claims so far; the current one is the worker's token
  std::optional<std::int64_t> heartbeat_at, started_at;
  bool complete_roster = false;     // 全量名单: the full list of the source for the jurisdiction
  std::int32_t reference_date = 0;  // yyyymmdd, the batch date
  // Joined.
  std::string source_name, source_dept_type, org_unit_name, uploaded_by_name;
};

// One department row of a batch, normalized.
struct BatchRow {
  std::int64_t id = 0;
  std::int64_t batch_id = 0;
  std::int64_t line = 0;
  std::string name, sex, birth_date;  // birth_date yyyy-mm-dd or ""
  std::string id_enc, id_masked;
  std::string phone_enc;               // the guardian phone, sealed (matching only)
  std::string origin = "department";  // department | registry (a registry child absent from the batch)
  std::string father_name, mother_name, guardian_name;
  std::string hukou_address, hukou_region_code, residence_address;
  std::optional<std::int64_t> community_id;
  std::string school_name, disability_type;
  std::int64_t disability_grade = 0;
  std::string assistance;  // ','-separated codes: dibao, tekun, ...
  std::string father_state, mother_state;  // member state codes or ""
  std::optional<std::int64_t> child_id;
  std::string band = "no_link";
  double probability = 0;
  std::string explanation;
};

struct FindingRecord {
  std::int64_t id = 0;
  std::int64_t batch_id = 0;
  std::string rule_id;
  std::string reason;
  std::int64_t record_id = 0;
  std::optional<std::int64_t> child_id;
  std::optional<std::int64_t> community_id;
  std::string unit_path;
  std::string status = "open";  // open | confirmed | rejected | not_found
  std::string roll_kind;        // entry | change | exit when a confirmation proposed one
  std::int64_t created_at = 0;
  // Joined.
  std::string community_name;
  std::optional<std::int64_t> task_id;
};

struct TaskRecord {
  std::int64_t id = 0;
  std::int64_t finding_id = 0;
  std::optional<std::int64_t> community_id;
  std::string unit_path;
  std::int32_t due_date = 0;  // yyyymmdd
  std::string outcome;        // "" (open) | confirmed | rejected | not_found
  std::string note;
  std::optional<std::int64_t> decided_by;
  std::optional<std::int64_t> decided_at;
  std::optional<std::int64_t> roll_request_id;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  // Joined.
  std::string community_name, decided_by_name;
};

struct TaskQuery {
  std::string path_prefix;
  bool open_only = false;
  bool done_only = false;
  std::int32_t due_before = 0;  // > 0: due_date < this (overdue)
};

// A registry child as the matcher needs it (identifiers still sealed).
struct MatchChild {
  ChildRecord child;  // id, name, sex, birth_date, id_enc, guardian_*, addresses, community, roll, disability
  std::string father_name, mother_name;
};

struct BatchCounts {
  std::map<std::string, std::int64_t> findings_by_rule;
  std::int64_t findings = 0, open = 0, confirmed = 0, rejected = 0, not_found = 0, added = 0, exited = 0;
  std::int64_t overdue = 0;  // open tasks past their due date (Counts with today > 0)
};

// Screening figures of one org unit (a community, or null community_id for rows that could not be
// placed), summed over batches; see UnitCounts.
struct UnitCountsRow {
  std::optional<std::int64_t> community_id;
  std::string unit_path;  // the community's path, or the batch's for unplaced rows
  std::int64_t records = 0, matched = 0;
  BatchCounts counts;
};

struct UnitCountsQuery {
  std::string path_prefix;             // communities (and unplaced rows of batches) under this path
  std::optional<std::int64_t> batch_id;
  std::int32_t today = 0;              // overdue: open tasks with due_date < today
};

class ScreeningRepo {
 public:
  explicit ScreeningRepo(storage::Connection& c) : c_(c) {}

  Status InsertSource(DataSourceRecord& s);
  Result<DataSourceRecord> GetSource(std::int64_t id);
  // Sources whose unit_path is a prefix of `path` (an ancestor's or one's own) or starts with it.
  Result<std::vector<DataSourceRecord>> ListSources(const std::string& path);

  Status InsertBatch(ScreeningBatchRecord& b);
  // Rewrites the progress, status and count columns.
  Status UpdateBatch(const ScreeningBatchRecord& b);
  // The oldest queued batch's id, if any.
  Result<std::optional<std::int64_t>> NextQueued();
  // Claims a queued batch: running, attempts + 1, stage loading, processed 0, started/heartbeat now.
  // False when another worker claimed it first (or it is not queued).
  Result<bool> Claim(std::int64_t id, std::int64_t now);
  // Stage, processed and heartbeat of the claim `attempt` (false when the claim was lost).
  Result<bool> Progress(std::int64_t id, std::int64_t attempt, const std::string& stage, std::int64_t processed,
                        std::int64_t now);
  // Status done with counts, only for the claim `attempt` of a running batch (false otherwise).
  Result<bool> Finish(const ScreeningBatchRecord& b, std::int64_t attempt);
  // Status failed (or back to queued when `requeue`) with `error`, for the claim `attempt`.
  Result<bool> EndAttempt(std::int64_t id, std::int64_t attempt, bool requeue, const std::string& error,
                          std::int64_t now);
  // Running batches whose heartbeat is older than `stale_before`: re-queued, or failed with
  // `error` once they have used `max_attempts`. Returns how many were touched.
  Result<std::int64_t> RecoverStale(std::int64_t stale_before, std::int64_t max_attempts, const std::string& error,
                                    std::int64_t now);
  Result<ScreeningBatchRecord> GetBatch(std::int64_t id);
  Result<std::vector<ScreeningBatchRecord>> ListBatches(const std::string& path_prefix, const Page& page,
                                                        std::int64_t* total);
  // Findings by rule and outcome; with today > 0 also the overdue open tasks.
  Result<BatchCounts> Counts(std::int64_t batch_id, std::int32_t today = 0);
  // Per community (and unplaced) figures: department rows screened and matched (a matched row
  // counts for its child's community, else the community resolved from the file), findings by
  // rule and outcome, overdue tasks.
  Result<std::vector<UnitCountsRow>> UnitCounts(const UnitCountsQuery& q);

  Status InsertRow(BatchRow& r);
  Result<BatchRow> GetRow(std::int64_t id);
  // The department rows of a batch in line order (origin department).
  Result<std::vector<BatchRow>> Rows(std::int64_t batch_id);
  // Stores the match result of a row (child_id, band, probability, explanation).
  Status SetRowMatch(const BatchRow& r);

  Status InsertFinding(FindingRecord& f);
  Result<FindingRecord> GetFinding(std::int64_t id);
  Result<std::vector<FindingRecord>> ListFindings(std::int64_t batch_id, const std::string& path_prefix,
                                                  const std::string& rule_id, const std::string& status,
                                                  const Page& page, std::int64_t* total);
  Status SetFindingStatus(std::int64_t id, const std::string& status, const std::string& roll_kind);
  // Links a finding about a child not in the registry to the file since registered for it.
  Status LinkFindingChild(std::int64_t id, std::int64_t child_id);

  Status InsertTask(TaskRecord& t);
  Result<TaskRecord> GetTask(std::int64_t id);
  Result<std::vector<TaskRecord>> ListTasks(const TaskQuery& q, const Page& page, std::int64_t* total);
  // Records the outcome when the stored version equals `t.version` and the task is open;
  // kConflict stale_version otherwise. Bumps the version.
  Status DecideTask(const TaskRecord& t);

  // Children of `scope` with their father's and mother's names.
  Result<std::vector<MatchChild>> RegistryForMatching(const ChildScope& scope);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
