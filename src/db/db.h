/*
 * db.h - the one storage interface (STYLE.md sections 1 and 6).
 *
 * Only src/db/ includes a database header. An engine (sqlite.c, pg.c) fills a
 * struct db_ops; everything else calls the db_* wrappers below.
 *
 * SQL is written once with `?` placeholders, numbered from 1 by position; pg.c
 * rewrites them to $1..$n. Every value is bound, never formatted into SQL.
 * Integers are int64 (money in fen, times in UTC epoch seconds, booleans 0/1);
 * everything else is UTF-8 text (JSON documents included).
 *
 * Statements come from a per-connection cache keyed by SQL text:
 *   struct db_stmt *st;
 *   rc = db_prepare(db, "SELECT name FROM stores WHERE id = ?", &st, err);
 *   if (rc) return rc;
 *   db_bind_int(st, 1, id);
 *   while ((rc = db_step(st, err)) == DB_ROW) { ... db_col_text(st, 0) ... }
 *   db_done(st);                   // always, also after an error
 * Column text is valid until the next db_step or db_done on that statement.
 *
 * A connection is used by one thread at a time; the server takes one from a
 * struct db_pool per request.
 */
#ifndef DB_DB_H
#define DB_DB_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

enum db_engine { DB_SQLITE, DB_POSTGRES };
enum { DB_DONE = 0, DB_ROW = 1 };

struct db;
struct db_stmt;

struct db_ops {
	const char *name;
	int (*open)(const char *target, struct db **out, struct err *err);
	void (*close)(struct db *db);
	/* Runs a script of statements without parameters (migrations, BEGIN, COMMIT). */
	int (*exec)(struct db *db, const char *sql, struct err *err);
	int (*prepare)(struct db *db, const char *sql, struct db_stmt **out, struct err *err);
	void (*bind_int)(struct db_stmt *st, int idx, int64_t v);
	void (*bind_text)(struct db_stmt *st, int idx, const char *s); /* copied; NULL binds NULL */
	void (*bind_null)(struct db_stmt *st, int idx);
	/* s borrowed until db_done; NULL where the engine copies anyway */
	void (*bind_text_ref)(struct db_stmt *st, int idx, const char *s);
	/* DB_ROW, DB_DONE, or a negative err code (ERR_CONFLICT on unique violation). */
	int (*step)(struct db_stmt *st, struct err *err);
	int64_t (*col_int)(struct db_stmt *st, int col);
	const char *(*col_text)(struct db_stmt *st, int col); /* NULL for SQL NULL */
	int (*col_is_null)(struct db_stmt *st, int col);
	int64_t (*changes)(struct db_stmt *st); /* rows changed by the last step of this stmt */
	/* The rowid of the row the last step of this INSERT inserted, 0 when none;
	 * NULL where the engine has none (PostgreSQL: use RETURNING). */
	int64_t (*last_id)(struct db_stmt *st);
	void (*reset)(struct db_stmt *st);      /* drop bindings and results; ready to bind again */
	void (*finalize)(struct db_stmt *st);
};

struct db_cache_entry;

/* The part of a connection every engine shares; engines embed it first. */
struct db {
	const struct db_ops *ops;
	enum db_engine engine;
	int tx_depth;
	int defer_lock_fd; /* defer_index.c: held while an import's indexes are away */
	struct db_cache_entry *cache[64];
};

/* The part of a statement every engine shares; engines embed it first. */
struct db_stmt {
	struct db *db;
	struct db_cache_entry *cached; /* NULL for one-off statements */
};

/* url: "sqlite:PATH" or "postgres://..." / "postgresql://..." (a libpq URL). */
int db_open(const char *url, struct db **out, struct err *err) WUR;
void db_close(struct db *db);
const char *db_engine_name(const struct db *db);

int db_exec(struct db *db, const char *sql, struct err *err) WUR;
/* A process-lifetime copy of SQL text assembled from constant fragments, equal
 * texts giving the same pointer, so the statement cache (keyed by the pointer)
 * keeps one statement per distinct text. NULL past a fixed number of texts. */
const char *db_sql_intern(const char *sql);
int db_prepare(struct db *db, const char *sql, struct db_stmt **out, struct err *err) WUR;
void db_bind_int(struct db_stmt *st, int idx, int64_t v);
void db_bind_text(struct db_stmt *st, int idx, const char *s);
void db_bind_null(struct db_stmt *st, int idx);
/* As db_bind_text, but s is borrowed, not copied: it must stay unchanged until
 * db_done(st). For hot loops binding arena strings (the importers). */
void db_bind_text_ref(struct db_stmt *st, int idx, const char *s);
int db_step(struct db_stmt *st, struct err *err) WUR;
int64_t db_col_int(struct db_stmt *st, int col);
const char *db_col_text(struct db_stmt *st, int col);
int db_col_is_null(struct db_stmt *st, int col);
int64_t db_changes(struct db_stmt *st);
/* The id of the row this INSERT's last step inserted (0 when it inserted none),
 * on engines with db_has_last_id(); elsewhere write RETURNING id. On SQLite it
 * spares a hot INSERT the ephemeral table RETURNING fills on every step. */
int db_has_last_id(const struct db *db);
int64_t db_last_id(struct db_stmt *st);
void db_done(struct db_stmt *st);

/* Runs a statement that returns no rows (or ignores them). */
int db_run(struct db_stmt *st, struct err *err) WUR;

/* One business operation = one transaction. Nested begin/commit pairs join the
 * outer transaction; a rollback anywhere rolls back the whole. */
int db_begin(struct db *db, struct err *err) WUR;
int db_commit(struct db *db, struct err *err) WUR;
void db_rollback(struct db *db);

/* Bulk mode for imports: SQLite gets a larger page cache (index pages of a
 * million-row import stop being read and written again per batch). Leaving it
 * refreshes the planner's statistics on both engines. */
void db_bulk_mode(struct db *db, int on);

/* A big SQLite import drops the secondary indexes of tables (recording them
 * in deferred_indexes first) and restores them when done; *deferred says
 * whether it happened (never on PostgreSQL, nor while another import has them
 * away). Restore builds every recorded index, also those of a killed import;
 * db_migrate runs it. See defer_index.c. */
int db_indexes_defer(struct db *db, const char *const *tables, size_t n, int64_t now_utc,
		     int *deferred, struct err *err) WUR;
int db_indexes_restore(struct db *db, struct err *err) WUR;

/* A fixed set of connections shared by the server's worker threads. */
struct db_pool;
int db_pool_open(const char *url, int size, struct db_pool **out, struct err *err) WUR;
struct db *db_pool_get(struct db_pool *p);  /* blocks until a connection is free */
void db_pool_put(struct db_pool *p, struct db *db);
void db_pool_close(struct db_pool *p);

/* Apply the embedded migrations not yet recorded in schema_migrations. */
int db_migrate(struct db *db, int *applied, struct err *err) WUR;

/* SQLite online backup of a live database to out_path (SQLite only). */
int db_backup_sqlite(const char *url, const char *out_path, struct err *err) WUR;

/* Engines, for db.c. */
extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/* For engines: the shared error for a failed engine call. */
int db_fail(struct err *err, const char *what, const char *detail);

#endif
