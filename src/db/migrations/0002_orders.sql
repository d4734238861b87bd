-- 0002_orders: orders, items, timeline, memos, warehouse tasks, import jobs,
-- and the inventory they move (SKUs, warehouses, shelf locations, stock ledger).

CREATE TABLE imports (
  id INTEGER PRIMARY KEY,
  store_id BIGINT NOT NULL REFERENCES stores(id),
  kind TEXT NOT NULL,                -- "taobao-orders", "generic-orders"
  status TEXT NOT NULL,              -- running, done, failed
  filename TEXT NOT NULL DEFAULT '',
  rows_total BIGINT NOT NULL DEFAULT 0,
  inserted BIGINT NOT NULL DEFAULT 0,
  updated BIGINT NOT NULL DEFAULT 0,
  unchanged BIGINT NOT NULL DEFAULT 0,
  rejected BIGINT NOT NULL DEFAULT 0,
  errors TEXT NOT NULL DEFAULT '[]', -- JSON [{file,line,column,reason}], first 1000
  message TEXT NOT NULL DEFAULT '',
  bytes_done BIGINT NOT NULL DEFAULT 0,
  bytes_total BIGINT NOT NULL DEFAULT 0,
  user_id BIGINT,
  started_utc BIGINT NOT NULL,
  finished_utc BIGINT
);

CREATE TABLE orders (
  id INTEGER PRIMARY KEY,
  store_id BIGINT NOT NULL REFERENCES stores(id),
  platform_order_no TEXT NOT NULL,
  buyer_nick TEXT NOT NULL DEFAULT '',
  buyer_alipay TEXT NOT NULL DEFAULT '',
  receiver_name TEXT NOT NULL DEFAULT '',
  receiver_phone TEXT NOT NULL DEFAULT '',
  receiver_address TEXT NOT NULL DEFAULT '',
  province TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  district TEXT NOT NULL DEFAULT '',
  shipping_method TEXT NOT NULL DEFAULT '',
  goods_fen BIGINT NOT NULL DEFAULT 0,
  postage_fen BIGINT NOT NULL DEFAULT 0,
  total_fen BIGINT NOT NULL DEFAULT 0,
  paid_fen BIGINT NOT NULL DEFAULT 0,
  refund_fen BIGINT NOT NULL DEFAULT 0,
  platform_status TEXT NOT NULL DEFAULT '',   -- exactly as exported
  stage TEXT NOT NULL,                        -- internal fulfilment stage (ORD-3)
  hold_from TEXT,
  hold_reason TEXT NOT NULL DEFAULT '',
  exception TEXT NOT NULL DEFAULT '',         -- ORD-13: why it was not audited automatically
  buyer_message TEXT NOT NULL DEFAULT '',
  seller_memo TEXT NOT NULL DEFAULT '',
  item_title TEXT NOT NULL DEFAULT '',
  item_kinds BIGINT NOT NULL DEFAULT 0,
  item_qty BIGINT NOT NULL DEFAULT 0,
  platform_courier TEXT NOT NULL DEFAULT '',
  platform_tracking_no TEXT NOT NULL DEFAULT '',
  courier TEXT NOT NULL DEFAULT '',
  tracking_no TEXT NOT NULL DEFAULT '',
  weight_g BIGINT,
  created_utc BIGINT,
  paid_utc BIGINT,
  content_hash TEXT NOT NULL DEFAULT '',      -- of the imported fields: "unchanged" on re-import
  import_id BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  imported_utc BIGINT NOT NULL,
  updated_utc BIGINT NOT NULL,
  UNIQUE (store_id, platform_order_no)
);
CREATE INDEX orders_stage ON orders(store_id, stage, id);
CREATE INDEX orders_created ON orders(store_id, created_utc);
CREATE INDEX orders_buyer ON orders(buyer_nick);
CREATE INDEX orders_tracking ON orders(tracking_no);

