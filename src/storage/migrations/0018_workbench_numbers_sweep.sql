-- Issue 10: the 工作台 numbers of a jurisdiction as last computed, kept across restarts. A server
-- serves them at start (with the time they were computed) while it recomputes in the background,
-- instead of making the first request after a restart wait for a pass over every child of the
-- jurisdiction (9.6 s on SQLite at 1,000,000 children). Only computations slow enough to be done in
-- the background are kept. `groups` holds the grouped pass's rows, one per line (WorkbenchService);
-- names of units and categories are applied when served.
CREATE TABLE workbench_numbers (
  scope TEXT PRIMARY KEY,
  day INTEGER NOT NULL,
  groups TEXT NOT NULL,
  computed_at BIGINT NOT NULL,
  compute_ms BIGINT NOT NULL
);

-- The escalation sweep writes a row per step (two million when a million items fall due at once);
-- nothing reads work_escalation by time alone (the notices of a sweep are found by target unit and
-- time: work_escalation_target), so this index only cost every insert a third B-tree.
DROP INDEX work_escalation_at;
