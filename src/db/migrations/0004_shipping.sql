-- 0004_shipping: ORD-11 courier bills and their reconciliation, ORD-12 shift
-- handover sheets. (ORD-9 shipping itself needs no table: it moves orders.)

-- ORD-11: one imported courier bill per courier and month. The n_* counts are
-- written once at import (a bill does not change afterwards); brackets is the
-- fee check per started kilogram, errors the rejected rows (JSON, first 1000).
CREATE TABLE courier_bills (
  id INTEGER PRIMARY KEY,
  courier TEXT NOT NULL,              -- as given at import
  courier_key TEXT NOT NULL,          -- orders/ship.h ship_courier_key: "yto"
  period TEXT NOT NULL,               -- "2026-11"
  filename TEXT NOT NULL DEFAULT '',
  weight_tolerance_g BIGINT NOT NULL,
  fee_tolerance_pct BIGINT NOT NULL,
  fee_min_lines BIGINT NOT NULL,
  n_rows BIGINT NOT NULL DEFAULT 0,   -- data rows read from the file
  n_lines BIGINT NOT NULL DEFAULT 0,  -- bill lines kept (rows minus rejected)
  n_matched BIGINT NOT NULL DEFAULT 0,
  n_unknown BIGINT NOT NULL DEFAULT 0,
  n_duplicate BIGINT NOT NULL DEFAULT 0,
  n_billed_before BIGINT NOT NULL DEFAULT 0,
  n_weight_over BIGINT NOT NULL DEFAULT 0,
  n_weight_under BIGINT NOT NULL DEFAULT 0,
  n_unweighed BIGINT NOT NULL DEFAULT 0,
  n_fee_high BIGINT NOT NULL DEFAULT 0,
  n_missing BIGINT NOT NULL DEFAULT 0,
  n_rejected BIGINT NOT NULL DEFAULT 0,
  n_diff BIGINT NOT NULL DEFAULT 0,   -- lines with any flag, missing rows included
  fee_total_fen BIGINT NOT NULL DEFAULT 0,
  weight_total_g BIGINT NOT NULL DEFAULT 0,
  weight_over_g BIGINT NOT NULL DEFAULT 0, -- sum of (billed - ours) on weight_over lines
  brackets TEXT NOT NULL DEFAULT '[]',
  errors TEXT NOT NULL DEFAULT '[]',
  imported_utc BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL DEFAULT '',
  UNIQUE (courier_key, period)
);

-- One line per bill row (line_no = physical line in the file), plus the
-- orders we shipped that the bill lacks (line_no 0, flag missing).
CREATE TABLE courier_bill_lines (
  id INTEGER PRIMARY KEY,
  bill_id BIGINT NOT NULL REFERENCES courier_bills(id),
  line_no BIGINT NOT NULL,
  tracking_no TEXT NOT NULL,
  weight_g BIGINT,                    -- billed; NULL on missing rows
  fee_fen BIGINT,                     -- billed; NULL on missing rows
  order_id BIGINT REFERENCES orders(id), -- matched order, NULL when unknown
  our_weight_g BIGINT,                -- orders.weight_g when matched and weighed
  weight_diff_g BIGINT,               -- billed - ours, when both are known
  flags BIGINT NOT NULL DEFAULT 0     -- orders/recon.h RECON_* bits
);
CREATE INDEX courier_bill_lines_bill ON courier_bill_lines(bill_id, tracking_no);
CREATE INDEX courier_bill_lines_tracking ON courier_bill_lines(tracking_no);
-- Orders shipped in the seller center carry only the platform's number.
CREATE INDEX orders_platform_tracking ON orders(platform_tracking_no);

-- ORD-12: a shift's handover sheet, to a named user or to anyone of a role.
CREATE TABLE handovers (
  id INTEGER PRIMARY KEY,
  store_id BIGINT REFERENCES stores(id),
  from_user_id BIGINT NOT NULL REFERENCES users(id),
  to_user_id BIGINT REFERENCES users(id),
  to_role TEXT NOT NULL,
  shift TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_utc BIGINT NOT NULL,
  acknowledged_by BIGINT REFERENCES users(id),
  acknowledged_utc BIGINT,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX handovers_open ON handovers(acknowledged_utc, to_role, to_user_id);

CREATE TABLE handover_items (
  id INTEGER PRIMARY KEY,
  handover_id BIGINT NOT NULL REFERENCES handovers(id),
  pos BIGINT NOT NULL,
  text TEXT NOT NULL,
  order_id BIGINT REFERENCES orders(id),
  task_id BIGINT REFERENCES tasks(id),
  done BIGINT NOT NULL DEFAULT 0,
  done_by BIGINT REFERENCES users(id),
  done_utc BIGINT,
  UNIQUE (handover_id, pos)
);
