-- Issue 12, early warnings (预警): one row per warning a rule (config/warnings/*.json) or a person
-- raised on a child. At most one open warning per (rule, child): re-evaluation never duplicates it.
-- The child's units are copied (district/street/community ids, unit_path = its grid's or
-- community's path) so lists filter by scope with an index; they move with the child and the units.
-- status: open | handled (已处置) | false_alarm (误报) | cleared (条件已消除, closed by the nightly run).
CREATE TABLE warning (
  id {{AUTO_ID}},
  rule_code TEXT NOT NULL,
  severity TEXT NOT NULL DEFAULT 'medium',
  child_id BIGINT NOT NULL REFERENCES child(id),
  district_id BIGINT NOT NULL,
  street_id BIGINT NOT NULL,
  community_id BIGINT NOT NULL,
  grid_id BIGINT,
  unit_path TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  is_open INTEGER NOT NULL DEFAULT 1,
  reason TEXT NOT NULL,
  raised_at BIGINT NOT NULL,
  raised_by BIGINT,
  raised_by_name TEXT NOT NULL DEFAULT '',
  closed_at BIGINT,
  closed_by BIGINT,
  closed_by_name TEXT NOT NULL DEFAULT '',
  close_note TEXT NOT NULL DEFAULT '',
  -- 1 while the rule's condition still holds for the child (set 0 by the nightly run once it no
  -- longer does). A warning a person closed (handled / false_alarm) whose condition still holds keeps
  -- the rule from raising it again for that child until the condition has cleared once.
  holds INTEGER NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX warning_open_rule_child ON warning(rule_code, child_id) WHERE is_open = 1;
-- The nightly run reads the open warnings of a block of child ids; a child's file lists its own.
CREATE INDEX warning_child ON warning(child_id, is_open, id);
-- Lists in scope, newest first, by status.
CREATE INDEX warning_district ON warning(district_id, is_open, id);
CREATE INDEX warning_street ON warning(street_id, is_open, id);
CREATE INDEX warning_community ON warning(community_id, is_open, id);
CREATE INDEX warning_grid ON warning(grid_id, is_open, id);
CREATE INDEX warning_path ON warning(unit_path);
-- The dropout rule reads screening findings by child (the screening module's table had no such index).
CREATE INDEX finding_child_rule ON finding(child_id, rule_id);
-- The repeat-report rule counts a child's reports in a window.
CREATE INDEX report_child_created ON report(child_id, created_at);
