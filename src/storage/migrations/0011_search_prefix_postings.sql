-- Search while typing (issue 9 item 16, docs/PERFORMANCE.md): a search word is looked up as one
-- token, so every prefix a name is typed as is a posting of its own (an exact index seek in
-- child_id order, like any token; a range scan over `token >= 'zh'` would sort every match).
-- From now on the service writes (ChildService NameTokens): prefixes of every pinyin, initials and
-- Latin-letter name token; the child's initials from any character on (张志伟: zzw, zw, w); the
-- guardian's name in Han unigrams and bigrams; the leading 3+ characters of a 4+ character name.
--
-- This migration derives the same postings for an existing registry from the tokens it holds.
-- What SQL cannot tell apart, it approximates: initials are the Latin tokens as long as the
-- child's current name (a former name's initials get their tails when the child is next saved),
-- the guardian's token is the one equal to child.guardian_name, leading parts come from the
-- current name only (own = 1). Latin = lower case, has a letter, no digit (blind indexes are hex
-- with digits; ID tails are digits).
-- Each step is a recursive query driven by the tokens themselves (no join with a numbers table,
-- whose order a planner could turn into one full scan per number).
CREATE TABLE search_posting_add (token TEXT NOT NULL, child_id BIGINT NOT NULL);

-- The child's initials from the second character on (the first is the token itself).
INSERT INTO search_posting_add (token, child_id)
WITH RECURSIVE tails(token, child_id) AS (
  SELECT substr(s.token, 2), s.child_id FROM search_posting s JOIN child c ON c.id = s.child_id
  WHERE length(s.token) = length(c.name) AND length(s.token) > 1
    AND upper(s.token) <> s.token AND lower(s.token) = s.token AND s.token NOT LIKE '%0%' AND s.token NOT LIKE '%1%' AND s.token NOT LIKE '%2%' AND s.token NOT LIKE '%3%'
    AND s.token NOT LIKE '%4%' AND s.token NOT LIKE '%5%' AND s.token NOT LIKE '%6%' AND s.token NOT LIKE '%7%'
    AND s.token NOT LIKE '%8%' AND s.token NOT LIKE '%9%'
  UNION ALL
  SELECT substr(token, 2), child_id FROM tails WHERE length(token) > 1)
SELECT token, child_id FROM tails;

-- Every proper prefix of every Latin token (old ones and the tails above).
INSERT INTO search_posting_add (token, child_id)
WITH RECURSIVE heads(token, child_id) AS (
  SELECT substr(l.token, 1, length(l.token) - 1), l.child_id
  FROM (SELECT s.token, s.child_id FROM search_posting s
        WHERE upper(s.token) <> s.token AND lower(s.token) = s.token AND s.token NOT LIKE '%0%' AND s.token NOT LIKE '%1%' AND s.token NOT LIKE '%2%' AND s.token NOT LIKE '%3%'
    AND s.token NOT LIKE '%4%' AND s.token NOT LIKE '%5%' AND s.token NOT LIKE '%6%' AND s.token NOT LIKE '%7%'
    AND s.token NOT LIKE '%8%' AND s.token NOT LIKE '%9%'
        UNION SELECT a.token, a.child_id FROM search_posting_add a) l
  WHERE length(l.token) > 1
  UNION
  SELECT substr(token, 1, length(token) - 1), child_id FROM heads WHERE length(token) > 1)
SELECT token, child_id FROM heads;

-- The guardian's name in Han unigrams and bigrams (names without Latin letters or digits).
INSERT INTO search_posting_add (token, child_id)
WITH RECURSIVE rest(token, child_id) AS (
  SELECT s.token, s.child_id FROM search_posting s JOIN child c ON c.id = s.child_id
  WHERE s.token = c.guardian_name AND upper(s.token) = lower(s.token) AND s.token NOT LIKE '%0%' AND s.token NOT LIKE '%1%' AND s.token NOT LIKE '%2%' AND s.token NOT LIKE '%3%'
    AND s.token NOT LIKE '%4%' AND s.token NOT LIKE '%5%' AND s.token NOT LIKE '%6%' AND s.token NOT LIKE '%7%'
    AND s.token NOT LIKE '%8%' AND s.token NOT LIKE '%9%'
  UNION ALL
  SELECT substr(token, 2), child_id FROM rest WHERE length(token) > 1)
SELECT substr(token, 1, 1), child_id FROM rest
UNION ALL
SELECT substr(token, 1, 2), child_id FROM rest WHERE length(token) > 1;

-- The leading 3+ characters of the child's own (Han) name of 4+ characters.
INSERT INTO search_posting_add (token, child_id)
WITH RECURSIVE heads(token, child_id) AS (
  SELECT substr(s.token, 1, length(s.token) - 1), s.child_id FROM search_posting s
  WHERE s.own = 1 AND length(s.token) >= 4 AND upper(s.token) = lower(s.token) AND s.token NOT LIKE '%0%' AND s.token NOT LIKE '%1%' AND s.token NOT LIKE '%2%' AND s.token NOT LIKE '%3%'
    AND s.token NOT LIKE '%4%' AND s.token NOT LIKE '%5%' AND s.token NOT LIKE '%6%' AND s.token NOT LIKE '%7%'
    AND s.token NOT LIKE '%8%' AND s.token NOT LIKE '%9%'
  UNION ALL
  SELECT substr(token, 1, length(token) - 1), child_id FROM heads WHERE length(token) > 3)
SELECT token, child_id FROM heads;

-- New (token, child) pairs, each with its child's jurisdiction, sort keys and birth date (0007).
INSERT INTO search_posting (token, child_id, own, district_id, street_id, community_id, grid_id, updated_at, birth_date)
SELECT a.token, a.child_id, CASE WHEN a.token = c.name THEN 1 ELSE 0 END, c.district_id, c.street_id,
       c.community_id, c.grid_id, c.updated_at, c.birth_date
FROM (SELECT DISTINCT token, child_id FROM search_posting_add WHERE token <> '') a JOIN child c ON c.id = a.child_id
WHERE NOT EXISTS (SELECT 1 FROM search_posting s WHERE s.token = a.token AND s.child_id = a.child_id);

DROP TABLE search_posting_add;
