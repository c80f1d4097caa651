#include "platform/work/work_repo.h"

#include <algorithm>

#include "platform/repo/sql_values.h"

namespace th::work {

using repo::OptInt;
using storage::Params;
using storage::Row;

namespace {

constexpr const char* kCols =
    "w.id, w.kind, w.subject_type, w.subject_id, w.title, w.label, w.link, w.owner_unit_id, w.owner_unit_path, "
    "w.owner_role, w.owner_user_id, w.district_unit_id, w.state, w.is_open, w.started_at, w.warn_at, w.due_at, "
    "w.district_at, w.due_flags, k.escalation_level, w.round, k.next_at, w.version, w.created_at, w.closed_at, "
    "u.name, w.owner_agency_id ";
// The escalation clock is in work_item_clock (migration 0019), one row per item.
constexpr const char* kFrom =
    "FROM work_item w JOIN org_unit u ON u.id = w.owner_unit_id JOIN work_item_clock k ON k.item_id = w.id ";

WorkItemRecord From(const Row& r) {
  WorkItemRecord w;
  w.id = r.Int(0);
  w.kind = r.Text(1);
  w.subject_type = r.Text(2);
  w.subject_id = r.Int(3);
  w.title = r.Text(4);
  w.label = r.Text(5);
  w.link = r.Text(6);
  w.owner_unit_id = r.Int(7);
  w.owner_unit_path = r.Text(8);
  w.owner_role = r.Text(9);
  w.owner_user_id = r.OptInt(10);
  w.district_unit_id = r.Int(11);
  w.state = r.Text(12);
  w.is_open = r.Int(13) != 0;
  w.started_at = r.Int(14);
  w.warn_at = r.Int(15);
  w.due_at = r.Int(16);
  w.district_at = r.Int(17);
  w.due_flags = r.Int(18);
  w.escalation_level = r.Int(19);
  w.round = r.Int(20);
  w.next_at = r.Int(21);
  w.version = r.Int(22);
  w.created_at = r.Int(23);
  w.closed_at = r.OptInt(24);
  w.unit_name = r.Text(25);
  w.owner_agency_id = r.OptInt(26);
  return w;
}

Result<std::vector<WorkItemRecord>> Many(storage::Connection& c, const std::string& sql, const Params& p) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query(sql, p));
  std::vector<WorkItemRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(From(r));
  return out;
}

constexpr int kChunk = 100;  // rows per multi-row statement (fixed, so the SQL text is stable)

}  // namespace

Status WorkRepo::Insert(WorkItemRecord& w) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO work_item (kind, subject_type, subject_id, title, label, link, owner_unit_id, "
               "owner_unit_path, owner_role, owner_user_id, district_unit_id, state, is_open, started_at, warn_at, "
               "due_at, district_at, due_flags, round, version, created_at, owner_agency_id) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14, $15, $16, $17, 1, 1, "
               "$18, $19) RETURNING id",
               {w.kind, w.subject_type, w.subject_id, w.title, w.label, w.link, w.owner_unit_id, w.owner_unit_path,
                w.owner_role, OptInt(w.owner_user_id), w.district_unit_id, w.state, w.started_at, w.warn_at, w.due_at,
                w.district_at, w.due_flags, w.created_at, OptInt(w.owner_agency_id)}));
  w.id = rows[0].Int(0);
  w.next_at = w.warn_at;
  w.escalation_level = 0;
  return c_.Execute("INSERT INTO work_item_clock (item_id, escalation_level, next_at) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING",
                    {w.id, w.warn_at})
      .status();
}

