-- Screening (排查): department data sources with saved column mappings, screening batches (one
-- per upload), the normalized department rows of each batch, the findings the screening rules
-- produce and the verification tasks (核查任务) for the community's 儿童主任. Scoping uses
-- unit_path (the org unit path of the batch's uploader or of the finding's community), so a
-- caller sees rows whose unit_path starts with their own path. Identifiers in batch_record are
-- sealed like the registry's (id_enc) with a masked copy for display.

CREATE TABLE data_source (
  id {{AUTO_ID}},
  org_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  unit_path TEXT NOT NULL,
  name TEXT NOT NULL,
  dept_type TEXT NOT NULL DEFAULT '',
  mapping_json TEXT NOT NULL DEFAULT '{}',
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX data_source_path ON data_source (unit_path);

CREATE TABLE screening_batch (
  id {{AUTO_ID}},
  source_id BIGINT NOT NULL REFERENCES data_source(id),
  org_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  unit_path TEXT NOT NULL,
  file_name TEXT NOT NULL DEFAULT '',
  uploaded_by BIGINT NOT NULL,
  status TEXT NOT NULL,
  error TEXT NOT NULL DEFAULT '',
  processed BIGINT NOT NULL DEFAULT 0,
  total BIGINT NOT NULL DEFAULT 0,
  records BIGINT NOT NULL DEFAULT 0,
  matched BIGINT NOT NULL DEFAULT 0,
  review BIGINT NOT NULL DEFAULT 0,
  unmatched BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  finished_at BIGINT
);
CREATE INDEX screening_batch_path ON screening_batch (unit_path, id);

CREATE TABLE batch_record (
  id {{AUTO_ID}},
  batch_id BIGINT NOT NULL REFERENCES screening_batch(id),
  line BIGINT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  sex TEXT NOT NULL DEFAULT '',
  birth_date TEXT NOT NULL DEFAULT '',
  id_enc {{BLOB}},
  id_masked TEXT NOT NULL DEFAULT '',
  father_name TEXT NOT NULL DEFAULT '',
  mother_name TEXT NOT NULL DEFAULT '',
  guardian_name TEXT NOT NULL DEFAULT '',
  hukou_address TEXT NOT NULL DEFAULT '',
  hukou_region_code TEXT NOT NULL DEFAULT '',
  residence_address TEXT NOT NULL DEFAULT '',
  community_id BIGINT,
  school_name TEXT NOT NULL DEFAULT '',
  disability_type TEXT NOT NULL DEFAULT '',
  disability_grade INTEGER NOT NULL DEFAULT 0,
  assistance TEXT NOT NULL DEFAULT '',
  father_state TEXT NOT NULL DEFAULT '',
  mother_state TEXT NOT NULL DEFAULT '',
  child_id BIGINT,
  band TEXT NOT NULL DEFAULT 'no_link',
  probability DOUBLE PRECISION NOT NULL DEFAULT 0,
  explanation TEXT NOT NULL DEFAULT ''
);
CREATE INDEX batch_record_batch ON batch_record (batch_id, line);

CREATE TABLE finding (
  id {{AUTO_ID}},
  batch_id BIGINT NOT NULL REFERENCES screening_batch(id),
  rule_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  record_id BIGINT NOT NULL REFERENCES batch_record(id),
  child_id BIGINT,
  community_id BIGINT,
  unit_path TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open',
  roll_kind TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX finding_batch ON finding (batch_id, id);

CREATE TABLE verification_task (
  id {{AUTO_ID}},
  finding_id BIGINT NOT NULL REFERENCES finding(id),
  community_id BIGINT,
  unit_path TEXT NOT NULL,
  due_date INTEGER NOT NULL,
  outcome TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  decided_by BIGINT,
  decided_at BIGINT,
  roll_request_id BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL
);
CREATE INDEX verification_task_path ON verification_task (unit_path, outcome, due_date);
CREATE INDEX verification_task_finding ON verification_task (finding_id);
