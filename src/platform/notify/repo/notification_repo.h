#pragma once
// SQL for notifications (in-app rows per user) and the delivery outbox (migration 0014). Callers
// (services) own transactions, authorization and the choice of recipients; rows carry no phone
// number in clear (the outbox names a user; the worker unseals the phone at delivery).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/repo/records.h"
#include "storage/connection.h"

namespace th::notify {

struct NotificationRecord {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string title;
  std::string body;
  std::string link;  // a web route path such as /children/123
  std::optional<std::int64_t> work_item_id;
  std::string dedup_key;  // "" = none
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
};

struct OutboxRecord {
  std::int64_t id = 0;
  std::optional<std::int64_t> notification_id;
  std::string channel;           // "sms"
  std::string recipient;         // "user:<id>"
  std::string recipient_masked;  // 138****1111
  std::string payload;           // JSON without the address
  std::int64_t attempts = 0;
  std::int64_t next_attempt_at = 0;
  std::optional<std::int64_t> delivered_at;
  std::optional<std::int64_t> gave_up_at;
  std::string last_error;
  std::int64_t created_at = 0;
};

// A user a notification may go to: active accounts only.
struct RecipientUser {
  std::int64_t id = 0;
  std::string phone_enc;     // sealed ("user.phone"), "" when none
  std::string phone_masked;  // "" when none
};

// What an escalation notice says about its work item (the item joined with its owner unit's name).
struct WorkItemFacts {
  std::string title, label, link, owner_role, unit_name;
  std::optional<std::int64_t> owner_user_id;
  std::int64_t due_at = 0;
  std::optional<std::int64_t> owner_agency_id;
};
// The work item's facts, or nullopt when there is no such item.
Result<std::optional<WorkItemFacts>> LoadWorkItemFacts(storage::Connection& c, std::int64_t id);

class NotificationRepo {
 public:
  explicit NotificationRepo(storage::Connection& c) : c_(c) {}

  // Inserts `n` and fills its id, unless n.dedup_key is set and the user already has a row with that
  // key: then returns false and writes nothing (no failed statement, so the caller's transaction
  // stays usable on PostgreSQL).
  Result<bool> Insert(NotificationRecord& n);
  // Replaces the title and body of the user's notification with `dedup_key`, and the payload of
  // its outbox rows not yet delivered or tried. False when the user has no such notification.
  Result<bool> Revise(std::int64_t user_id, const std::string& dedup_key, const std::string& title,
                      const std::string& body, const std::string& payload);
  // The user's notifications, newest first; `total` counts the same filter.
  Result<std::vector<NotificationRecord>> ListFor(std::int64_t user_id, bool unread_only, const repo::Page& page,
                                                  std::int64_t* total);
  Result<std::int64_t> UnreadCount(std::int64_t user_id);
  // The notification if it is the user's; kNotFound otherwise (another user's id included).
  Result<NotificationRecord> GetFor(std::int64_t user_id, std::int64_t id);
  // Sets read_at = now on the user's notification if unread. kNotFound when it is not the user's.
  Status MarkRead(std::int64_t user_id, std::int64_t id, std::int64_t now);
  // Marks every unread notification of the user read; returns how many.
  Result<std::int64_t> MarkAllRead(std::int64_t user_id, std::int64_t now);

  // Active (not disabled) users of `unit_id`, with `role` unless role is "".
  Result<std::vector<RecipientUser>> UsersOfUnit(std::int64_t unit_id, const std::string& role);
  // Active users of `agency_id`, with `role` unless role is "".
  Result<std::vector<RecipientUser>> UsersOfAgency(std::int64_t agency_id, const std::string& role);
  // The user if active; empty otherwise.
  Result<std::optional<RecipientUser>> ActiveUser(std::int64_t user_id);

  Status InsertOutbox(OutboxRecord& o);
  // Claims up to `limit` due rows (next_attempt_at <= now, not delivered, not given up), oldest due
  // first: each claimed row's attempts += 1 and next_attempt_at = now + lease_ms, in one statement.
  // On PostgreSQL rows locked by another claimer are skipped (FOR UPDATE SKIP LOCKED); SQLite has
  // one writer. A row is thus delivered by one worker at a time; a worker that dies before
  // recording the result leaves the row due again after the lease.
  Result<std::vector<OutboxRecord>> ClaimDue(std::int64_t now, std::int64_t lease_ms, int limit);
  Status MarkDelivered(std::int64_t id, std::int64_t now);
  // Records a failed attempt: last_error, and either the next attempt time or gave_up_at = now.
  Status MarkFailed(std::int64_t id, const std::string& error, std::int64_t next_attempt_at, bool give_up,
                    std::int64_t now);
  Result<OutboxRecord> GetOutbox(std::int64_t id);
  Result<std::vector<OutboxRecord>> OutboxFor(std::int64_t notification_id);

 private:
  storage::Connection& c_;
};

}  // namespace th::notify
