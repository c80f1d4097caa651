#pragma once
// Shared by the dispatch service's files: access, deadlines, work items, steps, views.
#include <optional>
#include <string>

#include "modules/dispatch/repo/dispatch_repo.h"
#include "modules/dispatch/service/dispatch_clocks.h"
#include "modules/dispatch/service/dispatch_service.h"
#include "storage/connection.h"

namespace th::service::dispatch_detail {

// The caller's agency (liaisons), read once per request.
Result<std::optional<std::int64_t>> AgencyOf(storage::Connection& c, const Principal& who);

// 403 unless the caller may see some orders (report.triage, report.read or dispatch.handle).
Status NeedOrderReader(const Principal& who);

// True when the caller receives `o` (dispatch.handle and its agency or unit).
bool Receives(const Principal& who, std::optional<std::int64_t> agency, const repo::DispatchOrderRecord& o);
// How the caller relates to `o`; `lead` is o's lead order for a co order (null otherwise).
OrderAccess AccessOf(const Principal& who, std::optional<std::int64_t> agency, const repo::DispatchOrderRecord& o,
                     const repo::DispatchOrderRecord* lead);
// Loads the order and the caller's access; 404 when the caller has none.
struct Loaded {
  repo::DispatchOrderRecord order;
  OrderAccess access = OrderAccess::kNone;
  std::optional<std::int64_t> agency;
};
Result<Loaded> LoadVisible(storage::Connection& c, const Principal& who, std::int64_t id);

// The view of `o` for a caller with `access` at `now` (actions the caller may take now).
OrderView MakeView(const repo::DispatchOrderRecord& o, OrderAccess access, const Principal& who, std::int64_t now);

// An item's deadlines.
struct Clocked {
  std::int64_t warn_at = 0, due_at = 0, district_at = 0;
  bool beyond_calendar = false;
};
// The variant of `kind` for order `o` ("" for the kind's own clock).
std::string VariantOf(const DispatchClocks& clocks, const std::string& kind, const repo::DispatchOrderRecord& o);
// The deadlines of work kind `kind` for order `o` started at `start` (the engine's calendar and
// the kind's clock, or the order's variant of it).
Clocked ClockFor(Deps& deps, const DispatchClocks& clocks, const std::string& kind,
                 const repo::DispatchOrderRecord& o, std::int64_t start);
// The warning and district times around a given deadline `due` (an approved extension).
Clocked AroundDue(Deps& deps, const DispatchClocks& clocks, const std::string& kind,
                  const repo::DispatchOrderRecord& o, std::int64_t start, std::int64_t due);
inline std::int64_t DueAfter(Deps& deps, const DispatchClocks& clocks, const std::string& kind,
                             const repo::DispatchOrderRecord& o, std::int64_t start) {
  return ClockFor(deps, clocks, kind, o, start).due_at;
}

// Keeps the work items of what `o` waits on open (closing the others), in `c`'s transaction, with
// the order's deadlines. `restart_receiver`: the receiver's item starts again (a new deadline:
// extension, redo: a new escalation round).
Status SyncWork(Deps& deps, const DispatchClocks& clocks, storage::Connection& c, const repo::DispatchOrderRecord& o,
                std::int64_t now, bool restart_receiver);

// Writes one step of the 工作流转单: `due_at` is the deadline then in force (met: at <= due_at).
Status WriteStep(storage::Connection& c, const Principal& who, const repo::DispatchOrderRecord& o,
                 repo::DispatchStepRecord s);

// Audits a change or read of an order (object dispatch_order, its report's unit path).
Status Audit(Deps& deps, storage::Connection& c, const Principal& who, const std::string& action,
             const repo::DispatchOrderRecord& o, const std::string& after);

}  // namespace th::service::dispatch_detail
