#include "modules/visits/repo/visits_repo.h"

#include <algorithm>
#include <atomic>
#include <map>

#include "platform/repo/jurisdiction_repo.h"
#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;

namespace {

std::string P(std::size_t n) { return "$" + std::to_string(n); }

std::atomic<std::uint64_t> g_schedule_writes{0};
void NoteScheduleWrite() { g_schedule_writes.fetch_add(1, std::memory_order_acq_rel); }

const char* const kSchedCols =
    "s.child_id, s.district_id, s.street_id, s.community_id, s.grid_id, s.unit_path, s.active, s.grade, s.graded_on, "
    "s.categories, s.rule, s.interval_days, s.planned_from, s.last_visit_on, s.next_due_on, s.item_due_on, s.version, "
    "s.updated_at";
constexpr std::size_t kSchedN = 18;

VisitScheduleRecord SchedFrom(const Row& r, std::size_t i = 0) {
  VisitScheduleRecord s;
  s.child_id = r.Int(i++);
  s.district_id = r.Int(i++);
  s.street_id = r.Int(i++);
  s.community_id = r.Int(i++);
  s.grid_id = r.OptInt(i++);
  s.unit_path = r.Text(i++);
  s.active = r.Int(i++) != 0;
  s.grade = r.Text(i++);
  s.graded_on = static_cast<std::int32_t>(r.Int(i++));
  s.categories = r.Text(i++);
  s.rule = r.Text(i++);
  s.interval_days = static_cast<std::int32_t>(r.Int(i++));
  s.planned_from = static_cast<std::int32_t>(r.Int(i++));
  s.last_visit_on = static_cast<std::int32_t>(r.Int(i++));
  s.next_due_on = static_cast<std::int32_t>(r.Int(i++));
  s.item_due_on = static_cast<std::int32_t>(r.Int(i++));
  s.version = r.Int(i++);
  s.updated_at = r.Int(i++);
  return s;
}

// The child's unit path: its grid's when it has one, else its community's.
const char* const kRollSelect =
    "SELECT c.id, c.district_id, c.street_id, c.community_id, c.grid_id, u.path, c.roll_status, c.roll_categories, "
    "c.roll_entered_on, s.child_id, s.district_id, s.street_id, s.community_id, s.grid_id, s.unit_path, s.active, "
    "s.grade, s.graded_on, s.categories, s.rule, s.interval_days, s.planned_from, s.last_visit_on, s.next_due_on, "
    "s.item_due_on, s.version, s.updated_at "
    "FROM child c JOIN org_unit u ON u.id = COALESCE(c.grid_id, c.community_id) "
    "LEFT JOIN visit_schedule s ON s.child_id = c.id ";

RollChild RollFrom(const Row& r) {
  RollChild c;
  c.id = r.Int(0);
  c.district_id = r.Int(1);
  c.street_id = r.Int(2);
  c.community_id = r.Int(3);
  c.grid_id = r.OptInt(4);
  c.unit_path = r.Text(5);
  c.roll_status = r.Text(6);
  c.roll_categories = r.Text(7);
  c.roll_entered_on = static_cast<std::int32_t>(r.Int(8));
  if (!r.IsNull(9)) c.schedule = SchedFrom(r, 9);
  return c;
}

const char* const kVisitCols =
    "id, child_id, district_id, street_id, community_id, grid_id, unit_path, visited_on, month, grade, due_on, on_time, "
    "seen, seen_others, place, place_note, child_state, child_note, home_state, home_note, guardian_care, "
    "guardian_note, needs, needs_note, follow_ups, photos, visitor_user_id, visitor_name, version, created_at";

VisitRecord VisitFrom(const Row& r) {
  VisitRecord v;
  std::size_t i = 0;
  v.id = r.Int(i++);
  v.child_id = r.Int(i++);
  v.district_id = r.Int(i++);
  v.street_id = r.Int(i++);
  v.community_id = r.Int(i++);
  v.grid_id = r.OptInt(i++);
  v.unit_path = r.Text(i++);
  v.visited_on = static_cast<std::int32_t>(r.Int(i++));
  v.month = static_cast<std::int32_t>(r.Int(i++));
  v.grade = r.Text(i++);
  v.due_on = static_cast<std::int32_t>(r.Int(i++));
  v.on_time = r.Int(i++) != 0;
  for (std::string* s : {&v.seen, &v.seen_others, &v.place, &v.place_note, &v.child_state, &v.child_note,
                         &v.home_state, &v.home_note, &v.guardian_care, &v.guardian_note, &v.needs, &v.needs_note,
                         &v.follow_ups}) {
    *s = r.Text(i++);
  }
  v.photos = r.Int(i++);
  v.visitor_user_id = r.OptInt(i++);
  v.visitor_name = r.Text(i++);
  v.version = r.Int(i++);
  v.created_at = r.Int(i++);
  return v;
}

// The WHERE of the due list (alias s), parameters appended.
std::string DueWhere(const DueFilter& f, Params& p) {
  std::string w = ScopeCondition(f.scope, "s", p) + " AND s.active = 1";
  p.push_back(static_cast<std::int64_t>(f.due_by));
  w += " AND s.next_due_on <= " + P(p.size());
  if (f.due_from > 0) {
    p.push_back(static_cast<std::int64_t>(f.due_from));
    w += " AND s.next_due_on >= " + P(p.size());
  }
  if (f.community_id) {
    p.push_back(*f.community_id);
    w += " AND s.community_id = " + P(p.size());
  }
  if (f.street_id) {
    p.push_back(*f.street_id);
    w += " AND s.street_id = " + P(p.size());
  }
  if (!f.grade.empty()) {
    p.push_back(f.grade == "none" ? std::string() : f.grade);
    w += " AND s.grade = " + P(p.size());
  }
  return w;
}

}  // namespace

