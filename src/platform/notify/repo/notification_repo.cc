#include "platform/notify/repo/notification_repo.h"

#include "platform/repo/sql_values.h"

namespace th::notify {

using storage::Params;
using storage::Row;

namespace {

constexpr const char* kNotificationCols = "id, user_id, title, body, link, work_item_id, dedup_key, created_at, read_at";
constexpr const char* kOutboxCols =
    "id, notification_id, channel, recipient, recipient_masked, payload, attempts, next_attempt_at, delivered_at, "
    "gave_up_at, last_error, created_at";

NotificationRecord NotificationFrom(const Row& r) {
  NotificationRecord n;
  n.id = r.Int(0);
  n.user_id = r.Int(1);
  n.title = r.Text(2);
  n.body = r.Text(3);
  n.link = r.Text(4);
  n.work_item_id = r.OptInt(5);
  n.dedup_key = r.Text(6);
  n.created_at = r.Int(7);
  n.read_at = r.OptInt(8);
  return n;
}

OutboxRecord OutboxFrom(const Row& r) {
  OutboxRecord o;
  o.id = r.Int(0);
  o.notification_id = r.OptInt(1);
  o.channel = r.Text(2);
  o.recipient = r.Text(3);
  o.recipient_masked = r.Text(4);
  o.payload = r.Text(5);
  o.attempts = r.Int(6);
  o.next_attempt_at = r.Int(7);
  o.delivered_at = r.OptInt(8);
  o.gave_up_at = r.OptInt(9);
  o.last_error = r.Text(10);
  o.created_at = r.Int(11);
  return o;
}

}  // namespace

Result<bool> NotificationRepo::Insert(NotificationRecord& n) {
  // INSERT ... SELECT ... WHERE NOT EXISTS: a repeated key inserts nothing instead of failing (a
  // failed statement would poison the caller's PostgreSQL transaction). Casts: PostgreSQL infers
  // no type for a bare $N in a select list.
  TH_ASSIGN_OR_RETURN(
      auto rows,
      c_.Query("INSERT INTO notification (user_id, title, body, link, work_item_id, dedup_key, created_at) "
               "SELECT CAST($1 AS BIGINT), CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS BIGINT), "
               "CAST($6 AS TEXT), CAST($7 AS BIGINT) "
               "WHERE $6 IS NULL OR NOT EXISTS (SELECT 1 FROM notification WHERE user_id = $1 AND dedup_key = $6) "
               "RETURNING id",
               {n.user_id, n.title, n.body, n.link, repo::OptInt(n.work_item_id), repo::TextOrNull(n.dedup_key),
                n.created_at}));
  if (rows.empty()) return false;
  n.id = rows[0].Int(0);
  return true;
}

Result<bool> NotificationRepo::Revise(std::int64_t user_id, const std::string& dedup_key, const std::string& title,
                                      const std::string& body, const std::string& payload) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE notification SET title = $1, body = $2 WHERE user_id = $3 AND dedup_key = $4",
                                         {title, body, user_id, dedup_key}));
  if (n == 0) return false;
  TH_RETURN_IF_ERROR(c_.Execute("UPDATE notification_outbox SET payload = $1 WHERE delivered_at IS NULL AND attempts = 0 "
                                "AND notification_id IN (SELECT id FROM notification WHERE user_id = $2 AND dedup_key = $3)",
                                {payload, user_id, dedup_key})
                         .status());
  return true;
}

Result<std::vector<NotificationRecord>> NotificationRepo::ListFor(std::int64_t user_id, bool unread_only,
                                                                  const repo::Page& page, std::int64_t* total) {
  const std::string where = unread_only ? " WHERE user_id = $1 AND read_at IS NULL" : " WHERE user_id = $1";
  TH_ASSIGN_OR_RETURN(auto cnt, c_.Query("SELECT COUNT(*) FROM notification" + where, {user_id}));
  *total = cnt[0].Int(0);
  std::vector<NotificationRecord> out;
  if (*total == 0 || page.Offset() >= *total) return out;
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kNotificationCols + " FROM notification" + where +
                                              " ORDER BY id DESC LIMIT $2 OFFSET $3",
                                          {user_id, page.page_size, page.Offset()}));
  for (const auto& r : rows.rows) out.push_back(NotificationFrom(r));
  return out;
}

Result<std::int64_t> NotificationRepo::UnreadCount(std::int64_t user_id) {
  TH_ASSIGN_OR_RETURN(auto r, c_.Query("SELECT COUNT(*) FROM notification WHERE user_id = $1 AND read_at IS NULL",
                                       {user_id}));
  return r[0].Int(0);
}

Result<NotificationRecord> NotificationRepo::GetFor(std::int64_t user_id, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kNotificationCols +
                                              " FROM notification WHERE id = $1 AND user_id = $2",
                                          {id, user_id}));
  if (rows.empty()) return Status::NotFound("notification");
  return NotificationFrom(rows[0]);
}

Status NotificationRepo::MarkRead(std::int64_t user_id, std::int64_t id, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, GetFor(user_id, id));
  if (n.read_at) return Status::Ok();
  TH_ASSIGN_OR_RETURN(auto changed, c_.Execute("UPDATE notification SET read_at = $1 WHERE id = $2 AND user_id = $3 "
                                               "AND read_at IS NULL",
                                               {now, id, user_id}));
  (void)changed;
  return Status::Ok();
}

