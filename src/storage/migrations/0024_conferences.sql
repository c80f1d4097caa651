-- Issue 12, case conferences (个案会商): a conference about one child (optionally a case), convened
-- by a street or the district, with participants, agenda, materials, the record (attendance,
-- discussion) and decisions. Each decision is a task for a unit or a department (agency) on the
-- work engine (config/workflows/conferences.json). Rows carry the convening unit's path (scope).
CREATE TABLE conference (
  id {{AUTO_ID}},
  child_id BIGINT NOT NULL,
  case_id BIGINT,
  child_name TEXT NOT NULL,
  reason TEXT NOT NULL,
  reason_note TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  convener_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  convener_name TEXT NOT NULL,
  unit_path TEXT NOT NULL,
  district_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  scheduled_at BIGINT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  online INTEGER NOT NULL DEFAULT 0,
  agenda TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  discussion TEXT NOT NULL DEFAULT '',
  held_at BIGINT,
  recorded_by BIGINT,
  closed_at BIGINT,
  created_by BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX conference_child ON conference(child_id, scheduled_at);
CREATE INDEX conference_path ON conference(unit_path, scheduled_at);

CREATE TABLE conference_participant (
  id {{AUTO_ID}},
  conference_id BIGINT NOT NULL REFERENCES conference(id),
  kind TEXT NOT NULL,
  agency_id BIGINT REFERENCES agency(id),
  unit_id BIGINT REFERENCES org_unit(id),
  name TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  attended INTEGER
);
CREATE INDEX conference_participant_conf ON conference_participant(conference_id);

CREATE TABLE conference_decision (
  id {{AUTO_ID}},
  conference_id BIGINT NOT NULL REFERENCES conference(id),
  child_id BIGINT NOT NULL,
  seq INTEGER NOT NULL,
  content TEXT NOT NULL,
  owner_kind TEXT NOT NULL,
  owner_agency_id BIGINT REFERENCES agency(id),
  owner_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  owner_unit_path TEXT NOT NULL,
  owner_role TEXT NOT NULL,
  owner_name TEXT NOT NULL,
  due_date TEXT NOT NULL,
  status TEXT NOT NULL,
  result_note TEXT NOT NULL DEFAULT '',
  done_at BIGINT,
  done_by BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX conference_decision_conf ON conference_decision(conference_id, seq);
CREATE INDEX conference_decision_child ON conference_decision(child_id, status);
CREATE INDEX conference_decision_agency ON conference_decision(owner_agency_id, status);

CREATE TABLE conference_attachment (
  id {{AUTO_ID}},
  conference_id BIGINT NOT NULL REFERENCES conference(id),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size BIGINT NOT NULL,
  data {{BLOB}} NOT NULL,
  by_user_id BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX conference_attachment_conf ON conference_attachment(conference_id);
