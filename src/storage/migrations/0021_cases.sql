-- Cases (个案) and assessments (双评估 + 监护评估), src/modules/cases. A case copies its child's
-- community (unit_id, unit_path), street and district for scope; the child and unit move hooks
-- (cases' registration in deps.jurisdiction) carry them along. One open case per child: a partial
-- unique index. An assessment keeps its form code and version and the answers as given; once
-- completed it is never updated (the service refuses). The child's current risk grade lives on the
-- child (risk_grade, risk_graded_at), set by the registry's SetRiskGrade.

ALTER TABLE child ADD COLUMN risk_grade TEXT NOT NULL DEFAULT '';
ALTER TABLE child ADD COLUMN risk_graded_at BIGINT;
CREATE INDEX child_risk_grade ON child(risk_grade, id);

CREATE TABLE case_file (
  id {{AUTO_ID}},
  child_id BIGINT NOT NULL REFERENCES child(id),
  unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  unit_path TEXT NOT NULL,
  street_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  district_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  status TEXT NOT NULL,
  source TEXT NOT NULL,
  report_id BIGINT,
  reason TEXT NOT NULL,
  worker_user_id BIGINT,
  close_reason TEXT NOT NULL DEFAULT '',
  opened_by BIGINT NOT NULL,
  opened_at BIGINT NOT NULL,
  closed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX case_file_one_open ON case_file(child_id) WHERE status <> 'closed';
CREATE INDEX case_file_child ON case_file(child_id, id);
CREATE INDEX case_file_path ON case_file(unit_path, id);
CREATE INDEX case_file_worker ON case_file(worker_user_id, id);

CREATE TABLE case_event (
  id {{AUTO_ID}},
  case_id BIGINT NOT NULL REFERENCES case_file(id),
  at BIGINT NOT NULL,
  user_id BIGINT,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL DEFAULT '',
  to_status TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_event_case ON case_event(case_id, id);

CREATE TABLE assessment (
  id {{AUTO_ID}},
  child_id BIGINT NOT NULL REFERENCES child(id),
  case_id BIGINT REFERENCES case_file(id),
  unit_path TEXT NOT NULL,
  kind TEXT NOT NULL,
  form_code TEXT NOT NULL,
  form_version BIGINT NOT NULL,
  status TEXT NOT NULL,
  answers_json TEXT NOT NULL DEFAULT '{}',
  score DOUBLE PRECISION NOT NULL DEFAULT 0,
  grade TEXT NOT NULL DEFAULT '',
  needs_json TEXT NOT NULL DEFAULT '[]',
  note TEXT NOT NULL DEFAULT '',
  assessor_user_id BIGINT NOT NULL,
  completed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX assessment_child ON assessment(child_id, kind, completed_at);
CREATE INDEX assessment_case ON assessment(case_id, id);
