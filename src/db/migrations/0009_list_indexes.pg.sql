-- 0009_list_indexes (PostgreSQL): see 0009_list_indexes.sql; the trigger needs a
-- function here.
ALTER TABLE order_items ADD COLUMN stage TEXT NOT NULL DEFAULT '';
UPDATE order_items SET stage = o.stage FROM orders o WHERE o.id = order_items.order_id;
CREATE INDEX order_items_stage_sku ON order_items(stage, sku_code, order_id);
CREATE FUNCTION orders_stage_to_items() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE order_items SET stage = NEW.stage WHERE order_id = NEW.id;
  RETURN NULL;
END
$$;
CREATE TRIGGER orders_stage_to_items AFTER UPDATE OF stage ON orders
  FOR EACH ROW WHEN (NEW.stage IS DISTINCT FROM OLD.stage)
  EXECUTE FUNCTION orders_stage_to_items();
-- "orders of buyer b in stage s": with the stage in the key the count reads no
-- order row and the page reads only its own 50 (a regular buyer has hundreds
-- of orders, mostly delivered). The buyer-only lookups use the prefix.
DROP INDEX orders_buyer;
CREATE INDEX orders_buyer_stage ON orders(buyer_nick, stage, id);
