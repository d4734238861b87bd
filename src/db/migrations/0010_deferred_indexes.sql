-- 0010_deferred_indexes: the secondary indexes a big SQLite import dropped
-- and has not yet built again (db/defer_index.c). Empty except while such an
-- import runs or after one was killed; every open builds what is listed.
CREATE TABLE deferred_indexes (
  name TEXT PRIMARY KEY,
  sql TEXT NOT NULL,
  deferred_utc BIGINT NOT NULL
);