Result<std::optional<VisitScheduleRecord>> VisitsRepo::GetSchedule(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kSchedCols + " FROM visit_schedule s WHERE s.child_id = $1",
                                          {child_id}));
  if (rows.empty()) return std::optional<VisitScheduleRecord>();
  return std::optional<VisitScheduleRecord>(SchedFrom(rows[0]));
}

Status VisitsRepo::UpsertSchedule(const VisitScheduleRecord& s) {
  NoteScheduleWrite();
  return c_
      .Execute(
          "INSERT INTO visit_schedule (child_id, district_id, street_id, community_id, grid_id, unit_path, active, grade, "
          "graded_on, categories, rule, interval_days, planned_from, last_visit_on, next_due_on, item_due_on, version, "
          "updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,1,$17) "
          "ON CONFLICT (child_id) DO UPDATE SET district_id = excluded.district_id, street_id = excluded.street_id, "
          "community_id = excluded.community_id, grid_id = excluded.grid_id, unit_path = excluded.unit_path, "
          "active = excluded.active, grade = excluded.grade, graded_on = excluded.graded_on, "
          "categories = excluded.categories, rule = excluded.rule, interval_days = excluded.interval_days, "
          "planned_from = excluded.planned_from, last_visit_on = excluded.last_visit_on, "
          "next_due_on = excluded.next_due_on, item_due_on = excluded.item_due_on, "
          "version = visit_schedule.version + 1, updated_at = excluded.updated_at",
          {s.child_id, s.district_id, s.street_id, s.community_id, OptInt(s.grid_id), s.unit_path,
           std::int64_t{s.active ? 1 : 0}, s.grade, std::int64_t{s.graded_on}, s.categories, s.rule,
           std::int64_t{s.interval_days}, std::int64_t{s.planned_from}, std::int64_t{s.last_visit_on},
           std::int64_t{s.next_due_on}, std::int64_t{s.item_due_on}, s.updated_at})
      .status();
}

Status VisitsRepo::SetItemDue(std::int64_t child_id, std::int32_t item_due_on) {
  return c_.Execute("UPDATE visit_schedule SET item_due_on = $2 WHERE child_id = $1", {child_id, std::int64_t{item_due_on}})
      .status();
}

