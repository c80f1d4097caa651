-- Issue 10: the escalation clock of a work item moves out of the wide work_item row into a narrow
-- table. The sweep reads and updates only this table: on PostgreSQL an update of work_item's
-- next_at could not be HOT (next_at was indexed) and gave every escalated row new entries in all
-- ten of work_item's indexes (7.5 s of a 50,000-item batch); a row here has two index entries.
-- One row per item (written with it): closed items keep their last level with next_at 9999-12-31
-- (never due), so the due index alone says which items the sweep must raise. item_id is the
-- item's id (AUTO_ID: SQLite's rowid, so a batch's id range is one B-tree range; never generated).
CREATE TABLE work_item_clock (
  item_id {{AUTO_ID}},
  escalation_level INTEGER NOT NULL DEFAULT 0,
  next_at BIGINT NOT NULL
);
INSERT INTO work_item_clock (item_id, escalation_level, next_at)
  SELECT id, escalation_level, CASE WHEN is_open = 1 THEN next_at ELSE 253402300799000 END FROM work_item;
-- The sweeper: items whose next escalation time has come (item_id: PostgreSQL reads it from the index).
CREATE INDEX work_item_clock_due ON work_item_clock(next_at, item_id);
DROP INDEX work_item_sweep;
ALTER TABLE work_item DROP COLUMN next_at;
ALTER TABLE work_item DROP COLUMN escalation_level;

-- 督办: the extension requests awaiting a decision in a subtree (GET /inbox/overdue?state=
-- extension_requested), overdue or not; few rows, so a small partial index.
CREATE INDEX work_item_extension ON work_item(due_at, id) WHERE state = 'extension_requested';

-- The sweep's step insert without a foreign key: on PostgreSQL its check locked each step's item row
-- (FOR KEY SHARE), i.e. wrote to every escalated row of the wide work_item heap again (1.5 s of a
-- 50,000-item batch). Steps are written only by the sweep, from items it has just read, and items are
-- never deleted. Portable rebuild (no ALTER TABLE ... DROP CONSTRAINT in SQLite); the ids are
-- renumbered in their order (nothing refers to them).
CREATE TABLE work_escalation_v2 (
  id {{AUTO_ID}},
  item_id BIGINT NOT NULL,
  round INTEGER NOT NULL,
  level INTEGER NOT NULL,
  step TEXT NOT NULL,
  target_unit_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  UNIQUE (item_id, round, level, target_unit_id)
);
INSERT INTO work_escalation_v2 (item_id, round, level, step, target_unit_id, at)
  SELECT item_id, round, level, step, target_unit_id, at FROM work_escalation ORDER BY id;
DROP TABLE work_escalation;
ALTER TABLE work_escalation_v2 RENAME TO work_escalation;
CREATE INDEX work_escalation_target ON work_escalation(target_unit_id, at);
