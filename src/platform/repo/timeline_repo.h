#pragma once
// A record's timeline: one row per step of its workflow (case_event for cases, guardianship_event
// for guardianship interventions). The tables share one shape (id, <owner>, at, user_id, action,
// from_status, to_status, note), so one piece of SQL serves every module that keeps such a log.
// Callers (the services) own transactions, scope and audit.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/owned_table.h"
#include "storage/connection.h"

namespace th::repo {

struct TimelineEvent {
  std::int64_t id = 0;
  std::int64_t owner_id = 0;  // the record the event belongs to (case_event.case_id, ...)
  std::int64_t at = 0;
  std::optional<std::int64_t> user_id;  // empty: the system
  std::string action, from_status, to_status, note;
  std::string user_name;  // joined on read

  // An event by `user_id` (<= 0: the system, stored NULL) at `at`.
  static TimelineEvent Of(std::int64_t owner_id, std::int64_t at, std::int64_t user_id, std::string action,
                          std::string from_status, std::string to_status, std::string note);
};

// Where a module keeps its timeline: the table and the column naming the owning record.
using TimelineTable = OwnedTable;

class TimelineRepo {
 public:
  TimelineRepo(storage::Connection& c, TimelineTable t) : c_(c), t_(t) {}
  // Appends `e` (its id is set on success).
  Status Add(TimelineEvent& e);
  // The events of `owner_id`, oldest first, with the acting user's display name.
  Result<std::vector<TimelineEvent>> List(std::int64_t owner_id);
  // List's statement and the events from its rows, for a batch (storage::Connection::QueryBatch).
  storage::Statement ListStatement(std::int64_t owner_id) const;
  static std::vector<TimelineEvent> EventsFrom(const storage::Rows& rows);

 private:
  storage::Connection& c_;
  TimelineTable t_;
};

}  // namespace th::repo