Status VisitsRepo::SetItemDueMany(const std::vector<std::pair<std::int64_t, std::int32_t>>& rows) {
  constexpr std::size_t kChunk = 500;
  std::map<std::int32_t, std::vector<std::int64_t>> by_date;
  for (const auto& [child_id, due] : rows) by_date[due].push_back(child_id);
  for (const auto& [due, ids] : by_date) {
    for (std::size_t at = 0; at < ids.size(); at += kChunk) {
      const std::size_t n = std::min(kChunk, ids.size() - at);
      Params p = {std::int64_t{due}};
      std::string in;
      for (std::size_t i = 0; i < n; ++i) {
        p.push_back(ids[at + i]);
        in += (i ? "," : "") + P(p.size());
      }
      TH_RETURN_IF_ERROR(c_.Execute("UPDATE visit_schedule SET item_due_on = $1 WHERE child_id IN (" + in + ")", p).status());
    }
  }
  return Status::Ok();
}

Result<std::optional<RollChild>> VisitsRepo::RollChildOf(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kRollSelect) + "WHERE c.id = $1", {child_id}));
  if (rows.empty()) return std::optional<RollChild>();
  return std::optional<RollChild>(RollFrom(rows[0]));
}

Result<std::vector<RollChild>> VisitsRepo::RollBetween(std::int64_t lo, std::int64_t hi) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string(kRollSelect) + "WHERE c.id BETWEEN $1 AND $2 ORDER BY c.id", {lo, hi}));
  std::vector<RollChild> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(RollFrom(r));
  return out;
}

Result<std::int64_t> VisitsRepo::MaxChildId() {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT COALESCE(MAX(id), 0) FROM child"));
  return rows[0].Int(0);
}

Result<std::string> VisitsRepo::ChildName(std::int64_t child_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT name FROM child WHERE id = $1", {child_id}));
  return rows.empty() ? std::string() : rows[0].Text(0);
}

Result<std::vector<VisitScheduleRecord>> VisitsRepo::DueWithoutItem(std::int32_t today, std::int64_t after,
                                                                    std::int64_t limit) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kSchedCols +
                                              " FROM visit_schedule s WHERE s.active = 1 AND s.next_due_on <= $1 "
                                              "AND s.item_due_on <> s.next_due_on AND s.child_id > $2 "
                                              "ORDER BY s.child_id LIMIT $3",
                                          {std::int64_t{today}, after, limit}));
  std::vector<VisitScheduleRecord> out;
  for (const auto& r : rows.rows) out.push_back(SchedFrom(r));
  return out;
}

Result<std::vector<VisitScheduleRecord>> VisitsRepo::ListDue(const DueFilter& f, const Page& page) {
  Params p;
  std::string w = DueWhere(f, p);
  p.push_back(page.page_size);
  p.push_back(page.Offset());
  // The children are joined to the page's rows only (not to the rows OFFSET skips). Near the top of the list the
  // page's rows come straight from the scope's index (one visit_schedule row per entry walked); deeper in, the page's
  // keys come from the covering index alone (a skipped row costs an index entry, not a row) and only the page's rows
  // are read by key. PostgreSQL, 40,000 candidates, page 5 of 20: 494 buffers before, 174 either way; page 1: 103.
  const bool deep = page.Offset() > 3 * page.page_size;
  const std::string page_rows =
      deep ? "(SELECT s.child_id FROM visit_schedule s WHERE " + w + " ORDER BY s.next_due_on, s.child_id LIMIT " +
                 P(p.size() - 1) + " OFFSET " + P(p.size()) + ") k JOIN visit_schedule s ON s.child_id = k.child_id"
           : std::string("(SELECT ") + kSchedCols + " FROM visit_schedule s WHERE " + w +
                 " ORDER BY s.next_due_on, s.child_id LIMIT " + P(p.size() - 1) + " OFFSET " + P(p.size()) + ") s";
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kSchedCols + ", c.name, c.sex, c.birth_date FROM " +
                                              page_rows + " JOIN child c ON c.id = s.child_id ORDER BY s.next_due_on, s.child_id",
                                          p));
  std::vector<VisitScheduleRecord> out;
  for (const auto& r : rows.rows) {
    VisitScheduleRecord s = SchedFrom(r);
    s.child_name = r.Text(kSchedN);
    s.sex = r.Text(kSchedN + 1);
    s.birth_date = static_cast<std::int32_t>(r.Int(kSchedN + 2));
    out.push_back(std::move(s));
  }
  return out;
}

