-- 0009_list_indexes: "orders in stage s with SKU x" (the order list's stage tab
-- plus a SKU search) as one index range. Without it the list intersects the
-- SKU's lines with the stage's orders one probe per line: about 3 ms for a
-- popular SKU at a million orders, the slowest list query. order_items.stage
-- copies orders.stage: the importer writes it with the item, the trigger keeps
-- it when the order moves. Stage leads the index so that a SKU search without
-- a stage keeps walking order_items_sku_order newest first.
ALTER TABLE order_items ADD COLUMN stage TEXT NOT NULL DEFAULT '';
UPDATE order_items SET stage = (SELECT o.stage FROM orders o WHERE o.id = order_items.order_id);
CREATE INDEX order_items_stage_sku ON order_items(stage, sku_code, order_id);
CREATE TRIGGER orders_stage_to_items AFTER UPDATE OF stage ON orders
  WHEN NEW.stage IS NOT OLD.stage
BEGIN
  UPDATE order_items SET stage = NEW.stage WHERE order_id = NEW.id;
END;
-- "orders of buyer b in stage s": with the stage in the key the count reads no
-- order row and the page reads only its own 50 (a regular buyer has hundreds
-- of orders, mostly delivered). The buyer-only lookups use the prefix.
DROP INDEX orders_buyer;
CREATE INDEX orders_buyer_stage ON orders(buyer_nick, stage, id);
