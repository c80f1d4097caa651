#pragma once
// What every service needs: the database, the clock, the key ring and the tunables. Owned by
// the app; services hold references.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "platform/repo/audit_repo.h"
#include "platform/repo/records.h"
#include "security/crypto.h"
#include "platform/service/principal.h"
#include "storage/connection.h"

namespace th::work {
class WorkHooks;
}

namespace th::service {

struct ServiceOptions {
  security::PasswordCost password_cost = security::PasswordCost::Interactive();
  std::int64_t session_idle_ms = 30LL * 60 * 1000;       // idle expiry
  std::int64_t session_absolute_ms = 12LL * 3600 * 1000;  // absolute expiry
  std::int64_t session_touch_ms = 60LL * 1000;           // last_seen write granularity
  int max_failed_logins = 5;                             // within failure_window_ms → lock
  std::int64_t failure_window_ms = 15LL * 60 * 1000;
  std::int64_t lockout_ms = 15LL * 60 * 1000;
  // Login throttles (attempts per window, counted before the password is checked): per address
  // high, since a whole office logs in from one NAT address at 08:30; per username low.
  int login_ip_limit = 600;                              // attempts per client address per ip_window_ms
  int login_user_limit = 100;                            // attempts per username per ip_window_ms
  std::int64_t ip_window_ms = 5LL * 60 * 1000;
  int max_concurrent_hashes = 0;                         // 0: cores - 1, at least 1
  // A login waits in a first-come queue for a hashing slot (the login route is offloaded, so a
  // waiting login holds no I/O thread): at most max_hash_waiters wait, each at most
  // hash_wait_ms; beyond either the answer is 503 login_busy with Retry-After.
  int max_hash_waiters = 200;
  std::int64_t hash_wait_ms = 8000;
  std::int64_t session_cache_ms = 5000;                  // 0 disables the in-process session cache
  std::int64_t org_cache_ms = 5000;                      // 0 disables cached org-unit listings
};

// A change description for the audit log. before/after are JSON objects or empty.
struct AuditRecord {
  std::string action;
  std::string object_type;
  std::string object_id;
  std::string object_unit_path;
  std::string before;
  std::string after;
  std::string purpose;
};

// Group commit for audit entries that are not part of another change (a read of a child's
// file): the caller waits until its entry is committed, as with WriteAudit in its own
// transaction, but entries arriving together share one transaction (LevelDB's writer queue: the
// first waiter writes everything queued behind it and wakes the others). Under concurrent reads
// this turns N write transactions into a few, so readers spend less time waiting for the
// single-writer lock. On PostgreSQL a group goes in one autocommitted statement after the head this queue
// last wrote (AuditRepo::AppendAfter), falling back to a transaction when another writer moved the head.
// Thread-safe; one per database (Deps::read_audit).
class AuditQueue {
 public:
  AuditQueue(storage::Database& db, const Clock& clock) : db_(db), clock_(clock) {}
  AuditQueue(const AuditQueue&) = delete;
  AuditQueue& operator=(const AuditQueue&) = delete;
  // Appends `r` by `who` (client address from the principal); returns once it is committed.
  Status Append(const Principal& who, const AuditRecord& r);

 private:
  struct Waiter {
    const Principal* who;
    const AuditRecord* record;
    Status status = Status::Ok();
    bool done = false;
    std::condition_variable cv;
  };
  static constexpr std::size_t kMaxGroup = 64;
  Status Write(const std::vector<Waiter*>& group);
  storage::Database& db_;
  const Clock& clock_;
  std::mutex mu_;
  std::deque<Waiter*> queue_;
  // The chain's head after this queue's last group (PostgreSQL); only the writing waiter touches it.
  std::optional<repo::AuditCheckpoint> head_;
};

class SessionCache;

// Every copy of a jurisdiction is kept in step with the move that changes it (../shared/DESIGN.md,
// "Access is enforced in the service layer"). The platform knows no module's tables: each module
// (and the work engine) that copies a unit path or a child's units names a hook here when it is
// built; the unit move (accounts) and the child move (registry) run them all in the same
// transaction as the move, in name order. Registering a name again replaces the hook.
struct JurisdictionHooks {
  // After the unit `before` moved to `new_path` (the org_unit row already written).
  using UnitMoved = std::function<Status(storage::Connection&, const repo::OrgUnit& before, const std::string& new_path)>;
  // After child `child_id`'s community or grid changed (the child row already written).
  using ChildMoved = std::function<Status(storage::Connection&, std::int64_t child_id)>;
  std::map<std::string, UnitMoved> unit_moved;
  std::map<std::string, ChildMoved> child_moved;