std::uint64_t VisitsRepo::WriteGeneration() {
  return g_schedule_writes.load(std::memory_order_acquire) + ChildWriteGeneration();
}

Result<std::int64_t> VisitsRepo::CountDue(const DueFilter& f, bool* capped, CountCache* counts) {
  Params p;
  std::string w = DueWhere(f, p);
  p.push_back(kCountCap + 1);
  const std::string sql = "SELECT COUNT(*) FROM (SELECT 1 FROM visit_schedule s WHERE " + w + " LIMIT " + P(p.size()) + ") t";
  const std::uint64_t generation = WriteGeneration();  // before the count: a write during it makes the entry stale
  std::string key;
  if (counts) {
    key = CountKey(sql, p);
    if (auto hit = counts->Get(key, generation)) {
      *capped = hit->capped;
      return hit->total;
    }
  }
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, p));
  std::int64_t n = rows[0].Int(0);
  *capped = n > kCountCap;
  n = std::min(n, kCountCap);
  if (counts) counts->Put(key, generation, {n, *capped});
  return n;
}

Status VisitsRepo::InsertVisit(VisitRecord& v) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO visit (child_id, district_id, street_id, community_id, grid_id, unit_path, visited_on, month, "
               "grade, due_on, on_time, seen, seen_others, place, place_note, child_state, child_note, home_state, "
               "home_note, guardian_care, guardian_note, needs, needs_note, follow_ups, photos, visitor_user_id, "
               "visitor_name, version, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,"
               "$18,$19,$20,$21,$22,$23,$24,$25,$26,$27,1,$28) RETURNING id",
               {v.child_id, v.district_id, v.street_id, v.community_id, OptInt(v.grid_id), v.unit_path,
                std::int64_t{v.visited_on}, std::int64_t{v.month}, v.grade, std::int64_t{v.due_on},
                std::int64_t{v.on_time ? 1 : 0}, v.seen, v.seen_others, v.place, v.place_note, v.child_state,
                v.child_note, v.home_state, v.home_note, v.guardian_care, v.guardian_note, v.needs, v.needs_note,
                v.follow_ups, v.photos, OptInt(v.visitor_user_id), v.visitor_name, v.created_at}));
  v.id = rows[0].Int(0);
  return RollupVisits("v.id = $1", {v.id}, 1);
}

Result<std::optional<VisitRecord>> VisitsRepo::GetVisit(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kVisitCols + " FROM visit WHERE id = $1", {id}));
  if (rows.empty()) return std::optional<VisitRecord>();
  return std::optional<VisitRecord>(VisitFrom(rows[0]));
}

Result<std::vector<VisitRecord>> VisitsRepo::VisitsOfChild(std::int64_t child_id, const Page& page, std::int64_t* total) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Query("SELECT COUNT(*) FROM visit WHERE child_id = $1", {child_id}));
  *total = n[0].Int(0);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kVisitCols +
                                              " FROM visit WHERE child_id = $1 ORDER BY visited_on DESC, id DESC "
                                              "LIMIT $2 OFFSET $3",
                                          {child_id, page.page_size, page.Offset()}));
  std::vector<VisitRecord> out;
  for (const auto& r : rows.rows) out.push_back(VisitFrom(r));
  return out;
}

Status VisitsRepo::SetPhotoCount(std::int64_t visit_id, std::int64_t n) {
  return c_.Execute("UPDATE visit SET photos = $2, version = version + 1 WHERE id = $1", {visit_id, n}).status();
}

Status VisitsRepo::InsertPhoto(VisitPhotoRecord& p) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("INSERT INTO visit_photo (visit_id, content_type, size_bytes, sha256, data_enc, "
                                          "created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id",
                                          {p.visit_id, p.content_type, p.size_bytes, p.sha256,
                                           storage::Blob{p.data_enc}, OptInt(p.created_by), p.created_at}));
  p.id = rows[0].Int(0);
  return Status::Ok();
}

