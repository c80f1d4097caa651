#pragma once
// Shared by the dispatch service's files: access, deadlines, work items, steps, views.
#include <optional>
#include <string>

#include "modules/dispatch/repo/dispatch_repo.h"
#include "modules/dispatch/service/dispatch_service.h"
#include "storage/connection.h"

namespace th::service::dispatch_detail {

// The caller's agency (liaisons), read once per request.
Result<std::optional<std::int64_t>> AgencyOf(storage::Connection& c, const Principal& who);

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

// The deadline of an order's step of work kind `kind` started at `start` (the engine's clocks and
// calendar from config/workflows/dispatch.json, with the order's variant).
std::int64_t DueAfter(const Deps& deps, const std::string& kind, const repo::DispatchOrderRecord& o,
                      std::int64_t start);

// Keeps the work items of what `o` waits on open (closing the others), in `c`'s transaction.
// `restart_receiver`: the receiver's item starts again (a new deadline: extension, redo).
Status SyncWork(Deps& deps, storage::Connection& c, const repo::DispatchOrderRecord& o, std::int64_t now,
                bool restart_receiver);

// Writes one step of the 工作流转单: `due_at` is the deadline then in force (met: at <= due_at).
Status WriteStep(storage::Connection& c, const Principal& who, const repo::DispatchOrderRecord& o,
                 repo::DispatchStepRecord s);

// Audits a change or read of an order (object dispatch_order, its report's unit path).
Status Audit(Deps& deps, storage::Connection& c, const Principal& who, const std::string& action,
             const repo::DispatchOrderRecord& o, const std::string& after);

}  // namespace th::service::dispatch_detail
