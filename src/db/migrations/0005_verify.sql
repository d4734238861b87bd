-- 0005_verify: scan-to-verify packing (ORD-8). A session is one order's goods
-- as expected when its waybill was scanned; each scan is kept with who/when.

CREATE TABLE verify_sessions (
  id INTEGER PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES orders(id),
  store_id BIGINT NOT NULL REFERENCES stores(id),
  order_version BIGINT NOT NULL,          -- the order as its lines were taken
  status TEXT NOT NULL DEFAULT 'open',    -- open, blocked, complete, void
  block_code TEXT NOT NULL DEFAULT '',    -- the wrong code while blocked
  block_reason TEXT NOT NULL DEFAULT '',  -- over, unknown
  opened_by BIGINT,
  opened_utc BIGINT NOT NULL,
  updated_utc BIGINT NOT NULL,
  completed_by BIGINT,
  completed_utc BIGINT,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX verify_sessions_order ON verify_sessions(order_id, id);

CREATE TABLE verify_lines (
  session_id BIGINT NOT NULL REFERENCES verify_sessions(id),
  idx BIGINT NOT NULL,                    -- 0-based, in order-line order
  code TEXT NOT NULL,                     -- normalised scan code; '' = checked by eye
  sku_code TEXT NOT NULL DEFAULT '',      -- as the order has it
  title TEXT NOT NULL DEFAULT '',
  attrs TEXT NOT NULL DEFAULT '',
  line_no BIGINT NOT NULL,
  expected BIGINT NOT NULL,
  scanned BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (session_id, idx)
);

CREATE TABLE verify_scans (
  id INTEGER PRIMARY KEY,
  session_id BIGINT NOT NULL REFERENCES verify_sessions(id),
  at_utc BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL DEFAULT '',
  code TEXT NOT NULL DEFAULT '',          -- as scanned
  action TEXT NOT NULL,                   -- open, scan, confirm, removed, reset
  outcome TEXT NOT NULL DEFAULT '',       -- counted, completed, over, unknown, refused_*
  line_idx BIGINT
);
CREATE INDEX verify_scans_session ON verify_scans(session_id, id);

-- The waybill lookup (verify_db.c) uses orders_tracking, the (store_id,
-- platform_order_no) key and orders_platform_tracking (created by 0004).
