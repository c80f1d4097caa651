-- Platform foundation: jurisdictions, agencies, users, sessions, audit log.
-- Timestamps are BIGINT epoch milliseconds (UTC); booleans are INTEGER 0/1.

CREATE TABLE org_unit (
  id {{AUTO_ID}},
  parent_id BIGINT REFERENCES org_unit(id),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  level TEXT NOT NULL,
  path TEXT NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX org_unit_parent ON org_unit(parent_id, retired);
CREATE INDEX org_unit_path ON org_unit(path);

CREATE TABLE agency (
  id {{AUTO_ID}},
  org_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  kind TEXT NOT NULL,
  dept_type TEXT,
  name TEXT NOT NULL,
  contact TEXT,
  phone TEXT,
  retired INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX agency_unit ON agency(org_unit_id);

CREATE TABLE app_user (
  id {{AUTO_ID}},
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL,
  org_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  agency_id BIGINT REFERENCES agency(id),
  phone_enc {{BLOB}},
  phone_bidx TEXT,
  phone_masked TEXT,
  password_hash TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 1,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_count INTEGER NOT NULL DEFAULT 0,
  first_failed_at BIGINT,
  locked_until BIGINT,
  last_login_at BIGINT,
  password_changed_at BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX app_user_unit ON app_user(org_unit_id);

CREATE TABLE user_session (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  client_ip TEXT,
  user_agent TEXT
);
CREATE INDEX user_session_user ON user_session(user_id);

-- Append-only, hash-chained. seq is gapless (taken from audit_head inside the writing
-- transaction); hash = BLAKE2b(prev_hash || canonical row).
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id BIGINT,
  actor_name TEXT,
  actor_unit_path TEXT,
  action TEXT NOT NULL,
  object_type TEXT,
  object_id TEXT,
  object_unit_path TEXT,
  purpose TEXT,
  client_ip TEXT,
  before_json TEXT,
  after_json TEXT,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_object ON audit_log(object_type, object_id);
CREATE INDEX audit_log_actor ON audit_log(actor_id);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE app_setting (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
