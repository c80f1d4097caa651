#pragma once
// What a module asks of the work engine: open, keep and close the work items of its subjects
// (a roll request, a verification task, a report, a dispatch order), inside its own transactions.
// Header-only interface: module services call it through Deps::work without a link dependency on
// the engine (WorkService implements it; the app installs it). The engine knows no module: the
// module says what the subject needs (kind, owner, title, link) and the engine adds the deadlines
// from the kind's clock, the owner's path and district, escalation and the 待办.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace th::storage {
class Connection;
}

namespace th::work {

// One work item a module wants open.
struct WorkOpen {
  std::string kind;          // a kind of config/workflows/*.json (roll_review, dispatch_accept, ...)
  std::string subject_type;  // the module's record type (roll_request, dispatch_order, ...)
  std::int64_t subject_id = 0;
  std::string title;  // what to do, zh-CN ("审核名册申请")
  std::string label;  // which one ("纳入申请 #12")
  std::string link;   // the web route that does it ("/children/5")
  // The owner: the users of `owner_unit_id` with `owner_role`; when `owner_agency_id` is set, only
  // those of that agency (a member department's liaisons); `owner_user_id` adds one person.
  std::int64_t owner_unit_id = 0;
  std::string owner_role;
  std::optional<std::int64_t> owner_agency_id;
  std::optional<std::int64_t> owner_user_id;
  std::int64_t started_at = 0;  // when the clock starts (epoch ms); 0: now
  std::string variant;          // one of the kind's clock variants ("urgent"); "": the kind's own clock
};

class WorkHooks {
 public:
  virtual ~WorkHooks() = default;
  // The subject now needs `want`, or nothing (nullopt): closes the subject's open items of other
  // kinds and opens `want` unless an item of its kind is already open for the subject. Returns the
  // id of the open item (0 when none). Errors: invalid_enum when want's kind is not configured,
  // not_found when the owner unit does not exist; storage errors. In the caller's transaction.
  virtual Result<std::int64_t> Sync(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                                    const std::optional<WorkOpen>& want) = 0;
  // Opens one more item for the subject (several kinds at once, e.g. a report's triage and its
  // orders' reviews). At most one open item per (subject, kind): a second one is 409 conflict.
  virtual Result<std::int64_t> Open(storage::Connection& c, const WorkOpen& w) = 0;
  // Opens several items as Open would one after the other, in order (the same checks: each kind and
  // variant, the owner unit, at most one open item per (subject, kind), also within `items`; the
  // same rows), with a few multi-row statements: for a nightly run's thousands. The ids in the order
  // of `items`. The first error fails the whole call (the caller's transaction then rolls back).
  // This default opens them one by one; the engine (work_bulk.cc) does it in bulk.
  virtual Result<std::vector<std::int64_t>> OpenMany(storage::Connection& c, const std::vector<WorkOpen>& items) {
    std::vector<std::int64_t> ids;
    ids.reserve(items.size());
    for (const auto& w : items) {
      TH_ASSIGN_OR_RETURN(std::int64_t id, Open(c, w));
      ids.push_back(id);
    }
    return ids;
  }
  // Closes the subject's open items of `kind` ("" every kind). In the caller's transaction.
  virtual Status Close(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                       const std::string& kind) = 0;
  // The subject moved (a child to another community, so its request to another street): its open
  // items of `kind` ("" every kind) pass to `owner_unit_id` (same role and agency), keeping their
  // deadlines and escalation. not_found when the unit does not exist. In the caller's transaction.
  virtual Status Reassign(storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                          const std::string& kind, std::int64_t owner_unit_id) = 0;
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

// Null-safe one-liners for the services (no-ops when no engine is installed, as in unit tests of
// a module alone).
inline Result<std::int64_t> Sync(WorkHooks* h, storage::Connection& c, const std::string& subject_type,
                                 std::int64_t subject_id, const std::optional<WorkOpen>& want) {
  if (!h) return std::int64_t{0};
  return h->Sync(c, subject_type, subject_id, want);
}
inline Result<std::int64_t> Open(WorkHooks* h, storage::Connection& c, const WorkOpen& w) {
  if (!h) return std::int64_t{0};
  return h->Open(c, w);
}
inline Result<std::vector<std::int64_t>> OpenMany(WorkHooks* h, storage::Connection& c,
                                                   const std::vector<WorkOpen>& items) {
  if (!h) return std::vector<std::int64_t>(items.size(), 0);
  return h->OpenMany(c, items);
}
inline Status Reassign(WorkHooks* h, storage::Connection& c, const std::string& subject_type,
                       std::int64_t subject_id, const std::string& kind, std::int64_t owner_unit_id) {
  return h ? h->Reassign(c, subject_type, subject_id, kind, owner_unit_id) : Status::Ok();
}
inline Status Close(WorkHooks* h, storage::Connection& c, const std::string& subject_type, std::int64_t subject_id,
                    const std::string& kind = "") {
  return h ? h->Close(c, subject_type, subject_id, kind) : Status::Ok();
}

}  // namespace th::work