Status WorkRepo::InsertMany(const std::vector<WorkItemRecord>& items) {
  static const std::string kHead =
      "INSERT INTO work_item (kind, subject_type, subject_id, title, label, link, owner_unit_id, owner_unit_path, "
      "owner_role, district_unit_id, state, started_at, warn_at, due_at, district_at, due_flags, created_at) "
      "VALUES ";
  constexpr int kFields = 17;
  auto group = [](int rows) {
    std::string s;
    int n = 1;
    for (int r = 0; r < rows; ++r) {
      s += r ? ", (" : "(";
      for (int c = 0; c < kFields; ++c) s += (c ? ", $" : "$") + std::to_string(n++);
      s += ")";
    }
    return s;
  };
  static const std::string kMany = kHead + group(kChunk);
  static const std::string kOne = kHead + group(1);
  auto bind = [](Params& p, const WorkItemRecord& w) {
    p.insert(p.end(), {w.kind, w.subject_type, w.subject_id, w.title, w.label, w.link, w.owner_unit_id,
                       w.owner_unit_path, w.owner_role, w.district_unit_id, w.state, w.started_at, w.warn_at, w.due_at,
                       w.district_at, w.due_flags, w.created_at});
  };
  // The new rows' clocks (next_at = warn_at), from the ids above the largest before.
  TH_ASSIGN_OR_RETURN(auto before, c_.Query("SELECT COALESCE(MAX(id), 0) FROM work_item"));
  std::size_t i = 0;
  for (; i + kChunk <= items.size(); i += kChunk) {
    Params p;
    p.reserve(kChunk * kFields);
    for (std::size_t j = i; j < i + kChunk; ++j) bind(p, items[j]);
    TH_RETURN_IF_ERROR(c_.Execute(kMany, p).status());
  }
  for (; i < items.size(); ++i) {
    Params p;
    bind(p, items[i]);
    TH_RETURN_IF_ERROR(c_.Execute(kOne, p).status());
  }
  return c_.Execute("INSERT INTO work_item_clock (item_id, escalation_level, next_at) "
                    "SELECT id, 0, warn_at FROM work_item WHERE id > $1 ON CONFLICT DO NOTHING",
                    {before[0].Int(0)})
      .status();
}

Result<std::int64_t> WorkRepo::MaxSubjectId(const std::string& subject_type) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COALESCE(MAX(subject_id), 0) FROM work_item WHERE subject_type = $1",
                                          {subject_type}));
  return rows[0].Int(0);
}

Result<WorkItemRecord> WorkRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto v, Many(c_, std::string("SELECT ") + kCols + kFrom + "WHERE w.id = $1", {id}));
  if (v.empty()) return Status::NotFound("work_item");
  return v[0];
}

Result<std::vector<WorkItemRecord>> WorkRepo::OpenFor(const std::string& subject_type, std::int64_t subject_id) {
  return Many(c_, std::string("SELECT ") + kCols + kFrom +
                      "WHERE w.subject_type = $1 AND w.subject_id = $2 AND w.is_open = 1 ORDER BY w.id",
              {subject_type, subject_id});
}

Result<bool> WorkRepo::Close(std::int64_t id, std::int64_t now) {
  // The clock first: a sweep that locked it (PostgreSQL) finishes first; one that comes later skips it.
  // (A closed item's clock is already never due, so this is a no-op when the item was not open.)
  TH_RETURN_IF_ERROR(c_.Execute("UPDATE work_item_clock SET next_at = $1 WHERE item_id = $2", {kNever, id}).status());
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE work_item SET state = 'closed', is_open = 0, closed_at = $1, "
                                         "version = version + 1 WHERE id = $2 AND is_open = 1",
                                         {now, id}));
  return n > 0;
}

// The current round's steps of the items `where` selects (a condition on work_item, parameters
// `p`) go from their clock rows to work_escalation_log with the targets the items give now, and the
// clock's step times are cleared (migration 0029): called before a new round or another owner or
// district changes what the clock's steps would be derived as.
Status WorkRepo::ArchiveSteps(const std::string& where, const Params& p) {
  const std::string items = "SELECT id FROM work_item WHERE " + where;
  TH_RETURN_IF_ERROR(c_.Execute("INSERT INTO work_escalation_log (item_id, round, level, step, target_unit_id, at) "
                                "SELECT item_id, round, level, step, target_unit_id, at FROM work_escalation_current "
                                "WHERE item_id IN (" + items + ") ON CONFLICT DO NOTHING",
                                p)
                         .status());
  return c_.Execute("UPDATE work_item_clock SET warn_step_at = NULL, overdue_step_at = NULL, district_step_at = NULL "
                    "WHERE item_id IN (" + items + ") AND (warn_step_at IS NOT NULL OR overdue_step_at IS NOT NULL "
                    "OR district_step_at IS NOT NULL)",
                    p)
      .status();
}

Status WorkRepo::SetOwnerUnit(std::int64_t id, std::int64_t unit_id, const std::string& unit_path,
                              std::int64_t district_id) {
  TH_RETURN_IF_ERROR(
      ArchiveSteps("id = $1 AND is_open = 1 AND (owner_unit_id <> $2 OR district_unit_id <> $3)", {id, unit_id, district_id}));
  return c_.Execute("UPDATE work_item SET owner_unit_id = $1, owner_unit_path = $2, district_unit_id = $3, "
                    "version = version + 1 WHERE id = $4 AND is_open = 1",
                    {unit_id, unit_path, district_id, id})
      .status();
}

