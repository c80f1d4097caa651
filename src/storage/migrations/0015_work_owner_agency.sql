-- Issue 11 needs work owned by a member department (区教育局's liaisons), not by every user of the
-- unit the department sits in: a work item may name the agency whose users own it. The inbox reads
-- (agency, role) for an agency's users and (unit, role) of items without an agency for the others.
ALTER TABLE work_item ADD COLUMN owner_agency_id BIGINT REFERENCES agency(id);
CREATE INDEX work_item_agency ON work_item(owner_agency_id, owner_role, is_open, due_at, id);
