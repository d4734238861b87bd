-- 0007_parcels: ORD-10 merged shipments and split parcels.
--
-- Merge (合并订单): platform orders stay separate rows (each is shipped back to
-- its platform by its own number) and share one parcel: merge_group is the id
-- of the group's primary order on every member, NULL when not merged.
-- Split (拆单): an order's items spread over parcels, each with its own stage,
-- waybill/tracking number and weight; split_parcels counts them (0 = not split).
ALTER TABLE orders ADD COLUMN merge_group BIGINT;
ALTER TABLE orders ADD COLUMN split_parcels BIGINT NOT NULL DEFAULT 0;
CREATE INDEX orders_merge_group ON orders(merge_group);

CREATE TABLE order_parcels (
  id INTEGER PRIMARY KEY,
  order_id BIGINT NOT NULL REFERENCES orders(id),
  parcel_no BIGINT NOT NULL,                -- 1..n within the order
  stage TEXT NOT NULL,                      -- audited .. shipped, or cancelled
  courier TEXT NOT NULL DEFAULT '',
  tracking_no TEXT NOT NULL DEFAULT '',
  weight_g BIGINT,
  shipped_utc BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_utc BIGINT NOT NULL,
  updated_utc BIGINT NOT NULL,
  UNIQUE (order_id, parcel_no)
);
CREATE INDEX order_parcels_tracking ON order_parcels(tracking_no);

-- What each parcel carries: quantities of the order's item lines.
CREATE TABLE order_parcel_items (
  parcel_id BIGINT NOT NULL REFERENCES order_parcels(id),
  line_no BIGINT NOT NULL,
  qty BIGINT NOT NULL,
  PRIMARY KEY (parcel_id, line_no)
);
