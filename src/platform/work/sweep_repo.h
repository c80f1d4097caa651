#pragma once
// SQL of the escalation sweep (issue 10): set-based per id range. One batch is one UPDATE of its
// items' clock rows: level, next time and the times of the steps reached (migration 0029: the current
// round's steps live on the clock row; work_escalation is a view), on PostgreSQL one plain UPDATE ...
// RETURNING; never a statement per item or per step, and no step rows inserted. No permission checks
// (the sweeper is the system).
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/connection.h"

namespace th::work {

// One escalation step of an item (a row of the view work_escalation).
struct EscalationRow {
  std::int64_t item_id = 0, round = 1, level = 0;
  std::string step;  // warn | overdue | supervise | district
  std::int64_t target_unit_id = 0, at = 0;
};

// The steps a batch recorded for one kind of recipient: the target unit, the step and, for the
// owner's steps (warn, overdue), the items' owner role and agency ("" and 0 for supervise and
// district; agency 0: items owned by the unit's role, not by an agency's).
struct EscalationGroup {
  std::int64_t target_unit_id = 0;
  std::string step, owner_role;
  std::int64_t owner_agency_id = 0;
  std::int64_t count = 0;    // recorded by this batch
  std::int64_t earlier = 0;  // recorded by earlier batches of the same sweep (by this server)
  std::vector<EscalationRow> rows;  // the steps themselves when the sweep's total is small (see Sweep)
};

// What one batch of a sweep recorded: told to the EscalationListener in the batch's transaction.
struct EscalationBatch {
  std::int64_t at = 0;          // the sweep's time (every step's `at`)
  std::int64_t lo = 0, hi = 0;  // the batch's id range
  std::vector<EscalationGroup> groups;
};

struct RangeSweep {
  std::int64_t claimed = 0;  // items raised
  std::int64_t added = 0;    // steps recorded (rows work_escalation shows more)
  std::vector<EscalationGroup> groups;  // `added` by recipient (earlier = 0, rows empty)
};

class SweepRepo {
 public:
  explicit SweepRepo(storage::Connection& c) : c_(c) {}

  // The ids of open items whose next escalation time is <= now (from the sweep index alone), at
  // most `limit`, in no particular order.
  Result<std::vector<std::int64_t>> DueIds(std::int64_t now, std::int64_t limit);
  // Raises every open item with lo <= id <= hi whose next escalation time is <= now to the level
  // its deadlines give at `now` (1 warn, 2 overdue, 3 district), records each new step once (its
  // time on the clock row, unless the round already has it) and sets next_at to the next threshold. A warning is not recorded for an
  // item that is already overdue when swept (it would announce a deadline already past). Call in
  // a transaction. PostgreSQL: a row another transaction holds is waited for, then re-read and
  // raised only if still due (a concurrent sweeper's raise is neither repeated nor counted twice).
  Result<RangeSweep> EscalateRange(std::int64_t lo, std::int64_t hi, std::int64_t now);
  // The steps of `g` recorded at `at` for items in [lo, hi], at most `limit`.
  Result<std::vector<EscalationRow>> GroupSteps(const EscalationGroup& g, std::int64_t at, std::int64_t lo,
                                                std::int64_t hi, std::int64_t limit);

 private:
  Result<RangeSweep> EscalatePostgres(std::int64_t lo, std::int64_t hi, std::int64_t now);
  Result<RangeSweep> EscalateSqlite(std::int64_t lo, std::int64_t hi, std::int64_t now);
  storage::Connection& c_;
};

}  // namespace th::work
