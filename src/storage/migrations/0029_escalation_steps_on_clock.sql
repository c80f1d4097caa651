-- Issue 10, the first sweep over 1,000,000 items: the escalation steps of an item's current round live
-- on its clock row (the time each level was first reached in the round), so the sweep writes only the
-- clock rows it raises (one UPDATE per batch) instead of one work_escalation row per step and target
-- unit besides (1.35 M inserted rows and their two index entries each when 608,000 items fell due at
-- once: 60 % of the sweep's time on PostgreSQL). The targets are derived from the item as it is: warn
-- and overdue → the owner unit, supervise → the unit above it (only when there is one: recorded with
-- overdue), district → the item's district.
--   work_escalation_log   the steps of past rounds and of owners an item had before (the old table,
--                         renamed): the engine copies the clock's steps here before an approved
--                         extension starts a new round and before the item's owner or district changes.
--   work_escalation       a VIEW: the log and the clock's steps, one row per step and target unit as
--                         before (readers and tests of other modules read it unchanged). Rows from the
--                         clock have a negative id (-(item_id * 4 + slot)); they are never written.
ALTER TABLE work_item_clock ADD COLUMN warn_step_at BIGINT;
ALTER TABLE work_item_clock ADD COLUMN overdue_step_at BIGINT;
ALTER TABLE work_item_clock ADD COLUMN district_step_at BIGINT;
ALTER TABLE work_escalation RENAME TO work_escalation_log;

CREATE VIEW work_escalation_current AS
SELECT -(k.item_id * 4) AS id, k.item_id, w.round, 1 AS level, 'warn' AS step, w.owner_unit_id AS target_unit_id,
       k.warn_step_at AS at
  FROM work_item_clock k JOIN work_item w ON w.id = k.item_id WHERE k.warn_step_at IS NOT NULL
UNION ALL
SELECT -(k.item_id * 4 + 1), k.item_id, w.round, 2, 'overdue', w.owner_unit_id, k.overdue_step_at
  FROM work_item_clock k JOIN work_item w ON w.id = k.item_id WHERE k.overdue_step_at IS NOT NULL
UNION ALL
SELECT -(k.item_id * 4 + 2), k.item_id, w.round, 2, 'supervise', u.parent_id, k.overdue_step_at
  FROM work_item_clock k JOIN work_item w ON w.id = k.item_id JOIN org_unit u ON u.id = w.owner_unit_id
 WHERE k.overdue_step_at IS NOT NULL AND u.parent_id > 0
UNION ALL
SELECT -(k.item_id * 4 + 3), k.item_id, w.round, 3, 'district', w.district_unit_id, k.district_step_at
  FROM work_item_clock k JOIN work_item w ON w.id = k.item_id WHERE k.district_step_at IS NOT NULL;

-- Existing rows: a current round's steps whose targets are the ones the item gives now move onto the
-- clock (overdue only together with its supervise row, or when there is no unit above); the rest stay
-- in the log, unchanged.
UPDATE work_item_clock SET warn_step_at = s.warn, district_step_at = s.district,
  overdue_step_at = CASE WHEN s.overdue IS NOT NULL AND ((s.parent <= 0 AND s.any_supervise = 0) OR s.supervise = s.overdue)
                    THEN s.overdue END
FROM (SELECT e.item_id, COALESCE(u.parent_id, 0) AS parent,
             MAX(CASE WHEN e.level = 1 AND e.target_unit_id = w.owner_unit_id THEN e.at END) AS warn,
             MAX(CASE WHEN e.step = 'overdue' AND e.target_unit_id = w.owner_unit_id THEN e.at END) AS overdue,
             MAX(CASE WHEN e.step = 'supervise' AND e.target_unit_id = u.parent_id THEN e.at END) AS supervise,
             MAX(CASE WHEN e.step = 'supervise' THEN 1 ELSE 0 END) AS any_supervise,
             MAX(CASE WHEN e.level = 3 AND e.target_unit_id = w.district_unit_id THEN e.at END) AS district
        FROM work_escalation_log e JOIN work_item w ON w.id = e.item_id AND w.round = e.round
        JOIN org_unit u ON u.id = w.owner_unit_id
       GROUP BY e.item_id, COALESCE(u.parent_id, 0)) AS s
WHERE s.item_id = work_item_clock.item_id;
DELETE FROM work_escalation_log WHERE EXISTS (
  SELECT 1 FROM work_item_clock k JOIN work_item w ON w.id = k.item_id JOIN org_unit u ON u.id = w.owner_unit_id
   WHERE k.item_id = work_escalation_log.item_id AND w.round = work_escalation_log.round
     AND ((work_escalation_log.level = 1 AND k.warn_step_at IS NOT NULL
           AND work_escalation_log.target_unit_id = w.owner_unit_id)
       OR (work_escalation_log.step = 'overdue' AND k.overdue_step_at IS NOT NULL
           AND work_escalation_log.target_unit_id = w.owner_unit_id)
       OR (work_escalation_log.step = 'supervise' AND k.overdue_step_at IS NOT NULL
           AND work_escalation_log.target_unit_id = u.parent_id)
       OR (work_escalation_log.level = 3 AND k.district_step_at IS NOT NULL
           AND work_escalation_log.target_unit_id = w.district_unit_id)));

CREATE VIEW work_escalation AS
SELECT id, item_id, round, level, step, target_unit_id, at FROM work_escalation_log
UNION ALL
SELECT id, item_id, round, level, step, target_unit_id, at FROM work_escalation_current;
