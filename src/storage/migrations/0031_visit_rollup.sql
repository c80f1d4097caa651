-- Daily visit rollup (issue 12 "Measures"; the case statistics at 100,000 children / 2,000,000 visits read
-- these rows, not every visit of the period and the 13 months before it). One row per (district, day, street,
-- community, grade) of the visit rows' own unit copies and grade; day is INTEGER yyyymmdd, as visit.visited_on
-- and visit.due_on. A visit adds to two rows: done (and on_time when it was on time) on the day it was made
-- (visited_on), and due on the day it was due (due_on; none when due_on = 0, a visit without a schedule).
-- Kept by VisitsRepo in the transaction that writes the visit (record, the child's move, a unit's move, the
-- bulk demo load: visits_rollup.cc), as dispatch_rollup is; counters only ever go up and down together with
-- the visit rows, so a row can fall to zero and stay (readers skip zeros).
CREATE TABLE visit_rollup (
  district_id BIGINT NOT NULL,
  day INTEGER NOT NULL,
  street_id BIGINT NOT NULL,
  community_id BIGINT NOT NULL,
  grade TEXT NOT NULL,
  done BIGINT NOT NULL DEFAULT 0,
  on_time BIGINT NOT NULL DEFAULT 0,
  due BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (community_id, grade, day, district_id, street_id)
);
-- One range of days per scope column, the counters in the index (read without the table).
CREATE INDEX visit_rollup_district ON visit_rollup(district_id, day, community_id, grade, done, on_time, due);
CREATE INDEX visit_rollup_street ON visit_rollup(street_id, day, community_id, grade, done, on_time, due);
CREATE INDEX visit_rollup_community ON visit_rollup(community_id, day, grade, done, on_time, due);

INSERT INTO visit_rollup (district_id, day, street_id, community_id, grade, done, on_time, due)
SELECT x.district_id, x.day, x.street_id, x.community_id, x.grade, SUM(x.done), SUM(x.on_time), SUM(x.due)
FROM (SELECT district_id, visited_on AS day, street_id, community_id, grade, 1 AS done, on_time, 0 AS due FROM visit
      UNION ALL
      SELECT district_id, due_on AS day, street_id, community_id, grade, 0 AS done, 0 AS on_time, 1 AS due FROM visit
      WHERE due_on <> 0) x
GROUP BY x.district_id, x.day, x.street_id, x.community_id, x.grade;

-- The other sources of the case statistics, read per child of the scope (grouped by the child's current
-- community): a narrow child index the scope's children are read from without the wide child rows (any scope
-- level: a district or street scans it whole, a community reads its range), and per-child indexes that hold
-- every column the counts use, so each child costs one index probe per table and no row read.
CREATE INDEX child_stats ON child(community_id, id, risk_grade, street_id, district_id);
CREATE INDEX case_file_child_stats ON case_file(child_id, status, opened_at, closed_at);
CREATE INDEX assessment_child_done ON assessment(child_id, completed_at) WHERE status = 'completed';
CREATE INDEX plan_child_stats ON plan(child_id, status, reviewed_at, case_id);
CREATE INDEX service_record_child ON service_record(child_id, served_on);
