-- Child registry read paths at 1M children (issue 3, docs/PERFORMANCE.md).
-- The scope indexes become covering indexes in the default list order (scope, updated_at, id)
-- carrying every list filter column: a filtered page with many matches streams from the index in
-- sort order and stops at the page end, without visiting child rows.
-- The category filter: child.categories holds the effective met codes (',a,b,'); the distinct
-- values are few, kept in child_category_set (written with the child). A category filter expands
-- to the lists containing the code, seeks (scope, categories, birth_date) and counts index-only.
CREATE TABLE child_category_set (
  categories TEXT PRIMARY KEY
);
INSERT INTO child_category_set (categories) SELECT DISTINCT categories FROM child WHERE categories <> '';
DROP INDEX child_district;
DROP INDEX child_street;
DROP INDEX child_community;
DROP INDEX child_grid;
CREATE INDEX child_district ON child(district_id, updated_at, id, birth_date, categories, roll_status, flow_status,
                                     school_stage, sex);
CREATE INDEX child_street ON child(street_id, updated_at, id, birth_date, categories, roll_status, flow_status,
                                   school_stage, sex);
CREATE INDEX child_community ON child(community_id, updated_at, id, birth_date, categories, roll_status, flow_status,
                                      school_stage, sex);
CREATE INDEX child_grid ON child(grid_id, updated_at, id, birth_date, categories, roll_status, flow_status,
                                 school_stage, sex);
CREATE INDEX child_district_cat ON child(district_id, categories, birth_date, updated_at, id);
CREATE INDEX child_street_cat ON child(street_id, categories, birth_date, updated_at, id);
CREATE INDEX child_community_cat ON child(community_id, categories, birth_date, updated_at, id);