CREATE TABLE order_items (
  id INTEGER PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES orders(id),
  line_no BIGINT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  price_fen BIGINT NOT NULL DEFAULT 0,
  qty BIGINT NOT NULL DEFAULT 0,
  external_code TEXT NOT NULL DEFAULT '',
  attrs TEXT NOT NULL DEFAULT '',
  package_info TEXT NOT NULL DEFAULT '',
  memo TEXT NOT NULL DEFAULT '',
  platform_status TEXT NOT NULL DEFAULT '',
  sku_code TEXT NOT NULL DEFAULT '',
  UNIQUE (order_id, line_no)
);
CREATE INDEX order_items_sku ON order_items(sku_code);

-- ORD-3: every transition and edit, with who and when.
CREATE TABLE order_events (
  id INTEGER PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES orders(id),
  at_utc BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  from_stage TEXT,
  to_stage TEXT,
  detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX order_events_order ON order_events(order_id, id);

-- ORD-5: structured memos with their rendered seed text.
CREATE TABLE order_memos (
  id INTEGER PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES orders(id),
  kind TEXT NOT NULL,
  value TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL,
  user_id BIGINT,
  author TEXT NOT NULL DEFAULT '',
  at_utc BIGINT NOT NULL
);
CREATE INDEX order_memos_order ON order_memos(order_id, id);

-- ORD-4: the work an order change creates (fetch back papers, reprint, refund ...).
CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  store_id BIGINT NOT NULL REFERENCES stores(id),
  kind TEXT NOT NULL,
  role TEXT NOT NULL,
  order_id BIGINT REFERENCES orders(id),
  status TEXT NOT NULL DEFAULT 'open',     -- open, done
  text TEXT NOT NULL DEFAULT '',
  created_utc BIGINT NOT NULL,
  created_by BIGINT,
  done_utc BIGINT,
  done_by BIGINT,
  note TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX tasks_open ON tasks(role, status, id);

-- INV-1: stock-keeping units by 商家编码; a combination SKU (INV-6) lists its parts.
CREATE TABLE skus (
  id INTEGER PRIMARY KEY,
  sku_code TEXT NOT NULL UNIQUE,
  product_code TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  attrs TEXT NOT NULL DEFAULT '',
  price_fen BIGINT NOT NULL DEFAULT 0,
  is_combo BIGINT NOT NULL DEFAULT 0,
  active BIGINT NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1,
  created_utc BIGINT NOT NULL,
  updated_utc BIGINT NOT NULL
);

CREATE TABLE sku_parts (
  combo_sku_id BIGINT NOT NULL REFERENCES skus(id),
  part_sku_id BIGINT NOT NULL REFERENCES skus(id),
  qty BIGINT NOT NULL,
  PRIMARY KEY (combo_sku_id, part_sku_id)
);

CREATE TABLE warehouses (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  created_utc BIGINT NOT NULL
);

CREATE TABLE locations (
  id INTEGER PRIMARY KEY,
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  code TEXT NOT NULL,
  pick_order BIGINT NOT NULL DEFAULT 0,     -- position on the pick path
  UNIQUE (warehouse_id, code)
);

CREATE TABLE sku_locations (
  sku_id BIGINT NOT NULL REFERENCES skus(id),
  location_id BIGINT NOT NULL REFERENCES locations(id),
  PRIMARY KEY (sku_id, location_id)
);

-- INV-2: every stock change is a ledger entry; stock is its running sum.
CREATE TABLE stock_ledger (
  id INTEGER PRIMARY KEY,
  sku_id BIGINT NOT NULL REFERENCES skus(id),
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  on_hand_delta BIGINT NOT NULL DEFAULT 0,
  reserved_delta BIGINT NOT NULL DEFAULT 0,
  reason TEXT NOT NULL,                     -- receive, reserve, release, ship, return, adjust
  ref_type TEXT NOT NULL DEFAULT '',
  ref_id TEXT NOT NULL DEFAULT '',
  user_id BIGINT,
  at_utc BIGINT NOT NULL
);
CREATE INDEX stock_ledger_sku ON stock_ledger(sku_id, warehouse_id, id);

CREATE TABLE stock (
  sku_id BIGINT NOT NULL REFERENCES skus(id),
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  on_hand BIGINT NOT NULL DEFAULT 0,
  reserved BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  PRIMARY KEY (sku_id, warehouse_id)
);
