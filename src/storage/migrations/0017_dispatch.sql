-- Issue 11, dispatch orders (派单): the district center sends a triaged report's work to a member
-- department (an agency: its dept_liaison users) or to a street/community (its street_supervisor /
-- child_director), one lead order and any co-handling orders. Deadlines are stored (the work
-- engine's clocks, config/workflows/dispatch.json); "overdue" is derived from them and the clock.
-- Each step is a dispatch_step row (the 工作流转单) and an audit entry. The rows carry copies of
-- what lists, scope and statistics filter by: the receiving unit's path, the report's unit path
-- and street, the receiving street (receiver_street_id: the street itself, or a community's street),
-- its category, urgency and channel, and the month it was dispatched.
CREATE TABLE dispatch_order (
  id {{AUTO_ID}},
  report_id BIGINT NOT NULL,
  district_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  lead INTEGER NOT NULL DEFAULT 1,
  lead_order_id BIGINT,
  target_kind TEXT NOT NULL,
  agency_id BIGINT REFERENCES agency(id),
  unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  unit_path TEXT NOT NULL,
  receiver_street_id BIGINT,
  receiver_role TEXT NOT NULL,
  target_name TEXT NOT NULL,
  report_unit_path TEXT NOT NULL,
  street_id BIGINT,
  child_id BIGINT,
  category TEXT NOT NULL DEFAULT '',
  urgency TEXT NOT NULL DEFAULT '',
  channel TEXT NOT NULL DEFAULT '',
  month TEXT NOT NULL,
  instructions TEXT NOT NULL DEFAULT '',
  designated INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL,
  extension_pending INTEGER NOT NULL DEFAULT 0,
  extension_due_at BIGINT,
  round INTEGER NOT NULL DEFAULT 1,
  dispatched_at BIGINT NOT NULL,
  dispatched_by BIGINT,
  accept_due_at BIGINT NOT NULL,
  accepted_at BIGINT,
  accepted_late INTEGER,
  handle_due_at BIGINT,
  feedback_at BIGINT,
  handled_late INTEGER,
  revisit_due_at BIGINT,
  revisited_at BIGINT,
  satisfied INTEGER,
  closed_at BIGINT,
  returned INTEGER NOT NULL DEFAULT 0,
  extensions INTEGER NOT NULL DEFAULT 0,
  redos INTEGER NOT NULL DEFAULT 0,
  next_due_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
-- A report's orders; the center's queue by status and deadline; a department's and a unit's queue.
CREATE INDEX dispatch_order_report ON dispatch_order(report_id, id);
CREATE INDEX dispatch_order_district ON dispatch_order(district_unit_id, status, next_due_at, id);
CREATE INDEX dispatch_order_district_due ON dispatch_order(district_unit_id, next_due_at, id);
CREATE INDEX dispatch_order_agency ON dispatch_order(agency_id, status, next_due_at, id);
CREATE INDEX dispatch_order_agency_due ON dispatch_order(agency_id, next_due_at, id);
-- A street's queue (orders to it and its communities: receiver_street_id), a community's (unit_id).
CREATE INDEX dispatch_order_street ON dispatch_order(receiver_street_id, status, next_due_at, id);
CREATE INDEX dispatch_order_street_due ON dispatch_order(receiver_street_id, next_due_at, id);
CREATE INDEX dispatch_order_unit ON dispatch_order(unit_id, status, next_due_at, id);
CREATE INDEX dispatch_order_unit_due ON dispatch_order(unit_id, next_due_at, id);
CREATE INDEX dispatch_order_extension ON dispatch_order(district_unit_id, extension_pending, next_due_at, id);
CREATE INDEX dispatch_order_child ON dispatch_order(child_id);
-- Statistics read this index only (every column the aggregate uses): a year of a district's
-- 300,000 orders without a table lookup per row.
CREATE INDEX dispatch_order_stats ON dispatch_order(district_unit_id, dispatched_at, street_id, target_kind, agency_id,
  unit_id, month, category, channel, status, returned, extensions, accepted_at, accepted_late, accept_due_at,
  feedback_at, handled_late, handle_due_at, revisited_at, satisfied, next_due_at);

-- The 工作流转单: every step of every order, who, when, the note, the deadline then in force and
-- whether the step met it, and what the step set (a new deadline, the return visit's answers).
CREATE TABLE dispatch_step (
  id {{AUTO_ID}},
  order_id BIGINT NOT NULL REFERENCES dispatch_order(id),
  report_id BIGINT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  by_user_id BIGINT,
  by_name TEXT NOT NULL DEFAULT '',
  by_unit TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  due_at BIGINT,
  met INTEGER,
  new_due_at BIGINT,
  reached TEXT,
  satisfied INTEGER,
  attachment_ids TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dispatch_step_order ON dispatch_step(order_id, id);
CREATE INDEX dispatch_step_report ON dispatch_step(report_id, id);

-- Files a receiver attaches to its feedback (images and PDF, magic checked, capped in size).
CREATE TABLE dispatch_attachment (
  id {{AUTO_ID}},
  order_id BIGINT NOT NULL REFERENCES dispatch_order(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  data {{BLOB}} NOT NULL,
  by_user_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX dispatch_attachment_order ON dispatch_attachment(order_id);
