-- 0008_verify_parcels: ORD-8 with ORD-10. A split order's parcel is verified on
-- its own: its session holds only that parcel's goods and, when complete, moves
-- only that parcel picked -> verified (verify_db.c).
ALTER TABLE verify_sessions ADD COLUMN parcel_no BIGINT;       -- NULL: the whole order
ALTER TABLE verify_sessions ADD COLUMN parcel_version BIGINT;  -- the parcel as its lines were taken
