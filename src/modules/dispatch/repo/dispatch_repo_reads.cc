// Lists, steps, attachments and statistics of dispatch orders.
#include <algorithm>
#include <map>

#include "modules/dispatch/repo/dispatch_repo.h"
#include "modules/dispatch/repo/dispatch_repo_internal.h"
#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;

namespace {

std::string P(const Params& p) { return "$" + std::to_string(p.size()); }

// The WHERE clause of a list (its parameters appended to `p`). The scope is always present.
std::string ListWhere(const DispatchListFilter& f, Params& p) {
  std::string w;
  if (f.scope_district) {
    p.push_back(*f.scope_district);
    w = "district_unit_id = " + P(p);
  } else if (f.scope_agency) {
    p.push_back(*f.scope_agency);
    w = "agency_id = " + P(p);
  } else if (f.scope_street) {
    p.push_back(*f.scope_street);
    w = "receiver_street_id = " + P(p);
  } else if (f.scope_unit) {
    p.push_back(*f.scope_unit);
    w = "unit_id = " + P(p) + " AND target_kind = 'unit'";
  } else if (!f.scope_report_path.empty()) {
    p.push_back(LikeEscape(f.scope_report_path) + "%");
    w = "report_unit_path LIKE " + P(p) + " ESCAPE '\\'";
  } else {
    return "1 = 0";  // no scope: nothing
  }
  if (f.status == "extension_requested") {
    w += " AND extension_pending = 1 AND status = 'handling'";
  } else if (f.status == "open") {
    w += " AND status IN ('pending_accept', 'handling', 'return_requested', 'feedback')";
  } else if (!f.status.empty()) {
    p.push_back(f.status);
    w += " AND status = " + P(p);
  }
  if (f.overdue) {
    p.push_back(f.now);
    w += " AND status IN ('pending_accept', 'handling') AND next_due_at < " + P(p);
  }
  if (f.agency_id) {
    p.push_back(*f.agency_id);
    w += " AND agency_id = " + P(p);
  }
  if (f.unit_id) {
    p.push_back(*f.unit_id);
    w += " AND unit_id = " + P(p) + " AND target_kind = 'unit'";
  }
  if (f.report_id) {
    p.push_back(*f.report_id);
    w += " AND report_id = " + P(p);
  }
  return w;
}

DispatchStepRecord StepFrom(const Row& r) {
  DispatchStepRecord s;
  std::size_t i = 0;
  s.id = r.Int(i++);
  s.order_id = r.Int(i++);
  s.report_id = r.Int(i++);
  s.action = r.Text(i++);
  s.from_state = r.Text(i++);
  s.to_state = r.Text(i++);
  s.by_user_id = r.OptInt(i++);
  s.by_name = r.Text(i++);
  s.by_unit = r.Text(i++);
  s.at = r.Int(i++);
  s.note = r.Text(i++);
  s.due_at = r.OptInt(i++);
  s.met = r.OptInt(i++);
  s.new_due_at = r.OptInt(i++);
  s.reached = r.OptText(i++);
  s.satisfied = r.OptInt(i++);
  s.attachment_ids = r.Text(i++);
  return s;
}

}  // namespace

Result<std::vector<DispatchOrderRecord>> DispatchRepo::List(const DispatchListFilter& f, const Page& page,
                                                            std::int64_t* total, bool* capped) {
  Params p;
  const std::string where = ListWhere(f, p);
  // Counting a district's 300,000 orders costs more than the page: count at most kCountCap + 1.
  Params pc = p;
  pc.push_back(kCountCap + 1);
  // Ordered as the page is: the planners then walk the page's index (a generic PostgreSQL plan for an
  // agency's orders chose a sequential scan otherwise).
  TH_ASSIGN_OR_RETURN(auto cnt, c_.Query("SELECT COUNT(*) FROM (SELECT 1 FROM dispatch_order WHERE " + where +
                                             " ORDER BY next_due_at, id LIMIT " + P(pc) + ") x",
                                         pc));
  *total = std::min(cnt[0].Int(0), kCountCap);
  *capped = cnt[0].Int(0) > kCountCap;
  if (*total == 0) return std::vector<DispatchOrderRecord>{};
  Params q = p;
  q.push_back(page.page_size);
  const std::string lim = P(q);
  q.push_back(page.Offset());
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + dispatch_internal::kOrderCols +
                                              " FROM dispatch_order WHERE " + where +
                                              " ORDER BY next_due_at, id LIMIT " + lim + " OFFSET " + P(q),
                                          q));
  std::vector<DispatchOrderRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(dispatch_internal::OrderFrom(r));
  return out;
}

