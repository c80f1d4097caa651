-- Issue 12, plans and services (一人一策): a case's plan in versions (a revision is a new row;
-- the older one is kept, status superseded), its goals per need, services, the 1+N team and tasks
-- (work items on the engine while open); service records with attachments; group services (小组)
-- with members, sessions and attendance. Rows copy the case's child unit path (unit_path) that
-- scope and lists filter by; the plans module's jurisdiction hooks keep the copies in step.
CREATE TABLE plan (
  id {{AUTO_ID}},
  case_id BIGINT NOT NULL,
  child_id BIGINT NOT NULL,
  unit_path TEXT NOT NULL,
  number INTEGER NOT NULL,
  status TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  period_from TEXT,
  period_to TEXT,
  grade TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  submitted_at BIGINT,
  submitted_by BIGINT,
  reviewed_at BIGINT,
  reviewed_by BIGINT,
  review_note TEXT NOT NULL DEFAULT '',
  approval_required INTEGER NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX plan_case_number ON plan(case_id, number);
CREATE INDEX plan_unit ON plan(unit_path, status, id);
CREATE INDEX plan_child ON plan(child_id, id);

-- One line of a plan: a goal (per need), a service, a 1+N team member or a task. `kind` says which
-- columns mean something (domain/plan.h PlanLine).
CREATE TABLE plan_line (
  id {{AUTO_ID}},
  plan_id BIGINT NOT NULL REFERENCES plan(id),
  kind TEXT NOT NULL,
  seq INTEGER NOT NULL,
  code TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  extra TEXT NOT NULL DEFAULT '',
  frequency TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  group_id BIGINT,
  owner_unit_id BIGINT,
  owner_role TEXT NOT NULL DEFAULT '',
  owner_user_id BIGINT,
  due_date TEXT,
  done_at BIGINT,
  done_by BIGINT
);
CREATE INDEX plan_line_plan ON plan_line(plan_id, kind, seq);

CREATE TABLE service_record (
  id {{AUTO_ID}},
  case_id BIGINT NOT NULL,
  child_id BIGINT NOT NULL,
  unit_path TEXT NOT NULL,
  plan_id BIGINT,
  served_on TEXT NOT NULL,
  service_type TEXT NOT NULL,
  delivered_by TEXT NOT NULL,
  duration_min INTEGER NOT NULL,
  content TEXT NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX service_record_case ON service_record(case_id, served_on, id);
CREATE INDEX service_record_unit ON service_record(unit_path, served_on, id);

CREATE TABLE service_attachment (
  id {{AUTO_ID}},
  record_id BIGINT NOT NULL REFERENCES service_record(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  data {{BLOB}} NOT NULL,
  by_user_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX service_attachment_record ON service_attachment(record_id, id);

-- A group service (小组) run by a unit (a street or community): its members are children with a
-- case in the unit's subtree.
CREATE TABLE group_service (
  id {{AUTO_ID}},
  unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  unit_path TEXT NOT NULL,
  name TEXT NOT NULL,
  group_type TEXT NOT NULL,
  goal TEXT NOT NULL DEFAULT '',
  facilitator TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'open',
  created_by BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX group_service_unit ON group_service(unit_path, status, id);

CREATE TABLE group_member (
  group_id BIGINT NOT NULL REFERENCES group_service(id),
  case_id BIGINT NOT NULL,
  child_id BIGINT NOT NULL,
  unit_path TEXT NOT NULL,
  joined_at BIGINT NOT NULL,
  PRIMARY KEY (group_id, case_id)
);
CREATE INDEX group_member_case ON group_member(case_id);

CREATE TABLE group_session (
  id {{AUTO_ID}},
  group_id BIGINT NOT NULL REFERENCES group_service(id),
  held_on TEXT NOT NULL,
  topic TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  duration_min INTEGER NOT NULL,
  facilitator TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX group_session_group ON group_session(group_id, held_on, id);

CREATE TABLE group_attendance (
  session_id BIGINT NOT NULL REFERENCES group_session(id),
  case_id BIGINT NOT NULL,
  PRIMARY KEY (session_id, case_id)
);
