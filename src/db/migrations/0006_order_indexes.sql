-- 0006_order_indexes: the order list filtered by stage across all of a user's
-- stores (no store_id term) walks this index newest first instead of the table.
CREATE INDEX orders_stage_id ON orders(stage, id);
CREATE INDEX orders_receiver ON orders(receiver_name);
