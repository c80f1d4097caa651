-- Guardianship interventions (监护干预, 未成年人保护法 Art 92-95), src/modules/guardianship. An
-- intervention copies its child's community (unit_id, unit_path), street and district for scope;
-- the child and unit move hooks (guardianship's registration in deps.jurisdiction) carry them
-- along. One open intervention per child (a partial unique index). A temporary guardianship is
-- proposed, approved (or rejected), placed, checked, and ends returned home (after a passing
-- 家庭监护能力评估 linked from the cases module's assessments) or converted to long-term; a
-- long-term guardianship ends by adoption (or another end with a note).

CREATE TABLE guardianship (
  id {{AUTO_ID}},
  child_id BIGINT NOT NULL REFERENCES child(id),
  unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  unit_path TEXT NOT NULL,
  street_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  district_unit_id BIGINT NOT NULL REFERENCES org_unit(id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  grounds TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  proposed_by BIGINT NOT NULL,
  proposed_at BIGINT NOT NULL,
  decided_by BIGINT,
  decided_at BIGINT,
  decision_note TEXT NOT NULL DEFAULT '',
  placement_kind TEXT NOT NULL DEFAULT '',
  placement_name TEXT NOT NULL DEFAULT '',
  placement_contact TEXT NOT NULL DEFAULT '',
  placement_phone TEXT NOT NULL DEFAULT '',
  placement_address TEXT NOT NULL DEFAULT '',
  placed_at BIGINT,
  limit_at BIGINT,
  return_assessment_id BIGINT,
  returned_at BIGINT,
  converted_at BIGINT,
  ended_at BIGINT,
  end_kind TEXT NOT NULL DEFAULT '',
  end_note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX guardianship_one_open ON guardianship(child_id)
  WHERE status IN ('proposed', 'approved', 'placed', 'active');
CREATE INDEX guardianship_child ON guardianship(child_id, id);
CREATE INDEX guardianship_path ON guardianship(unit_path, id);
CREATE INDEX guardianship_status ON guardianship(status, kind);

CREATE TABLE guardianship_event (
  id {{AUTO_ID}},
  guardianship_id BIGINT NOT NULL REFERENCES guardianship(id),
  at BIGINT NOT NULL,
  user_id BIGINT,
  action TEXT NOT NULL,
  from_status TEXT NOT NULL DEFAULT '',
  to_status TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX guardianship_event_g ON guardianship_event(guardianship_id, id);

CREATE TABLE guardianship_placement_check (
  id {{AUTO_ID}},
  guardianship_id BIGINT NOT NULL REFERENCES guardianship(id),
  checked_at BIGINT NOT NULL,
  checked_by BIGINT NOT NULL,
  child_state TEXT NOT NULL,
  notes TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL
);
CREATE INDEX guardianship_check_g ON guardianship_placement_check(guardianship_id, checked_at);
