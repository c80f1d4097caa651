// WorkService::OpenMany: WorkHooks::Open for many items at once (the warnings' nightly first run
// opens ~100,000), with the checks of Open done per item and the writes as multi-row statements
// (work_bulk_repo.cc). Kept apart from work_service.cc.
#include <map>
#include <set>
#include <tuple>

#include "platform/work/work_bulk_repo.h"
#include "platform/work/work_service.h"

namespace th::work {

// Long: Open's checks over the batch (kinds, variants, conflicts, owners), then the bulk insert.
Result<std::vector<std::int64_t>> WorkService::OpenMany(storage::Connection& c, const std::vector<WorkOpen>& items) {
  if (items.empty()) return std::vector<std::int64_t>{};
  for (const auto& o : items) TH_RETURN_IF_ERROR(CheckKind(o));
  // At most one open item per (subject, kind): those already open, and twice within the batch.
  WorkBulkRepo bulk(c);
  std::map<std::string, std::vector<std::int64_t>> subjects;
  std::set<std::int64_t> unit_ids;
  for (const auto& o : items) {
    subjects[o.subject_type].push_back(o.subject_id);
    unit_ids.insert(o.owner_unit_id);
  }
  std::set<std::tuple<std::string, std::int64_t, std::string>> taken;
  for (const auto& [type, ids] : subjects) {
    TH_ASSIGN_OR_RETURN(auto open, bulk.OpenKinds(type, ids));
    for (const auto& [id, kind] : open) taken.emplace(type, id, kind);
  }
  for (const auto& o : items) {
    if (!taken.emplace(o.subject_type, o.subject_id, o.kind).second) return AlreadyOpen();
  }
  // The owners' paths and districts, once per unit.
  TH_ASSIGN_OR_RETURN(auto paths, bulk.UnitPaths({unit_ids.begin(), unit_ids.end()}));
  WorkRepo repo(c);
  std::map<std::int64_t, std::int64_t> districts;
  for (const auto& [id, path] : paths) {
    TH_ASSIGN_OR_RETURN(districts[id], repo.DistrictOf(path, id));
  }
  const std::int64_t now = deps_.clock.NowMillis();
  std::map<std::tuple<std::string, std::string, std::int64_t>, Deadlines> clocks;  // (kind, variant, start)
  std::vector<WorkItemRecord> rows;
  rows.reserve(items.size());
  for (const auto& o : items) {
    auto path = paths.find(o.owner_unit_id);
    if (path == paths.end() || path->second.empty()) return Status::NotFound("org_unit");
    WorkItemRecord w = RecordOf(o);
    w.owner_unit_path = path->second;
    w.district_unit_id = districts[o.owner_unit_id];
    w.started_at = o.started_at > 0 ? o.started_at : now;
    // As OpenIn: the deadlines from the kind's clock (or variant) counted from the start.
    auto key = std::make_tuple(o.kind, o.variant, w.started_at);
    auto d = clocks.find(key);
    if (d == clocks.end()) d = clocks.emplace(key, config_.DeadlinesFor(w.kind, w.started_at, calendar_, o.variant)).first;
    w.warn_at = d->second.warn_at;
    w.due_at = d->second.due_at;
    w.district_at = d->second.district_at;
    w.due_flags = d->second.beyond_calendar ? 1 : 0;
    w.state = "open";
    w.created_at = now;
    rows.push_back(std::move(w));
  }
  DropCounts();
  TH_RETURN_IF_ERROR(bulk.InsertMany(rows));
  std::vector<std::int64_t> ids;
  ids.reserve(rows.size());
  for (const auto& w : rows) ids.push_back(w.id);
  return ids;
}

}  // namespace th::work
