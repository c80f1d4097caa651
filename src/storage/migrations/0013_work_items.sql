-- Issue 10, the work engine: every actionable thing is a work item with an owner (org unit + role,
-- optionally a person), a deadline (stored; "overdue" is derived from it and the clock), an
-- escalation level and a version. Its steps are in work_step (and the audit log); the sweeper
-- records each escalation step once in work_escalation, from which notifications are produced.
-- Deadlines of rows created here are placeholders (due_flags 2) that the server recomputes with
-- the working-day calendar and config/workflows at its next start, before it serves.
CREATE TABLE work_item (
  id {{AUTO_ID}},
  kind TEXT NOT NULL,
  subject_type TEXT NOT NULL,
  subject_id BIGINT NOT NULL,
  title TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  link TEXT NOT NULL DEFAULT '',
  owner_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  owner_unit_path TEXT NOT NULL,
  owner_role TEXT NOT NULL,
  owner_user_id BIGINT,
  district_unit_id BIGINT NOT NULL,
  state TEXT NOT NULL,
  is_open INTEGER NOT NULL DEFAULT 1,
  started_at BIGINT NOT NULL,
  warn_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  district_at BIGINT NOT NULL,
  due_flags INTEGER NOT NULL DEFAULT 0,
  escalation_level INTEGER NOT NULL DEFAULT 0,
  round INTEGER NOT NULL DEFAULT 1,
  next_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  closed_at BIGINT
);
-- 我的待办: the caller's unit + role, open, by deadline; or assigned to the caller. `id` breaks ties
-- (deadlines are ends of days, shared by many items) so PostgreSQL reads only the page, sorted.
CREATE INDEX work_item_inbox ON work_item(owner_unit_id, owner_role, is_open, due_at, id);
-- The inbox's counts by kind (and overdue) read this index only; a page of one kind reads it in order.
CREATE INDEX work_item_inbox_kind ON work_item(owner_unit_id, owner_role, is_open, kind, due_at, id);
CREATE INDEX work_item_user ON work_item(owner_user_id, is_open, due_at, id);
-- Overdue in a subtree (督办), by deadline.
CREATE INDEX work_item_overdue ON work_item(is_open, due_at, id, owner_unit_path);
-- The sweeper: open items whose next escalation time has come.
CREATE INDEX work_item_sweep ON work_item(is_open, next_at);
-- Items whose deadlines are placeholders (rows this migration wrote): the server recomputes them at
-- start (WorkService::RecomputePending); the partial index makes that a no-op read when none are left
-- instead of a scan of every open item at every start.
CREATE INDEX work_item_pending ON work_item(is_open, id) WHERE due_flags >= 2;
-- At most one open item of a kind per subject.
CREATE UNIQUE INDEX work_item_open_subject ON work_item(subject_type, subject_id, kind) WHERE is_open = 1;
CREATE INDEX work_item_subject ON work_item(subject_type, subject_id);

CREATE TABLE work_step (
  id {{AUTO_ID}},
  item_id BIGINT NOT NULL REFERENCES work_item(id),
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  by_user_id BIGINT,
  by_name TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  due_at BIGINT
);
CREATE INDEX work_step_item ON work_step(item_id);

-- One row per escalation step and target unit: level 1 warning (owner unit), 2 overdue (owner
-- unit and the unit above: 督办), 3 long overdue (district). `round` counts deadlines (an
-- approved extension starts a new round), so each step of each deadline is recorded once.
CREATE TABLE work_escalation (
  id {{AUTO_ID}},
  item_id BIGINT NOT NULL REFERENCES work_item(id),
  round INTEGER NOT NULL,
  level INTEGER NOT NULL,
  step TEXT NOT NULL,
  target_unit_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  UNIQUE (item_id, round, level, target_unit_id)
);
CREATE INDEX work_escalation_at ON work_escalation(at);
CREATE INDEX work_escalation_target ON work_escalation(target_unit_id, at);

-- Data: the open roll requests and verification tasks become work items.
INSERT INTO work_item (kind, subject_type, subject_id, title, label, link, owner_unit_id, owner_unit_path,
                       owner_role, district_unit_id, state, is_open, started_at, warn_at, due_at, district_at,
                       due_flags, next_at, created_at)
SELECT CASE WHEN r.status = 'pending_review' THEN 'roll_review' ELSE 'roll_confirm' END,
       'roll_request', r.id,
       CASE WHEN r.status = 'pending_review' THEN '审核名册申请' ELSE '确认名册申请' END,
       CASE r.kind WHEN 'entry' THEN '纳入申请' WHEN 'exit' THEN '退出申请' ELSE '变更申请' END || ' #' || CAST(r.id AS TEXT),
       '/children/' || CAST(r.child_id AS TEXT),
       u.id, u.path,
       CASE WHEN r.status = 'pending_review' THEN 'street_supervisor' ELSE 'district' END,
       r.district_id, 'open', 1, r.updated_at,
       r.updated_at + 518400000, r.updated_at + 604800000, r.updated_at + 1209600000,
       2, r.updated_at + 518400000, r.updated_at
FROM roll_request r
JOIN org_unit u ON u.id = CASE WHEN r.status = 'pending_review' THEN r.street_id ELSE r.district_id END
WHERE r.status IN ('pending_review', 'pending_confirm');

INSERT INTO work_item (kind, subject_type, subject_id, title, label, link, owner_unit_id, owner_unit_path,
                       owner_role, district_unit_id, state, is_open, started_at, warn_at, due_at, district_at,
                       due_flags, next_at, created_at)
SELECT 'screening_verify', 'verification_task', t.id, '核查排查线索', '核查任务 #' || CAST(t.id AS TEXT),
       '/screening/tasks/' || CAST(t.id AS TEXT),
       u.id, u.path,
       CASE u.level WHEN 'community' THEN 'child_director' WHEN 'grid' THEN 'child_director'
                    WHEN 'street' THEN 'street_supervisor' ELSE 'district' END,
       COALESCE((SELECT d.id FROM org_unit d WHERE d.level = 'district' AND u.path LIKE d.path || '%'), u.id),
       'open', 1, t.created_at,
       t.created_at + 1123200000, t.created_at + 1209600000, t.created_at + 2419200000,
       2, t.created_at + 1123200000, t.created_at
FROM verification_task t
JOIN org_unit u ON u.path = t.unit_path
WHERE t.outcome = '';