Result<std::int64_t> NotificationRepo::MarkAllRead(std::int64_t user_id, std::int64_t now) {
  return c_.Execute("UPDATE notification SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL", {now, user_id});
}

Result<std::vector<RecipientUser>> NotificationRepo::UsersOfAgency(std::int64_t agency_id, const std::string& role) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, phone_enc, phone_masked FROM app_user WHERE agency_id = $1 "
                                          "AND disabled = 0 AND ($2 = '' OR role = $2) ORDER BY id",
                                          {agency_id, role}));
  std::vector<RecipientUser> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Text(1), r.Text(2)});
  return out;
}

Result<std::vector<RecipientUser>> NotificationRepo::UsersOfUnit(std::int64_t unit_id, const std::string& role) {
  Params p{unit_id};
  std::string sql = "SELECT id, phone_enc, phone_masked FROM app_user WHERE org_unit_id = $1 AND disabled = 0";
  if (!role.empty()) {
    p.push_back(role);
    sql += " AND role = $2";
  }
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql + " ORDER BY id", p));
  std::vector<RecipientUser> out;
  for (const auto& r : rows.rows) out.push_back({r.Int(0), r.Text(1), r.Text(2)});
  return out;
}

Result<std::optional<RecipientUser>> NotificationRepo::ActiveUser(std::int64_t user_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("SELECT id, phone_enc, phone_masked FROM app_user WHERE id = $1 AND "
                                          "disabled = 0",
                                          {user_id}));
  if (rows.empty()) return std::optional<RecipientUser>();
  return std::optional<RecipientUser>(RecipientUser{rows[0].Int(0), rows[0].Text(1), rows[0].Text(2)});
}

Status NotificationRepo::InsertOutbox(OutboxRecord& o) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query("INSERT INTO notification_outbox (notification_id, channel, recipient, "
                                          "recipient_masked, payload, attempts, next_attempt_at, last_error, "
                                          "created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, '', $7) RETURNING id",
                                          {repo::OptInt(o.notification_id), o.channel, o.recipient, o.recipient_masked,
                                           o.payload, o.next_attempt_at, o.created_at}));
  o.id = rows[0].Int(0);
  return Status::Ok();
}

Result<std::vector<OutboxRecord>> NotificationRepo::ClaimDue(std::int64_t now, std::int64_t lease_ms, int limit) {
  const bool pg = c_.dialect().engine() == storage::Engine::kPostgres;
  const std::string sql =
      std::string("UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = CAST($1 AS BIGINT) + CAST($2 AS BIGINT) "
                  "WHERE id IN (SELECT id FROM notification_outbox WHERE delivered_at IS NULL AND gave_up_at IS NULL "
                  "AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $3") +
      (pg ? " FOR UPDATE SKIP LOCKED" : "") + ") RETURNING " + kOutboxCols;
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(sql, {now, lease_ms, static_cast<std::int64_t>(limit)}));
  std::vector<OutboxRecord> out;
  for (const auto& r : rows.rows) out.push_back(OutboxFrom(r));
  return out;
}

Status NotificationRepo::MarkDelivered(std::int64_t id, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE notification_outbox SET delivered_at = $1, last_error = '' "
                                         "WHERE id = $2 AND delivered_at IS NULL",
                                         {now, id}));
  (void)n;
  return Status::Ok();
}

Status NotificationRepo::MarkFailed(std::int64_t id, const std::string& error, std::int64_t next_attempt_at,
                                    bool give_up, std::int64_t now) {
  TH_ASSIGN_OR_RETURN(auto n, c_.Execute("UPDATE notification_outbox SET last_error = $1, next_attempt_at = $2, "
                                         "gave_up_at = $3 WHERE id = $4 AND delivered_at IS NULL",
                                         {error, next_attempt_at, give_up ? storage::Value(now) : storage::Null(), id}));
  (void)n;
  return Status::Ok();
}

Result<OutboxRecord> NotificationRepo::GetOutbox(std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kOutboxCols + " FROM notification_outbox WHERE id = $1",
                                          {id}));
  if (rows.empty()) return Status::NotFound("outbox");
  return OutboxFrom(rows[0]);
}

Result<std::vector<OutboxRecord>> NotificationRepo::OutboxFor(std::int64_t notification_id) {
  TH_ASSIGN_OR_RETURN(auto rows, c_.Query(std::string("SELECT ") + kOutboxCols +
                                              " FROM notification_outbox WHERE notification_id = $1 ORDER BY id",
                                          {notification_id}));
  std::vector<OutboxRecord> out;
  for (const auto& r : rows.rows) out.push_back(OutboxFrom(r));
  return out;
}

Result<std::optional<WorkItemFacts>> LoadWorkItemFacts(storage::Connection& c, std::int64_t id) {
  TH_ASSIGN_OR_RETURN(auto rows, c.Query("SELECT w.title, w.label, w.link, w.owner_role, o.name, w.owner_user_id, "
                                         "w.due_at, w.owner_agency_id FROM work_item w JOIN org_unit o ON o.id = w.owner_unit_id "
                                         "WHERE w.id = $1",
                                         {id}));
  if (rows.empty()) return std::optional<WorkItemFacts>();
  const auto& r = rows[0];
  return std::optional<WorkItemFacts>(
      WorkItemFacts{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.OptInt(5), r.Int(6), r.OptInt(7)});
}

}  // namespace th::notify