Status DispatchRepo::InsertStep(DispatchStepRecord& s) {
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO dispatch_step (order_id, report_id, action, from_state, to_state, by_user_id, by_name, "
               "by_unit, at, note, due_at, met, new_due_at, reached, satisfied, attachment_ids) VALUES ($1, $2, $3, "
               "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
               {s.order_id, s.report_id, s.action, s.from_state, s.to_state, OptInt(s.by_user_id), s.by_name, s.by_unit,
                s.at, s.note, OptInt(s.due_at), OptInt(s.met), OptInt(s.new_due_at),
                s.reached ? storage::Value(*s.reached) : storage::Null(), OptInt(s.satisfied), s.attachment_ids}));
  s.id = rows[0].Int(0);
  return Status::Ok();
}

Result<std::vector<DispatchStepRecord>> DispatchRepo::StepsForReport(std::int64_t report_id) {
  TH_ASSIGN_OR_RETURN(auto rows,
                      c_.Query("SELECT id, order_id, report_id, action, from_state, to_state, by_user_id, by_name, "
                               "by_unit, at, note, due_at, met, new_due_at, reached, satisfied, attachment_ids "
                               "FROM dispatch_step WHERE report_id = $1 ORDER BY id",
                               {report_id}));
  std::vector<DispatchStepRecord> out;
  for (const auto& r : rows.rows) out.push_back(StepFrom(r));
  return out;
}

Status DispatchRepo::MoveUnit(const std::string& old_path, const std::string& new_path) {
  // The street on the new path (the moved unit itself when it is a street), if any.
  TH_ASSIGN_OR_RETURN(auto st, c_.Query("SELECT id FROM org_unit WHERE level = 'street' AND $1 LIKE path || '%'",
                                        {new_path}));
  const storage::Value street = st.empty() ? storage::Null() : storage::Value(st[0].Int(0));
  const auto old_len = static_cast<std::int64_t>(old_path.size());
  const std::string pattern = LikeEscape(old_path) + "%";
  TH_RETURN_IF_ERROR(c_.Execute("UPDATE dispatch_order SET unit_path = $1 || SUBSTR(unit_path, $2), "
                                "receiver_street_id = $4 WHERE target_kind = 'unit' AND unit_path LIKE $3 ESCAPE '\\'",
                                {new_path, old_len + 1, pattern, street})
                         .status());
  TH_ASSIGN_OR_RETURN(auto moved,
                      c_.Execute("UPDATE dispatch_order SET report_unit_path = $1 || SUBSTR(report_unit_path, $2), "
                                 "street_id = $4 WHERE report_unit_path LIKE $3 ESCAPE '\\'",
                                 {new_path, old_len + 1, pattern, street}));
  // The orders' streets changed: the statistics rollups are rebuilt (unit moves are rare).
  return moved > 0 ? RebuildRollup() : Status::Ok();
}

Result<std::optional<std::int64_t>> DispatchRepo::UserAgency(std::int64_t user_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT agency_id FROM app_user WHERE id = $1", {user_id}));
  if (rows.empty()) return std::optional<std::int64_t>{};
  return rows[0].OptInt(0);
}