Result<std::int64_t> WorkRepo::MoveOwnerPaths(const std::string& old_path, const std::string& new_path,
                                              std::int64_t district_id) {
  // The unit above (supervise) or the district of these items' steps may change with the move.
  TH_RETURN_IF_ERROR(ArchiveSteps("owner_unit_path LIKE $1 ESCAPE '\\'", {repo::LikeEscape(old_path) + "%"}));
  return c_.Execute("UPDATE work_item SET owner_unit_path = $1 || SUBSTR(owner_unit_path, $2), "
                    "district_unit_id = CASE WHEN $3 > 0 THEN $3 ELSE district_unit_id END "
                    "WHERE owner_unit_path LIKE $4 ESCAPE '\\'",
                    {new_path, static_cast<std::int64_t>(old_path.size()) + 1, district_id,
                     repo::LikeEscape(old_path) + "%"});
}

Status WorkRepo::SetState(std::int64_t id, const std::string& state, std::int64_t version) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE work_item SET state = $1, version = version + 1 "
                                         "WHERE id = $2 AND version = $3 AND is_open = 1",
                                         {state, id, version}));
  return n == 1 ? Status::Ok() : Status::Stale();
}

Status WorkRepo::SetDeadlines(std::int64_t id, std::int64_t warn_at, std::int64_t due_at, std::int64_t district_at,
                              std::int64_t due_flags, bool new_round) {
  // A new round: the steps of the one ending are kept in the log (the clock's are the new round's).
  if (new_round) TH_RETURN_IF_ERROR(ArchiveSteps("id = $1 AND is_open = 1", {id}));
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE work_item SET warn_at = $1, due_at = $2, district_at = $3, "
                                         "due_flags = $4, round = round + $5 "
                                         "WHERE id = $6 AND is_open = 1",
                                         {warn_at, due_at, district_at, due_flags, std::int64_t{new_round ? 1 : 0}, id}));
  if (n != 1) return Status::Stale();
  return c_.Execute("UPDATE work_item_clock SET next_at = $1, escalation_level = 0 WHERE item_id = $2", {warn_at, id})
      .status();
}

