#include "platform/work/work_bulk_repo.h"

#include <algorithm>
#include <tuple>

#include "platform/repo/sql_values.h"

namespace th::work {

using repo::OptInt;
using storage::Params;

namespace {

// Rows per multi-row statement: the largest power of two up to kMaxRows that fits what is left, so
// a handful of statement texts serve every batch (prepared-statement caches stay small).
constexpr std::size_t kMaxRows = 64;
std::size_t RowsFor(std::size_t left) {
  std::size_t rows = 1;
  while (rows * 2 <= left && rows * 2 <= kMaxRows) rows *= 2;
  return rows;
}

// "($1, $2, ...), (...)": `rows` groups of `fields` parameters, numbered from `first`.
std::string Groups(std::size_t rows, std::size_t fields, std::size_t first = 1, const char* tail = "") {
  std::string s;
  std::size_t n = first;
  for (std::size_t r = 0; r < rows; ++r) {
    s += r ? ", (" : "(";
    for (std::size_t c = 0; c < fields; ++c) s += (c ? ", $" : "$") + std::to_string(n++);
    s += tail;
    s += ")";
  }
  return s;
}

// "$first,...": `n` parameters.
std::string List(std::size_t n, std::size_t first) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += (i ? ",$" : "$") + std::to_string(first + i);
  return s;
}

}  // namespace

// Long: the two multi-row statements per chunk and the mapping of the returned ids.
Status WorkBulkRepo::InsertMany(std::vector<WorkItemRecord>& items) {
  // The columns and constants of WorkRepo::Insert (is_open 1, round 1, version 1).
  static const std::string kHead =
      "INSERT INTO work_item (kind, subject_type, subject_id, title, label, link, owner_unit_id, owner_unit_path, "
      "owner_role, owner_user_id, district_unit_id, state, started_at, warn_at, due_at, district_at, due_flags, "
      "created_at, owner_agency_id, is_open, round, version) VALUES ";
  constexpr std::size_t kFields = 19;
  for (std::size_t start = 0; start < items.size();) {
    const std::size_t rows = RowsFor(items.size() - start);
    Params p;
    p.reserve(rows * kFields);
    for (std::size_t i = start; i < start + rows; ++i) {
      const WorkItemRecord& w = items[i];
      p.insert(p.end(), {w.kind, w.subject_type, w.subject_id, w.title, w.label, w.link, w.owner_unit_id,
                         w.owner_unit_path, w.owner_role, OptInt(w.owner_user_id), w.district_unit_id, w.state,
                         w.started_at, w.warn_at, w.due_at, w.district_at, w.due_flags, w.created_at,
                         OptInt(w.owner_agency_id)});
    }
    TH_ASSIGN_OR_RETURN(auto got, c_.Query(kHead + Groups(rows, kFields, 1, ", 1, 1, 1") +
                                               " RETURNING id, subject_type, subject_id, kind",
                                           p));
    // RETURNING's row order is not promised: match the ids by (subject, kind), unique among open items.
    std::map<std::tuple<std::string, std::int64_t, std::string>, std::int64_t> ids;
    for (const auto& r : got.rows) ids[{r.Text(1), r.Int(2), r.Text(3)}] = r.Int(0);
    if (ids.size() != rows) return Status::Internal("work_item bulk insert: ids not returned");
    Params clock;
    for (std::size_t i = start; i < start + rows; ++i) {
      WorkItemRecord& w = items[i];
      auto it = ids.find({w.subject_type, w.subject_id, w.kind});
      if (it == ids.end()) return Status::Internal("work_item bulk insert: id of an item missing");
      w.id = it->second;
      w.next_at = w.warn_at;
      w.escalation_level = 0;
      clock.insert(clock.end(), {w.id, w.warn_at});
    }
    TH_RETURN_IF_ERROR(c_.Execute("INSERT INTO work_item_clock (item_id, next_at, escalation_level) VALUES " +
                                      Groups(rows, 2, 1, ", 0") + " ON CONFLICT DO NOTHING",
                                  clock)
                           .status());
    start += rows;
  }
  return Status::Ok();
}

Result<std::set<std::pair<std::int64_t, std::string>>> WorkBulkRepo::OpenKinds(
    const std::string& subject_type, const std::vector<std::int64_t>& subject_ids) {
  std::set<std::pair<std::int64_t, std::string>> out;
  std::vector<std::int64_t> ids(subject_ids);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  for (std::size_t start = 0; start < ids.size();) {
    // A dense run of ids (new subjects: consecutive ids) is one range read on the subject index; the
    // rows of ids not asked for are dropped. Scattered ids go by IN lists.
    std::size_t end = start + 1;
    while (end < ids.size() && end - start < 4096 &&
           ids[end] - ids[start] < 4 * static_cast<std::int64_t>(end - start + 1)) {
      ++end;
    }
    if (end - start >= 16) {
      TH_ASSIGN_OR_RETURN(auto got, c_.Query("SELECT subject_id, kind FROM work_item WHERE subject_type = $1 AND "
                                             "is_open = 1 AND subject_id BETWEEN $2 AND $3",
                                             {subject_type, ids[start], ids[end - 1]}));
      for (const auto& r : got.rows) {
        if (std::binary_search(ids.begin() + static_cast<std::ptrdiff_t>(start),
                               ids.begin() + static_cast<std::ptrdiff_t>(end), r.Int(0))) {
          out.emplace(r.Int(0), r.Text(1));
        }
      }
      start = end;
      continue;
    }
    const std::size_t rows = RowsFor(ids.size() - start);
    Params p{subject_type};
    for (std::size_t i = start; i < start + rows; ++i) p.push_back(ids[i]);
    TH_ASSIGN_OR_RETURN(auto got, c_.Query("SELECT subject_id, kind FROM work_item WHERE subject_type = $1 AND "
                                           "is_open = 1 AND subject_id IN (" + List(rows, 2) + ")",
                                           p));
    for (const auto& r : got.rows) out.emplace(r.Int(0), r.Text(1));
    start += rows;
  }
  return out;
}

Result<std::map<std::int64_t, std::string>> WorkBulkRepo::UnitPaths(const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::string> out;
  for (std::size_t start = 0; start < ids.size();) {
    const std::size_t rows = RowsFor(ids.size() - start);
    Params p(ids.begin() + static_cast<std::ptrdiff_t>(start), ids.begin() + static_cast<std::ptrdiff_t>(start + rows));
    TH_ASSIGN_OR_RETURN(auto got, c_.Query("SELECT id, path FROM org_unit WHERE id IN (" + List(rows, 1) + ")", p));
    for (const auto& r : got.rows) out[r.Int(0)] = r.Text(1);
    start += rows;
  }
  return out;
}

}  // namespace th::work
