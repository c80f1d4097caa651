#pragma once
// The hooks through which the modules' services open and close work items inside their own
// transactions. Header-only interface: the registry and screening services call it without a link
// dependency on the work engine (WorkService implements it; app wiring installs it in Deps::work).
#include <cstdint>
#include <vector>

#include "base/status.h"

namespace th::storage {
class Connection;
}

namespace th::work {

class WorkHooks {
 public:
  virtual ~WorkHooks() = default;
  // A roll request was proposed or changed state: opens the item its state needs (review by the
  // street, confirmation by the district) and closes the others. In the caller's transaction.
  virtual Status RollRequestChanged(storage::Connection& c, std::int64_t request_id) = 0;
  // A verification task was created or decided: opens or closes its item. In the caller's transaction.
  virtual Status VerificationTaskChanged(storage::Connection& c, std::int64_t task_id) = 0;
};

struct EscalationBatch;  // sweep_repo.h

// Told of the escalation steps a sweep records (notifications, issue 10), batch by batch, inside
// the batch's transaction: an error rolls the batch back (and it is swept again). Installed with
// WorkService::SetEscalationListener. Steps come counted by recipient (EscalationGroup), with the
// counts of the same sweep's earlier batches; a group's rows are listed when the sweep's total for
// it is at most RowsUpTo(). A step is told once by the server that recorded it, but a listener
// must still be idempotent (the same batch may be retried after a failed commit).
class EscalationListener {
 public:
  virtual ~EscalationListener() = default;
  virtual std::int64_t RowsUpTo() const { return 0; }
  virtual Status OnEscalations(storage::Connection& c, const EscalationBatch& batch) = 0;
};

// One-line hook calls for the services (no-ops when no engine is installed, as in unit tests of
// the registry alone).
inline Status RollRequestChanged(WorkHooks* h, storage::Connection& c, std::int64_t id) {
  return h ? h->RollRequestChanged(c, id) : Status::Ok();
}
inline Status VerificationTaskChanged(WorkHooks* h, storage::Connection& c, std::int64_t id) {
  return h ? h->VerificationTaskChanged(c, id) : Status::Ok();
}

}  // namespace th::work