Result<std::optional<VisitPhotoRecord>> VisitsRepo::GetPhoto(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, visit_id, content_type, size_bytes, sha256, data_enc, created_by, "
                                          "created_at FROM visit_photo WHERE id = $1",
                                          {id}));
  if (rows.empty()) return std::optional<VisitPhotoRecord>();
  const Row& r = rows[0];
  VisitPhotoRecord p{r.Int(0), r.Int(1), r.Int(3), r.Int(7), r.Text(2), r.Text(4), r.Text(5), r.OptInt(6)};
  return std::optional<VisitPhotoRecord>(std::move(p));
}

Result<std::vector<VisitPhotoRecord>> VisitsRepo::PhotosOf(std::int64_t visit_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, visit_id, content_type, size_bytes, sha256, created_by, created_at "
                                          "FROM visit_photo WHERE visit_id = $1 ORDER BY id",
                                          {visit_id}));
  std::vector<VisitPhotoRecord> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Int(1), r.Int(3), r.Int(6), r.Text(2), r.Text(4), "", r.OptInt(5)});
  return out;
}

Result<std::vector<VisitStatsCell>> VisitsRepo::Stats(const ChildScope& scope, std::int32_t from_month,
                                                      std::int32_t to_month) {
  std::vector<VisitStatsCell> out;
  {
    Params p;
    std::string w = ScopeCondition(scope, "v", p);
    p.push_back(std::int64_t{from_month});
    p.push_back(std::int64_t{to_month});
    TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT v.grade, v.month, COUNT(*), SUM(v.on_time) FROM visit v WHERE " + w +
                                                " AND v.month BETWEEN " + P(p.size() - 1) + " AND " + P(p.size()) +
                                                " GROUP BY v.grade, v.month",
                                            p));
    for (const auto& r : rows.rows) {
      out.push_back({r.Text(0), static_cast<std::int32_t>(r.Int(1)), r.Int(2), r.Int(3), 0});
    }
  }
  Params p;
  std::string w = ScopeCondition(scope, "s", p);
  p.push_back(std::int64_t{to_month} * 100 + 31);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT s.grade, s.next_due_on / 100, COUNT(*) FROM visit_schedule s WHERE " + w +
                                              " AND s.active = 1 AND s.next_due_on <= " + P(p.size()) +
                                              " GROUP BY s.grade, s.next_due_on / 100",
                                          p));
  for (const auto& r : rows.rows) out.push_back({r.Text(0), static_cast<std::int32_t>(r.Int(1)), 0, 0, r.Int(2)});
  return out;
}

namespace {

// Runs `insert_head` VALUES (...), ... over `n` rows of `width` parameters each, `batch` rows per
// statement (one SQL text for the full batches, one for the rest: prepared once each).
template <class Bind>
Status MultiInsert(storage::Connection& c, const std::string& insert_head, std::size_t width, std::size_t n,
                   std::size_t batch, Bind bind) {
  for (std::size_t at = 0; at < n; at += batch) {
    const std::size_t k = std::min(batch, n - at);
    std::string sql = insert_head + " VALUES ";
    Params p;
    p.reserve(k * width);
    for (std::size_t i = 0; i < k; ++i) {
      sql += i ? ",(" : "(";
      for (std::size_t j = 0; j < width; ++j) sql += (j ? ",$" : "$") + std::to_string(i * width + j + 1);
      sql += ")";
      bind(at + i, p);
    }
    TH_RETURN_IF_ERROR(c.Execute(sql, p).status());
  }
  return Status::Ok();
}

}  // namespace

Status VisitsRepo::InsertVisitsBulk(const std::vector<VisitRecord>& rows) {
  TH_ASSIGN_OR_RETURN(auto max, c_.Query("SELECT COALESCE(MAX(id), 0) FROM visit"));
  const std::int64_t before = max[0].Int(0);
  TH_RETURN_IF_ERROR(MultiInsert(c_,
                     "INSERT INTO visit (child_id, district_id, street_id, community_id, grid_id, unit_path, visited_on, "
                     "month, grade, due_on, on_time, seen, place, child_state, home_state, guardian_care, needs, "
                     "follow_ups, visitor_name, created_at)",
                     20, rows.size(), 200, [&](std::size_t i, Params& p) {
                       const VisitRecord& v = rows[i];
                       p.insert(p.end(), {v.child_id, v.district_id, v.street_id, v.community_id, OptInt(v.grid_id),
                                          v.unit_path, std::int64_t{v.visited_on}, std::int64_t{v.month}, v.grade,
                                          std::int64_t{v.due_on}, std::int64_t{v.on_time ? 1 : 0}, v.seen, v.place,
                                          v.child_state, v.home_state, v.guardian_care, v.needs, v.follow_ups,
                                          v.visitor_name, v.created_at});
                     }));
  return RollupVisits("v.id > $1", {before}, 1);
}

