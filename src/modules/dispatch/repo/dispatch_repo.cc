#include "modules/dispatch/repo/dispatch_repo.h"

#include "modules/dispatch/repo/dispatch_repo_internal.h"

#include "platform/repo/sql_values.h"

namespace th::repo {

using storage::Params;
using storage::Row;
using storage::Value;

namespace dispatch_internal {

const char* const kOrderCols =
    "id, report_id, district_unit_id, lead, lead_order_id, target_kind, agency_id, unit_id, unit_path, receiver_street_id, receiver_role, target_name, "
    "report_unit_path, street_id, child_id, category, urgency, channel, month, instructions, designated, status, "
    "extension_pending, extension_due_at, round, dispatched_at, dispatched_by, accept_due_at, accepted_at, "
    "accepted_late, handle_due_at, feedback_at, handled_late, revisit_due_at, revisited_at, satisfied, closed_at, "
    "returned, extensions, redos, next_due_at, version, created_at, updated_at";

DispatchOrderRecord OrderFrom(const Row& r) {
  DispatchOrderRecord o;
  std::size_t i = 0;
  o.id = r.Int(i++);
  o.report_id = r.Int(i++);
  o.district_unit_id = r.Int(i++);
  o.lead = r.Int(i++) != 0;
  o.lead_order_id = r.OptInt(i++);
  o.target_kind = r.Text(i++);
  o.agency_id = r.OptInt(i++);
  o.unit_id = r.Int(i++);
  o.unit_path = r.Text(i++);
  o.receiver_street_id = r.OptInt(i++);
  o.receiver_role = r.Text(i++);
  o.target_name = r.Text(i++);
  o.report_unit_path = r.Text(i++);
  o.street_id = r.OptInt(i++);
  o.child_id = r.OptInt(i++);
  o.category = r.Text(i++);
  o.urgency = r.Text(i++);
  o.channel = r.Text(i++);
  o.month = r.Text(i++);
  o.instructions = r.Text(i++);
  o.designated = r.Int(i++) != 0;
  o.status = r.Text(i++);
  o.extension_pending = r.Int(i++) != 0;
  o.extension_due_at = r.OptInt(i++);
  o.round = r.Int(i++);
  o.dispatched_at = r.Int(i++);
  o.dispatched_by = r.OptInt(i++);
  o.accept_due_at = r.Int(i++);
  o.accepted_at = r.OptInt(i++);
  o.accepted_late = r.OptInt(i++);
  o.handle_due_at = r.OptInt(i++);
  o.feedback_at = r.OptInt(i++);
  o.handled_late = r.OptInt(i++);
  o.revisit_due_at = r.OptInt(i++);
  o.revisited_at = r.OptInt(i++);
  o.satisfied = r.OptInt(i++);
  o.closed_at = r.OptInt(i++);
  o.returned = r.Int(i++) != 0;
  o.extensions = r.Int(i++);
  o.redos = r.Int(i++);
  o.next_due_at = r.Int(i++);
  o.version = r.Int(i++);
  o.created_at = r.Int(i++);
  o.updated_at = r.Int(i++);
  return o;
}

}  // namespace dispatch_internal

namespace {

using dispatch_internal::kOrderCols;
using dispatch_internal::OrderFrom;

// Every column but id, in kOrderCols order.
Params InsertParams(const DispatchOrderRecord& o) {
  return {o.report_id, o.district_unit_id, std::int64_t{o.lead}, OptInt(o.lead_order_id), o.target_kind,
          OptInt(o.agency_id), o.unit_id, o.unit_path, OptInt(o.receiver_street_id), o.receiver_role, o.target_name, o.report_unit_path, OptInt(o.street_id),
          OptInt(o.child_id), o.category, o.urgency, o.channel, o.month, o.instructions, std::int64_t{o.designated},
          o.status, std::int64_t{o.extension_pending}, OptInt(o.extension_due_at), o.round, o.dispatched_at,
          OptInt(o.dispatched_by), o.accept_due_at, OptInt(o.accepted_at), OptInt(o.accepted_late),
          OptInt(o.handle_due_at), OptInt(o.feedback_at), OptInt(o.handled_late), OptInt(o.revisit_due_at),
          OptInt(o.revisited_at), OptInt(o.satisfied), OptInt(o.closed_at), std::int64_t{o.returned}, o.extensions,
          o.redos, o.next_due_at, o.version, o.created_at, o.updated_at};
}

constexpr int kInsertCols = 43;

std::string Placeholders(int rows, int cols) {
  std::string s;
  int n = 1;
  for (int r = 0; r < rows; ++r) {
    s += r ? ", (" : "(";
    for (int c = 0; c < cols; ++c) s += (c ? ", $" : "$") + std::to_string(n++);
    s += ")";
  }
  return s;
}

std::string InsertSql(int rows) {
  std::string cols = kOrderCols;
  cols = cols.substr(cols.find(',') + 2);  // without id
  return "INSERT INTO dispatch_order (" + cols + ") VALUES " + Placeholders(rows, kInsertCols);
}

Result<std::vector<DispatchOrderRecord>> Many(storage::Connection& c, const std::string& sql, const Params& p) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query(sql, p));
  std::vector<DispatchOrderRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows.rows) out.push_back(OrderFrom(r));
  return out;
}

}  // namespace

