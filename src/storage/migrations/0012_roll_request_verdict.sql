-- Issue 9 item 15: a roll request keeps the category's rule verdict as it stood when it was proposed
-- (rule_outcome met | not_met | aged_out, "" for exits and worker-assigned categories; rule_reason the
-- rule's own explanation), so reviewers and confirmers see whether the proposer went against the rules.
ALTER TABLE roll_request ADD COLUMN rule_outcome TEXT NOT NULL DEFAULT '';
ALTER TABLE roll_request ADD COLUMN rule_reason TEXT NOT NULL DEFAULT '';
