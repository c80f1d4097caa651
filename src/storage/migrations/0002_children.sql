-- Child registry (一人一档): the child file, family members, category verdicts and overrides,
-- the protected-roll workflow and the search tokens. Dates are INTEGER yyyymmdd (0 = unknown);
-- timestamps BIGINT epoch ms. Identifiers (ID numbers, phones) are stored sealed (*_enc), with a
-- keyed blind index (*_bidx) for exact lookup and a masked copy (*_masked) for display.
-- The child's jurisdiction is kept as integer columns (district/street/community/grid) so that
-- scoping is an indexed equality on both engines.

CREATE TABLE child (
  id {{AUTO_ID}},
  household_id TEXT NOT NULL,
  name TEXT NOT NULL,
  former_names TEXT NOT NULL DEFAULT '',
  sex TEXT NOT NULL,
  ethnicity TEXT NOT NULL DEFAULT '',
  birth_date INTEGER NOT NULL,
  id_enc {{BLOB}},
  id_bidx TEXT,
  id_masked TEXT NOT NULL DEFAULT '',
  no_id_reason TEXT NOT NULL DEFAULT '',
  hukou_registered INTEGER NOT NULL DEFAULT 1,
  hukou_region_code TEXT NOT NULL DEFAULT '',
  hukou_nature TEXT NOT NULL DEFAULT 'unknown',
  hukou_address TEXT NOT NULL DEFAULT '',
  district_id BIGINT NOT NULL REFERENCES org_unit(id),
  street_id BIGINT NOT NULL REFERENCES org_unit(id),
  community_id BIGINT NOT NULL REFERENCES org_unit(id),
  grid_id BIGINT REFERENCES org_unit(id),
  residence_address TEXT NOT NULL DEFAULT '',
  resident_since INTEGER NOT NULL DEFAULT 0,
  school_name TEXT NOT NULL DEFAULT '',
  school_stage TEXT NOT NULL DEFAULT 'unknown',
  boarding INTEGER NOT NULL DEFAULT 0,
  health TEXT NOT NULL DEFAULT 'unknown',
  disability_type TEXT NOT NULL DEFAULT 'none',
  disability_grade INTEGER NOT NULL DEFAULT 0,
  illness TEXT NOT NULL DEFAULT '',
  flow_status TEXT NOT NULL DEFAULT 'unknown',
  assistance BIGINT NOT NULL DEFAULT 0,
  parents_not_findable INTEGER NOT NULL DEFAULT 0,
  director_user_id BIGINT,
  notes TEXT NOT NULL DEFAULT '',
  guardian_name TEXT NOT NULL DEFAULT '',
  guardian_relation TEXT NOT NULL DEFAULT 'other',
  guardian_relation_note TEXT NOT NULL DEFAULT '',
  guardian_member_id BIGINT,
  guardian_phone_enc {{BLOB}},
  guardian_phone_bidx TEXT,
  guardian_phone_masked TEXT NOT NULL DEFAULT '',
  guardian_id_enc {{BLOB}},
  guardian_id_masked TEXT NOT NULL DEFAULT '',
  guardian_agreement_date INTEGER NOT NULL DEFAULT 0,
  categories TEXT NOT NULL DEFAULT '',
  next_change_date INTEGER NOT NULL DEFAULT 0,
  roll_status TEXT NOT NULL DEFAULT 'not_on_roll',
  roll_categories TEXT NOT NULL DEFAULT '',
  roll_entered_on INTEGER NOT NULL DEFAULT 0,
  roll_exited_on INTEGER NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  created_by BIGINT,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT
);
CREATE INDEX child_district ON child(district_id, updated_at);
CREATE INDEX child_street ON child(street_id, updated_at);
CREATE INDEX child_community ON child(community_id, updated_at);
CREATE INDEX child_grid ON child(grid_id);
CREATE INDEX child_id_bidx ON child(id_bidx);
CREATE INDEX child_household ON child(household_id);
CREATE INDEX child_name_birth ON child(name, birth_date);
CREATE INDEX child_next_change ON child(next_change_date);
CREATE INDEX child_roll ON child(roll_status);

CREATE TABLE family_member (
  id {{AUTO_ID}},
  child_id BIGINT NOT NULL REFERENCES child(id),
  position INTEGER NOT NULL DEFAULT 0,
  relation TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  id_enc {{BLOB}},
  id_bidx TEXT,
  id_masked TEXT NOT NULL DEFAULT '',
  phone_enc {{BLOB}},
  phone_bidx TEXT,
  phone_masked TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'at_home',
  state_since INTEGER NOT NULL DEFAULT 0,
  restriction_months INTEGER NOT NULL DEFAULT 0,
  disability_type TEXT NOT NULL DEFAULT 'none',
  disability_grade INTEGER NOT NULL DEFAULT 0,
  illness TEXT NOT NULL DEFAULT '',
  work_city TEXT NOT NULL DEFAULT '',
  work_region_code TEXT NOT NULL DEFAULT '',
  works_outside TEXT NOT NULL DEFAULT 'unknown',
  lives_with_child INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX family_member_child ON family_member(child_id, position);

-- Stored category verdicts: one row per category whose rule verdict is met or aged out, or
-- that carries a worker override (both are kept). Absent row = rule not met, no override.
CREATE TABLE child_category (
  child_id BIGINT NOT NULL REFERENCES child(id),
  code TEXT NOT NULL,
  outcome TEXT NOT NULL,
  rule_id TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  met_since INTEGER NOT NULL DEFAULT 0,
  ends_on INTEGER NOT NULL DEFAULT 0,
  next_change INTEGER NOT NULL DEFAULT 0,
  met INTEGER NOT NULL,
  override_met INTEGER,
  override_reason TEXT,
  override_by BIGINT,
  override_at BIGINT,
  PRIMARY KEY (child_id, code)
);
CREATE INDEX child_category_code ON child_category(code, met, child_id);

CREATE TABLE roll_request (
  id {{AUTO_ID}},
  child_id BIGINT NOT NULL REFERENCES child(id),
  district_id BIGINT NOT NULL,
  street_id BIGINT NOT NULL,
  community_id BIGINT NOT NULL,
  kind TEXT NOT NULL,
  category TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL,
  prior_roll_status TEXT NOT NULL,
  proposed_by BIGINT NOT NULL,
  proposed_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL
);
CREATE INDEX roll_request_child ON roll_request(child_id);
CREATE INDEX roll_request_status ON roll_request(status, district_id, street_id);
CREATE INDEX roll_request_proposer ON roll_request(proposed_by);

CREATE TABLE roll_step (
  id {{AUTO_ID}},
  request_id BIGINT NOT NULL REFERENCES roll_request(id),
  action TEXT NOT NULL,
  by_user_id BIGINT,
  by_name TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX roll_step_request ON roll_step(request_id);

-- Search keys filled by the application: Han unigrams and bigrams and the whole name, full
-- pinyin variants and initials, ID number last 4 and 6 characters and its blind index,
-- guardian and parents' names, phone blind indexes. Exact match only (same SQL on both engines).
CREATE TABLE search_token (
  token TEXT NOT NULL,
  child_id BIGINT NOT NULL
);
CREATE INDEX search_token_token ON search_token(token, child_id);
CREATE INDEX search_token_child ON search_token(child_id);
