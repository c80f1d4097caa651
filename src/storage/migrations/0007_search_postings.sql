-- Child registry search (issue 3, docs/PERFORMANCE.md): postings that carry what a search ranks
-- and scopes on, so a search reads its candidates from one stretch of one index.
--
-- search_token held (token, child_id) only. A common name (王浩宇: 5,908 postings at 1M children)
-- ranked its newest 1,000 candidates by reading each child row for the caller's jurisdiction, the
-- exact-name test and updated_at: 1,000 random page reads per request. search_posting keeps, per
-- (token, child): whether the token is the child's own current whole name (own = 1, the exact
-- match ranked first), the child's jurisdiction columns, updated_at and birth_date (the search
-- sort keys and the age filter). ChildRepo writes them with the tokens and keeps them equal to the
-- child row on every child update (ChildRepo::Update, ChildRepo::SyncPostings).
--
-- search_posting_token is a covering index (every column a key: SQLite has no INCLUDE), so the
-- candidates of one token come from consecutive index pages on both engines (an index-only scan
-- on PostgreSQL).
CREATE TABLE search_posting (
  token TEXT NOT NULL,
  child_id BIGINT NOT NULL,
  own INTEGER NOT NULL DEFAULT 0,
  district_id BIGINT NOT NULL,
  street_id BIGINT NOT NULL,
  community_id BIGINT NOT NULL,
  grid_id BIGINT,
  updated_at BIGINT NOT NULL,
  birth_date INTEGER NOT NULL
);
INSERT INTO search_posting (token, child_id, own, district_id, street_id, community_id, grid_id, updated_at, birth_date)
SELECT t.token, t.child_id, CASE WHEN t.token = c.name THEN 1 ELSE 0 END, c.district_id, c.street_id,
       c.community_id, c.grid_id, c.updated_at, c.birth_date
FROM search_token t JOIN child c ON c.id = t.child_id;
DROP TABLE search_token;
CREATE INDEX search_posting_token ON search_posting(token, child_id, own, district_id, street_id, community_id, grid_id,
                                                    updated_at, birth_date);
CREATE INDEX search_posting_child ON search_posting(child_id);
