-- Reports (发现报告, src/modules/reports): every way a child comes to notice, the center's triage
-- and closing, reporter confidentiality and the 24-hour duty roster. Scope copies: district_path
-- (the district center that triages) and unit_path (the street/community the report concerns,
-- the district until triaged); jurisdiction_repo carries them along on unit moves. The reporter
-- is sealed (name, phone: XChaCha20 under their own contexts, phone with a blind index) and shown
-- only through a reveal with a purpose. tracking_hash: BLAKE2b of the tracking code (the code
-- itself is given once, to the reporter).

CREATE TABLE report (
  id {{AUTO_ID}},
  district_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  district_path TEXT NOT NULL,
  unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  unit_path TEXT NOT NULL,
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  urgency TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  sensitive INTEGER NOT NULL DEFAULT 0,
  situations TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL,
  place TEXT NOT NULL,
  child_id BIGINT,
  child_name TEXT NOT NULL DEFAULT '',
  child_age BIGINT,
  child_school TEXT NOT NULL DEFAULT '',
  seen_at TEXT NOT NULL DEFAULT '',
  anonymous INTEGER NOT NULL DEFAULT 0,
  reporter_name_enc {{BLOB}},
  reporter_phone_enc {{BLOB}},
  reporter_phone_bidx TEXT,
  reporter_agency_id BIGINT REFERENCES agency(id),
  reporter_user_id BIGINT,
  police_reported INTEGER NOT NULL DEFAULT 0,
  police_station TEXT NOT NULL DEFAULT '',
  police_reported_at TEXT NOT NULL DEFAULT '',
  police_receipt_no TEXT NOT NULL DEFAULT '',
  told_civil_affairs INTEGER NOT NULL DEFAULT 0,
  told_education INTEGER NOT NULL DEFAULT 0,
  finding_id BIGINT,
  tracking_hash TEXT NOT NULL UNIQUE,
  triage_note TEXT NOT NULL DEFAULT '',
  triaged_by BIGINT,
  triaged_at BIGINT,
  outcome TEXT NOT NULL DEFAULT '',
  reply TEXT NOT NULL DEFAULT '',
  closed_by BIGINT,
  closed_at BIGINT,
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX report_district ON report (district_path, id);
CREATE INDEX report_unit ON report (unit_path, id);
CREATE INDEX report_status ON report (district_unit_id, status, id);
CREATE INDEX report_child ON report (child_id);
CREATE INDEX report_agency ON report (reporter_agency_id, id);
CREATE INDEX report_creator ON report (created_by, id);

-- Photos from the public page and staff attachments, sealed.
CREATE TABLE report_attachment (
  id {{AUTO_ID}},
  report_id BIGINT NOT NULL REFERENCES report(id),
  source TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size_bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data_enc {{BLOB}} NOT NULL,
  created_by BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX report_attachment_report ON report_attachment (report_id, id);

-- The 24-hour duty roster (值班表) of a district center and the handover notes between shifts.
CREATE TABLE duty_shift (
  id {{AUTO_ID}},
  district_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  district_path TEXT NOT NULL,
  user_id BIGINT NOT NULL REFERENCES app_user(id),
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX duty_shift_time ON duty_shift (district_unit_id, ends_at, starts_at);

CREATE TABLE duty_handover (
  id {{AUTO_ID}},
  district_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  district_path TEXT NOT NULL,
  shift_id BIGINT REFERENCES duty_shift(id),
  note TEXT NOT NULL,
  created_by BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX duty_handover_district ON duty_handover (district_unit_id, created_at);