// Long: one aggregate query (the group key by `by`) and its row reader.
Result<std::vector<DispatchStatsRow>> DispatchRepo::StatsFromOrders(std::int64_t district_unit_id,
                                                          std::optional<std::int64_t> street_id, std::int64_t from,
                                                          std::int64_t to, const std::string& by, std::int64_t now) {
  // Grouped on integer or short text columns; names are joined to the (few) groups afterwards.
  std::string cols = "o.category AS k1", names = "x.k1";
  std::string join;
  if (by == "department") {
    cols = "o.target_kind AS k1, COALESCE(o.agency_id, o.unit_id) AS k2";
    names = "COALESCE(a.name, u.name, '')";
    join = " LEFT JOIN agency a ON x.k1 = 'agency' AND a.id = x.k2 LEFT JOIN org_unit u ON x.k1 = 'unit' AND u.id = x.k2";
  } else if (by == "street") {
    cols = "COALESCE(o.street_id, 0) AS k1";
    names = "COALESCE(s.name, '')";
    join = " LEFT JOIN org_unit s ON s.id = x.k1";
  } else if (by == "month") {
    cols = "o.month AS k1";
  } else if (by == "channel") {
    cols = "o.channel AS k1";
  }
  const bool two = by == "department";
  const std::string inner =
      "SELECT " + cols + ", COUNT(*) AS received, "
      "SUM(CASE WHEN o.accepted_at IS NOT NULL THEN 1 ELSE 0 END) AS accepted, "
      "SUM(CASE WHEN o.accepted_late = 0 THEN 1 ELSE 0 END) AS accepted_on_time, "
      "SUM(CASE WHEN o.accepted_at IS NOT NULL OR (o.status IN ('pending_accept', 'return_requested') AND o.accept_due_at < $4) THEN 1 ELSE 0 END) AS accept_due, "
      "SUM(CASE WHEN o.feedback_at IS NOT NULL THEN 1 ELSE 0 END) AS fed_back, "
      "SUM(CASE WHEN o.handled_late = 0 THEN 1 ELSE 0 END) AS handled_on_time, "
      "SUM(CASE WHEN o.feedback_at IS NOT NULL OR (o.status = 'handling' AND o.handle_due_at < $4) THEN 1 ELSE 0 END) AS handle_due, "
      "SUM(o.returned) AS returned, SUM(o.extensions) AS extensions, "
      "SUM(CASE WHEN o.revisited_at IS NOT NULL THEN 1 ELSE 0 END) AS revisited, "
      "SUM(CASE WHEN o.satisfied = 1 THEN 1 ELSE 0 END) AS satisfied, "
      "SUM(CASE WHEN o.status IN ('pending_accept', 'handling') AND o.next_due_at < $4 THEN 1 ELSE 0 END) AS overdue_now "
      "FROM dispatch_order o WHERE o.district_unit_id = $1 AND o.dispatched_at >= $2 AND o.dispatched_at < $3" +
      std::string(street_id ? " AND o.street_id = $5" : "") + (two ? " GROUP BY 1, 2" : " GROUP BY 1");
  const std::string sql = "SELECT CAST(x.k1 AS TEXT)" + std::string(two ? " || ':' || CAST(x.k2 AS TEXT)" : "") +
                          ", " + names + ", x.received, x.accepted, x.accepted_on_time, x.accept_due, x.fed_back, "
                          "x.handled_on_time, x.handle_due, x.returned, x.extensions, x.revisited, x.satisfied, "
                          "x.overdue_now FROM (" + inner + ") x" + join + " ORDER BY 1";
  Params p = {district_unit_id, from, to, now};
  if (street_id) p.push_back(*street_id);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, p));
  std::vector<DispatchStatsRow> out;
  for (const auto& r : rows.rows) {
    DispatchStatsRow s;
    std::size_t i = 0;
    s.key = r.Text(i++);
    s.name = r.Text(i++);
    s.received = r.Int(i++);
    s.accepted = r.Int(i++);
    s.accepted_on_time = r.Int(i++);
    s.accept_due = r.Int(i++);
    s.fed_back = r.Int(i++);
    s.handled_on_time = r.Int(i++);
    s.handle_due = r.Int(i++);
    s.returned = r.Int(i++);
    s.extensions = r.Int(i++);
    s.revisited = r.Int(i++);
    s.satisfied = r.Int(i++);
    s.overdue_now = r.Int(i++);
    if (s.name.empty()) s.name = by == "street" && s.key == "0" ? "区级(未分街道)" : s.key;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace th::repo