Status VisitsRepo::InsertSchedulesBulk(const std::vector<VisitScheduleRecord>& rows) {
  NoteScheduleWrite();
  return MultiInsert(c_,
                     "INSERT INTO visit_schedule (child_id, district_id, street_id, community_id, grid_id, unit_path, "
                     "active, grade, graded_on, categories, rule, interval_days, planned_from, last_visit_on, "
                     "next_due_on, item_due_on, updated_at)",
                     17, rows.size(), 200, [&](std::size_t i, Params& p) {
                       const VisitScheduleRecord& s = rows[i];
                       p.insert(p.end(), {s.child_id, s.district_id, s.street_id, s.community_id, OptInt(s.grid_id),
                                          s.unit_path, std::int64_t{s.active ? 1 : 0}, s.grade,
                                          std::int64_t{s.graded_on}, s.categories, s.rule,
                                          std::int64_t{s.interval_days}, std::int64_t{s.planned_from},
                                          std::int64_t{s.last_visit_on}, std::int64_t{s.next_due_on},
                                          std::int64_t{s.item_due_on}, s.updated_at});
                     });
}

Status VisitsRepo::FollowChild(std::int64_t child_id) {
  NoteScheduleWrite();
  TH_RETURN_IF_ERROR(RollupVisits("v.child_id = $1", {child_id}, -1));
  const char* sub = "(SELECT u.path FROM child c JOIN org_unit u ON u.id = COALESCE(c.grid_id, c.community_id) WHERE c.id = $1)";
  for (const char* table : {"visit_schedule", "visit"}) {
    TH_RETURN_IF_ERROR(c_.Execute(std::string("UPDATE ") + table +
                                      " SET district_id = (SELECT district_id FROM child WHERE id = $1), "
                                      "street_id = (SELECT street_id FROM child WHERE id = $1), "
                                      "community_id = (SELECT community_id FROM child WHERE id = $1), "
                                      "grid_id = (SELECT grid_id FROM child WHERE id = $1), unit_path = " + sub +
                                      " WHERE child_id = $1",
                                  {child_id})
                           .status());
  }
  return RollupVisits("v.child_id = $1", {child_id}, 1);
}

Status VisitsRepo::FollowUnit(const std::string& old_path, const std::string& new_path) {
  NoteScheduleWrite();
  TH_RETURN_IF_ERROR(RollupVisits("v.unit_path LIKE $1 ESCAPE '\\'", {LikeEscape(old_path) + "%"}, -1));
  for (const char* table : {"visit_schedule", "visit"}) {
    TH_RETURN_IF_ERROR(c_.Execute(std::string("UPDATE ") + table +
                                      " SET unit_path = $1 || SUBSTR(unit_path, $2) WHERE unit_path LIKE $3 ESCAPE '\\'",
                                  {new_path, static_cast<std::int64_t>(old_path.size() + 1), LikeEscape(old_path) + "%"})
                           .status());
    // A community moved to another street carries its children's ids, a grid moved to another community its
    // children's community (the registry's hook ran first).
    TH_RETURN_IF_ERROR(c_.Execute(std::string("UPDATE ") + table +
                                      " SET district_id = (SELECT c.district_id FROM child c WHERE c.id = " + table +
                                      ".child_id), street_id = (SELECT c.street_id FROM child c WHERE c.id = " + table +
                                      ".child_id), community_id = (SELECT c.community_id FROM child c WHERE c.id = " +
                                      table + ".child_id) WHERE unit_path LIKE $1 ESCAPE '\\'",
                                  {LikeEscape(new_path) + "%"})
                           .status());
  }
  return RollupVisits("v.unit_path LIKE $1 ESCAPE '\\'", {LikeEscape(new_path) + "%"}, 1);
}

}  // namespace th::repo
