-- Visits by risk (走访, issue 12): one narrow schedule row per child on the roll (the grade copy, the
-- interval the config gives for the grade and the child's categories, the last visit and the next
-- visit due) and the visit records with their photos. The child's units are copied (district /
-- street / community / grid ids for indexed scope, unit_path = the grid's or community's path for the
-- single-read test); the registry's child move and the unit move carry them (visits hooks).
-- Dates are INTEGER yyyymmdd.
CREATE TABLE visit_schedule (
  child_id BIGINT PRIMARY KEY REFERENCES child(id),
  district_id BIGINT NOT NULL,
  street_id BIGINT NOT NULL,
  community_id BIGINT NOT NULL,
  grid_id BIGINT,
  unit_path TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  grade TEXT NOT NULL DEFAULT '',
  graded_on INTEGER NOT NULL DEFAULT 0,
  categories TEXT NOT NULL DEFAULT '',
  rule TEXT NOT NULL DEFAULT '',
  interval_days INTEGER NOT NULL,
  planned_from INTEGER NOT NULL,
  last_visit_on INTEGER NOT NULL DEFAULT 0,
  next_due_on INTEGER NOT NULL,
  item_due_on INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL
);
-- The due list: one range per scope column in due order; grade in the index so a grade filter and the
-- capped count read the index only.
CREATE INDEX visit_schedule_district ON visit_schedule(district_id, active, next_due_on, child_id, grade);
CREATE INDEX visit_schedule_street ON visit_schedule(street_id, active, next_due_on, child_id, grade);
CREATE INDEX visit_schedule_community ON visit_schedule(community_id, active, next_due_on, child_id, grade);
CREATE INDEX visit_schedule_grid ON visit_schedule(grid_id, active, next_due_on, child_id, grade);
-- A grade filter reads its grade's range in due order (a rare grade would otherwise scan the others).
CREATE INDEX visit_schedule_district_grade ON visit_schedule(district_id, active, grade, next_due_on, child_id);
CREATE INDEX visit_schedule_street_grade ON visit_schedule(street_id, active, grade, next_due_on, child_id);
CREATE INDEX visit_schedule_community_grade ON visit_schedule(community_id, active, grade, next_due_on, child_id);
CREATE INDEX visit_schedule_due ON visit_schedule(active, next_due_on);

CREATE TABLE visit (
  id {{AUTO_ID}},
  child_id BIGINT NOT NULL REFERENCES child(id),
  district_id BIGINT NOT NULL,
  street_id BIGINT NOT NULL,
  community_id BIGINT NOT NULL,
  grid_id BIGINT,
  unit_path TEXT NOT NULL,
  visited_on INTEGER NOT NULL,
  month INTEGER NOT NULL,
  grade TEXT NOT NULL DEFAULT '',
  due_on INTEGER NOT NULL DEFAULT 0,
  on_time INTEGER NOT NULL DEFAULT 1,
  seen TEXT NOT NULL DEFAULT '',
  seen_others TEXT NOT NULL DEFAULT '',
  place TEXT NOT NULL,
  place_note TEXT NOT NULL DEFAULT '',
  child_state TEXT NOT NULL,
  child_note TEXT NOT NULL DEFAULT '',
  home_state TEXT NOT NULL,
  home_note TEXT NOT NULL DEFAULT '',
  guardian_care TEXT NOT NULL,
  guardian_note TEXT NOT NULL DEFAULT '',
  needs TEXT NOT NULL DEFAULT '',
  needs_note TEXT NOT NULL DEFAULT '',
  follow_ups TEXT NOT NULL DEFAULT '',
  photos INTEGER NOT NULL DEFAULT 0,
  visitor_user_id BIGINT,
  visitor_name TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE INDEX visit_child ON visit(child_id, visited_on);
CREATE INDEX visit_district_month ON visit(district_id, month, grade, on_time);
CREATE INDEX visit_street_month ON visit(street_id, month, grade, on_time);
CREATE INDEX visit_community_month ON visit(community_id, month, grade, on_time);

CREATE TABLE visit_photo (
  id {{AUTO_ID}},
  visit_id BIGINT NOT NULL REFERENCES visit(id),
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data_enc {{BLOB}} NOT NULL,
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX visit_photo_visit ON visit_photo(visit_id);
