-- 0003_inventory: products, the ledger's note and order index, stocktakes and
-- the out-of-stock register. The SKU, warehouse, location, ledger and stock
-- tables themselves came with 0002_orders.

-- INV-1: a product (货号) groups its SKUs (skus.product_code): title, price,
-- material, style.
CREATE TABLE products (
  id INTEGER PRIMARY KEY,
  product_code TEXT NOT NULL UNIQUE,
  title TEXT NOT NULL DEFAULT '',
  price_fen BIGINT NOT NULL DEFAULT 0,
  material TEXT NOT NULL DEFAULT '',
  style TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_utc BIGINT NOT NULL,
  updated_utc BIGINT NOT NULL
);
CREATE INDEX skus_product ON skus(product_code);

-- INV-2: the "why" in words (供应商到货, 破损 ...) beside the reason code; and
-- the rows of one reference (an order's reservation, a stocktake) found fast.
ALTER TABLE stock_ledger ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE INDEX stock_ledger_ref ON stock_ledger(ref_type, ref_id);

-- INV-3: a count sheet per warehouse (optionally some shelves), one line per
-- stock SKU with the on-hand it expected when it was made.
CREATE TABLE stocktakes (
  id INTEGER PRIMARY KEY,
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  status TEXT NOT NULL DEFAULT 'open',  -- open, approved, cancelled
  locations TEXT NOT NULL DEFAULT '',   -- shelf codes counted, comma separated; '' = all
  note TEXT NOT NULL DEFAULT '',
  created_by BIGINT,
  created_utc BIGINT NOT NULL,
  approved_by BIGINT,
  approved_utc BIGINT,
  version BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE stocktake_lines (
  stocktake_id BIGINT NOT NULL REFERENCES stocktakes(id),
  sku_id BIGINT NOT NULL REFERENCES skus(id),
  location_id BIGINT REFERENCES locations(id),
  expected BIGINT NOT NULL,
  counted BIGINT,                       -- NULL until counted
  counted_by BIGINT,
  counted_utc BIGINT,
  PRIMARY KEY (stocktake_id, sku_id)
);

-- INV-4: the out-of-stock register (缺货登记): since when a SKU's available has
-- been <= 0 in a warehouse, and when it came back (restock alert, 可上架).
CREATE TABLE stockouts (
  id INTEGER PRIMARY KEY,
  sku_id BIGINT NOT NULL REFERENCES skus(id),
  warehouse_id BIGINT NOT NULL REFERENCES warehouses(id),
  since_utc BIGINT NOT NULL,
  restocked_utc BIGINT
);
CREATE UNIQUE INDEX stockouts_open ON stockouts(sku_id, warehouse_id) WHERE restocked_utc IS NULL;
CREATE INDEX stockouts_restocked ON stockouts(restocked_utc);
