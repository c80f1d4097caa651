// Statistics rollups (table dispatch_rollup, migration 0020): kept in the transaction that changes an
// order, read by DispatchRepo::Stats. A statistics request sums the rollup rows of its days and then
// subtracts, from the "waiting" counters, the orders whose deadline has not passed yet (a few: only
// orders with a deadline after now are read), so the figures that grow with time (accept_due,
// handle_due, overdue_now) are exact at the moment of the request.
#include <array>
#include <map>
#include <tuple>

#include "modules/dispatch/repo/dispatch_repo.h"
#include "modules/dispatch/repo/dispatch_repo_internal.h"

namespace th::repo {

using storage::Params;

namespace {

constexpr std::int64_t kShanghaiOffsetMs = 8LL * 3600 * 1000;
constexpr std::int64_t kDayMs = 86400000;

// The counters of one rollup row, in the table's column order.
constexpr int kCounters = 12;
using Counters = std::array<std::int64_t, kCounters>;
const char* const kCounterCols =
    "received, accepted, accepted_on_time, fed_back, handled_on_time, returned, extensions, revisited, satisfied, "
    "unaccepted, handling_open, receiver_open";

// What order `o` adds to its rollup rows.
Counters Contribution(const DispatchOrderRecord& o) {
  const bool pending = o.status == "pending_accept", handling = o.status == "handling";
  return {1,
          o.accepted_at ? 1 : 0,
          o.accepted_late && *o.accepted_late == 0 ? 1 : 0,
          o.feedback_at ? 1 : 0,
          o.handled_late && *o.handled_late == 0 ? 1 : 0,
          o.returned ? 1 : 0,
          o.extensions,
          o.revisited_at ? 1 : 0,
          o.satisfied && *o.satisfied == 1 ? 1 : 0,
          pending || o.status == "return_requested" ? 1 : 0,
          handling && !o.feedback_at ? 1 : 0,
          pending || handling ? 1 : 0};
}

// A rollup row's key: (district, dim, day, street, k1, k2) and its month.
using Key = std::tuple<std::int64_t, std::string, std::int64_t, std::int64_t, std::string, std::int64_t>;

std::vector<Key> KeysOf(const DispatchOrderRecord& o) {
  const std::int64_t day = DispatchRepo::DayOf(o.dispatched_at);
  const std::int64_t street = o.street_id.value_or(0);
  return {Key{o.district_unit_id, "department", day, street, o.target_kind, o.agency_id.value_or(o.unit_id)},
          Key{o.district_unit_id, "category", day, street, o.category, 0},
          Key{o.district_unit_id, "channel", day, street, o.channel, 0}};
}

Status Upsert(storage::Connection& c, const Key& k, const std::string& month, const Counters& d) {
  std::string sets;
  std::string cols = kCounterCols;
  Params p = {std::get<0>(k), std::get<1>(k), std::get<2>(k), std::get<3>(k), std::get<4>(k), std::get<5>(k), month};
  std::string values = "$1, $2, $3, $4, $5, $6, $7";
  std::size_t start = 0;
  for (int i = 0; i < kCounters; ++i) {
    const std::size_t end = cols.find(',', start);
    const std::string col = cols.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? end : end + 2;
    p.push_back(d[i]);
    values += ", $" + std::to_string(8 + i);
    sets += std::string(i ? ", " : "") + col + " = dispatch_rollup." + col + " + excluded." + col;
  }
  return c
      .Execute(std::string("INSERT INTO dispatch_rollup (district_unit_id, dim, day, street_id, k1, k2, month, ") +
                   kCounterCols + ") VALUES (" + values +
                   ") ON CONFLICT (district_unit_id, dim, day, street_id, k1, k2) DO UPDATE SET " + sets,
               p)
      .status();
}

// The SELECT that rebuilds one dim's rollup rows from the orders (the migration's backfill).
std::string RebuildSelect(const std::string& dim) {
  std::string k1 = dim == "department" ? "target_kind" : dim;
  std::string k2 = dim == "department" ? "COALESCE(agency_id, unit_id)" : "0";
  std::string group = "district_unit_id, (dispatched_at + 28800000) / 86400000, COALESCE(street_id, 0), " + k1 +
                      (dim == "department" ? ", " + k2 : "");
  return "INSERT INTO dispatch_rollup (district_unit_id, dim, day, street_id, k1, k2, month, " +
         std::string(kCounterCols) + ") SELECT district_unit_id, '" + dim +
         "', (dispatched_at + 28800000) / 86400000, COALESCE(street_id, 0), " + k1 + ", " + k2 +
         ", MAX(month), COUNT(*), "
         "SUM(CASE WHEN accepted_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN accepted_late = 0 THEN 1 ELSE 0 END), "
         "SUM(CASE WHEN feedback_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN handled_late = 0 THEN 1 ELSE 0 END), "
         "SUM(returned), SUM(extensions), SUM(CASE WHEN revisited_at IS NOT NULL THEN 1 ELSE 0 END), "
         "SUM(CASE WHEN satisfied = 1 THEN 1 ELSE 0 END), "
         "SUM(CASE WHEN status IN ('pending_accept', 'return_requested') THEN 1 ELSE 0 END), "
         "SUM(CASE WHEN status = 'handling' AND feedback_at IS NULL THEN 1 ELSE 0 END), "
         "SUM(CASE WHEN status IN ('pending_accept', 'handling') THEN 1 ELSE 0 END) "
         "FROM dispatch_order GROUP BY " + group;
}

}  // namespace

std::int64_t DispatchRepo::DayOf(std::int64_t epoch_ms) { return (epoch_ms + kShanghaiOffsetMs) / kDayMs; }

Status DispatchRepo::RollupAdd(const std::vector<DispatchOrderRecord>& orders) {
  std::map<Key, std::pair<std::string, Counters>> sum;
  for (const auto& o : orders) {
    const Counters add = Contribution(o);
    for (const auto& k : KeysOf(o)) {
      auto& e = sum[k];
      e.first = o.month;
      for (int i = 0; i < kCounters; ++i) e.second[i] += add[i];
    }
  }
  for (const auto& [k, e] : sum) TH_RETURN_IF_ERROR(Upsert(c_, k, e.first, e.second));
  return Status::Ok();
}

Status DispatchRepo::RollupChange(const DispatchOrderRecord& before, const DispatchOrderRecord& after) {
  const Counters b = Contribution(before), a = Contribution(after);
  const auto kb = KeysOf(before), ka = KeysOf(after);
  if (kb != ka) {
    Counters minus{};
    for (int i = 0; i < kCounters; ++i) minus[i] = -b[i];
    for (const auto& k : kb) TH_RETURN_IF_ERROR(Upsert(c_, k, before.month, minus));
    for (const auto& k : ka) TH_RETURN_IF_ERROR(Upsert(c_, k, after.month, a));
    return Status::Ok();
  }
  Counters d{};
  bool any = false;
  for (int i = 0; i < kCounters; ++i) any |= (d[i] = a[i] - b[i]) != 0;
  if (!any) return Status::Ok();
  for (const auto& k : ka) TH_RETURN_IF_ERROR(Upsert(c_, k, after.month, d));
  return Status::Ok();
}

Status DispatchRepo::RebuildRollup() {
  TH_RETURN_IF_ERROR(c_.Execute("DELETE FROM dispatch_rollup", {}).status());
  for (const char* dim : {"department", "category", "channel"}) {
    TH_RETURN_IF_ERROR(c_.Execute(RebuildSelect(dim), {}).status());
  }
  return Status::Ok();
}

namespace {

// The group key of `by` over rollup rows (r) and over orders (o), and the names' join.
struct Grouping {
  std::string dim, rollup_cols, rollup_group, order_cols, names = "x.k1", join;
  bool two = false;
};

Grouping GroupingOf(const std::string& by) {
  Grouping g;
  g.dim = by == "department" || by == "category" ? by : "channel";
  if (by == "department") {
    g.rollup_cols = "r.k1 AS k1, r.k2 AS k2";
    g.rollup_group = "r.k1, r.k2";
    g.order_cols = "o.target_kind AS k1, COALESCE(o.agency_id, o.unit_id) AS k2";
    g.names = "COALESCE(a.name, u.name, '')";
    g.join = " LEFT JOIN agency a ON x.k1 = 'agency' AND a.id = x.k2 LEFT JOIN org_unit u ON x.k1 = 'unit' AND u.id = x.k2";
    g.two = true;
  } else if (by == "street") {
    g.rollup_cols = "r.street_id AS k1";
    g.rollup_group = "r.street_id";
    g.order_cols = "COALESCE(o.street_id, 0) AS k1";
    g.names = "COALESCE(s.name, '')";
    g.join = " LEFT JOIN org_unit s ON s.id = x.k1";
  } else if (by == "month") {
    g.rollup_cols = "r.month AS k1";
    g.rollup_group = "r.month";
    g.order_cols = "o.month AS k1";
  } else {
    g.rollup_cols = "r.k1 AS k1";
    g.rollup_group = "r.k1";
    g.order_cols = "o." + by + " AS k1";
  }
  return g;
}

std::string KeyText(const Grouping& g, const char* alias) {
  const std::string a(alias);
  return "CAST(" + a + ".k1 AS TEXT)" + (g.two ? " || ':' || CAST(" + a + ".k2 AS TEXT)" : "");
}

}  // namespace

// Long: the rollup sums, then the orders not yet due subtracted from the waiting counters.
Result<std::vector<DispatchStatsRow>> DispatchRepo::Stats(std::int64_t district_unit_id,
                                                          std::optional<std::int64_t> street_id, std::int64_t from,
                                                          std::int64_t to, const std::string& by, std::int64_t now) {
  const Grouping g = GroupingOf(by);
  const std::string inner =
      "SELECT " + g.rollup_cols +
      ", SUM(r.received) AS received, SUM(r.accepted) AS accepted, SUM(r.accepted_on_time) AS accepted_on_time, "
      "SUM(r.fed_back) AS fed_back, SUM(r.handled_on_time) AS handled_on_time, SUM(r.returned) AS returned, "
      "SUM(r.extensions) AS extensions, SUM(r.revisited) AS revisited, SUM(r.satisfied) AS satisfied, "
      "SUM(r.unaccepted) AS unaccepted, SUM(r.handling_open) AS handling_open, SUM(r.receiver_open) AS receiver_open "
      "FROM dispatch_rollup r WHERE r.district_unit_id = $1 AND r.dim = $2 AND r.day >= $3 AND r.day < $4" +
      std::string(street_id ? " AND r.street_id = $5" : "") + " GROUP BY " + g.rollup_group;
  const std::string sql = "SELECT " + KeyText(g, "x") + ", " + g.names +
                          ", x.received, x.accepted, x.accepted_on_time, x.fed_back, x.handled_on_time, x.returned, "
                          "x.extensions, x.revisited, x.satisfied, x.unaccepted, x.handling_open, x.receiver_open "
                          "FROM (" + inner + ") x" + g.join + " ORDER BY 1";
  Params p = {district_unit_id, g.dim, DayOf(from), DayOf(to)};
  if (street_id) p.push_back(*street_id);
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, p));
  std::vector<DispatchStatsRow> out;
  std::map<std::string, std::size_t> at;
  for (const auto& r : rows.rows) {
    DispatchStatsRow s;
    std::size_t i = 0;
    s.key = r.Text(i++);
    s.name = r.Text(i++);
    s.received = r.Int(i++);
    s.accepted = r.Int(i++);
    s.accepted_on_time = r.Int(i++);
    s.fed_back = r.Int(i++);
    s.handled_on_time = r.Int(i++);
    s.returned = r.Int(i++);
    s.extensions = r.Int(i++);
    s.revisited = r.Int(i++);
    s.satisfied = r.Int(i++);
    // Until the deadlines are subtracted below: every waiting order counts as due.
    s.accept_due = s.accepted + r.Int(i++);
    s.handle_due = s.fed_back + r.Int(i++);
    s.overdue_now = r.Int(i++);
    if (s.received == 0) continue;  // rows emptied by unit moves
    if (s.name.empty()) s.name = by == "street" && s.key == "0" ? "区级(未分街道)" : s.key;
    at[s.key] = out.size();
    out.push_back(std::move(s));
  }
  // The waiting orders whose deadline is still ahead: those with a deadline after now (next_due_at),
  // and return requests whose acceptance deadline is ahead (next_due_at none).
  const std::string range = " AND o.dispatched_at >= $2 AND o.dispatched_at < $3" +
                            std::string(street_id ? " AND o.street_id = $6" : "");
  const std::string ahead =
      "SELECT " + KeyText(g, "y") + ", SUM(y.a), SUM(y.h), SUM(y.v) FROM ("
      "SELECT " + g.order_cols + ", "
      "CASE WHEN o.status = 'pending_accept' AND o.accept_due_at >= $4 THEN 1 ELSE 0 END AS a, "
      "CASE WHEN o.status = 'handling' AND o.feedback_at IS NULL AND o.handle_due_at >= $4 THEN 1 ELSE 0 END AS h, "
      "CASE WHEN o.status IN ('pending_accept', 'handling') THEN 1 ELSE 0 END AS v "
      "FROM dispatch_order o WHERE o.district_unit_id = $1 AND o.next_due_at >= $4 AND o.next_due_at < $5" +
      // `+`: the period is checked on the rows found by their deadline (SQLite would otherwise walk the
      // period's covering index, every order of the year).
      std::string(" AND +o.dispatched_at >= $2 AND +o.dispatched_at < $3") +
      std::string(street_id ? " AND o.street_id = $6" : "") +
      " UNION ALL SELECT " + g.order_cols + ", 1 AS a, 0 AS h, 0 AS v FROM dispatch_order o "
      "WHERE o.district_unit_id = $1 AND o.status = 'return_requested' AND o.accept_due_at >= $4" + range +
      ") y GROUP BY " + std::string(g.two ? "y.k1, y.k2" : "y.k1");
  Params q = {district_unit_id, from, to, now, kNoDeadline};
  if (street_id) q.push_back(*street_id);
  TH_ASSIGN_OR_RETURN(auto fut, c_.Query(ahead, q));
  for (const auto& r : fut.rows) {
    auto it = at.find(r.Text(0));
    if (it == at.end()) continue;
    DispatchStatsRow& s = out[it->second];
    s.accept_due -= r.Int(1);
    s.handle_due -= r.Int(2);
    s.overdue_now -= r.Int(3);
  }
  return out;
}

}  // namespace th::repo
