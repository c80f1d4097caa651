#pragma once
// Screening (排查): department data (学籍, 居住证, 残联, 低保/特困, 公安 …) uploaded as screening
// batches, matched against the registry children in the uploader's jurisdiction with the
// linkage engine (in-process; registry ID numbers are unsealed in memory only, never logged),
// run through the screening rules (config/screening/rules.json) into findings, each finding a
// verification task (核查任务) for its community's 儿童主任. A confirmed finding feeds the
// registry's roll workflow (ChildService::Propose) or tells the 儿童主任 what to register.
// Everything is scoped to the caller's subtree (outside → not found).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "repo/screening_repo.h"
#include "service/child_import.h"
#include "service/child_service.h"
#include "service/deps.h"
#include "service/screening_rules.h"

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

struct FindingView {
  repo::FindingRecord finding;
  repo::BatchRow record;
  const ScreeningRule* rule = nullptr;
  std::optional<repo::ChildRecord> child;  // the matched (or review-candidate) registry child
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

struct BatchUploadOptions {
  std::int64_t source_id = 0;
  ImportMapping mapping;  // empty: the source's saved mapping, else the suggested one
  std::string file_name, sheet;
  std::int64_t max_rows = 200000;
};

class ScreeningService {
 public:
  ScreeningService(Deps& deps, ChildService& children, ScreeningRules rules);

  const ScreeningRules& rules() const { return rules_; }

  // Needs screening.manage. name 1-100 chars; mapping keys must be ScreeningFields keys.
  Result<repo::DataSourceRecord> CreateSource(const Principal& who, const DataSourceInput& in);
  // Sources of the caller's subtree and ancestors. Needs screening.manage or screening.verify.
  Result<std::vector<repo::DataSourceRecord>> ListSources(const Principal& who);

  // Parses the upload, matches it against the registry in the caller's jurisdiction, applies
  // the rules and writes the batch, its rows, findings and tasks. Synchronous: the returned
  // batch is done (or failed). Needs screening.manage. Errors as the child import's for the
  // file and mapping (invalid_mapping, missing_columns, csv_*/xlsx_*, import_too_many_rows).
  Result<BatchView> Upload(const Principal& who, std::string_view bytes, const BatchUploadOptions& o);
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
  // outcome: confirmed | rejected (note required) | not_found. Needs screening.verify. A decided
  // task → kConflict invalid_state; a stale version → kConflict stale_version.
  Result<OutcomeResult> RecordOutcome(const Principal& who, std::int64_t task_id, const std::string& outcome,
                                      const std::string& note, std::int64_t version);

 private:
  Result<FindingView> LoadFindingView(storage::Connection& c, const repo::FindingRecord& f);
  Result<TaskView> LoadTaskView(storage::Connection& c, const repo::TaskRecord& t);
  std::int32_t Today() const;

  Deps& deps_;
  ChildService& children_;
  ScreeningRules rules_;
};

// The screening service of an app's Services (installed by the app or created by the routes).
ScreeningService* FindScreeningService(Services& s);
void InstallScreeningService(Services& s, std::unique_ptr<ScreeningService> svc);

}  // namespace th::service
