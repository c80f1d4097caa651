-- The audit chain is keyed (issue 9, item 5): entries from `keyed_from` on carry a MAC (keyed
-- BLAKE2b-256 under a key derived from the master key file, which lives outside the database)
-- instead of an unkeyed hash, so someone who can write the database cannot recompute the chain.
-- Earlier entries keep their unkeyed hashes and stay verifiable: the first keyed entry's MAC
-- covers the last unkeyed hash. `keyed_from_mac` seals the boundary (so it cannot be moved or
-- cleared to downgrade later entries) and `head_mac` seals the head (so the end cannot be cut
-- off). Both are set by the first server or command that opens the database with its key.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT;
ALTER TABLE audit_head ADD COLUMN keyed_from_mac TEXT;
ALTER TABLE audit_head ADD COLUMN head_mac TEXT;
