-- Screening batches processed in the background (issue 4). An upload stores the batch (status
-- queued) and its department rows at once; a worker claims it (status running, attempts + 1 — the
-- attempt number is the claim token: a worker whose batch was re-queued and re-claimed elsewhere
-- cannot finish it), reports the stage and records processed, refreshes heartbeat_at, and writes
-- findings, tasks and the rows' match results in one transaction with status done. A batch left
-- running by a crashed server is re-queued (or failed after too many attempts) when its heartbeat
-- is stale. complete_roster marks an upload as the full list of its source for the uploader's
-- jurisdiction (全量名单), which the "registry child absent from the school register" rule needs.
-- reference_date (yyyymmdd, Asia/Shanghai) is the batch date ages are computed at.
-- batch_record.phone_enc keeps the department's guardian phone sealed for matching in the
-- worker; id_enc now also holds a sealed ID that failed the checksum (the engine uses near-IDs).
-- origin = 'registry' marks a row standing for a registry child absent from the batch (the
-- subject of a finding that has no department row); those rows are not counted as screened.

ALTER TABLE screening_batch ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE screening_batch ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE screening_batch ADD COLUMN heartbeat_at BIGINT;
ALTER TABLE screening_batch ADD COLUMN started_at BIGINT;
ALTER TABLE screening_batch ADD COLUMN complete_roster INTEGER NOT NULL DEFAULT 0;
ALTER TABLE screening_batch ADD COLUMN reference_date INTEGER NOT NULL DEFAULT 0;
CREATE INDEX screening_batch_status ON screening_batch (status, id);

ALTER TABLE batch_record ADD COLUMN phone_enc {{BLOB}};
ALTER TABLE batch_record ADD COLUMN origin TEXT NOT NULL DEFAULT 'department';

CREATE INDEX finding_path ON finding (unit_path, community_id);
