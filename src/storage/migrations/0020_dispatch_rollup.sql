-- Statistics rollups of dispatch orders (issue 11: the statistics page at 100,000 reports / 300,000
-- orders reads these, not every order). One row per district, day dispatched (Asia/Shanghai: days since
-- 1970-01-01 of dispatched_at + 8 h), report street (0: none) and one grouping `dim` with its key:
--   department: k1 target_kind ('agency' | 'unit'), k2 the agency or unit id;
--   category:   k1 the category code, k2 0;
--   channel:    k1 the channel code, k2 0 (also serves the street and month groupings).
-- Counters: what the order's row says now (received 1, accepted, accepted_on_time, fed_back,
-- handled_on_time, returned, extensions, revisited, satisfied) and its membership of the three
-- "waiting" sets whose deadline passing makes a figure grow (unaccepted: pending_accept or
-- return_requested; handling_open: handling without feedback; receiver_open: pending_accept or
-- handling). Kept by DispatchRepo in the transaction that changes the order (dispatch_rollup.cc).
CREATE TABLE dispatch_rollup (
  district_unit_id BIGINT NOT NULL,
  dim TEXT NOT NULL,
  day BIGINT NOT NULL,
  street_id BIGINT NOT NULL,
  k1 TEXT NOT NULL,
  k2 BIGINT NOT NULL,
  month TEXT NOT NULL,
  received BIGINT NOT NULL DEFAULT 0,
  accepted BIGINT NOT NULL DEFAULT 0,
  accepted_on_time BIGINT NOT NULL DEFAULT 0,
  fed_back BIGINT NOT NULL DEFAULT 0,
  handled_on_time BIGINT NOT NULL DEFAULT 0,
  returned BIGINT NOT NULL DEFAULT 0,
  extensions BIGINT NOT NULL DEFAULT 0,
  revisited BIGINT NOT NULL DEFAULT 0,
  satisfied BIGINT NOT NULL DEFAULT 0,
  unaccepted BIGINT NOT NULL DEFAULT 0,
  handling_open BIGINT NOT NULL DEFAULT 0,
  receiver_open BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (district_unit_id, dim, day, street_id, k1, k2)
);

-- Return requests not yet due to be accepted (the statistics subtract them; their next_due_at is none).
CREATE INDEX dispatch_order_return_due ON dispatch_order(district_unit_id, accept_due_at) WHERE status = 'return_requested';

INSERT INTO dispatch_rollup (district_unit_id, dim, day, street_id, k1, k2, month, received, accepted, accepted_on_time,
  fed_back, handled_on_time, returned, extensions, revisited, satisfied, unaccepted, handling_open, receiver_open)
SELECT district_unit_id, 'department', (dispatched_at + 28800000) / 86400000, COALESCE(street_id, 0), target_kind,
  COALESCE(agency_id, unit_id), MAX(month), COUNT(*),
  SUM(CASE WHEN accepted_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN accepted_late = 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN feedback_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN handled_late = 0 THEN 1 ELSE 0 END),
  SUM(returned), SUM(extensions), SUM(CASE WHEN revisited_at IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN satisfied = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN status IN ('pending_accept', 'return_requested') THEN 1 ELSE 0 END),
  SUM(CASE WHEN status = 'handling' AND feedback_at IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN status IN ('pending_accept', 'handling') THEN 1 ELSE 0 END)
FROM dispatch_order
GROUP BY district_unit_id, (dispatched_at + 28800000) / 86400000, COALESCE(street_id, 0), target_kind, COALESCE(agency_id, unit_id);

INSERT INTO dispatch_rollup (district_unit_id, dim, day, street_id, k1, k2, month, received, accepted, accepted_on_time,
  fed_back, handled_on_time, returned, extensions, revisited, satisfied, unaccepted, handling_open, receiver_open)
SELECT district_unit_id, 'category', (dispatched_at + 28800000) / 86400000, COALESCE(street_id, 0), category, 0,
  MAX(month), COUNT(*),
  SUM(CASE WHEN accepted_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN accepted_late = 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN feedback_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN handled_late = 0 THEN 1 ELSE 0 END),
  SUM(returned), SUM(extensions), SUM(CASE WHEN revisited_at IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN satisfied = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN status IN ('pending_accept', 'return_requested') THEN 1 ELSE 0 END),
  SUM(CASE WHEN status = 'handling' AND feedback_at IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN status IN ('pending_accept', 'handling') THEN 1 ELSE 0 END)
FROM dispatch_order
GROUP BY district_unit_id, (dispatched_at + 28800000) / 86400000, COALESCE(street_id, 0), category;

INSERT INTO dispatch_rollup (district_unit_id, dim, day, street_id, k1, k2, month, received, accepted, accepted_on_time,
  fed_back, handled_on_time, returned, extensions, revisited, satisfied, unaccepted, handling_open, receiver_open)
SELECT district_unit_id, 'channel', (dispatched_at + 28800000) / 86400000, COALESCE(street_id, 0), channel, 0,
  MAX(month), COUNT(*),
  SUM(CASE WHEN accepted_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN accepted_late = 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN feedback_at IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN handled_late = 0 THEN 1 ELSE 0 END),
  SUM(returned), SUM(extensions), SUM(CASE WHEN revisited_at IS NOT NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN satisfied = 1 THEN 1 ELSE 0 END),
  SUM(CASE WHEN status IN ('pending_accept', 'return_requested') THEN 1 ELSE 0 END),
  SUM(CASE WHEN status = 'handling' AND feedback_at IS NULL THEN 1 ELSE 0 END),
  SUM(CASE WHEN status IN ('pending_accept', 'handling') THEN 1 ELSE 0 END)
FROM dispatch_order
GROUP BY district_unit_id, (dispatched_at + 28800000) / 86400000, COALESCE(street_id, 0), channel;