Status WorkRepo::InsertStep(std::int64_t item_id, const std::string& action, const std::string& from,
                            const std::string& to, std::optional<std::int64_t> by, const std::string& by_name,
                            std::int64_t at, const std::string& note, std::optional<std::int64_t> due_at) {
  return c_.Execute("INSERT INTO work_step (item_id, action, from_state, to_state, by_user_id, by_name, at, note, "
                    "due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    {item_id, action, from, to, OptInt(by), by_name, at, note, OptInt(due_at)})
      .status();
}

namespace {

// The owner condition on work_item (no alias) with its first two parameters: (agency, role) for an
// agency's users, (unit, role) of items without an agency otherwise.
std::string OwnerWhere(const WorkRepo::Owner& o) {
  return o.agency_id ? "owner_agency_id = $1 AND owner_role = $2 " : "owner_unit_id = $1 AND owner_role = $2 AND owner_agency_id IS NULL ";
}
std::int64_t OwnerKey(const WorkRepo::Owner& o) { return o.agency_id ? *o.agency_id : o.unit_id; }

}  // namespace

Result<std::vector<WorkItemRecord>> WorkRepo::OwnedBy(const Owner& o, const std::string& kind, std::int64_t limit,
                                                      std::int64_t offset) {
  return Many(c_, std::string("SELECT ") + kCols + kFrom + "WHERE w." + OwnerWhere(o) +
                      "AND w.is_open = 1 AND ($3 = '' OR w.kind = $3) ORDER BY w.due_at, w.id LIMIT $4 OFFSET $5",
              {OwnerKey(o), o.role, kind, limit, offset});
}

Result<std::vector<WorkItemRecord>> WorkRepo::AssignedTo(std::int64_t user_id, const Owner& o, const std::string& kind,
                                                         std::int64_t limit) {
  return Many(c_, std::string("SELECT ") + kCols + kFrom + "WHERE w.owner_user_id = $5 AND w.is_open = 1 AND NOT (w." +
                      OwnerWhere(o) + ") AND ($3 = '' OR w.kind = $3) ORDER BY w.due_at, w.id LIMIT $4",
              {OwnerKey(o), o.role, kind, limit, user_id});
}

Result<std::vector<KindCount>> WorkRepo::InboxCounts(std::int64_t user_id, const Owner& o, std::int64_t now,
                                                     std::int64_t end_of_day) {
  std::vector<KindCount> out;
  auto add = [&](const storage::Rows& rows) {
    for (const auto& r : rows.rows) {
      auto it = std::find_if(out.begin(), out.end(), [&](const KindCount& k) { return k.kind == r.Text(0); });
      if (it == out.end()) it = out.insert(out.end(), KindCount{r.Text(0), 0, 0, 0});
      it->count += r.Int(1);
      it->overdue += r.Int(2);
      it->due_today += r.Int(3);
    }
  };
  const std::string head =
      "SELECT kind, COUNT(*), COALESCE(SUM(CASE WHEN due_at < $3 THEN 1 ELSE 0 END), 0), "
      "COALESCE(SUM(CASE WHEN due_at >= $3 AND due_at <= $4 THEN 1 ELSE 0 END), 0) FROM work_item WHERE ";
  TH_ASSIGN_OR_RETURN(auto owned, c_.Query(head + OwnerWhere(o) + "AND is_open = 1 GROUP BY kind ORDER BY kind",
                                           {OwnerKey(o), o.role, now, end_of_day}));
  add(owned);
  TH_ASSIGN_OR_RETURN(auto mine, c_.Query(head + "owner_user_id = $5 AND is_open = 1 AND NOT (" + OwnerWhere(o) +
                                              ") GROUP BY kind ORDER BY kind",
                                          {OwnerKey(o), o.role, now, end_of_day, user_id}));
  add(mine);
  return out;
}

Result<std::vector<WorkItemRecord>> WorkRepo::Overdue(const std::string& path_prefix, const std::string& kind,
                                                      std::int64_t now, const repo::Page& page, std::int64_t* total,
                                                      bool extension_requests, bool* capped, repo::CountCache* counts,
                                                      std::uint64_t generation) {
  // Pending extension requests: the partial index work_item_extension (migration 0019); the literal
  // state term lets both engines use it. $1 is then unused but bound (one parameter list).
  const std::string which = extension_requests ? "w.state = 'extension_requested' AND CAST($1 AS BIGINT) > 0 " : "w.is_open = 1 AND w.due_at < $1 ";
  const std::string where =
      "WHERE " + which + "AND w.owner_unit_path LIKE $2 ESCAPE '\\' AND ($3 = '' OR w.kind = $3) ";
  const std::string like = repo::LikeEscape(path_prefix) + "%";
  const std::string count_sql = "SELECT COUNT(*) FROM (SELECT 1 FROM work_item w " + where + "LIMIT $4) t";
  // The key leaves out `now` (it moves every millisecond): a kept total is at most CountCache::kTtl old.
  const std::string key = counts ? repo::CountKey(count_sql, {like, kind}) : std::string();
  std::optional<repo::CountCache::Count> hit;
  if (counts) hit = counts->Get(key, generation);
  if (!hit) {
    TH_ASSIGN_OR_RETURN(auto n, c_.Query(count_sql, {now, like, kind, kOverdueCountCap + 1}));
    hit = repo::CountCache::Count{std::min(n[0].Int(0), kOverdueCountCap), n[0].Int(0) > kOverdueCountCap};
    if (counts) counts->Put(key, generation, *hit);
  }
  *total = hit->total;
  if (capped) *capped = hit->capped;
  return Many(c_, std::string("SELECT ") + kCols + kFrom + where + "ORDER BY w.due_at, w.id LIMIT $4 OFFSET $5",
              {now, like, kind, page.page_size, page.Offset()});
}

Result<std::vector<WorkItemRecord>> WorkRepo::PendingDeadlines(std::int64_t limit) {
  return Many(c_, std::string("SELECT ") + kCols + kFrom + "WHERE w.due_flags >= 2 AND w.is_open = 1 ORDER BY w.id LIMIT $1",
              {limit});
}

Result<std::int64_t> WorkRepo::DistrictOf(const std::string& path, std::int64_t fallback) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id FROM org_unit WHERE level = 'district' AND $1 LIKE path || '%' "
                                          "ORDER BY LENGTH(path) DESC LIMIT 1",
                                          {path}));
  return rows.empty() ? fallback : rows[0].Int(0);
}

Result<std::string> WorkRepo::UnitPath(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT path FROM org_unit WHERE id = $1", {id}));
  return rows.empty() ? std::string() : rows[0].Text(0);
}

}  // namespace th::work
