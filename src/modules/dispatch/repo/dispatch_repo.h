#pragma once
// SQL for dispatch orders, their steps (the 工作流转单) and feedback attachments (migration
// 0017_dispatch.sql). No permission checks here: the service scopes every call.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/attachment_repo.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::repo {

// next_due_at of an order that waits on no deadline (returned, closed): 9999-12-31.
inline constexpr std::int64_t kNoDeadline = 253402300799000;

struct DispatchOrderRecord {
  std::int64_t id = 0, report_id = 0, district_unit_id = 0;
  bool lead = true;
  std::optional<std::int64_t> lead_order_id;  // co-handling orders: their lead
  std::string target_kind;                    // agency | unit
  std::optional<std::int64_t> agency_id;      // a department (its liaisons receive the order)
  std::int64_t unit_id = 0;                   // the receiving unit (the agency's unit for a department)
  std::string unit_path;
  std::optional<std::int64_t> receiver_street_id;  // a unit receiver's street (itself, or a community's)
  std::string receiver_role;  // dept_liaison | street_supervisor | child_director
  std::string target_name;
  std::string report_unit_path;               // the unit the report concerns
  std::optional<std::int64_t> street_id, child_id;
  std::string category, urgency, channel, month, instructions;
  bool designated = false;
  std::string status = "pending_accept";
  bool extension_pending = false;
  std::optional<std::int64_t> extension_due_at;  // the deadline the receiver asked for
  std::int64_t round = 1;
  std::int64_t dispatched_at = 0;
  std::optional<std::int64_t> dispatched_by;
  std::int64_t accept_due_at = 0;
  std::optional<std::int64_t> accepted_at, accepted_late, handle_due_at, feedback_at, handled_late;
  std::optional<std::int64_t> revisit_due_at, revisited_at, satisfied, closed_at;
  bool returned = false;
  std::int64_t extensions = 0, redos = 0;
  std::int64_t next_due_at = kNoDeadline;  // the deadline the order waits on now
  std::int64_t version = 1, created_at = 0, updated_at = 0;
};

struct DispatchStepRecord {
  std::int64_t id = 0, order_id = 0, report_id = 0;
  std::string action, from_state, to_state;
  std::optional<std::int64_t> by_user_id;
  std::string by_name, by_unit;
  std::int64_t at = 0;
  std::string note;
  std::optional<std::int64_t> due_at, met, new_due_at;
  std::optional<std::string> reached;
  std::optional<std::int64_t> satisfied;
  std::string attachment_ids;  // "3,4"
};

// Feedback attachments: platform/repo/attachment_repo.h over this table.
inline constexpr FileTable kDispatchFiles{"dispatch_attachment", "order_id"};

// Which orders a list may return (the service fills it from the caller) and the filters asked.
struct DispatchListFilter {
  // Exactly one scope: the center's district, a department's agency, a receiving street (orders
  // to it and its communities) or community, or the subtree of the units the reports concern
  // (readers of reports).
  std::optional<std::int64_t> scope_district, scope_agency, scope_street, scope_unit;
  std::string scope_report_path;
  std::string status;  // "" any; a status, or "extension_requested"
  bool overdue = false;
  std::optional<std::int64_t> agency_id, unit_id, report_id;
  std::int64_t now = 0;
};

// One statistics row: the group's key and name, and its counts.
struct DispatchStatsRow {
  std::string key, name;
  std::int64_t received = 0;         // orders dispatched in the period
  std::int64_t accepted = 0, accepted_on_time = 0;
  std::int64_t accept_due = 0;       // accepted, or not accepted and past the deadline
  std::int64_t fed_back = 0, handled_on_time = 0, handle_due = 0;
  std::int64_t returned = 0, extensions = 0, revisited = 0, satisfied = 0, overdue_now = 0;
};

class DispatchRepo {
 public:
  explicit DispatchRepo(storage::Connection& c) : c_(c) {}

  Status Insert(DispatchOrderRecord& o);  // fills o.id
  // Bulk insert for synthetic loads (ids not returned).
  Status InsertMany(const std::vector<DispatchOrderRecord>& orders);
  Result<DispatchOrderRecord> Get(std::int64_t id);  // 404 not_found
  // Writes every mutable column if the stored version is `o.version`, then bumps o.version;
  // 409 stale_version otherwise.
  Status Update(DispatchOrderRecord& o, std::int64_t now);
  Result<std::vector<DispatchOrderRecord>> ForReport(std::int64_t report_id);
  Result<std::vector<DispatchOrderRecord>> ForChild(std::int64_t child_id, std::int64_t limit);
  // A page of orders by the deadline they wait on, then id; *total counts them up to kCountCap
  // (*capped: there are more: the total reads "at least kCountCap").
  Result<std::vector<DispatchOrderRecord>> List(const DispatchListFilter& f, const Page& page, std::int64_t* total,
                                                bool* capped);
  static constexpr std::int64_t kCountCap = 1000;

  Status InsertStep(DispatchStepRecord& s);
  Result<std::vector<DispatchStepRecord>> StepsForReport(std::int64_t report_id);


  // A unit moved from `old_path` to `new_path`: the orders' copies of receiving and report unit
  // paths under it take the new prefix, and their streets (receiving, report's) the street on the
  // new path (in the move's transaction).
  Status MoveUnit(const std::string& old_path, const std::string& new_path);

  // The agency a user belongs to (liaisons, reporters), if any.
  Result<std::optional<std::int64_t>> UserAgency(std::int64_t user_id);

  // Statistics over the orders of `district_unit_id` dispatched in [from, to) (only those about
  // reports in street `street_id` when given): grouped `by` department (receiver) | street | month
  // | category | channel. `now` decides what is due and "overdue now". `from` and `to` are
  // midnights in Asia/Shanghai. Read from the rollups (dispatch_rollup.cc) and the few orders whose
  // deadline is still ahead; StatsFromOrders is the same from every order (the reference the
  // tests compare with). accept_due: accepted, or waiting to be accepted (pending_accept,
  // return_requested) past the deadline; handle_due: fed back, or handling past the deadline.
  Result<std::vector<DispatchStatsRow>> Stats(std::int64_t district_unit_id, std::optional<std::int64_t> street_id,
                                              std::int64_t from, std::int64_t to, const std::string& by,
                                              std::int64_t now);
  Result<std::vector<DispatchStatsRow>> StatsFromOrders(std::int64_t district_unit_id,
                                                        std::optional<std::int64_t> street_id, std::int64_t from,
                                                        std::int64_t to, const std::string& by, std::int64_t now);
  // The rollups (kept by Insert, InsertMany, Update; rebuilt by MoveUnit): add new orders, apply one
  // order's change, rebuild from every order. In the caller's transaction.
  Status RollupAdd(const std::vector<DispatchOrderRecord>& orders);
  Status RollupChange(const DispatchOrderRecord& before, const DispatchOrderRecord& after);
  Status RebuildRollup();
  // The rollup day of a time: days since 1970-01-01 in Asia/Shanghai.
  static std::int64_t DayOf(std::int64_t epoch_ms);

 private:
  storage::Connection& c_;
};

}  // namespace th::repo
