-- Issue 10: notifications. In-app rows per recipient user (the bell: unread count and list), each
-- tied to its work item when there is one, and an outbox a worker delivers to a configured channel
-- (an SMS gateway over HTTP, off by default). Timestamps BIGINT epoch ms.
-- dedup_key: a notification meant to be sent once (an escalation step) carries a key; at most one
-- row per (user_id, dedup_key). NULL for ordinary notifications (NULLs never collide).
CREATE TABLE notification (
  id {{AUTO_ID}},
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  work_item_id BIGINT,
  dedup_key TEXT,
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notification_user ON notification(user_id, id);
CREATE INDEX notification_unread ON notification(user_id, read_at);
CREATE INDEX notification_work_item ON notification(work_item_id);
CREATE UNIQUE INDEX notification_dedup ON notification(user_id, dedup_key);

-- recipient: "user:<id>". The address (a phone number) is never stored here in clear: the worker
-- unseals the user's phone at delivery; recipient_masked is what operators see (138****1111).
-- A claimed row has next_attempt_at pushed to the end of the claim's lease, so a second worker
-- (FOR UPDATE SKIP LOCKED on PostgreSQL) does not take it; a worker that dies leaves it due again.
CREATE TABLE notification_outbox (
  id {{AUTO_ID}},
  notification_id BIGINT REFERENCES notification(id),
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  recipient_masked TEXT NOT NULL DEFAULT '',
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  delivered_at BIGINT,
  gave_up_at BIGINT,
  last_error TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX notification_outbox_due ON notification_outbox(next_attempt_at) WHERE delivered_at IS NULL AND gave_up_at IS NULL;
CREATE INDEX notification_outbox_notification ON notification_outbox(notification_id);
