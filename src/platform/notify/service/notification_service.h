#pragma once
// Notifications: in-app rows per recipient user (the bell) and, when a channel is configured, outbox
// rows a worker delivers (outbox_worker.h). Every notification may be tied to its work item.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "platform/notify/repo/notification_repo.h"
#include "platform/notify/service/notify_config.h"
#include "platform/service/deps.h"

namespace th::notify {

// Who receives a notification: one user, or the active users of an org unit (with a role, or any
// role when role is ""), or of an agency.
// An agency's users (agency_id set: its active users with `role`, e.g. a department's liaisons,
// wherever their unit is).
struct Recipients {
  std::optional<std::int64_t> user_id;
  std::int64_t unit_id = 0;
  std::string role;
  std::optional<std::int64_t> agency_id;
  static Recipients User(std::int64_t id) { return Recipients{id, 0, "", std::nullopt}; }
  static Recipients UnitRole(std::int64_t unit, std::string role) {
    return Recipients{std::nullopt, unit, std::move(role), std::nullopt};
  }
  static Recipients AgencyRole(std::int64_t agency, std::string role) {
    return Recipients{std::nullopt, 0, std::move(role), agency};
  }
};

struct NotificationPage {
  std::vector<NotificationRecord> items;
  std::int64_t total = 0;
  std::int64_t unread = 0;
};

class NotificationService {
 public:
  NotificationService(service::Deps& deps, NotifyConfig config = {}) : deps_(deps), config_(std::move(config)) {}

  // Writes one in-app notification per recipient and, for each channel configured (SMS) and each
  // recipient with a phone, one outbox row, all on `c` inside the caller's transaction (no
  // transaction of its own; nothing is written when it fails). `dedup_key` (optional) makes it
  // once-only per user: a user who already has a notification with that key gets nothing new (an
  // escalation step notified twice by two sweepers). Returns the number of in-app rows written.
  // Errors: invalid_text / too_long / required naming title, body or link (link must be a web
  // route path starting with "/"); storage errors. No permission check: callers are services
  // acting on their own decisions (an escalation, a workflow step), not user requests.
  Result<int> Notify(storage::Connection& c, std::optional<std::int64_t> work_item_id, const Recipients& to,
                     const std::string& title, const std::string& body, const std::string& link,
                     const std::string& dedup_key = "");

  // Like Notify with `dedup_key` (required), but a user who already has a notification with the key
  // gets its title and body replaced (and the SMS text of its outbox rows not yet tried): a
  // summary whose count grew as an escalation sweep went on. Returns the rows written or revised.
  Result<int> NotifyOrRevise(storage::Connection& c, const Recipients& to, const std::string& title,
                             const std::string& body, const std::string& link, const std::string& dedup_key);

  // The caller's own notifications, newest first, with the total of the filter and the unread
  // count. Any signed-in user; nobody sees another user's. invalid_page / invalid_page_size.
  Result<NotificationPage> List(const service::Principal& who, bool unread_only, const repo::Page& page);
  // Marks the caller's notification read (idempotent). Another user's id, or none: 404 not_found.
  Status MarkRead(const service::Principal& who, std::int64_t id);
  // Marks all of the caller's notifications read; returns how many were unread.
  Result<std::int64_t> MarkAllRead(const service::Principal& who);

  const NotifyConfig& config() const { return config_; }

 private:
  Result<std::vector<RecipientUser>> Resolve(NotificationRepo& repo, const Recipients& to);
  Result<int> Write(storage::Connection& c, std::optional<std::int64_t> work_item_id, const Recipients& to,
                    const std::string& title, const std::string& body, const std::string& link,
                    const std::string& dedup_key, bool revise);
  service::Deps& deps_;
  NotifyConfig config_;
};

// The SMS text of a notification: "【童护】title：body", cut to 300 characters.
std::string SmsText(const std::string& title, const std::string& body);

}  // namespace th::notify