Status DispatchRepo::Insert(DispatchOrderRecord& o) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(InsertSql(1) + " RETURNING id", InsertParams(o)));
  o.id = rows[0].Int(0);
  return RollupAdd({o});
}

Status DispatchRepo::InsertMany(const std::vector<DispatchOrderRecord>& orders) {
  constexpr std::size_t kChunk = 20;  // 20 x 43 parameters: under SQLite's and PostgreSQL's limits
  const std::string full = InsertSql(kChunk);
  for (std::size_t at = 0; at < orders.size(); at += kChunk) {
    const std::size_t n = std::min(kChunk, orders.size() - at);
    Params p;
    p.reserve(n * kInsertCols);
    for (std::size_t i = 0; i < n; ++i) {
      Params one = InsertParams(orders[at + i]);
      p.insert(p.end(), one.begin(), one.end());
    }
    TH_RETURN_IF_ERROR(c_.Execute(n == kChunk ? full : InsertSql(static_cast<int>(n)), p).status());
  }
  return RollupAdd(orders);
}

Result<DispatchOrderRecord> DispatchRepo::Get(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto v, Many(c_, std::string("SELECT ") + kOrderCols + " FROM dispatch_order WHERE id = $1", {id}));
  if (v.empty()) return Status::NotFound("dispatch_order");
  return v[0];
}

Status DispatchRepo::Update(DispatchOrderRecord& o, std::int64_t now) {
  // The stored row, for the statistics rollups' change (what it counted before).
  auto before = Get(o.id);
  if (!before.ok() && before.status().code() != Code::kNotFound) return before.status();
  TH_ASSIGN_OR_RETURN(
      auto n,
      c_.Execute("UPDATE dispatch_order SET status = $1, extension_pending = $2, extension_due_at = $3, round = $4, "
                 "accepted_at = $5, accepted_late = $6, handle_due_at = $7, feedback_at = $8, handled_late = $9, "
                 "revisit_due_at = $10, revisited_at = $11, satisfied = $12, closed_at = $13, returned = $14, "
                 "extensions = $15, redos = $16, next_due_at = $17, accept_due_at = $18, version = version + 1, "
                 "updated_at = $19 WHERE id = $20 AND version = $21",
                 {o.status, std::int64_t{o.extension_pending}, OptInt(o.extension_due_at), o.round,
                  OptInt(o.accepted_at), OptInt(o.accepted_late), OptInt(o.handle_due_at), OptInt(o.feedback_at),
                  OptInt(o.handled_late), OptInt(o.revisit_due_at), OptInt(o.revisited_at), OptInt(o.satisfied),
                  OptInt(o.closed_at), std::int64_t{o.returned}, o.extensions, o.redos, o.next_due_at,
                  o.accept_due_at, now, o.id, o.version}));
  if (n == 0) {
    return Status::Error(Code::kConflict, "stale_version", "派单已被他人修改，请刷新后重试",
                         "The order was changed by someone else; reload and try again", "version");
  }
  ++o.version;
  o.updated_at = now;
  return before.ok() ? RollupChange(*before, o) : Status::Ok();
}

Result<std::vector<DispatchOrderRecord>> DispatchRepo::ForReport(std::int64_t report_id) {
  return Many(c_, std::string("SELECT ") + kOrderCols + " FROM dispatch_order WHERE report_id = $1 ORDER BY id",
              {report_id});
}

Result<std::vector<DispatchOrderRecord>> DispatchRepo::ForChild(std::int64_t child_id, std::int64_t limit) {
  return Many(c_,
              std::string("SELECT ") + kOrderCols + " FROM dispatch_order WHERE child_id = $1 ORDER BY id DESC LIMIT $2",
              {child_id, limit});
}

}  // namespace th::repo
