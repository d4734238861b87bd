-- 0001_init: stores, users, sessions, login attempts, audit log, policies.
-- Conventions for both engines: ids are `INTEGER PRIMARY KEY` (migrate.c turns
-- that into an identity column on PostgreSQL), every other integer is BIGINT,
-- times are UTC epoch seconds in *_utc columns, money is fen in *_fen columns,
-- booleans are 0/1, JSON is TEXT.

CREATE TABLE stores (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  platform TEXT NOT NULL,
  active BIGINT NOT NULL DEFAULT 1,
  version BIGINT NOT NULL DEFAULT 1,
  created_utc BIGINT NOT NULL,
  updated_utc BIGINT NOT NULL
);

CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  phone TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  disabled BIGINT NOT NULL DEFAULT 0,
  version BIGINT NOT NULL DEFAULT 1,
  created_utc BIGINT NOT NULL,
  updated_utc BIGINT NOT NULL
);

-- X-5: a user limited to some stores; no rows = all stores.
CREATE TABLE user_stores (
  user_id BIGINT NOT NULL REFERENCES users(id),
  store_id BIGINT NOT NULL REFERENCES stores(id),
  PRIMARY KEY (user_id, store_id)
);

-- Only a hash of each token is stored, so a leaked database holds no live sessions.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  address TEXT NOT NULL DEFAULT '',
  created_utc BIGINT NOT NULL,
  expires_utc BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_attempts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  address TEXT NOT NULL,
  ok BIGINT NOT NULL,
  at_utc BIGINT NOT NULL
);
CREATE INDEX login_attempts_user ON login_attempts(username, at_utc);
CREATE INDEX login_attempts_addr ON login_attempts(address, at_utc);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at_utc BIGINT NOT NULL,
  user_id BIGINT,
  username TEXT NOT NULL DEFAULT '',
  entity TEXT NOT NULL,
  entity_id TEXT NOT NULL,
  action TEXT NOT NULL,
  before_json TEXT,
  after_json TEXT
);
CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);

-- Every policy write is a new version; the highest is in force.
CREATE TABLE policies (
  id INTEGER PRIMARY KEY,
  store_id BIGINT NOT NULL REFERENCES stores(id),
  version BIGINT NOT NULL,
  doc TEXT NOT NULL,
  created_by BIGINT,
  created_utc BIGINT NOT NULL,
  UNIQUE (store_id, version)
);

-- Server-wide settings that are data, not configuration (session lifetime, login limits).
CREATE TABLE settings (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  updated_utc BIGINT NOT NULL
);
