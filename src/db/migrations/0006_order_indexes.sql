-- 0006_order_indexes: indexes the order list needs at a million orders.
-- By stage across all of a user's stores (no store_id term), newest first:
CREATE INDEX orders_stage_id ON orders(stage, id);
CREATE INDEX orders_receiver ON orders(receiver_name);
-- "orders containing SKU x": the (sku_code, order_id) pair covers the lookup, so
-- no item row is read; it replaces the single-column index of 0002.
CREATE INDEX order_items_sku_order ON order_items(sku_code, order_id);
DROP INDEX order_items_sku;