  Status AfterUnitMove(storage::Connection& c, const repo::OrgUnit& before, const std::string& new_path) const {
    for (const auto& [name, fn] : unit_moved) TH_RETURN_IF_ERROR(fn(c, before, new_path));
    return Status::Ok();
  }
  Status AfterChildMove(storage::Connection& c, std::int64_t child_id) const {
    for (const auto& [name, fn] : child_moved) TH_RETURN_IF_ERROR(fn(c, child_id));
    return Status::Ok();
  }
};

struct Deps {
  // The four a caller gives; the rest is filled in while the app is built.
  Deps(storage::Database& db_in, const Clock& clock_in, const security::KeyRing& keys_in, ServiceOptions options_in)
      : db(db_in), clock(clock_in), keys(keys_in), options(std::move(options_in)) {}

  storage::Database& db;
  const Clock& clock;
  const security::KeyRing& keys;
  ServiceOptions options;
  // The one group-commit queue for audit entries of reads, shared by every service on this database: one queue
  // makes bigger groups and keeps its writers from queueing on one another's audit_head row lock.
  std::shared_ptr<AuditQueue> read_audit = std::make_shared<AuditQueue>(db, clock);
  // Set by Services; services that change accounts or units invalidate through it.
  std::shared_ptr<SessionCache> sessions;
  // The work engine (src/platform/work), installed by the app; services open and close work items
  // through it in their transactions. Null when none is installed.
  std::shared_ptr<work::WorkHooks> work;
  // Copies of jurisdiction to move with units and children; set while the app builds (before any
  // request), read-only afterwards.
  JurisdictionHooks jurisdiction;
};

// Appends to the hash-chained audit log on `c` (inside the caller's transaction). `who` may be
// null for anonymous events (failed logins); `client_ip` then comes from the argument.
Status WriteAudit(storage::Connection& c, const Clock& clock, const Principal* who, const std::string& client_ip,
                  const AuditRecord& r);

// Runs `fn` in a transaction on a pooled connection; commits when it returns OK, rolls back otherwise.
Status InTransaction(storage::Database& db, const std::function<Status(storage::Connection&)>& fn);
// InTransaction, again (at most `attempts` times in all) while it fails with 409 write_conflict: PostgreSQL aborted
// the transaction in a deadlock or a serialization failure. Only for an `fn` that may run twice: it must leave
// nothing behind when it fails but what it assigns afresh on every run.
Status InTransactionRetrying(storage::Database& db, const std::function<Status(storage::Connection&)>& fn,
                             int attempts = 3);

// Validates paging input: 1 <= page <= repo::kMaxPage, 1 <= page_size <= repo::kMaxPageSize; 400
// invalid_page / invalid_page_size otherwise.
Result<repo::Page> MakePage(std::int64_t page, std::int64_t page_size);

// Logs that a list query returned `dropped` rows outside the caller's jurisdiction (a defect).
void LogScopeLeak(const Principal& who, const char* what, std::size_t dropped);

// The single-read scope test applied to a list page: drops every row whose unit path
// (`path_of(row)`) the caller does not cover, and logs it. Every list of rows scoped by unit path
// passes its page through this, so no mistake in a list query can show another jurisdiction's row.
template <class T, class PathOf>
void KeepCovered(const Principal& who, std::vector<T>* rows, PathOf path_of, const char* what) {
  const std::size_t before = rows->size();
  std::erase_if(*rows, [&](const T& r) { return !who.Covers(path_of(r)); });
  if (rows->size() != before) LogScopeLeak(who, what, before - rows->size());
}

// A list's unit filter (?unit_id=): the unit's path when the caller covers the unit, else 404
// not_found on "unit_id" (the same for an absent unit and one outside the jurisdiction).
Result<std::string> CoveredUnitPath(storage::Connection& c, const Principal& who, std::int64_t unit_id);

// The single-read scope test: `loaded` (a repository's Get) when it exists and the caller covers
// its unit path (`path_of(row)`), else 404 not_found naming `what`, the same answer for "absent"
// and "outside your jurisdiction" so that ids cannot be probed. Storage errors pass through. Every
// service that reads one record by id goes through this (the registry's children, scoped by unit
// ids rather than paths, through ChildService::LoadScoped).
template <class T, class PathOf>
Result<T> LoadInScope(const Principal& who, Result<T> loaded, PathOf path_of, const char* what) {
  if (!loaded.ok()) {
    return loaded.status().code() == Code::kNotFound ? Status::NotFound(what) : loaded.status();
  }
  if (!who.Covers(path_of(*loaded))) return Status::NotFound(what);
  return loaded;
}

}  // namespace th::service
